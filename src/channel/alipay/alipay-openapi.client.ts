import { Injectable } from '@nestjs/common';
import { KeyObject } from 'node:crypto';
import { parseJsonObject } from '../../common/json-object';
import { ChannelError } from '../pay-channel';
import { ChannelHttp } from '../support/channel-http';
import { formatChinaDateTime } from '../support/china-time';
import { loadPrivateKey, loadPublicKey, rsaSha256Verify } from '../support/rsa';
import { AlipaySettings } from './alipay.settings';
import { AlipayResponseNode, responseNodeText } from './alipay-response-node';
import { alipayResponseKey, AlipayParams, signAlipayParams } from './alipay-signature';

/** A verified answer: the node's fields, and its text exactly as Alipay signed it. */
export interface AlipayAnswer {
  node: AlipayResponseNode;
  raw: string;
}

/** How much of an answer that cannot be verified is kept for the sync record. */
const MAX_UNVERIFIED_CHARS = 2000;

function excerpt(body: string): string {
  return body.length > MAX_UNVERIFIED_CHARS ? `${body.slice(0, MAX_UNVERIFIED_CHARS)}…` : body;
}

/**
 * The Alipay OpenAPI gateway (`gateway.do`, RSA2): signs each request with the merchant's
 * key and returns an answer only once Alipay's signature over its node verifies. Anything
 * else (transport failure, non-200, unparsable, unsigned or badly signed) is a ChannelError.
 */
@Injectable()
export class AlipayOpenApiClient {
  private readonly privateKey: KeyObject;
  private readonly alipayPublicKey: KeyObject;

  constructor(
    private readonly settings: AlipaySettings,
    private readonly http: ChannelHttp,
  ) {
    this.privateKey = loadPrivateKey(settings.UNIPAY_ALIPAY_PRIVATE_KEY);
    this.alipayPublicKey = loadPublicKey(settings.UNIPAY_ALIPAY_PUBLIC_KEY);
  }

  async call(method: string, bizContent: Record<string, unknown>): Promise<AlipayAnswer> {
    const params: AlipayParams = {
      app_id: this.settings.UNIPAY_ALIPAY_APP_ID,
      method,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: formatChinaDateTime(new Date()),
      version: '1.0',
      biz_content: JSON.stringify(bizContent),
    };
    params.sign = signAlipayParams(params, this.privateKey);
    const response = await this.http.send({
      method: 'POST',
      url: this.settings.UNIPAY_ALIPAY_GATEWAY_URL,
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
      body: new URLSearchParams(params as Record<string, string>).toString(),
      timeoutMs: this.settings.UNIPAY_ALIPAY_TIMEOUT_MS,
    });
    if (response.status !== 200) {
      throw new ChannelError(`支付宝网关返回 HTTP ${response.status}`, excerpt(response.body), { unverified: true });
    }
    return this.verified(response.body, alipayResponseKey(method));
  }

  /**
   * Alipay answers in the method's node, or in `error_response` when it could not tell the
   * method; either way the node's text is what the signature covers.
   */
  private verified(body: string, responseKey: string): AlipayAnswer {
    const envelope = parseJsonObject(body);
    if (!envelope) throw new ChannelError('支付宝应答无法解析', excerpt(body), { unverified: true });
    const key = responseKey in envelope ? responseKey : 'error_response';
    const raw = responseNodeText(body, key);
    // The fields are read from the signed text itself, so a repeated key cannot smuggle in
    // a node other than the one that was verified.
    const node = raw === undefined ? undefined : parseJsonObject(raw);
    if (raw === undefined || !node) throw new ChannelError(`支付宝应答缺少 ${responseKey}`, excerpt(body), { unverified: true });
    if (typeof envelope.sign !== 'string' || envelope.sign === '') {
      throw new ChannelError('支付宝应答未签名，不予采信', raw, { unverified: true });
    }
    if (!rsaSha256Verify(raw, envelope.sign, this.alipayPublicKey)) {
      throw new ChannelError('支付宝应答验签失败，不予采信', raw, { unverified: true });
    }
    return { node, raw };
  }
}
