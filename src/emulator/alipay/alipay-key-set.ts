import { generateRsaPemPair } from '../rsa-pem-pair';

/**
 * The two RSA key pairs of an Alipay integration, as PEM (PKCS#8 private, SPKI public):
 * Alipay's pair signs answers; the merchant application's pair signs requests.
 */
export interface AlipayKeySet {
  alipayPrivateKey: string;
  alipayPublicKey: string;
  merchantPrivateKey: string;
  merchantPublicKey: string;
}

/** A fresh key set for an emulator run; nothing here is ever a real Alipay key. */
export function generateAlipayKeySet(): AlipayKeySet {
  const alipay = generateRsaPemPair();
  const merchant = generateRsaPemPair();
  return {
    alipayPrivateKey: alipay.privateKey,
    alipayPublicKey: alipay.publicKey,
    merchantPrivateKey: merchant.privateKey,
    merchantPublicKey: merchant.publicKey,
  };
}
