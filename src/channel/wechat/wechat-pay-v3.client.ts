import { Injectable } from '@nestjs/common';
import { KeyObject, randomBytes } from 'node:crypto';
import { ChannelError } from '../pay-channel';
import { ChannelHttp } from '../support/channel-http';
import { loadPrivateKey, loadPublicKey } from '../support/rsa';
import { WechatPaySettings } from './wechat-pay.settings';
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
    private readonly settings: WechatPaySettings,
    private readonly http: ChannelHttp,
  ) {
    this.merchant = {
      mchId: settings.UNIPAY_WECHAT_MCH_ID,
      serialNo: settings.UNIPAY_WECHAT_MERCHANT_SERIAL_NO,
      privateKey: loadPrivateKey(settings.UNIPAY_WECHAT_MERCHANT_PRIVATE_KEY),
    };
    this.publicKey = loadPublicKey(settings.UNIPAY_WECHAT_PUBLIC_KEY);
  }

  get mchId(): string {
    return this.settings.UNIPAY_WECHAT_MCH_ID;
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
      url: `${this.settings.UNIPAY_WECHAT_BASE_URL}${canonicalUrl}`,
      headers: {
        Authorization: authorization,
        Accept: 'application/json',
        'User-Agent': USER_AGENT,
        ...(method === 'POST' ? { 'Content-Type': 'application/json' } : {}),
      },
      body: method === 'POST' ? body : undefined,
      timeoutMs: this.settings.UNIPAY_WECHAT_TIMEOUT_MS,
    });
    const distrust = responseDistrust(response.headers, response.body, {
      publicKeyId: this.settings.UNIPAY_WECHAT_PUBLIC_KEY_ID,
      publicKey: this.publicKey,
      maxClockSkewSeconds: this.settings.UNIPAY_WECHAT_MAX_CLOCK_SKEW_SECONDS,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (distrust) throw new ChannelError(`${distrust}（HTTP ${response.status}）`, response.body || undefined, { unverified: true });
    return { status: response.status, body: response.body };
  }
}
