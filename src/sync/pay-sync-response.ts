import { sign } from '../sign/daxpay-sign';
import { PaySyncOutcome } from './pay-sync.service';
import { SyncModuleOptions } from './sync-options';

/** `data` of a sync answer: exactly the fields the DaxPay SDK knows, then `sign`. */
export interface PaySyncData {
  status?: string;
  code: number;
  msg?: string;
  resTime: number;
  sign?: string;
}

/**
 * Builds the signed `data`. A failed sync carries `code` 1 and `msg` but no status; `msg`
 * is left out when empty, as DaxPay does.
 */
export function toPaySyncData(outcome: PaySyncOutcome, options: SyncModuleOptions, now = Date.now()): PaySyncData {
  const data: PaySyncData = { code: outcome.code, resTime: Math.floor(now / 1000) };
  if (outcome.code === 0 && outcome.status) data.status = outcome.status;
  if (outcome.msg) data.msg = outcome.msg;
  const ordered: PaySyncData = { status: data.status, code: data.code, msg: data.msg, resTime: data.resTime };
  if (options.sign.enabled) ordered.sign = sign({ ...ordered }, options.sign.secret, options.sign.type);
  return JSON.parse(JSON.stringify(ordered)) as PaySyncData;
}
