import { generateKeyPairSync } from 'node:crypto';

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

function rsaPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** A fresh key set for an emulator run; nothing here is ever a real Alipay key. */
export function generateAlipayKeySet(): AlipayKeySet {
  const alipay = rsaPair();
  const merchant = rsaPair();
  return {
    alipayPrivateKey: alipay.privateKey,
    alipayPublicKey: alipay.publicKey,
    merchantPrivateKey: merchant.privateKey,
    merchantPublicKey: merchant.publicKey,
  };
}
