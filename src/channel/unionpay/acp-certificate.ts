import { X509Certificate } from 'node:crypto';

/** What an answer's signing certificate must chain to and belong to. */
export interface UnionPayTrust {
  root: X509Certificate;
  middle: X509Certificate;
  /** The organisation named in the certificate, e.g. 中国银联股份有限公司. */
  organisation: string;
}

/** UnionPay's certId: the certificate's serial number in decimal. */
export function certIdOf(certificate: X509Certificate): string {
  return BigInt(`0x${certificate.serialNumber}`).toString(10);
}

/** True when `issuer` is a CA whose name and key made `child` (a root issues itself). */
export function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return issuer.ca && child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

export function withinValidity(certificate: X509Certificate, now: Date): boolean {
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  return from <= now.getTime() && now.getTime() <= to;
}

function subjectValues(certificate: X509Certificate, attribute: string): string[] {
  return certificate.subject
    .split('\n')
    .filter((line) => line.startsWith(`${attribute}=`))
    .map((line) => line.slice(attribute.length + 1));
}

/**
 * The organisation a UnionPay certificate belongs to. UnionPay names it in the CN,
 * `086@…@中国银联股份有限公司@…`: the third `@` part, as UnionPay's own SDKs read it. Only a
 * CN without any `@` falls back to the O attribute. Undefined when the subject is ambiguous.
 */
export function certificateOrganisation(certificate: X509Certificate): string | undefined {
  const names = subjectValues(certificate, 'CN');
  if (names.length > 1) return undefined;
  if (names.length === 1 && names[0].includes('@')) return names[0].split('@')[2];
  const organisations = subjectValues(certificate, 'O');
  return organisations.length === 1 ? organisations[0] : undefined;
}

/**
 * Why the certificate that signed an answer must not be trusted now, or undefined when it
 * may: it is within its validity period, it was issued by the configured middle CA, which
 * was issued by the configured root, which issued itself, and it belongs to the expected
 * organisation.
 */
export function signingCertificateProblem(certificate: X509Certificate, trust: UnionPayTrust, now: Date): string | undefined {
  if (!withinValidity(certificate, now)) return '签名证书不在有效期内';
  if (!withinValidity(trust.middle, now)) return '中级证书不在有效期内';
  if (!issuedBy(certificate, trust.middle)) return '签名证书不是配置的中级证书签发的';
  if (!issuedBy(trust.middle, trust.root)) return '中级证书不是配置的根证书签发的';
  if (!issuedBy(trust.root, trust.root)) return '根证书不是自签名的';
  if (certificateOrganisation(certificate) !== trust.organisation) return `签名证书不属于${trust.organisation}`;
  return undefined;
}
