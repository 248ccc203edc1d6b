import { createPrivateKey, createPublicKey, KeyObject, sign, verify, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/**
 * Key material from settings: PEM text, a path to a PEM file, or (as Alipay hands them out)
 * the bare base64 body of a PKCS#8 private key or an SPKI public key.
 */
function pemText(value: string, label: 'PRIVATE KEY' | 'PUBLIC KEY' | 'CERTIFICATE'): string {
  const trimmed = value.trim();
  if (trimmed.includes('-----BEGIN')) return trimmed.replace(/\\n/g, '\n');
  if (!/^[A-Za-z0-9+/=\s]+$/.test(trimmed) && existsSync(trimmed)) return readFileSync(trimmed, 'utf8');
  const body = trimmed.replace(/\s+/g, '');
  return `-----BEGIN ${label}-----\n${body.replace(/(.{64})/g, '$1\n')}\n-----END ${label}-----\n`;
}

export function loadPrivateKey(value: string): KeyObject {
  return createPrivateKey(pemText(value, 'PRIVATE KEY'));
}

/** A public key, or the public key of a certificate. */
export function loadPublicKey(value: string): KeyObject {
  const pem = pemText(value, 'PUBLIC KEY');
  return pem.includes('CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

export function loadCertificate(value: string): X509Certificate {
  return new X509Certificate(pemText(value, 'CERTIFICATE'));
}

/** True when the setting parses as the given kind of key; for validating settings at boot. */
export function isLoadable(value: string | undefined, load: (value: string) => unknown): boolean {
  if (!value) return false;
  try {
    load(value);
    return true;
  } catch {
    return false;
  }
}

/** SHA256withRSA (PKCS#1 v1.5), base64: Alipay RSA2, WeChat Pay APIv3 and UnionPay 5.1.0 alike. */
export function rsaSha256Sign(data: string | Buffer, privateKey: KeyObject): string {
  return sign('sha256', typeof data === 'string' ? Buffer.from(data, 'utf8') : data, privateKey).toString('base64');
}

/** Verifies a base64 SHA256withRSA signature; a malformed signature is simply not valid. */
export function rsaSha256Verify(data: string | Buffer, signatureBase64: string, publicKey: KeyObject): boolean {
  if (!signatureBase64 || !/^[A-Za-z0-9+/=\s]+$/.test(signatureBase64)) return false;
  try {
    return verify('sha256', typeof data === 'string' ? Buffer.from(data, 'utf8') : data, publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
