import * as forge from 'node-forge';
import { generateKeyPair, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { certIdOf } from '../../channel/unionpay/acp-certificate';

/** A certificate and its private key, both PEM. */
export interface CertificateWithKey {
  certPem: string;
  keyPem: string;
}

/**
 * Every certificate a UnionPay test needs. The emulator signs with `unionPaySign` (issued by
 * `middle`, issued by `root`); the server is configured with `root`, `middle` and the
 * merchant's key and certId. The other signers are the bad cases an answer may come with.
 */
export interface UnionPayTestPki {
  rootCertPem: string;
  middleCertPem: string;
  /** UnionPay's answer-signing certificate: right chain, right organisation, valid now. */
  unionPaySign: CertificateWithKey;
  /** The merchant's request-signing certificate and key; certId is its decimal serial number. */
  merchantSign: CertificateWithKey & { certId: string };
  /** Right chain and organisation, but its validity period ended yesterday. */
  expiredSign: CertificateWithKey;
  /** Right chain, but it belongs to another organisation. */
  wrongSubjectSign: CertificateWithKey;
  /** UnionPay's name, but under another root (with its own middle) that the server does not trust. */
  foreignSign: CertificateWithKey & { rootCertPem: string; middleCertPem: string };
}

export const EMULATOR_ORGANISATION = '中国银联股份有限公司';
export const EMULATOR_MERCHANT_ID = '777290058110048';

const DAY_MS = 24 * 3600 * 1000;
const YEAR_MS = 365 * DAY_MS;

export interface TestIssuer {
  certificate: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

export interface TestSubject {
  organisation: string;
  commonName: string;
}

export interface IssuedTestCertificate extends TestIssuer {
  certPem: string;
  keyPem: string;
}

const generateRsaKey = promisify(generateKeyPair);

async function newKeyPem(): Promise<string> {
  const { privateKey } = await generateRsaKey('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return privateKey;
}

/** A positive serial number of 8 bytes, hex. */
function newSerialHex(): string {
  const bytes = randomBytes(8);
  bytes[0] = 0x10 + (bytes[0] % 0x60);
  return bytes.toString('hex');
}

function distinguishedName(subject: TestSubject): forge.pki.CertificateField[] {
  // forge reads valueTagClass as an ASN.1 type (UTF8String for the Chinese names); its typings say Class.
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  return [
    { shortName: 'C', value: 'CN' },
    { shortName: 'O', value: subject.organisation, valueTagClass: utf8 },
    { shortName: 'CN', value: subject.commonName, valueTagClass: utf8 },
  ];
}

/**
 * Issues an RSA 2048 / SHA-256 certificate: a CA when `ca`, else an end-entity signing
 * certificate. Without `issuer` it is self-signed (a root). The keys come from Node's
 * crypto (fast); node-forge builds and signs the certificate.
 */
export async function issueTestCertificate(
  subject: TestSubject | ((serialHex: string) => TestSubject),
  options: { ca: boolean; issuer?: TestIssuer; notBefore: Date; notAfter: Date },
): Promise<IssuedTestCertificate> {
  const keyPem = await newKeyPem();
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  certificate.serialNumber = newSerialHex();
  certificate.validity.notBefore = options.notBefore;
  certificate.validity.notAfter = options.notAfter;
  const name = distinguishedName(typeof subject === 'function' ? subject(certificate.serialNumber) : subject);
  certificate.setSubject(name);
  const issuer = options.issuer ?? { certificate, key };
  certificate.setIssuer(issuer.certificate.subject.attributes);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: options.ca, critical: true },
    options.ca
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: issuer.certificate.generateSubjectKeyIdentifier().getBytes() },
  ]);
  certificate.sign(issuer.key, forge.md.sha256.create());
  return { certificate, key, certPem: forge.pki.certificateToPem(certificate), keyPem };
}

/** UnionPay's CN form: the organisation is the third `@` part, the serial number last. */
function unionPaySubject(organisation: string): (serialHex: string) => TestSubject {
  return (serialHex) => ({ organisation, commonName: `086@1@${organisation}@00040000:SIGN@${BigInt(`0x${serialHex}`)}` });
}

const pair = ({ certPem, keyPem }: IssuedTestCertificate): CertificateWithKey => ({ certPem, keyPem });

/**
 * Generates a complete UnionPay test PKI (all keys RSA 2048, all signatures SHA-256): a root
 * and a middle CA, UnionPay's answer-signing certificate, a merchant signing certificate,
 * and the bad signers (expired, wrong organisation, foreign root).
 */
export async function generateUnionPayTestPki(now = new Date()): Promise<UnionPayTestPki> {
  const since = new Date(now.getTime() - DAY_MS);
  const caLife = { ca: true, notBefore: since, notAfter: new Date(now.getTime() + 10 * YEAR_MS) };
  const signLife = { ca: false, notBefore: since, notAfter: new Date(now.getTime() + 2 * YEAR_MS) };
  const [root, foreignRoot] = await Promise.all([
    issueTestCertificate({ organisation: 'UnionPay Emulator', commonName: 'UnionPay Emulator Root CA' }, caLife),
    issueTestCertificate({ organisation: 'Foreign Test Authority', commonName: 'Foreign Test Root CA' }, caLife),
  ]);
  const [middle, foreignMiddle] = await Promise.all([
    issueTestCertificate({ organisation: 'UnionPay Emulator', commonName: 'UnionPay Emulator Middle CA' }, { ...caLife, issuer: root }),
    issueTestCertificate({ organisation: 'Foreign Test Authority', commonName: 'Foreign Test Middle CA' }, { ...caLife, issuer: foreignRoot }),
  ]);
  const unionPay = unionPaySubject(EMULATOR_ORGANISATION);
  const [unionPaySign, merchantSign, expiredSign, wrongSubjectSign, foreignSign] = await Promise.all([
    issueTestCertificate(unionPay, { ...signLife, issuer: middle }),
    issueTestCertificate((serial) => ({ organisation: 'Emulated Merchant', commonName: `041@${EMULATOR_MERCHANT_ID}@Emulated Merchant@${BigInt(`0x${serial}`)}` }), { ...signLife, issuer: middle }),
    issueTestCertificate(unionPay, { ...signLife, issuer: middle, notBefore: new Date(now.getTime() - 2 * YEAR_MS), notAfter: since }),
    issueTestCertificate(unionPaySubject('某某支付科技有限公司'), { ...signLife, issuer: middle }),
    issueTestCertificate(unionPay, { ...signLife, issuer: foreignMiddle }),
  ]);
  return {
    rootCertPem: root.certPem,
    middleCertPem: middle.certPem,
    unionPaySign: pair(unionPaySign),
    merchantSign: { ...pair(merchantSign), certId: certIdOf(new X509Certificate(merchantSign.certPem)) },
    expiredSign: pair(expiredSign),
    wrongSubjectSign: pair(wrongSubjectSign),
    foreignSign: { ...pair(foreignSign), rootCertPem: foreignRoot.certPem, middleCertPem: foreignMiddle.certPem },
  };
}

/** Where each piece of the PKI lives in a folder. */
export const UNIONPAY_PKI_FILES = {
  root: 'root.pem',
  middle: 'middle.pem',
  unionPaySignCert: 'unionpay-sign.pem',
  unionPaySignKey: 'unionpay-sign.key.pem',
  merchantSignCert: 'merchant-sign.pem',
  merchantSignKey: 'merchant-sign.key.pem',
  expiredSignCert: 'expired-sign.pem',
  expiredSignKey: 'expired-sign.key.pem',
  wrongSubjectSignCert: 'wrong-subject-sign.pem',
  wrongSubjectSignKey: 'wrong-subject-sign.key.pem',
  foreignRoot: 'foreign-root.pem',
  foreignMiddle: 'foreign-middle.pem',
  foreignSignCert: 'foreign-sign.pem',
  foreignSignKey: 'foreign-sign.key.pem',
} as const;

type PkiFile = keyof typeof UNIONPAY_PKI_FILES;

/** Writes the PKI as PEM files (private keys readable by the owner only). */
export function writeUnionPayTestPki(dir: string, pki: UnionPayTestPki): void {
  mkdirSync(dir, { recursive: true });
  const contents: Record<PkiFile, string> = {
    root: pki.rootCertPem,
    middle: pki.middleCertPem,
    unionPaySignCert: pki.unionPaySign.certPem,
    unionPaySignKey: pki.unionPaySign.keyPem,
    merchantSignCert: pki.merchantSign.certPem,
    merchantSignKey: pki.merchantSign.keyPem,
    expiredSignCert: pki.expiredSign.certPem,
    expiredSignKey: pki.expiredSign.keyPem,
    wrongSubjectSignCert: pki.wrongSubjectSign.certPem,
    wrongSubjectSignKey: pki.wrongSubjectSign.keyPem,
    foreignRoot: pki.foreignSign.rootCertPem,
    foreignMiddle: pki.foreignSign.middleCertPem,
    foreignSignCert: pki.foreignSign.certPem,
    foreignSignKey: pki.foreignSign.keyPem,
  };
  for (const [file, name] of Object.entries(UNIONPAY_PKI_FILES)) {
    writeFileSync(join(dir, name), contents[file as PkiFile], { mode: name.endsWith('.key.pem') ? 0o600 : 0o644 });
  }
}

/** Reads a PKI written by {@link writeUnionPayTestPki}; undefined when any file is missing. */
export function readUnionPayTestPki(dir: string): UnionPayTestPki | undefined {
  const paths = Object.values(UNIONPAY_PKI_FILES).map((name) => join(dir, name));
  if (!paths.every((path) => existsSync(path))) return undefined;
  const read = (file: PkiFile) => readFileSync(join(dir, UNIONPAY_PKI_FILES[file]), 'utf8');
  const merchantCertPem = read('merchantSignCert');
  return {
    rootCertPem: read('root'),
    middleCertPem: read('middle'),
    unionPaySign: { certPem: read('unionPaySignCert'), keyPem: read('unionPaySignKey') },
    merchantSign: { certPem: merchantCertPem, keyPem: read('merchantSignKey'), certId: certIdOf(new X509Certificate(merchantCertPem)) },
    expiredSign: { certPem: read('expiredSignCert'), keyPem: read('expiredSignKey') },
    wrongSubjectSign: { certPem: read('wrongSubjectSignCert'), keyPem: read('wrongSubjectSignKey') },
    foreignSign: { certPem: read('foreignSignCert'), keyPem: read('foreignSignKey'), rootCertPem: read('foreignRoot'), middleCertPem: read('foreignMiddle') },
  };
}
