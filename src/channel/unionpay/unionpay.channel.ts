import { Injectable } from '@nestjs/common';
import { KeyObject } from 'node:crypto';
import { PayOrder } from '../../order/pay-order.entity';
import { RefundOrder } from '../../refund/refund-order.entity';
import { ChannelCloseOutcome, ChannelCloseResult, ChannelError, ChannelQueryResult, ChannelRefundResult, PayChannel } from '../pay-channel';
import { PayChannelProvider } from '../pay-channel.decorator';
import { ChannelHttp, ChannelHttpResponse } from '../support/channel-http';
import { formatChinaCompact } from '../support/china-time';
import { loadCertificate, loadPrivateKey } from '../support/rsa';
import { UnionPayTrust } from './acp-certificate';
import { AcpFields, AcpFormError, acpJoin, parseAcpResponse } from './acp-form';
import { queryResultOf, refundResultOf } from './acp-query-answer';
import { acpAnswerProblem, acpSign } from './acp-signature';
import { UnionPaySettings } from './unionpay.settings';

export const UNIONPAY_CHANNEL = 'union_pay';

/** Long and public, but noise in a sync record. */
const LEFT_OUT_OF_RECORD = ['signPubKeyCert', 'signature'];
const EXCERPT_CHARS = 500;

/**
 * UnionPay online payments (ACP 5.1.0): the state of a trade or of a refund by
 * `queryTrans.do`, keyed by our number for it and the time we sent it. Answers count only
 * once their signature and signing certificate verify. UnionPay has no close API for this flow.
 */
@Injectable()
@PayChannelProvider()
export class UnionPayChannel implements PayChannel {
  readonly code = UNIONPAY_CHANNEL;
  readonly refundNotFoundGraceSeconds: number;
  private readonly signKey: KeyObject;
  private readonly trust: UnionPayTrust;

  constructor(
    private readonly settings: UnionPaySettings,
    private readonly http: ChannelHttp,
  ) {
    this.refundNotFoundGraceSeconds = settings.UNIPAY_UNIONPAY_REFUND_NOT_FOUND_GRACE_SECONDS;
    this.signKey = loadPrivateKey(settings.UNIPAY_UNIONPAY_SIGN_PRIVATE_KEY);
    this.trust = {
      root: loadCertificate(settings.UNIPAY_UNIONPAY_ROOT_CERT),
      middle: loadCertificate(settings.UNIPAY_UNIONPAY_MIDDLE_CERT),
      organisation: settings.UNIPAY_UNIONPAY_EXPECTED_SUBJECT,
    };
  }

  /** The original consumption: our order number and the time we sent the order. */
  async query(order: PayOrder): Promise<ChannelQueryResult> {
    const answer = await this.ask(order.orderNo, order.createTime);
    return queryResultOf(answer, order, acpJoin(answer, LEFT_OUT_OF_RECORD));
  }

  /**
   * The refund (退货): its own orderId (our refund number) and the time its request was sent.
   * UnionPay finds a transaction only by both, so the query's own clock would name nothing.
   */
  async queryRefund(refund: RefundOrder): Promise<ChannelRefundResult> {
    const answer = await this.ask(refund.refundNo, refund.channelReqTime);
    return refundResultOf(answer, refund, acpJoin(answer, LEFT_OUT_OF_RECORD));
  }

  /** No close API: the buyer can no longer pay once the order's payTimeout has passed. */
  async close(): Promise<ChannelCloseResult> {
    return { outcome: ChannelCloseOutcome.UNSUPPORTED, raw: 'union_pay: no close API, closed locally' };
  }

  /** One signed `queryTrans.do` call for the transaction we sent as `orderId` at `sentAt`; the verified answer. */
  private async ask(orderId: string, sentAt: Date): Promise<AcpFields> {
    const response = await this.http.send({
      method: 'POST',
      url: this.settings.UNIPAY_UNIONPAY_QUERY_URL,
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: new URLSearchParams(this.queryRequest(orderId, sentAt)).toString(),
      timeoutMs: this.settings.UNIPAY_UNIONPAY_TIMEOUT_MS,
    });
    return this.verifiedAnswer(response);
  }

  /** The query of a transaction: its orderId and the time it was sent, in Beijing time. */
  private queryRequest(orderId: string, sentAt: Date): AcpFields {
    const fields: AcpFields = {
      version: '5.1.0',
      encoding: 'UTF-8',
      signMethod: '01',
      txnType: '00',
      txnSubType: '00',
      bizType: '000000',
      accessType: '0',
      channelType: '07',
      merId: this.settings.UNIPAY_UNIONPAY_MER_ID,
      orderId,
      txnTime: formatChinaCompact(sentAt),
      certId: this.settings.UNIPAY_UNIONPAY_SIGN_CERT_ID,
    };
    return { ...fields, signature: acpSign(fields, this.signKey) };
  }

  private verifiedAnswer(response: ChannelHttpResponse): AcpFields {
    const excerpt = response.body.slice(0, EXCERPT_CHARS);
    if (response.status !== 200) throw new ChannelError(`银联查询失败: HTTP ${response.status}`, `HTTP ${response.status}: ${excerpt}`, { unverified: true });
    let answer: AcpFields;
    try {
      answer = parseAcpResponse(response.body);
    } catch (error) {
      if (!(error instanceof AcpFormError)) throw error;
      throw new ChannelError(`银联应答无法解析: ${error.message}`, excerpt, { unverified: true });
    }
    const problem = acpAnswerProblem(answer, this.trust, new Date());
    if (problem) throw new ChannelError(`银联应答验签失败: ${problem}`, acpJoin(answer, LEFT_OUT_OF_RECORD), { unverified: true });
    return answer;
  }
}
