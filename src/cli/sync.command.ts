import { randomBytes } from 'node:crypto';
import { isJsonObject } from '../common/json-object';
import { sign, verifySign } from '../sign/daxpay-sign';
import { SignType } from '../sign/sign-type';
import { CliError } from './cli.error';
import { CliEnv, CliIo } from './cli-io';
import { SYNC_USAGE } from './cli-usage';
import { ExitCode } from './exit-code';
import { ParsedFlags } from './parse-flags';
import { parseBaseUrl, PaySyncClient, REFUND_SYNC_PATH } from './pay-sync.client';
import { resolveSecret, resolveSignType } from './sign-options';

export const DEFAULT_URL = 'http://127.0.0.1:9999';

const FLAGS = {
  url: { type: 'string' },
  'order-no': { type: 'string' },
  'biz-order-no': { type: 'string' },
  'refund-no': { type: 'string' },
  'biz-refund-no': { type: 'string' },
  'client-ip': { type: 'string' },
  secret: { type: 'string' },
  'sign-type': { type: 'string' },
} as const;

interface Envelope {
  code: number;
  msg?: unknown;
  data?: unknown;
}

function isEnvelope(value: unknown): value is Envelope {
  return isJsonObject(value) && typeof value.code === 'number';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

/**
 * `unipay sync`: a signed `POST /unipay/sync/pay` (or, given refund numbers,
 * `POST /unipay/sync/refund`), exactly as a merchant's DaxPay SDK sends it, then the answer
 * and whether its signature verifies with the same secret.
 */
export class SyncCommand {
  static readonly usage = SYNC_USAGE;
  static readonly flags = FLAGS;

  constructor(
    private readonly io: CliIo,
    private readonly env: CliEnv,
  ) {}

  async run(flags: ParsedFlags<typeof FLAGS>): Promise<ExitCode> {
    const orderNo = nonEmpty(flags['order-no']);
    const bizOrderNo = nonEmpty(flags['biz-order-no']);
    const refundNo = nonEmpty(flags['refund-no']);
    const bizRefundNo = nonEmpty(flags['biz-refund-no']);
    const refund = refundNo !== undefined || bizRefundNo !== undefined;
    if (refund && (orderNo || bizOrderNo)) throw CliError.usage('give order numbers (pay sync) or refund numbers (refund sync), not both');
    if (!refund && !orderNo && !bizOrderNo) throw CliError.usage('give --order-no or --biz-order-no, or --refund-no or --biz-refund-no');
    const base = parseBaseUrl(flags.url ?? nonEmpty(this.env.UNIPAY_URL) ?? DEFAULT_URL);
    const client = refund ? new PaySyncClient(base, REFUND_SYNC_PATH) : new PaySyncClient(base);
    const secret = resolveSecret(flags.secret, this.env);
    const signType = resolveSignType(flags['sign-type'], this.env);

    const body: Record<string, unknown> = {
      ...(refund ? { refundNo, bizRefundNo } : { orderNo, bizOrderNo }),
      clientIp: flags['client-ip'],
      nonceStr: randomBytes(8).toString('hex'),
      reqTime: Math.floor(Date.now() / 1000),
    };
    body.sign = sign(body, secret, signType);
    const answer = await client.post(body);
    return this.report(answer.status, answer.text, client.endpoint, secret, signType);
  }

  private report(status: number, text: string, endpoint: string, secret: string, signType: SignType): ExitCode {
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      throw CliError.failure(`${endpoint} answered HTTP ${status} with a body that is not JSON (${text.length} characters)`);
    }
    this.io.out(JSON.stringify(envelope, null, 2));
    // The DaxPay SDK treats any status but 200 as a transport failure; so do we.
    if (status !== 200) throw CliError.failure(`${endpoint} answered HTTP ${status}`);
    if (!isEnvelope(envelope)) throw CliError.failure('the answer is not a DaxPay envelope (no numeric code)');
    if (envelope.code !== 0) {
      throw CliError.failure(`the server refused the request: code ${envelope.code}, ${String(envelope.msg ?? '')}`);
    }
    if (isJsonObject(envelope.data) && verifySign(envelope.data, secret, signType)) {
      this.io.out('signature: verified');
      return ExitCode.OK;
    }
    this.io.out('signature: NOT verified');
    return ExitCode.FAILURE;
  }
}
