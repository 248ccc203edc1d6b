import { KeyObject, randomBytes, randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadPrivateKey, loadPublicKey, rsaSha256Sign, rsaSha256Verify } from '../../channel/support/rsa';
import { formatChinaDateTime } from '../../channel/support/china-time';
import { EmulatorReply, EmulatorRequest, EmulatorServer } from '../emulator-server';
import { isWechatEmulatedRefund, refundBody, WechatEmulatedRefund } from './wechat-pay-emulated-refund';
import { isPaidState, transactionBody, WechatEmulatedTrade, WechatPayEmulatorFailure } from './wechat-pay-emulated-trade';
import { WechatPayEmulatorIdentity } from './wechat-pay-emulator-keys';

const TRADE_PATH = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close)?$/;
const REFUND_PATH = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/;
/** The refunds' admin API; the trades' is the shared one of EmulatorServer. */
const REFUND_ADMIN = /^\/__emulator\/refunds(?:\/([^/]+))?$/;
const AUTH_SCHEMA = 'WECHATPAY2-SHA256-RSA2048';
const AUTH_FIELDS = ['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'] as const;
const REQUEST_MAX_AGE_SECONDS = 300;
const STALE_SECONDS = 600;

/** An answer before it is signed and put on the wire. */
interface Answer {
  status: number;
  body: string;
}

function errorAnswer(status: number, code: string, message: string): Answer {
  return { status, body: JSON.stringify({ code, message }) };
}

const TRADE_NOT_FOUND = errorAnswer(404, 'ORDER_NOT_EXIST', '订单不存在');
const REFUND_NOT_FOUND = errorAnswer(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');

/** Failures that replace the answer; the others change how a normal answer is delivered. */
const REPLACING: Partial<Record<WechatPayEmulatorFailure, Answer>> = {
  rate_limited: errorAnswer(429, 'FREQUENCY_LIMITED', '频率超限'),
  server_error: errorAnswer(500, 'SYSTEM_ERROR', '系统错误'),
  unauthorized: errorAnswer(401, 'SIGN_ERROR', '错误的签名，验签失败'),
  forbidden: errorAnswer(403, 'NO_AUTH', '商户无权限'),
};

/** The answer a failure puts in place of the real one; "not found" is the resource's own. */
function replacementOf(failure: WechatPayEmulatorFailure | undefined, notFound: Answer): Answer | undefined {
  if (failure === 'not_found' || failure === 'unsigned_error') return notFound;
  return failure ? REPLACING[failure] : undefined;
}

type Operation = 'query' | 'close' | 'refund_query';

/** Which protocol call a request is, and about which out_trade_no or out_refund_no. */
function routeOf(method: string, pathname: string): { operation: Operation; id: string } | undefined {
  const trade = TRADE_PATH.exec(pathname);
  if (trade) {
    const operation = trade[2] ? 'close' : 'query';
    return method === (operation === 'close' ? 'POST' : 'GET') ? { operation, id: decodeURIComponent(trade[1]) } : undefined;
  }
  const refund = REFUND_PATH.exec(pathname);
  return refund && method === 'GET' ? { operation: 'refund_query', id: decodeURIComponent(refund[1]) } : undefined;
}

function digits(count: number): string {
  return Array.from({ length: count }, () => randomInt(0, 10)).join('');
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function rfc3339China(date: Date): string {
  return `${formatChinaDateTime(date).replace(' ', 'T')}+08:00`;
}

/**
 * WeChat Pay APIv3 "query by out_trade_no", "close" and "query a refund by out_refund_no"
 * for local tests and the quick start, written from the public protocol: it checks the
 * merchant's `Authorization` signature, and signs every answer with its own WeChat Pay key
 * (public-key mode) so that a client must verify it as it would against api.mch.weixin.qq.com.
 */
export class WechatPayEmulator extends EmulatorServer {
  private readonly merchantPublicKey: KeyObject;
  private readonly platformPrivateKey: KeyObject;
  private readonly refunds = new Map<string, WechatEmulatedRefund>();
  private last?: EmulatorRequest;

  constructor(readonly identity: WechatPayEmulatorIdentity) {
    super();
    this.merchantPublicKey = loadPublicKey(identity.merchantPublicKeyPem);
    this.platformPrivateKey = loadPrivateKey(identity.platformPrivateKeyPem);
  }

  /** The last protocol request received (admin calls excluded), as it arrived. */
  get lastRequest(): EmulatorRequest | undefined {
    return this.last;
  }

  override setTrade(outTradeNo: string, trade: WechatEmulatedTrade): void {
    super.setTrade(outTradeNo, { ...trade });
  }

  /** The trade as it is now (a close may have changed it). */
  tradeOf(outTradeNo: string): WechatEmulatedTrade | undefined {
    const trade = this.trades.get(outTradeNo);
    return trade ? { ...(trade as WechatEmulatedTrade) } : undefined;
  }

  /** Sets what the emulator answers about a refund from now on (ids and times it made up are forgotten). */
  setRefund(outRefundNo: string, refund: WechatEmulatedRefund): void {
    this.refunds.set(outRefundNo, { ...refund });
  }

  /** The refund as it is now, with the ids and times made up for its answers. */
  refundOf(outRefundNo: string): WechatEmulatedRefund | undefined {
    const refund = this.refunds.get(outRefundNo);
    return refund ? { ...refund } : undefined;
  }

  protected async handle(request: EmulatorRequest): Promise<EmulatorReply> {
    const url = new URL(request.url, 'http://emulator.invalid');
    const admin = REFUND_ADMIN.exec(url.pathname);
    if (admin) return this.refundAdmin(request, admin[1] === undefined ? undefined : decodeURIComponent(admin[1]));

    this.last = { ...request, headers: { ...request.headers } };
    const route = routeOf(request.method, url.pathname);
    if (!route) return this.deliver(errorAnswer(404, 'NOT_FOUND', '请求的资源不存在'));
    this.count(route.id, route.operation);

    const refusal = this.authorizationProblem(request);
    if (refusal) return this.deliver(errorAnswer(401, 'SIGN_ERROR', refusal));
    if (route.operation === 'refund_query') return this.refundQuery(route.id);

    const mchid = route.operation === 'query' ? url.searchParams.get('mchid') : this.bodyMchid(request.body);
    if (mchid !== this.identity.mchId) return this.deliver(errorAnswer(400, 'PARAM_ERROR', 'mchid 与请求的商户号不一致'));
    const outTradeNo = route.id;
    const trade = this.tradeOf(outTradeNo);
    const failure = (route.operation === 'close' ? trade?.closeFailure : undefined) ?? trade?.failure;
    if (failure === 'slow') await sleep(trade?.delayMs ?? 3000, undefined, { ref: false });
    const replaced = replacementOf(failure, TRADE_NOT_FOUND);
    if (replaced) return this.deliver(replaced, failure);
    if (!trade) return this.deliver(TRADE_NOT_FOUND, failure);
    const answer = route.operation === 'query' ? this.query(outTradeNo, trade) : this.close(outTradeNo, trade);
    return this.deliver(answer, failure);
  }

  /**
   * A direct merchant's refund query: the path names the refund, and the merchant is the
   * one whose signature the `Authorization` carries (there is no mchid in the query).
   */
  private async refundQuery(outRefundNo: string): Promise<EmulatorReply> {
    const refund = this.refundOf(outRefundNo);
    const failure = refund?.failure;
    if (failure === 'slow') await sleep(refund?.delayMs ?? 3000, undefined, { ref: false });
    const replaced = replacementOf(failure, REFUND_NOT_FOUND);
    if (replaced) return this.deliver(replaced, failure);
    if (!refund) return this.deliver(REFUND_NOT_FOUND, failure);
    return this.deliver({ status: 200, body: JSON.stringify(refundBody(this.settledRefund(outRefundNo, refund), outRefundNo)) }, failure);
  }

  /** A refund keeps the same refund id, trade id and times on every answer. */
  private settledRefund(outRefundNo: string, refund: WechatEmulatedRefund): WechatEmulatedRefund {
    const now = rfc3339China(new Date());
    const settled: WechatEmulatedRefund = {
      ...refund,
      refund_id: refund.refund_id ?? `50${digits(27)}`,
      transaction_id: refund.transaction_id ?? this.tradeOf(refund.out_trade_no)?.transaction_id ?? `4200${digits(24)}`,
      create_time: refund.create_time ?? now,
      ...((refund.status ?? 'PROCESSING') === 'SUCCESS' ? { success_time: refund.success_time ?? now } : {}),
    };
    this.refunds.set(outRefundNo, settled);
    return settled;
  }

  /** `PUT`/`GET /__emulator/refunds/:out_refund_no`, `DELETE /__emulator/refunds` (all of them). */
  private refundAdmin(request: EmulatorRequest, id: string | undefined): EmulatorReply {
    if (request.method === 'DELETE' && id === undefined) {
      for (const outRefundNo of this.refunds.keys()) this.calls.delete(outRefundNo);
      this.refunds.clear();
      return { status: 204, body: '' };
    }
    if (request.method === 'PUT' && id !== undefined) {
      let refund: unknown;
      try {
        refund = JSON.parse(request.body);
      } catch {
        refund = undefined;
      }
      if (!isWechatEmulatedRefund(refund)) return { status: 400, body: '{"error":"a refund is a JSON object naming its trade in out_trade_no"}' };
      this.setRefund(id, refund);
      return { status: 200, body: JSON.stringify({ id, refund: this.refundOf(id) }) };
    }
    if (request.method === 'GET' && id !== undefined) {
      return { status: 200, body: JSON.stringify({ id, refund: this.refundOf(id) ?? null, calls: this.callsOf(id) }) };
    }
    return { status: 404, body: '{"error":"unknown emulator admin call"}' };
  }

  private query(outTradeNo: string, trade: WechatEmulatedTrade): Answer {
    const shown = isPaidState(trade.trade_state) ? this.paid(outTradeNo, trade) : trade;
    return { status: 200, body: JSON.stringify(transactionBody(shown, { appId: this.identity.appId, mchId: this.identity.mchId, outTradeNo })) };
  }

  private close(outTradeNo: string, trade: WechatEmulatedTrade): Answer {
    const close = trade.close ?? (isPaidState(trade.trade_state) ? 'paid' : 'closed');
    if (close === 'fail') return errorAnswer(500, 'SYSTEM_ERROR', '系统错误');
    if (close === 'paid' || close === 'paid_order_paid') {
      this.paid(outTradeNo, { ...trade, trade_state: isPaidState(trade.trade_state) ? trade.trade_state : 'SUCCESS' });
      return close === 'paid' ? errorAnswer(400, 'ORDERPAID', '订单已支付') : errorAnswer(400, 'ORDER_PAID', 'The order has been paid');
    }
    this.setTrade(outTradeNo, { ...trade, trade_state: 'CLOSED' });
    return { status: 204, body: '' };
  }

  /** A paid trade keeps the same transaction id and time on every answer. */
  private paid(outTradeNo: string, trade: WechatEmulatedTrade): WechatEmulatedTrade {
    const settled: WechatEmulatedTrade = {
      ...trade,
      transaction_id: trade.transaction_id ?? `4200${digits(24)}`,
      success_time: trade.success_time ?? rfc3339China(new Date()),
    };
    this.setTrade(outTradeNo, settled);
    return settled;
  }

  private bodyMchid(body: string): unknown {
    try {
      return (JSON.parse(body) as { mchid?: unknown }).mchid;
    } catch {
      return undefined;
    }
  }

  /** Why the request's `Authorization` is refused, or undefined when it is the merchant's. */
  private authorizationProblem(request: EmulatorRequest): string | undefined {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || !header.startsWith(`${AUTH_SCHEMA} `)) return `Authorization 缺失或认证类型不是 ${AUTH_SCHEMA}`;
    const fields = new Map<string, string>();
    for (const [, name, value] of header.slice(AUTH_SCHEMA.length + 1).matchAll(/\s*(\w+)="([^"]*)"\s*(?:,|$)/g)) fields.set(name, value);
    const missing = AUTH_FIELDS.filter((name) => !fields.get(name));
    if (missing.length > 0) return `Authorization 缺少 ${missing.join(', ')}`;
    if (fields.get('mchid') !== this.identity.mchId) return 'Authorization 中的商户号不存在';
    if (fields.get('serial_no') !== this.identity.merchantSerialNo) return '商户证书序列号有误，请使用签名私钥匹配的证书序列号';
    const timestamp = fields.get('timestamp')!;
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds() - Number(timestamp)) > REQUEST_MAX_AGE_SECONDS) {
      return '请求时间戳与微信支付服务器时间相差过大';
    }
    const message = [request.method, request.url, timestamp, fields.get('nonce_str'), request.body, ''].join('\n');
    if (!rsaSha256Verify(message, fields.get('signature')!, this.merchantPublicKey)) return '错误的签名，验签失败';
    return undefined;
  }

  /** Signs the answer as WeChat Pay does, or fails to on purpose. */
  private deliver(answer: Answer, failure?: WechatPayEmulatorFailure): EmulatorReply {
    const body = failure === 'malformed' ? answer.body.slice(0, Math.ceil(answer.body.length / 2)) : answer.body;
    const headers: Record<string, string> = { 'request-id': randomBytes(16).toString('hex') };
    if (answer.status !== 204) headers['content-type'] = 'application/json; charset=utf-8';
    if (failure === 'unsigned_error') return { status: answer.status, headers, body };

    const timestamp = String(nowSeconds() - (failure === 'stale_timestamp' ? STALE_SECONDS : 0));
    const nonce = randomBytes(16).toString('hex').toUpperCase();
    const signature = Buffer.from(rsaSha256Sign(`${timestamp}\n${nonce}\n${body}\n`, this.platformPrivateKey), 'base64');
    if (failure === 'tampered_signature') signature[signature.length >> 1] ^= 0x01;
    const serial = failure === 'wrong_serial' ? `PUB_KEY_ID_01${'9'.repeat(34)}` : this.identity.publicKeyId;
    return {
      status: answer.status,
      headers: {
        ...headers,
        'wechatpay-nonce': nonce,
        'wechatpay-serial': serial,
        'wechatpay-signature': `${failure === 'signtest_probe' ? 'WECHATPAY/SIGNTEST/' : ''}${signature.toString('base64')}`,
        'wechatpay-signature-type': AUTH_SCHEMA,
        'wechatpay-timestamp': timestamp,
      },
      body,
    };
  }
}
