import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { NONCE_REPLAYED } from './api-request-verifier.service';
import { NonceInUse, PaySyncRecordRepository } from './pay-sync-record.repository';
import { SyncSettings } from './sync.settings';

/**
 * Writes a record that keeps the request's nonce (pay and refund sync alike). A nonce
 * another record keeps is a replay (10006), unless that request could no longer pass the
 * time window: then the old record lets go of it and the write is tried once more.
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
