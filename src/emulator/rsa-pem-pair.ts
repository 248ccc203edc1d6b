import { generateKeyPairSync } from 'node:crypto';

/** A fresh RSA-2048 pair as PEM (PKCS#8 private, SPKI public), for emulators and tests only. */
export function generateRsaPemPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}
