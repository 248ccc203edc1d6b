import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { UnipayMetrics } from '../observability/unipay-metrics';
import { NONCE_REPLAYED } from './api-request-verifier.service';
import { NonceInUse, PaySyncRecordRepository } from './pay-sync-record.repository';
import { SyncSource } from './pay-sync-status';
import { SyncSettings } from './sync.settings';

/** What pay and refund sync share of an attempt: its lock, its nonce, how it is counted. */

/** Who asks, as the attempt's record keeps it. */
export interface AttemptCaller {
  source: SyncSource;
  clientIp?: string;
  nonceStr?: string;
}

/**
 * Writes a record that keeps the request's nonce. A nonce another record keeps is a replay
 * (10006), unless that request could no longer pass the time window: then the old record
 * lets go of it and the write is tried once more.
 */
export async function keepingNonce<T>(records: PaySyncRecordRepository, settings: SyncSettings, nonceStr: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof NonceInUse) || !nonceStr) throw error;
  }
  const windowSeconds = settings.UNIPAY_REQ_TIME_AHEAD_SECONDS + settings.UNIPAY_REQ_TIME_BEHIND_SECONDS + 1;
  if (await records.forgetNonce(nonceStr, new Date(Date.now() - windowSeconds * 1000))) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof NonceInUse)) throw error;
    }
  }
  throw new UnipayException(UnipayErrorCode.VALIDATION, NONCE_REPLAYED);
}

/**
 * Opens the attempt's record holding an order (`lock_order_no`) or a refund
 * (`lock_refund_no`) for UNIPAY_SYNC_LOCK_SECONDS and keeping the nonce: its id, or null when
 * another attempt holds it. A lock whose holder died (expired) is taken over.
 */
export async function openAttempt(
  records: PaySyncRecordRepository,
  settings: SyncSettings,
  lock: 'order' | 'refund',
  key: string,
  caller: AttemptCaller,
  started: number,
): Promise<number | null> {
  const until = new Date(started + settings.UNIPAY_SYNC_LOCK_SECONDS * 1000);
  const openRecord = lock === 'order' ? records.open.bind(records) : records.openRefund.bind(records);
  const open = () => keepingNonce(records, settings, caller.nonceStr, () => openRecord(key, until, caller.source, caller.clientIp || null, caller.nonceStr || null, new Date(started)));
  const opened = await open();
  if (opened !== null) return opened;
  return (await records.breakExpiredLock(key, new Date(), lock)) ? open() : null;
}

/** Counts how a sync ended, for the metrics. */
export function countedSync<T extends { kind: string }>(metrics: UnipayMetrics, source: SyncSource, outcome: T): T {
  metrics.syncFinished({ source, status: 'status' in outcome ? String(outcome.status) : 'none', outcome: outcome.kind });
  if (outcome.kind === 'busy') metrics.turnedAwayBusy();
  return outcome;
}
