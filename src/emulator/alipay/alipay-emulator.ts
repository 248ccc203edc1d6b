import { KeyObject, randomBytes, randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  alipayResponseKey,
  alipaySignContent,
  AlipayParams,
  verifyAlipayParams,
} from '../../channel/alipay/alipay-signature';
import { formatChinaCompact, formatChinaDateTime, parseChinaTime } from '../../channel/support/china-time';
import { loadPrivateKey, loadPublicKey, rsaSha256Sign } from '../../channel/support/rsa';
import { EmulatedTrade, EmulatorReply, EmulatorRequest, EmulatorServer } from '../emulator-server';

export const ALIPAY_TRADE_STATUSES = ['WAIT_BUYER_PAY', 'TRADE_SUCCESS', 'TRADE_FINISHED', 'TRADE_CLOSED'] as const;
export type AlipayTradeStatus = (typeof ALIPAY_TRADE_STATUSES)[number];

/**
 * How a trade (or a refund) misbehaves, for every call on it. `not_found` (ACQ.TRADE_NOT_EXIST),
 * `system_error` and `unavailable` are signed business answers; the others break the
 * transport or the signature.
 */
export const ALIPAY_EMULATOR_FAILURES = [
  'not_found',
  'system_error',
  'unavailable',
  'rate_limited',
  'server_error',
  'slow',
  'tampered_signature',
  'unsigned_error',
  'malformed',
] as const;
export type AlipayEmulatorFailure = (typeof ALIPAY_EMULATOR_FAILURES)[number];

/** How `alipay.trade.close` answers when the trade has no `failure`. */
export const ALIPAY_EMULATOR_CLOSE_ANSWERS = ['closed', 'not_exist', 'status_error', 'fail'] as const;
export type AlipayEmulatorCloseAnswer = (typeof ALIPAY_EMULATOR_CLOSE_ANSWERS)[number];

/** A trade as set through `PUT /__emulator/trades/:out_trade_no`; field names as Alipay's. */
export interface AlipayEmulatedTrade extends EmulatedTrade {
  /** Default WAIT_BUYER_PAY. */
  trade_status?: AlipayTradeStatus;
  /** Yuan, e.g. "19.99". Default "0.01". */
  total_amount?: string;
  /** Alipay's trade number; generated when absent. */
  trade_no?: string;
  /** Beijing time `yyyy-MM-dd HH:mm:ss`; set to now when a trade is paid without one. */
  send_pay_date?: string;
  failure?: AlipayEmulatorFailure;
  /** Answer after this many milliseconds (default 5000 with `failure: "slow"`). */
  delayMs?: number;
  /** Default `closed` (or ACQ.TRADE_STATUS_ERROR when the trade is no longer waiting). */
  close?: AlipayEmulatorCloseAnswer;
}

/**
 * How `alipay.trade.fastpay.refund.query` answers a refund without `failure`:
 * `success` (REFUND_SUCCESS, with `gmt_refund_pay` when asked for), `unconfirmed` (the
 * refund's data without `refund_status`), `not_received` (code 10000 and nothing else).
 */
export const ALIPAY_REFUND_STATES = ['success', 'unconfirmed', 'not_received'] as const;
export type AlipayRefundState = (typeof ALIPAY_REFUND_STATES)[number];

/** A refund as set through `PUT /__emulator/refunds/:out_request_no`; field names as Alipay's. */
export interface AlipayEmulatedRefund {
  /** The refunded trade; a query naming another trade does not find this refund. */
  out_trade_no: string;
  /** Default `success`. */
  state?: AlipayRefundState;
  /** Yuan, e.g. "4.00". Default "0.01". */
  refund_amount?: string;
  /** The trade's amount in yuan; default the trade's `total_amount`, else the refund amount. */
  total_amount?: string;
  /** Alipay's trade number; default the trade's, else generated. */
  trade_no?: string;
  /** Beijing time `yyyy-MM-dd HH:mm:ss`; set to now for a successful refund without one. */
  gmt_refund_pay?: string;
  refund_reason?: string;
  failure?: AlipayEmulatorFailure;
  /** Answer after this many milliseconds (default 5000 with `failure: "slow"`). */
  delayMs?: number;
}

/** The key material the emulator needs: its own (Alipay's) private key and the merchant's public key. */
export interface AlipayEmulatorKeys {
  alipayPrivateKey: string;
  merchantPublicKey: string;
}

/** The last protocol request, for tests and for a person debugging an integration. */
export interface AlipayEmulatorRequestLog {
  /** Query string and form parameters merged, decoded. */
  params: Record<string, string>;
  contentType: string | null;
  receivedAt: string;
}

type AlipayNode = Record<string, unknown>;

const LAST_REQUEST_PATH = '/__emulator/last-request';
const REFUNDS_PATH = '/__emulator/refunds';
const METHODS = { 'alipay.trade.query': 'query', 'alipay.trade.close': 'close', 'alipay.trade.fastpay.refund.query': 'refund_query' } as const;
const isMethod = (method: string | undefined): method is keyof typeof METHODS => method !== undefined && Object.hasOwn(METHODS, method);
const PAID: readonly string[] = ['TRADE_SUCCESS', 'TRADE_FINISHED'];
const DEFAULT_SLOW_MS = 5000;

function oneOf<T extends string>(values: readonly T[], value: unknown, field: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !values.includes(value as T)) throw new Error(`${field} must be one of ${values.join(', ')}`);
  return value as T;
}

function newTradeNo(): string {
  return `${formatChinaCompact(new Date()).slice(0, 8)}22001${String(randomInt(0, 1e12)).padStart(15, '0')}`;
}

function delayOf(entry: { failure?: AlipayEmulatorFailure; delayMs?: number } | undefined): number {
  return entry?.delayMs ?? (entry?.failure === 'slow' ? DEFAULT_SLOW_MS : 0);
}

function checkDelay(delayMs: unknown): void {
  if (delayMs !== undefined && (!Number.isSafeInteger(delayMs) || (delayMs as number) < 0)) {
    throw new Error('delayMs must be a whole number of milliseconds');
  }
}

function gatewayError(code: '20000' | '40001' | '40002' | '40004', subCode: string, subMsg: string): AlipayNode {
  const msg = {
    '20000': 'Service Currently Unavailable',
    '40001': 'Missing Required Arguments',
    '40002': 'Invalid Arguments',
    '40004': 'Business Failed',
  }[code];
  return { code, msg, sub_code: subCode, sub_msg: subMsg };
}

/**
 * An Alipay OpenAPI gateway (`gateway.do`, RSA2) on loopback, written from the public
 * protocol: it accepts the common parameters in the query string or the form (the official
 * SDK puts them in the URL), verifies each request's signature with the merchant's public
 * key, and answers `alipay.trade.query`, `alipay.trade.close` and
 * `alipay.trade.fastpay.refund.query` in Alipay's layout
 * `{"<method>_response":{...},"sign":"..."}`, signed with its own Alipay private key.
 * `GET /__emulator/last-request` shows the parameters of the last request; refunds are set
 * and read through `/__emulator/refunds/:out_request_no` as trades are through `/__emulator/trades/`.
 */
export class AlipayEmulator extends EmulatorServer {
  private readonly alipayPrivateKey: KeyObject;
  private readonly merchantPublicKey: KeyObject;
  private readonly refunds = new Map<string, AlipayEmulatedRefund>();
  private last?: AlipayEmulatorRequestLog;

  constructor(
    keys: AlipayEmulatorKeys,
    readonly appId: string,
  ) {
    super();
    this.alipayPrivateKey = loadPrivateKey(keys.alipayPrivateKey);
    this.merchantPublicKey = loadPublicKey(keys.merchantPublicKey);
  }

  /** Checks the fields, so that a typo in a test or an admin call fails loudly. */
  override setTrade(outTradeNo: string, trade: EmulatedTrade): void {
    const status = oneOf(ALIPAY_TRADE_STATUSES, trade.trade_status, 'trade_status') ?? 'WAIT_BUYER_PAY';
    oneOf(ALIPAY_EMULATOR_FAILURES, trade.failure, 'failure');
    oneOf(ALIPAY_EMULATOR_CLOSE_ANSWERS, trade.close, 'close');
    for (const field of ['total_amount', 'trade_no', 'send_pay_date']) {
      if (trade[field] !== undefined && typeof trade[field] !== 'string') throw new Error(`${field} must be a string`);
    }
    checkDelay(trade.delayMs);
    const paid = PAID.includes(status);
    super.setTrade(outTradeNo, {
      ...trade,
      trade_status: status,
      total_amount: trade.total_amount ?? '0.01',
      trade_no: trade.trade_no ?? newTradeNo(),
      send_pay_date: trade.send_pay_date ?? (paid ? formatChinaDateTime(new Date()) : undefined),
    });
  }

  trade(outTradeNo: string): AlipayEmulatedTrade | undefined {
    return this.trades.get(outTradeNo) as AlipayEmulatedTrade | undefined;
  }

  /**
   * Sets what Alipay holds for a refund request number (`out_request_no`), checking the
   * fields so that a typo fails loudly. The trade it refunds need not be set.
   */
  setRefund(outRequestNo: string, refund: AlipayEmulatedRefund): void {
    if (!outRequestNo) throw new Error('out_request_no must not be empty');
    if (typeof refund?.out_trade_no !== 'string' || refund.out_trade_no === '') throw new Error('out_trade_no must be a non-empty string');
    const state = oneOf(ALIPAY_REFUND_STATES, refund.state, 'state') ?? 'success';
    oneOf(ALIPAY_EMULATOR_FAILURES, refund.failure, 'failure');
    for (const field of ['refund_amount', 'total_amount', 'trade_no', 'gmt_refund_pay', 'refund_reason'] as const) {
      if (refund[field] !== undefined && typeof refund[field] !== 'string') throw new Error(`${field} must be a string`);
    }
    checkDelay(refund.delayMs);
    const trade = this.trade(refund.out_trade_no);
    const refundAmount = refund.refund_amount ?? '0.01';
    this.refunds.set(outRequestNo, {
      ...refund,
      state,
      refund_amount: refundAmount,
      total_amount: refund.total_amount ?? trade?.total_amount ?? refundAmount,
      trade_no: refund.trade_no ?? trade?.trade_no ?? newTradeNo(),
      gmt_refund_pay: refund.gmt_refund_pay ?? (state === 'success' ? formatChinaDateTime(new Date()) : undefined),
    });
  }

  refund(outRequestNo: string): AlipayEmulatedRefund | undefined {
    return this.refunds.get(outRequestNo);
  }

  lastRequest(): AlipayEmulatorRequestLog | undefined {
    return this.last;
  }

  protected async handle(request: EmulatorRequest): Promise<EmulatorReply> {
    const url = new URL(request.url, 'http://emulator.invalid');
    if (request.method === 'GET' && url.pathname === LAST_REQUEST_PATH) return this.json(JSON.stringify(this.last ?? null));
    if (url.pathname === REFUNDS_PATH || url.pathname.startsWith(`${REFUNDS_PATH}/`)) return this.refundAdmin(request.method, url.pathname, request.body);
    if (request.method !== 'POST') return { status: 405, headers: { 'content-type': 'text/plain' }, body: 'POST only' };

    const params: Record<string, string> = Object.fromEntries(url.searchParams);
    for (const [key, value] of new URLSearchParams(request.body)) params[key] = value;
    const contentType = request.headers['content-type'] ?? null;
    this.last = { params, contentType, receivedAt: new Date().toISOString() };

    const method = params.method;
    const refused = this.refusal(params);
    if (refused) return this.signed(method || undefined, refused);
    const operation = METHODS[method as keyof typeof METHODS];

    let biz: Record<string, unknown>;
    try {
      biz = JSON.parse(params.biz_content ?? '') as Record<string, unknown>;
    } catch {
      return this.signed(method, gatewayError('40004', 'ACQ.INVALID_PARAMETER', '参数无效: biz_content'));
    }
    const outTradeNo = typeof biz?.out_trade_no === 'string' ? biz.out_trade_no : this.findByTradeNo(biz?.trade_no);
    if (!outTradeNo) return this.signed(method, gatewayError('40004', 'ACQ.INVALID_PARAMETER', '参数无效: out_trade_no'));

    if (operation === 'refund_query') return this.refundQuery(method, outTradeNo, biz);

    this.count(outTradeNo, operation);
    const trade = this.trade(outTradeNo);
    const delay = delayOf(trade);
    if (delay > 0) await sleep(delay);
    const node = operation === 'query' ? this.queryNode(outTradeNo, trade) : this.closeNode(outTradeNo, trade);
    return this.deliver(method, node, trade?.failure);
  }

  /**
   * `PUT /__emulator/refunds/:out_request_no` sets a refund, `GET` shows it with its call
   * counts (`{"refund_query":1}`), `DELETE /__emulator/refunds` forgets every refund.
   */
  private refundAdmin(method: string, path: string, body: string): EmulatorReply {
    const id = decodeURIComponent(path.slice(REFUNDS_PATH.length + 1));
    const reply = (status: number, value: unknown): EmulatorReply => ({ status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) });
    if (method === 'DELETE' && !id) {
      for (const refundNo of this.refunds.keys()) this.calls.delete(refundNo);
      this.refunds.clear();
      return { status: 204, body: '' };
    }
    if (method === 'PUT' && id) {
      this.setRefund(id, JSON.parse(body) as AlipayEmulatedRefund);
      return reply(200, { id, refund: this.refund(id) });
    }
    if (method === 'GET' && id) return reply(200, { id, refund: this.refund(id) ?? null, calls: this.callsOf(id) });
    return reply(404, { error: 'unknown emulator admin call' });
  }

  /** Counted under the refund request number, as trades' calls are under the order number. */
  private async refundQuery(method: string, outTradeNo: string, biz: Record<string, unknown>): Promise<EmulatorReply> {
    const outRequestNo = typeof biz.out_request_no === 'string' ? biz.out_request_no : '';
    if (!outRequestNo) return this.signed(method, gatewayError('40004', 'ACQ.INVALID_PARAMETER', '参数无效: out_request_no'));
    this.count(outRequestNo, 'refund_query');
    // A refund set on another trade is not this one: Alipay looks refunds up within the trade.
    const found = this.refund(outRequestNo);
    const refund = found?.out_trade_no === outTradeNo ? found : undefined;
    const delay = delayOf(refund);
    if (delay > 0) await sleep(delay);
    const options = Array.isArray(biz.query_options) ? biz.query_options : [];
    const node = this.refundQueryNode(outTradeNo, outRequestNo, refund, options);
    return this.deliver(method, node, refund?.failure, (answer) => ({ ...answer, refund_status: 'REFUND_SUCCESS', refund_amount: '0.01' }));
  }

  /** The gateway's own checks, in the order Alipay reports them; undefined when the request passes. */
  private refusal(params: AlipayParams): AlipayNode | undefined {
    const required: [string, string, string][] = [
      ['method', 'isv.missing-method', '缺少方法名参数'],
      ['app_id', 'isv.missing-app-id', '缺少appId参数'],
      ['sign', 'isv.missing-signature', '缺少签名参数'],
      ['sign_type', 'isv.missing-signature-type', '缺少签名类型参数'],
      ['timestamp', 'isv.missing-timestamp', '缺少时间戳参数'],
      ['version', 'isv.missing-version', '缺少版本参数'],
    ];
    for (const [name, subCode, subMsg] of required) {
      if (!params[name]) return gatewayError('40001', subCode, subMsg);
    }
    if (!isMethod(params.method)) return gatewayError('40002', 'isv.invalid-method', '不存在的方法名');
    if (params.app_id !== this.appId) return gatewayError('40002', 'isv.invalid-app-id', '无效的AppID参数');
    if (params.sign_type !== 'RSA2') return gatewayError('40002', 'isv.invalid-signature-type', '无效的签名类型');
    if (params.charset && params.charset.toLowerCase() !== 'utf-8') return gatewayError('40002', 'isv.invalid-charset', '字符集错误');
    if (params.format && params.format.toUpperCase() !== 'JSON') return gatewayError('40002', 'isv.invalid-format', '无效的数据格式');
    // Only the format is checked: the official SDK stamps the process's local time.
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(params.timestamp!) || !parseChinaTime(params.timestamp)) {
      return gatewayError('40002', 'isv.invalid-timestamp', '非法的时间戳参数');
    }
    if (!verifyAlipayParams(params, this.merchantPublicKey)) {
      return gatewayError(
        '40002',
        'isv.invalid-signature',
        `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${alipaySignContent(params)}`,
      );
    }
    return undefined;
  }

  private findByTradeNo(tradeNo: unknown): string | undefined {
    if (typeof tradeNo !== 'string') return undefined;
    for (const [id, trade] of this.trades) if (trade.trade_no === tradeNo) return id;
    return undefined;
  }

  private notExist(outTradeNo: string): AlipayNode {
    return { ...gatewayError('40004', 'ACQ.TRADE_NOT_EXIST', '交易不存在'), out_trade_no: outTradeNo };
  }

  /** The business failures a trade can be set to, shared by query and close; undefined when none. */
  private businessFailure(outTradeNo: string, trade: AlipayEmulatedTrade | undefined): AlipayNode | undefined {
    return trade ? this.failureNode(outTradeNo, trade.failure) : this.notExist(outTradeNo);
  }

  /** The signed business answer a failure stands for (`unsigned_error` is one that loses its signature). */
  private failureNode(outTradeNo: string, failure: AlipayEmulatorFailure | undefined): AlipayNode | undefined {
    if (failure === 'not_found' || failure === 'unsigned_error') return this.notExist(outTradeNo);
    if (failure === 'system_error') return gatewayError('40004', 'ACQ.SYSTEM_ERROR', '系统错误');
    if (failure === 'unavailable') return gatewayError('20000', 'isp.unknow-error', '服务暂不可用（业务系统不可用）');
    return undefined;
  }

  private queryNode(outTradeNo: string, trade: AlipayEmulatedTrade | undefined): AlipayNode {
    const failed = this.businessFailure(outTradeNo, trade);
    if (failed || !trade) return failed ?? this.notExist(outTradeNo);
    const total = trade.total_amount!;
    const paid = PAID.includes(trade.trade_status!) || (trade.trade_status === 'TRADE_CLOSED' && !!trade.send_pay_date);
    return {
      code: '10000',
      msg: 'Success',
      buyer_logon_id: '159****5620',
      buyer_pay_amount: paid ? total : '0.00',
      buyer_user_id: '2088102177846880',
      fund_bill_list: paid ? [{ amount: total, fund_channel: 'ALIPAYACCOUNT' }] : undefined,
      invoice_amount: paid ? total : '0.00',
      out_trade_no: outTradeNo,
      point_amount: '0.00',
      receipt_amount: paid ? total : '0.00',
      send_pay_date: trade.send_pay_date,
      total_amount: total,
      trade_no: trade.trade_no,
      trade_status: trade.trade_status,
    };
  }

  /**
   * A refund Alipay holds answers by its state. One it does not hold answers code 10000 and
   * nothing else when the trade is known here, and ACQ.TRADE_NOT_EXIST when it is not.
   */
  private refundQueryNode(outTradeNo: string, outRequestNo: string, held: AlipayEmulatedRefund | undefined, options: unknown[]): AlipayNode {
    const failed = this.failureNode(outTradeNo, held?.failure);
    if (failed) return failed;
    const notReceived: AlipayNode = { code: '10000', msg: 'Success' };
    if (!held) return this.trade(outTradeNo) ? notReceived : this.notExist(outTradeNo);
    if (held.state === 'not_received') return notReceived;
    const data: AlipayNode = {
      code: '10000',
      msg: 'Success',
      out_request_no: outRequestNo,
      out_trade_no: outTradeNo,
      refund_amount: held.refund_amount,
      refund_reason: held.refund_reason,
      total_amount: held.total_amount,
      trade_no: held.trade_no,
    };
    if (held.state === 'unconfirmed') return data;
    return { ...data, refund_status: 'REFUND_SUCCESS', gmt_refund_pay: options.includes('gmt_refund_pay') ? held.gmt_refund_pay : undefined };
  }

  private closeNode(outTradeNo: string, trade: AlipayEmulatedTrade | undefined): AlipayNode {
    const failed = this.businessFailure(outTradeNo, trade);
    if (failed || !trade) return failed ?? this.notExist(outTradeNo);
    const statusError = gatewayError('40004', 'ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    switch (trade.close ?? 'closed') {
      case 'not_exist':
        return this.notExist(outTradeNo);
      case 'fail':
        return gatewayError('40004', 'ACQ.SYSTEM_ERROR', '系统错误');
      case 'status_error':
        // The buyer paid just before the close arrived.
        this.trades.set(outTradeNo, {
          ...trade,
          trade_status: 'TRADE_SUCCESS',
          send_pay_date: trade.send_pay_date ?? formatChinaDateTime(new Date()),
        });
        return statusError;
      case 'closed':
        if (trade.trade_status !== 'WAIT_BUYER_PAY') return statusError;
        this.trades.set(outTradeNo, { ...trade, trade_status: 'TRADE_CLOSED' });
        return { code: '10000', msg: 'Success', out_trade_no: outTradeNo, trade_no: trade.trade_no };
    }
  }

  /**
   * Writes the answer as Alipay does, or breaks it the way the failure says. `tamper` is
   * what someone on the way changes in the node (by default, a trade made to look paid).
   */
  private deliver(
    method: string,
    node: AlipayNode,
    failure: AlipayEmulatorFailure | undefined,
    tamper: (node: AlipayNode) => AlipayNode = (answer) => ({ ...answer, total_amount: '0.01', trade_status: 'TRADE_SUCCESS' }),
  ): EmulatorReply {
    switch (failure) {
      case 'rate_limited':
        return { status: 429, headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' }, body: 'Too Many Requests' };
      case 'server_error':
        return {
          status: 502,
          headers: { 'content-type': 'text/html; charset=utf-8' },
          body: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
        };
      case 'unsigned_error':
        return this.json(`{${JSON.stringify(alipayResponseKey(method))}:${JSON.stringify(node)}}`);
      case 'tampered_signature': {
        // Signed as Alipay wrote it, then altered on the way: the signature no longer matches.
        const altered = tamper(node);
        return this.json(`{${JSON.stringify(alipayResponseKey(method))}:${JSON.stringify(altered)},"sign":"${this.sign(node)}"}`);
      }
      case 'malformed': {
        const body = this.signed(method, node).body;
        return this.json(body.slice(0, Math.floor(body.length / 2)));
      }
      default:
        return this.signed(method, node);
    }
  }

  /**
   * Alipay's layout: the node named after the method (`error_response` when the request
   * named none), then the RSA2 signature over the node's exact text.
   */
  private signed(method: string | undefined, node: AlipayNode): EmulatorReply {
    const key = method ? alipayResponseKey(method) : 'error_response';
    return this.json(`{${JSON.stringify(key)}:${JSON.stringify(node)},"sign":"${this.sign(node)}"}`);
  }

  private sign(node: AlipayNode): string {
    return rsaSha256Sign(JSON.stringify(node), this.alipayPrivateKey);
  }

  private json(body: string): EmulatorReply {
    return {
      status: 200,
      headers: { 'content-type': 'application/json;charset=utf-8', trace_id: randomBytes(16).toString('hex') },
      body,
    };
  }
}

export interface StartAlipayEmulatorOptions {
  keys: AlipayEmulatorKeys;
  appId: string;
  port?: number;
  host?: string;
}

/** Starts an emulator; `url` is its base address (the gateway is `url + '/gateway.do'`, any path works). */
export async function startAlipayEmulator(options: StartAlipayEmulatorOptions): Promise<{ emulator: AlipayEmulator; url: string }> {
  const emulator = new AlipayEmulator(options.keys, options.appId);
  const url = await emulator.start(options.port ?? 0, options.host ?? '127.0.0.1');
  return { emulator, url };
}
