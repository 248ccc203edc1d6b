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
 * How a trade misbehaves, for every call on it. `not_found`, `system_error` and
 * `unavailable` are signed business answers; the others break the transport or the signature.
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
const METHODS = { 'alipay.trade.query': 'query', 'alipay.trade.close': 'close' } as const;
const isMethod = (method: string | undefined): method is keyof typeof METHODS => method !== undefined && Object.hasOwn(METHODS, method);
const PAID: readonly string[] = ['TRADE_SUCCESS', 'TRADE_FINISHED'];
const DEFAULT_SLOW_MS = 5000;

function oneOf<T extends string>(values: readonly T[], value: unknown, field: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !values.includes(value as T)) throw new Error(`${field} must be one of ${values.join(', ')}`);
  return value as T;
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
 * key, and answers `alipay.trade.query` / `alipay.trade.close` in Alipay's layout
 * `{"<method>_response":{...},"sign":"..."}`, signed with its own Alipay private key.
 * `GET /__emulator/last-request` shows the parameters of the last request.
 */
export class AlipayEmulator extends EmulatorServer {
  private readonly alipayPrivateKey: KeyObject;
  private readonly merchantPublicKey: KeyObject;
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
    if (trade.delayMs !== undefined && (!Number.isSafeInteger(trade.delayMs) || (trade.delayMs as number) < 0)) {
      throw new Error('delayMs must be a whole number of milliseconds');
    }
    const paid = PAID.includes(status);
    super.setTrade(outTradeNo, {
      ...trade,
      trade_status: status,
      total_amount: trade.total_amount ?? '0.01',
      trade_no: trade.trade_no ?? `${formatChinaCompact(new Date()).slice(0, 8)}22001${String(randomInt(0, 1e12)).padStart(15, '0')}`,
      send_pay_date: trade.send_pay_date ?? (paid ? formatChinaDateTime(new Date()) : undefined),
    });
  }

  trade(outTradeNo: string): AlipayEmulatedTrade | undefined {
    return this.trades.get(outTradeNo) as AlipayEmulatedTrade | undefined;
  }

  lastRequest(): AlipayEmulatorRequestLog | undefined {
    return this.last;
  }

  protected async handle(request: EmulatorRequest): Promise<EmulatorReply> {
    const url = new URL(request.url, 'http://emulator.invalid');
    if (request.method === 'GET' && url.pathname === LAST_REQUEST_PATH) return this.json(JSON.stringify(this.last ?? null));
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

    this.count(outTradeNo, operation);
    const trade = this.trade(outTradeNo);
    const delay = trade?.delayMs ?? (trade?.failure === 'slow' ? DEFAULT_SLOW_MS : 0);
    if (delay > 0) await sleep(delay);
    const node = operation === 'query' ? this.queryNode(outTradeNo, trade) : this.closeNode(outTradeNo, trade);
    return this.deliver(method, node, trade?.failure);
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
    if (!trade || trade.failure === 'not_found' || trade.failure === 'unsigned_error') return this.notExist(outTradeNo);
    if (trade.failure === 'system_error') return gatewayError('40004', 'ACQ.SYSTEM_ERROR', '系统错误');
    if (trade.failure === 'unavailable') return gatewayError('20000', 'isp.unknow-error', '服务暂不可用（业务系统不可用）');
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

  /** Writes the answer as Alipay does, or breaks it the way the trade's failure says. */
  private deliver(method: string, node: AlipayNode, failure: AlipayEmulatorFailure | undefined): EmulatorReply {
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
        const altered = { ...node, total_amount: '0.01', trade_status: 'TRADE_SUCCESS' };
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
