import { AnomalyKind } from '../../anomaly/anomaly-kind';
import { ChannelRefundResult, ChannelRefundState } from '../../channel/pay-channel';
import { RefundStatus } from '../../refund/refund-status';
import { decideRefund } from './refund-sync-decision';
import { RefundRepairWay, RefundSyncStatus } from './refund-sync-status';

const NOW = new Date('2026-12-02T04:00:00Z');
const GRACE = 600;
const sent = (secondsAgo: number) => new Date(NOW.getTime() - secondsAgo * 1000);
const refund = (status: RefundStatus, secondsAgo = 60) => ({ status, amount: 990, channelReqTime: sent(secondsAgo) });

describe('the refund decision table (refund-sync.md section 6)', () => {
  it.each([
    // local, channel, sent seconds ago, expected
    [RefundStatus.PROGRESS, { state: ChannelRefundState.SUCCESS, amount: 990, finishTime: sent(5) }, 60, { status: RefundSyncStatus.SUCCESS, change: { target: RefundStatus.SUCCESS, way: RefundRepairWay.SUCCESS, finishTime: sent(5) } }],
    [RefundStatus.FAIL, { state: ChannelRefundState.SUCCESS, amount: 990 }, 60, { status: RefundSyncStatus.SUCCESS, change: { target: RefundStatus.SUCCESS, way: RefundRepairWay.SUCCESS, finishTime: NOW } }],
    [RefundStatus.PROGRESS, { state: ChannelRefundState.SUCCESS, amount: 991 }, 60, { status: RefundSyncStatus.SUCCESS, anomaly: AnomalyKind.REFUND_AMOUNT_MISMATCH }],
    [RefundStatus.PROGRESS, { state: ChannelRefundState.PROCESSING }, 60, { status: RefundSyncStatus.PROGRESS }],
    [RefundStatus.FAIL, { state: ChannelRefundState.PROCESSING }, 60, { status: RefundSyncStatus.PROGRESS, change: { target: RefundStatus.PROGRESS, way: RefundRepairWay.PROGRESS } }],
    [RefundStatus.PROGRESS, { state: ChannelRefundState.PROCESSING, anomaly: AnomalyKind.REFUND_ABNORMAL }, 60, { status: RefundSyncStatus.PROGRESS, anomaly: AnomalyKind.REFUND_ABNORMAL }],
    [RefundStatus.PROGRESS, { state: ChannelRefundState.PROCESSING, anomaly: AnomalyKind.REFUND_UNCONFIRMED }, 60, { status: RefundSyncStatus.PROGRESS }],
    [RefundStatus.PROGRESS, { state: ChannelRefundState.PROCESSING, anomaly: AnomalyKind.REFUND_UNCONFIRMED }, 601, { status: RefundSyncStatus.PROGRESS, anomaly: AnomalyKind.REFUND_UNCONFIRMED }],
    [RefundStatus.PROGRESS, { state: ChannelRefundState.FAILED, reason: 'card cancelled' }, 60, { status: RefundSyncStatus.FAIL, change: { target: RefundStatus.CLOSE, way: RefundRepairWay.FAIL, errorMsg: 'card cancelled' } }],
    [RefundStatus.FAIL, { state: ChannelRefundState.FAILED }, 60, { status: RefundSyncStatus.FAIL, change: { target: RefundStatus.CLOSE, way: RefundRepairWay.FAIL } }],
    [RefundStatus.FAIL, { state: ChannelRefundState.NOT_FOUND }, 601, { status: RefundSyncStatus.NOT_FOUND, change: { target: RefundStatus.CLOSE, way: RefundRepairWay.FAIL } }],
    [RefundStatus.FAIL, { state: ChannelRefundState.NOT_FOUND }, 600, { status: RefundSyncStatus.NOT_FOUND }],
    [RefundStatus.PROGRESS, { state: ChannelRefundState.NOT_FOUND }, 60, { status: RefundSyncStatus.NOT_FOUND }],
    [RefundStatus.PROGRESS, { state: ChannelRefundState.NOT_FOUND }, 601, { status: RefundSyncStatus.NOT_FOUND, anomaly: AnomalyKind.REFUND_NOT_FOUND }],
    [RefundStatus.SUCCESS, { state: ChannelRefundState.SUCCESS, amount: 990 }, 60, { status: RefundSyncStatus.SUCCESS }],
    [RefundStatus.SUCCESS, { state: ChannelRefundState.PROCESSING }, 60, { status: RefundSyncStatus.PROGRESS, anomaly: AnomalyKind.REFUND_SUCCESS_DISPUTED }],
    [RefundStatus.SUCCESS, { state: ChannelRefundState.NOT_FOUND }, 6000, { status: RefundSyncStatus.NOT_FOUND, anomaly: AnomalyKind.REFUND_SUCCESS_DISPUTED }],
  ] as [RefundStatus, ChannelRefundResult, number, object][])('%s refund, channel %o, sent %ss ago → %o', (local, answer, ago, expected) => {
    expect(decideRefund(refund(local, ago), answer, NOW, GRACE)).toEqual(expected);
  });

  it('never moves success or close, and only closes on a final failure or a fail refund the channel never got', () => {
    const states = Object.values(ChannelRefundState);
    for (const state of states) {
      for (const ago of [10, 6000]) {
        expect(decideRefund(refund(RefundStatus.SUCCESS, ago), { state, amount: 990 }, NOW, GRACE).change).toBeUndefined();
        const progress = decideRefund(refund(RefundStatus.PROGRESS, ago), { state, amount: 990 }, NOW, GRACE).change;
        if (progress?.target === RefundStatus.CLOSE) expect(state).toBe(ChannelRefundState.FAILED);
      }
    }
  });
});
