import { ChannelTradeState } from '../channel/pay-channel';
import { PayStatus } from '../order/pay-status';
import { RepairWay } from './repair-way';
import { decide, DecisionOrder, SyncDecision } from './pay-sync-decision';
import { AnomalyKind } from '../anomaly/anomaly-kind';
import { PaySyncStatus } from './pay-sync-status';

const NOW = new Date('2026-11-26T12:00:00Z');
const LATER = new Date('2026-11-26T12:30:00Z');
const EARLIER = new Date('2026-11-26T11:30:00Z');

function order(status: PayStatus, expiredTime = LATER, amount = 1999): DecisionOrder {
  return { status, amount, expiredTime };
}

type Row = [string, DecisionOrder, ChannelTradeState, number | undefined, SyncDecision];

const ROWS: Row[] = [
  ['paid, same amount', order(PayStatus.PROGRESS), ChannelTradeState.SUCCESS, 1999,
    { kind: 'repair', status: PaySyncStatus.SUCCESS, way: RepairWay.PAY_SUCCESS, target: PayStatus.SUCCESS }],
  ['paid, another amount', order(PayStatus.PROGRESS), ChannelTradeState.SUCCESS, 1998,
    { kind: 'anomaly', status: PaySyncStatus.SUCCESS, anomaly: AnomalyKind.AMOUNT_MISMATCH }],
  ['paid, no amount reported', order(PayStatus.PROGRESS), ChannelTradeState.SUCCESS, undefined,
    { kind: 'anomaly', status: PaySyncStatus.SUCCESS, anomaly: AnomalyKind.AMOUNT_MISMATCH }],
  ['paid after expiry still repairs', order(PayStatus.PROGRESS, EARLIER), ChannelTradeState.SUCCESS, 1999,
    { kind: 'repair', status: PaySyncStatus.SUCCESS, way: RepairWay.PAY_SUCCESS, target: PayStatus.SUCCESS }],
  ['closed', order(PayStatus.PROGRESS), ChannelTradeState.CLOSED, undefined,
    { kind: 'repair', status: PaySyncStatus.CLOSED, way: RepairWay.CLOSE_LOCAL, target: PayStatus.CLOSE }],
  ['not found', order(PayStatus.PROGRESS), ChannelTradeState.NOT_FOUND, undefined,
    { kind: 'repair', status: PaySyncStatus.NOT_FOUND, way: RepairWay.CLOSE_LOCAL, target: PayStatus.CLOSE }],
  ['waiting, not expired', order(PayStatus.PROGRESS), ChannelTradeState.PROGRESS, undefined,
    { kind: 'keep', status: PaySyncStatus.PROGRESS }],
  ['not found yet, not expired', order(PayStatus.PROGRESS), ChannelTradeState.NOT_FOUND_UNKNOWN, undefined,
    { kind: 'keep', status: PaySyncStatus.NOT_FOUND_UNKNOWN }],
  ['waiting, expired', order(PayStatus.PROGRESS, EARLIER), ChannelTradeState.PROGRESS, undefined,
    { kind: 'close_at_channel', status: PaySyncStatus.TIMEOUT }],
  ['waiting, expiring this instant', order(PayStatus.PROGRESS, NOW), ChannelTradeState.PROGRESS, undefined,
    { kind: 'close_at_channel', status: PaySyncStatus.TIMEOUT }],
  ['not found yet, expired', order(PayStatus.PROGRESS, EARLIER), ChannelTradeState.NOT_FOUND_UNKNOWN, undefined,
    { kind: 'close_at_channel', status: PaySyncStatus.TIMEOUT }],
  ['refunded', order(PayStatus.PROGRESS), ChannelTradeState.REFUND, 1999,
    { kind: 'refund', status: PaySyncStatus.REFUND }],
  ['success is never downgraded by closed', order(PayStatus.SUCCESS), ChannelTradeState.CLOSED, undefined,
    { kind: 'keep', status: PaySyncStatus.CLOSED }],
  ['success is never downgraded by not found', order(PayStatus.SUCCESS), ChannelTradeState.NOT_FOUND, undefined,
    { kind: 'keep', status: PaySyncStatus.NOT_FOUND }],
  ['success stays when paid', order(PayStatus.SUCCESS), ChannelTradeState.SUCCESS, 1999,
    { kind: 'keep', status: PaySyncStatus.SUCCESS }],
  ['success with a refund asks for refund sync', order(PayStatus.SUCCESS), ChannelTradeState.REFUND, 1999,
    { kind: 'refund', status: PaySyncStatus.REFUND }],
  ['closed order paid at the channel', order(PayStatus.CLOSE), ChannelTradeState.SUCCESS, 1999,
    { kind: 'anomaly', status: PaySyncStatus.SUCCESS, anomaly: AnomalyKind.PAID_AFTER_CLOSE }],
  ['cancelled order paid at the channel', order(PayStatus.CANCEL), ChannelTradeState.SUCCESS, 1999,
    { kind: 'anomaly', status: PaySyncStatus.SUCCESS, anomaly: AnomalyKind.PAID_AFTER_CLOSE }],
  ['failed order paid at the channel', order(PayStatus.FAIL), ChannelTradeState.SUCCESS, 1999,
    { kind: 'anomaly', status: PaySyncStatus.SUCCESS, anomaly: AnomalyKind.PAID_AFTER_CLOSE }],
  ['closed order, channel waiting after expiry', order(PayStatus.CLOSE, EARLIER), ChannelTradeState.PROGRESS, undefined,
    { kind: 'keep', status: PaySyncStatus.TIMEOUT }],
  ['closed order, channel closed', order(PayStatus.CLOSE), ChannelTradeState.CLOSED, undefined,
    { kind: 'keep', status: PaySyncStatus.CLOSED }],
];

describe('decide', () => {
  it.each(ROWS)('%s', (_label, local, state, amount, expected) => {
    expect(decide(local, { state, amount }, NOW)).toEqual(expected);
  });
});
