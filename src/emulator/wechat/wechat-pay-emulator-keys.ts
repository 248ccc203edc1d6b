import { randomBytes, randomInt } from 'node:crypto';
import { generateRsaPemPair } from '../rsa-pem-pair';

/** Who the emulator is and whom it serves: what it needs to check requests and sign answers. */
export interface WechatPayEmulatorIdentity {
  /** The merchant number it serves (商户号). */
  mchId: string;
  appId: string;
  /** The serial of the merchant API certificate that requests must name. */
  merchantSerialNo: string;
  /** Verifies the merchant's request signatures. */
  merchantPublicKeyPem: string;
  /** The 微信支付公钥ID it sends as `Wechatpay-Serial`. */
  publicKeyId: string;
  /** Signs its answers (the WeChat Pay side of public-key mode). */
  platformPrivateKeyPem: string;
}

/** A full key set: the emulator's identity plus the halves the merchant's server holds. */
export interface WechatPayKeySet extends WechatPayEmulatorIdentity {
  merchantPrivateKeyPem: string;
  /** 微信支付公钥, given to the merchant's server. */
  platformPublicKeyPem: string;
}

function digits(count: number): string {
  return Array.from({ length: count }, () => randomInt(0, 10)).join('');
}

/** A fresh key set for one test run or one quick start: two RSA-2048 pairs and random ids. */
export function generateWechatPayKeySet(): WechatPayKeySet {
  const merchant = generateRsaPemPair();
  const platform = generateRsaPemPair();
  return {
    mchId: `19${digits(8)}`,
    appId: `wx${randomBytes(8).toString('hex')}`,
    merchantSerialNo: randomBytes(20).toString('hex').toUpperCase(),
    merchantPublicKeyPem: merchant.publicKey,
    merchantPrivateKeyPem: merchant.privateKey,
    publicKeyId: `PUB_KEY_ID_01${digits(34)}`,
    platformPrivateKeyPem: platform.privateKey,
    platformPublicKeyPem: platform.publicKey,
  };
}
