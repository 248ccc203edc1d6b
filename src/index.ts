/**
 * What a host gateway imports to embed pay sync (README, "Embedding SyncModule"): the
 * modules, the tables they need, the channel contract, the events of repairs and the hook
 * that receives them, and the envelope filter.
 */
export { SyncModule } from './sync/sync.module';
export { SweepModule } from './sweep/sweep.module';
export { NotifyModule } from './notify/notify.module';
export { AdminModule } from './admin/admin.module';
export { ObservabilityModule } from './observability/observability.module';
export { UnipayMetrics, NO_METRICS } from './observability/unipay-metrics';
export type { ChannelCallLabels, NotificationResult, SyncLabels } from './observability/unipay-metrics';
export { UnipayReadiness, NO_READINESS } from './observability/unipay-readiness';
export type { ReadinessCheck, ReadinessProblem } from './observability/unipay-readiness';
export { UnipayLogger } from './observability/unipay-logger';
export type { LogFormat, UnipayLoggerOptions } from './observability/unipay-logger';
export { withRequestContext, currentRequestContext } from './observability/request-context';
export { UNIPAY_SCHEMA } from './unipay-schema';
export { PaySyncService } from './sync/pay-sync.service';
export type { PaySyncOutcome } from './sync/pay-sync-outcome';
export { SyncSource } from './sync/pay-sync-status';
export { PayChannelProvider } from './channel/pay-channel.decorator';
export { ChannelCloseOutcome, ChannelError, ChannelTradeState } from './channel/pay-channel';
export type { ChannelCloseResult, ChannelErrorDetails, ChannelQueryResult, PayChannel } from './channel/pay-channel';
export { PayOrder } from './order/pay-order.entity';
export type { PayOrderSnapshot } from './order/pay-order-snapshot';
export { UnipayEventType } from './outbox/unipay-event';
export type { UnipayEvent } from './outbox/unipay-event';
export { UnipayEventListener } from './outbox/unipay-event-handler';
export type { UnipayEventHandler } from './outbox/unipay-event-handler';
export { DaxExceptionFilter } from './common/dax-exception.filter';
