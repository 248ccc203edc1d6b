import { Inject, Injectable } from '@nestjs/common';
import { KeyObject } from 'node:crypto';
import { ChannelError } from '../pay-channel';
import { ChannelHttp } from '../support/channel-http';
import { formatChinaDateTime } from '../support/china-time';
import { loadPrivateKey, loadPublicKey, rsaSha256Verify } from '../support/rsa';
import { ALIPAY_CONFIG, AlipayConfig } from './alipay.config';
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

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
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
    @Inject(ALIPAY_CONFIG) private readonly config: AlipayConfig,
    private readonly http: ChannelHttp,
  ) {
    this.privateKey = loadPrivateKey(config.privateKey);
    this.alipayPublicKey = loadPublicKey(config.alipayPublicKey);
  }

  async call(method: string, bizContent: Record<string, string>): Promise<AlipayAnswer> {
    const params: AlipayParams = {
      app_id: this.config.appId,
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
      url: this.config.gatewayUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
      body: new URLSearchParams(params as Record<string, string>).toString(),
      timeoutMs: this.config.timeoutMs,
    });
    if (response.status !== 200) {
      throw new ChannelError(`支付宝网关返回 HTTP ${response.status}`, excerpt(response.body));
    }
    return this.verified(response.body, alipayResponseKey(method));
  }

  /**
   * Alipay answers in the method's node, or in `error_response` when it could not tell the
   * method; either way the node's text is what the signature covers.
   */
  private verified(body: string, responseKey: string): AlipayAnswer {
    const envelope = parseObject(body);
    if (!envelope) throw new ChannelError('支付宝应答无法解析', excerpt(body));
    const key = responseKey in envelope ? responseKey : 'error_response';
    const raw = responseNodeText(body, key);
    // The fields are read from the signed text itself, so a repeated key cannot smuggle in
    // a node other than the one that was verified.
    const node = raw === undefined ? undefined : parseObject(raw);
    if (raw === undefined || !node) throw new ChannelError(`支付宝应答缺少 ${responseKey}`, excerpt(body));
    if (typeof envelope.sign !== 'string' || envelope.sign === '') {
      throw new ChannelError('支付宝应答未签名，不予采信', raw);
    }
    if (!rsaSha256Verify(raw, envelope.sign, this.alipayPublicKey)) {
      throw new ChannelError('支付宝应答验签失败，不予采信', raw);
    }
    return { node, raw };
  }
}
