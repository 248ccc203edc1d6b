/**
 * What a host gateway imports to embed pay sync (README, "Embedding SyncModule"):
 * the modules, the tables they need, the channel contract, and the envelope filter.
 */
export { SyncModule } from './sync/sync.module';
export { SweepModule } from './sweep/sweep.module';
export { UNIPAY_SCHEMA } from './unipay-schema';
export { PaySyncService } from './sync/pay-sync.service';
export type { PaySyncOutcome } from './sync/pay-sync-outcome';
export { SyncSource } from './sync/pay-sync-status';
export { PayChannelProvider } from './channel/pay-channel.decorator';
export { ChannelCloseOutcome, ChannelError, ChannelTradeState } from './channel/pay-channel';
export type { ChannelCloseResult, ChannelQueryResult, PayChannel } from './channel/pay-channel';
export { PayOrder } from './order/pay-order.entity';
export { DaxExceptionFilter } from './common/dax-exception.filter';
