import { Injectable } from '@nestjs/common';
import { KeyObject } from 'node:crypto';
import { PayOrder } from '../../order/pay-order.entity';
import { ChannelCloseOutcome, ChannelCloseResult, ChannelError, ChannelQueryResult, PayChannel } from '../pay-channel';
import { PayChannelProvider } from '../pay-channel.decorator';
import { ChannelHttp, ChannelHttpResponse } from '../support/channel-http';
import { formatChinaCompact } from '../support/china-time';
import { loadCertificate, loadPrivateKey } from '../support/rsa';
import { UnionPayTrust } from './acp-certificate';
import { AcpFields, AcpFormError, acpJoin, parseAcpResponse } from './acp-form';
import { queryResultOf } from './acp-query-answer';
import { acpAnswerProblem, acpSign } from './acp-signature';
import { UnionPaySettings } from './unionpay.settings';

export const UNIONPAY_CHANNEL = 'union_pay';

/** Long and public, but noise in a sync record. */
const LEFT_OUT_OF_RECORD = ['signPubKeyCert', 'signature'];
const EXCERPT_CHARS = 500;

/**
 * UnionPay online payments (ACP 5.1.0): the trade state by `queryTrans.do`, keyed by our
 * order number and the time we sent the order. Answers count only once their signature and
 * signing certificate verify. UnionPay has no close API for this flow.
 */
@Injectable()
@PayChannelProvider()
export class UnionPayChannel implements PayChannel {
  readonly code = UNIONPAY_CHANNEL;
  private readonly signKey: KeyObject;
  private readonly trust: UnionPayTrust;

  constructor(
    private readonly settings: UnionPaySettings,
    private readonly http: ChannelHttp,
  ) {
    this.signKey = loadPrivateKey(settings.UNIPAY_UNIONPAY_SIGN_PRIVATE_KEY);
    this.trust = {
      root: loadCertificate(settings.UNIPAY_UNIONPAY_ROOT_CERT),
      middle: loadCertificate(settings.UNIPAY_UNIONPAY_MIDDLE_CERT),
      organisation: settings.UNIPAY_UNIONPAY_EXPECTED_SUBJECT,
    };
  }

  async query(order: PayOrder): Promise<ChannelQueryResult> {
    const response = await this.http.send({
      method: 'POST',
      url: this.settings.UNIPAY_UNIONPAY_QUERY_URL,
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: new URLSearchParams(this.queryRequest(order)).toString(),
      timeoutMs: this.settings.UNIPAY_UNIONPAY_TIMEOUT_MS,
    });
    const answer = this.verifiedAnswer(response);
    return queryResultOf(answer, order, acpJoin(answer, LEFT_OUT_OF_RECORD));
  }

  /** No close API: the buyer can no longer pay once the order's payTimeout has passed. */
  async close(): Promise<ChannelCloseResult> {
    return { outcome: ChannelCloseOutcome.UNSUPPORTED, raw: 'union_pay: no close API, closed locally' };
  }

  /** The query of the original consumption: our order number and the time we sent it, in Beijing time. */
  private queryRequest(order: PayOrder): AcpFields {
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
      orderId: order.orderNo,
      txnTime: formatChinaCompact(order.createTime),
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
