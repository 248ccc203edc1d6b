import { AnomalyKind } from '../../anomaly/anomaly-kind';
import { SyncReason } from '../sync-reason';
import { RefundRepairWay, RefundSyncStatus } from './refund-sync-status';

/** What the merchant and the sync record are told (refund-sync.md section 2), in DaxPay 2.0.8's words. */
export const REFUND_MESSAGES = {
  NOT_FOUND: '未查询到退款订单',
  UNSUPPORTED: '不支持的能力',
  UNVERIFIED: '查询订单验签失败',
  ORDER_MISSING: '支付单不存在',
  BUSY: '退款同步处理中，请勿重复操作',
  /** A channel failure without the channel's own words. */
  CHANNEL_ERROR: 'refund query failed',
  REFUND_CHANGED: '退款单在同步期间已被其他操作修改，未修复',
  BALANCE_BROKEN: '修复会使支付单的可退余额出错，已回滚并记录异常',
} as const;

export interface RefundRepair {
  repairNo: string;
  way: RefundRepairWay;
}

/** What one refund sync came to; `status` is the channel's answer (or `close`, not asked). */
export type RefundSyncOutcome =
  | { kind: 'unchanged'; status: RefundSyncStatus; reason?: SyncReason.ORDER_CHANGED; anomaly?: AnomalyKind }
  | { kind: 'repaired'; status: RefundSyncStatus; repair: RefundRepair; anomaly?: AnomalyKind }
  /** No answer to act on: the channel failed or is not one that can be asked; nothing changed. */
  | { kind: 'failed'; reason: SyncReason; message: string }
  | { kind: 'not_found'; message: string }
  | { kind: 'busy'; reason: SyncReason.BUSY };
