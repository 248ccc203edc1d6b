import { createHash, KeyObject, X509Certificate } from 'node:crypto';
import { rsaSha256Sign, rsaSha256Verify } from '../support/rsa';
import { signingCertificateProblem, UnionPayTrust } from './acp-certificate';
import { AcpFields, acpSortedString } from './acp-form';

/**
 * ACP 5.1.0 (signMethod 01) signs in two steps: the lowercase hex SHA-256 of the sorted
 * string, and then SHA256withRSA over the UTF-8 bytes of that hex text.
 */
function acpDigest(fields: AcpFields): string {
  return createHash('sha256').update(acpSortedString(fields), 'utf8').digest('hex');
}

/** The `signature` value for the fields (any `signature` among them is left out). */
export function acpSign(fields: AcpFields, privateKey: KeyObject): string {
  return rsaSha256Sign(acpDigest(fields), privateKey);
}

/** True when the fields' own `signature` was made over the other fields with the key. */
export function acpSignatureValid(fields: AcpFields, publicKey: KeyObject): boolean {
  return rsaSha256Verify(acpDigest(fields), fields.signature ?? '', publicKey);
}

/**
 * Why an answer must not be trusted, or undefined when it may: it carries a signature and
 * the certificate that made it (`signPubKeyCert`), the certificate is UnionPay's (see
 * {@link signingCertificateProblem}), and the signature verifies with its key.
 */
export function acpAnswerProblem(fields: AcpFields, trust: UnionPayTrust, now: Date): string | undefined {
  if (!fields.signature) return '应答没有签名';
  if (!fields.signPubKeyCert) return '应答没有签名证书 signPubKeyCert';
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(fields.signPubKeyCert);
  } catch {
    return '应答的签名证书无法解析';
  }
  const problem = signingCertificateProblem(certificate, trust, now);
  if (problem) return problem;
  return acpSignatureValid(fields, certificate.publicKey) ? undefined : '签名不正确';
}
