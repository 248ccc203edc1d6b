import { Inject, Injectable } from '@nestjs/common';
import { KeyObject, randomBytes } from 'node:crypto';
import { ChannelError } from '../pay-channel';
import { ChannelHttp } from '../support/channel-http';
import { loadPrivateKey, loadPublicKey } from '../support/rsa';
import { WECHAT_CONFIG, WechatPayConfig } from './wechat-pay.config';
import { authorizationHeader, MerchantIdentity, responseDistrust } from './wechat-pay-v3-signature';

const USER_AGENT = `unipay-sync/0.1 (WechatPay-APIv3) node/${process.versions.node}`;

/** A WeChat Pay answer whose signature has been verified. */
export interface WechatPayAnswer {
  status: number;
  body: string;
}

/**
 * Speaks APIv3 for the channel: signs each request with the merchant key, sends it through
 * the shared HTTP client, and hands back only answers signed by the WeChat Pay public key.
 */
@Injectable()
export class WechatPayV3Client {
  private readonly merchant: MerchantIdentity;
  private readonly publicKey: KeyObject;

  constructor(
    @Inject(WECHAT_CONFIG) private readonly config: WechatPayConfig,
    private readonly http: ChannelHttp,
  ) {
    this.merchant = { mchId: config.mchId, serialNo: config.merchantSerialNo, privateKey: loadPrivateKey(config.merchantPrivateKey) };
    this.publicKey = loadPublicKey(config.wechatPayPublicKey);
  }

  get mchId(): string {
    return this.config.mchId;
  }

  get(canonicalUrl: string): Promise<WechatPayAnswer> {
    return this.send('GET', canonicalUrl, '');
  }

  post(canonicalUrl: string, json: object): Promise<WechatPayAnswer> {
    return this.send('POST', canonicalUrl, JSON.stringify(json));
  }

  private async send(method: 'GET' | 'POST', canonicalUrl: string, body: string): Promise<WechatPayAnswer> {
    const authorization = authorizationHeader(this.merchant, {
      method,
      canonicalUrl,
      timestamp: Math.floor(Date.now() / 1000),
      nonce: randomBytes(16).toString('hex'),
      body,
    });
    const response = await this.http.send({
      method,
      url: `${this.config.baseUrl}${canonicalUrl}`,
      headers: {
        Authorization: authorization,
        Accept: 'application/json',
        'User-Agent': USER_AGENT,
        ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
      },
      body: method === 'POST' ? body : undefined,
      timeoutMs: this.config.timeoutMs,
    });
    const distrust = responseDistrust(response.headers, response.body, {
      publicKeyId: this.config.wechatPayPublicKeyId,
      publicKey: this.publicKey,
      maxClockSkewSeconds: this.config.maxClockSkewSeconds,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (distrust) throw new ChannelError(`${distrust}（HTTP ${response.status}）`, response.body || undefined);
    return { status: response.status, body: response.body };
  }
}
