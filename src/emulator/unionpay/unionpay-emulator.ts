import { createPrivateKey, KeyObject, randomInt, X509Certificate } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatChinaCompact } from '../../channel/support/china-time';
import { certIdOf } from '../../channel/unionpay/acp-certificate';
import { AcpFields, acpJoin } from '../../channel/unionpay/acp-form';
import { acpSign, acpSignatureValid } from '../../channel/unionpay/acp-signature';
import { EmulatedTrade, EmulatorReply, EmulatorRequest, EmulatorServer } from '../emulator-server';
import { CertificateWithKey, UnionPayTestPki } from './unionpay-test-pki';

/** How a query of the trade goes wrong, instead of answering its state. */
export type UnionPayFailure =
  /** respCode 34: no such trade. */
  | 'not_found'
  /** respCode `busyCode` (03, 04 or 05): the query itself is being processed. */
  | 'busy'
  /** respCode `errorCode` (default 06, 系统繁忙): any other refusal of the query. */
  | 'error'
  /** HTTP 500. */
  | 'server_error'
  /** The answer comes after `delayMs`. */
  | 'slow'
  /** The signature is altered after signing. */
  | 'tampered_signature'
  /** `txnAmt` is altered after signing. */
  | 'tampered_body'
  /** Signed with a certificate of the right chain whose validity period has ended. */
  | 'expired_cert'
  /** Signed with a certificate that carries UnionPay's name under another root. */
  | 'foreign_cert'
  /** Signed with a certificate of the right chain that belongs to another organisation. */
  | 'wrong_subject'
  /** No signature at all. */
  | 'unsigned'
  /** A body that is no ACP message. */
  | 'malformed';

/** How the queries of one transaction go wrong, if they do. */
export interface UnionPayScriptedFailure {
  failure?: UnionPayFailure;
  /** For `busy`: 03, 04 or 05; default 03. */
  busyCode?: string;
  /** For `error`: the respCode; default 06. */
  errorCode?: string;
  /** For `slow`: how long to wait before answering; default 3000. */
  delayMs?: number;
}

/** A consumption as the emulator knows it, keyed by orderId. Set it with `PUT /__emulator/trades/:orderId`. */
export interface UnionPayEmulatedTrade extends EmulatedTrade, UnionPayScriptedFailure {
  /** The consumption's result: 00 paid, 03/04/05 in process, anything else failed. Default 00. */
  origRespCode?: string;
  origRespMsg?: string;
  /** The amount in fen, as UnionPay writes it. Required. */
  txnAmt?: string | number;
  /** UnionPay's trade number; generated when left out. */
  queryId?: string;
  /**
   * The time the merchant sent the order (yyyyMMddHHmmss, Beijing). UnionPay finds a trade by
   * orderId and txnTime: a query with another txnTime gets respCode 34. Left out: any matches.
   */
  txnTime?: string;
  /** When UnionPay carried the payment (MMddHHmmss, Beijing); default: when the trade was set. */
  traceTime?: string;
  traceNo?: string;
  /** Echoed in the answer; default `{a=1&b=2}`, a block with its own `&` and `=`. */
  reqReserved?: string;
  /** Set by the emulator: 04 marks a refund (退货), see {@link UnionPayEmulatedRefund}. */
  txnType?: string;
}

/**
 * A refund (退货, txnType 04) as the emulator knows it, keyed by the refund's own orderId.
 * Set it with {@link UnionPayEmulator.setRefund} or `PUT /__emulator/refunds/:orderId`.
 * The failures are those of a trade; `tampered_body` alters `txnAmt` after signing.
 */
export interface UnionPayEmulatedRefund extends EmulatedTrade, UnionPayScriptedFailure {
  /** The refund's result: 00 refunded, 03/04/05 in process, anything else failed. Default 00. */
  origRespCode?: string;
  /** Why it failed, for a failed refund. */
  origRespMsg?: string;
  /** The refunded amount in fen. Required. */
  txnAmt: string | number;
  /**
   * When the merchant sent the refund request (yyyyMMddHHmmss, Beijing). Required: only a
   * query with exactly this txnTime finds the refund; any other gets respCode 34.
   */
  txnTime: string;
  /** The refund's own trade number at UnionPay; generated when left out. */
  queryId?: string;
  /** The queryId of the consumption refunded; echoed when set. */
  origQryId?: string;
  /** When UnionPay carried the refund (MMddHHmmss, Beijing); default: when the refund was set. */
  traceTime?: string;
  traceNo?: string;
}

/** The last protocol request the emulator received, for tests to look at. */
export interface UnionPayEmulatorRequest {
  url: string;
  contentType?: string;
  fields: AcpFields;
  /** True when certId named the merchant's certificate and the signature verified with it. */
  signatureValid: boolean;
}

const RESP_MSG: Record<string, string> = {
  '00': '成功[0000000]',
  '01': '交易失败[1000001]',
  '03': '交易通讯超时，请发起查询交易[2000003]',
  '04': '交易状态未明，请查询对账结果[2000004]',
  '05': '交易已受理，请稍后查询交易结果[2000005]',
  '06': '系统繁忙，请稍后再试[1000006]',
  '10': '报文格式错误[1000010]',
  '11': '验证签名失败',
  '12': '重复交易[1000012]',
  '34': '查询的交易不存在[2600034]',
  '37': '已超过最大查询次数或操作过于频繁[6100037]',
};

const REFUNDS_ADMIN = /^\/__emulator\/refunds\/([^/?]+)$/;
const REFUND_TXN_TYPE = '04';

/** The emulator was given a refund it cannot answer for. */
export class UnionPayEmulatorInputError extends Error {}

const REQUIRED = ['version', 'encoding', 'signMethod', 'txnType', 'txnSubType', 'bizType', 'accessType', 'merId', 'orderId', 'txnTime', 'certId', 'signature'];

function digits(count: number): string {
  return Array.from({ length: count }, () => randomInt(0, 10)).join('');
}

/**
 * UnionPay's `queryTrans.do` (ACP 5.1.0), written from the public protocol: a form POST
 * signed by the merchant (checked with the merchant certificate it was given, and certId
 * must name that certificate), answered in UnionPay's `k=v&…` layout, signed in two steps
 * with its signing key and carrying its signing certificate as `signPubKeyCert`. Any path
 * is served; queries are counted per orderId (`query`, any other txnType as `other`).
 *
 * Like UnionPay it keeps consumptions and refunds (退货) in one table keyed by orderId and
 * finds a transaction by orderId and txnTime. Refunds are set apart through
 * `PUT /__emulator/refunds/:orderId` (and `GET` to read one with its call counts); they are
 * also listed under `/__emulator/trades/`, and `DELETE /__emulator/trades` forgets them too.
 */
export class UnionPayEmulator extends EmulatorServer {
  /** The last protocol request, undefined before the first. */
  lastRequest?: UnionPayEmulatorRequest;
  private readonly merchantKey: KeyObject;
  private readonly merchantCertId: string;
  private readonly signers = new Map<UnionPayFailure | 'good', { certPem: string; key: KeyObject }>();

  constructor(pki: UnionPayTestPki) {
    super();
    const merchantCertificate = new X509Certificate(pki.merchantSign.certPem);
    this.merchantKey = merchantCertificate.publicKey;
    this.merchantCertId = certIdOf(merchantCertificate);
    const signer = ({ certPem, keyPem }: CertificateWithKey) => ({ certPem, key: createPrivateKey(keyPem) });
    this.signers.set('good', signer(pki.unionPaySign));
    this.signers.set('expired_cert', signer(pki.expiredSign));
    this.signers.set('foreign_cert', signer(pki.foreignSign));
    this.signers.set('wrong_subject', signer(pki.wrongSubjectSign));
  }

  /** Fills in what UnionPay would have made when the trade was paid: queryId, traceNo, traceTime. */
  override setTrade(orderId: string, trade: UnionPayEmulatedTrade): void {
    super.setTrade(orderId, {
      queryId: digits(21),
      traceNo: digits(6),
      traceTime: formatChinaCompact(new Date()).slice(4),
      ...trade,
    });
  }

  /**
   * Sets a refund as UnionPay would hold it once the merchant sent it: its own queryId,
   * traceNo and traceTime are made up unless given.
   */
  setRefund(orderId: string, refund: UnionPayEmulatedRefund): void {
    if (!/^\d{14}$/.test(String(refund?.txnTime ?? ''))) throw new UnionPayEmulatorInputError('a refund needs its txnTime, yyyyMMddHHmmss in Beijing time');
    if (refund.txnAmt === undefined || refund.txnAmt === null) throw new UnionPayEmulatorInputError('a refund needs its txnAmt in fen');
    this.setTrade(orderId, { ...refund, txnType: REFUND_TXN_TYPE });
  }

  /** The refund set for the orderId, if one was. */
  refundOf(orderId: string): UnionPayEmulatedRefund | undefined {
    const trade = this.trades.get(orderId) as UnionPayEmulatedTrade | undefined;
    return trade?.txnType === REFUND_TXN_TYPE ? ({ ...trade } as unknown as UnionPayEmulatedRefund) : undefined;
  }

  queryCount(orderId: string): number {
    return this.callsOf(orderId).query ?? 0;
  }

  protected async handle(request: EmulatorRequest): Promise<EmulatorReply> {
    const refundAdmin = REFUNDS_ADMIN.exec(request.url);
    if (refundAdmin) return this.refundAdmin(request, decodeURIComponent(refundAdmin[1]));
    if (request.method !== 'POST') return { status: 405, headers: { 'content-type': 'text/plain' }, body: 'POST only' };
    const fields = Object.fromEntries(new URLSearchParams(request.body));
    const signatureValid = fields.certId === this.merchantCertId && acpSignatureValid(fields, this.merchantKey);
    this.lastRequest = { url: request.url, contentType: request.headers['content-type'], fields, signatureValid };
    this.count(fields.orderId ?? '', fields.txnType === '00' ? 'query' : 'other');

    if (REQUIRED.some((name) => !fields[name])) return this.signed(this.refusal(fields, '10'));
    if (!signatureValid) return this.signed(this.refusal(fields, '11'));
    const trade = this.trades.get(fields.orderId) as UnionPayEmulatedTrade | undefined;
    if (!trade || trade.failure === 'not_found' || (trade.txnTime !== undefined && trade.txnTime !== fields.txnTime)) {
      return this.signed(this.refusal(fields, '34'));
    }
    switch (trade.failure) {
      case 'server_error':
        return { status: 500, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>500 Internal Server Error</h1></body></html>' };
      case 'malformed':
        return { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>系统繁忙，请稍后再试</body></html>' };
      case 'busy':
        return this.signed(this.refusal(fields, trade.busyCode ?? '03'));
      case 'error':
        return this.signed(this.refusal(fields, trade.errorCode ?? '06'));
      case 'slow':
        await sleep(trade.delayMs ?? 3000);
        break;
    }
    const answer = trade.txnType === REFUND_TXN_TYPE ? this.refundAnswer(fields, trade as unknown as UnionPayEmulatedRefund) : this.tradeAnswer(fields, trade);
    return this.signed(answer, trade.failure);
  }

  /** `PUT` sets a refund (JSON body), `GET` shows it with its call counts. */
  private refundAdmin(request: EmulatorRequest, orderId: string): EmulatorReply {
    const json = (status: number, body: unknown): EmulatorReply => ({ status, body: JSON.stringify(body) });
    if (request.method === 'GET') return json(200, { id: orderId, refund: this.refundOf(orderId) ?? null, calls: this.callsOf(orderId) });
    if (request.method !== 'PUT') return json(405, { error: 'PUT or GET only' });
    try {
      this.setRefund(orderId, JSON.parse(request.body) as UnionPayEmulatedRefund);
    } catch (error) {
      if (error instanceof SyntaxError || error instanceof UnionPayEmulatorInputError) return json(400, { error: error.message });
      throw error;
    }
    return json(200, { id: orderId, refund: this.refundOf(orderId) });
  }

  /** An answer to a query that could not be made: the request's own fields echoed. */
  private refusal(request: AcpFields, respCode: string): AcpFields {
    const echoed = ['accessType', 'bizType', 'encoding', 'merId', 'orderId', 'txnSubType', 'txnTime', 'txnType'].filter((name) => request[name] !== undefined);
    return {
      ...Object.fromEntries(echoed.map((name) => [name, request[name]])),
      respCode,
      respMsg: RESP_MSG[respCode] ?? `应答码${respCode}`,
      signMethod: '01',
      version: '5.1.0',
    };
  }

  /** The state of the original consumption (txnType 01), as UnionPay reports it. */
  private tradeAnswer(request: AcpFields, trade: UnionPayEmulatedTrade): AcpFields {
    if (trade.txnAmt === undefined) throw new Error(`trade ${request.orderId} has no txnAmt`);
    const origRespCode = trade.origRespCode ?? '00';
    const txnAmt = String(trade.txnAmt);
    const paid = origRespCode === '00';
    return {
      accessType: '0',
      bizType: '000000',
      currencyCode: '156',
      encoding: 'UTF-8',
      merId: request.merId,
      orderId: request.orderId,
      origRespCode,
      origRespMsg: trade.origRespMsg ?? RESP_MSG[origRespCode] ?? `交易失败[${origRespCode}]`,
      queryId: trade.queryId ?? '',
      reqReserved: trade.reqReserved ?? '{a=1&b=2}',
      respCode: '00',
      respMsg: RESP_MSG['00'],
      ...(paid ? { settleAmt: txnAmt, settleCurrencyCode: '156', settleDate: (trade.traceTime ?? '').slice(0, 4) } : {}),
      signMethod: '01',
      traceNo: trade.traceNo ?? '',
      traceTime: trade.traceTime ?? '',
      txnAmt,
      txnSubType: '01',
      txnTime: trade.txnTime ?? request.txnTime,
      txnType: '01',
      version: '5.1.0',
    };
  }

  /** The state of a refund (txnType 04), as UnionPay reports it. */
  private refundAnswer(request: AcpFields, refund: UnionPayEmulatedRefund): AcpFields {
    const origRespCode = refund.origRespCode ?? '00';
    const txnAmt = String(refund.txnAmt);
    const done = origRespCode === '00';
    return {
      accessType: '0',
      bizType: '000000',
      currencyCode: '156',
      encoding: 'UTF-8',
      merId: request.merId,
      orderId: request.orderId,
      ...(refund.origQryId ? { origQryId: refund.origQryId } : {}),
      origRespCode,
      origRespMsg: refund.origRespMsg ?? RESP_MSG[origRespCode] ?? `交易失败[${origRespCode}]`,
      queryId: refund.queryId ?? '',
      respCode: '00',
      respMsg: RESP_MSG['00'],
      ...(done ? { settleAmt: txnAmt, settleCurrencyCode: '156', settleDate: (refund.traceTime ?? '').slice(0, 4) } : {}),
      signMethod: '01',
      traceNo: refund.traceNo ?? '',
      traceTime: refund.traceTime ?? '',
      txnAmt,
      txnSubType: '00',
      txnTime: refund.txnTime ?? request.txnTime,
      txnType: REFUND_TXN_TYPE,
      version: '5.1.0',
    };
  }

  /** Signs the answer as UnionPay does, or as the failure asks, and lays it out raw, sorted. */
  private signed(answer: AcpFields, failure?: UnionPayFailure): EmulatorReply {
    const signer = this.signers.get(failure ?? 'good') ?? this.signers.get('good')!;
    const fields: AcpFields = { ...answer, signPubKeyCert: signer.certPem };
    if (failure !== 'unsigned') fields.signature = acpSign(fields, signer.key);
    if (failure === 'tampered_signature') fields.signature = tampered(fields.signature);
    if (failure === 'tampered_body') fields.txnAmt = String(Number(fields.txnAmt) + 100);
    return { status: 200, headers: { 'content-type': 'text/html;charset=UTF-8' }, body: acpJoin(fields) };
  }
}

/** The same signature with one bit of its first byte flipped. */
function tampered(signature: string): string {
  const bytes = Buffer.from(signature, 'base64');
  bytes[0] ^= 0x01;
  return bytes.toString('base64');
}
