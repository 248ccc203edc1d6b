import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { sign } from '../sign/daxpay-sign';
import { SignSettings } from '../sign/sign.settings';
import { PaySyncOutcome } from './pay-sync-outcome';

/** `data` of a sync answer: exactly the fields the DaxPay SDK knows, then `sign`. */
export interface PaySyncData {
  status?: string;
  code: number;
  msg?: string;
  resTime: number;
  sign?: string;
}

/**
 * The DaxPay answer to a sync, signed: `code` 0 with the channel status when the sync
 * completed (whether or not it repaired), `code` 1 with a message and no status when it did
 * not. A channel refund is answered as DaxPay 2.0.8 does, `pay_refund` with `code` 0: the
 * merchant's code reads the status and goes on to refund sync. A busy order is refused in
 * the outer envelope (10007), as DaxPay does.
 */
export function toPaySyncData(outcome: PaySyncOutcome, settings: SignSettings, now = Date.now()): PaySyncData {
  if (outcome.kind === 'busy') throw new UnipayException(UnipayErrorCode.SYNC_IN_PROGRESS);
  const completed = outcome.kind === 'unchanged' || outcome.kind === 'repaired' || outcome.kind === 'refund';
  // Fields without a value are left out, as DaxPay leaves them out of the JSON.
  const data: PaySyncData = completed
    ? { status: outcome.status, code: 0, resTime: Math.floor(now / 1000) }
    : outcome.message
      ? { code: 1, msg: outcome.message, resTime: Math.floor(now / 1000) }
      : { code: 1, resTime: Math.floor(now / 1000) };
  if (settings.UNIPAY_SIGN_ENABLED) data.sign = sign({ ...data }, settings.UNIPAY_SIGN_SECRET, settings.UNIPAY_SIGN_TYPE);
  return data;
}
