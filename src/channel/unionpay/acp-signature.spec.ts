import { createHash, createPrivateKey, verify, X509Certificate } from 'node:crypto';
import { generateUnionPayTestPki, issueTestCertificate, UnionPayTestPki } from '../../emulator/unionpay/unionpay-test-pki';
import { certificateOrganisation, certIdOf, UnionPayTrust } from './acp-certificate';
import { AcpFields, acpSortedString } from './acp-form';
import { acpAnswerProblem, acpSign, acpSignatureValid } from './acp-signature';

describe('ACP 5.1.0 signatures and UnionPay certificates', () => {
  let pki: UnionPayTestPki;
  let trust: UnionPayTrust;
  const answer: AcpFields = { orderId: 'T1', respCode: '00', reqReserved: '{a=1&b=2}', respMsg: '成功[0000000]', txnAmt: '1999' };

  beforeAll(async () => {
    pki = await generateUnionPayTestPki();
    trust = { root: new X509Certificate(pki.rootCertPem), middle: new X509Certificate(pki.middleCertPem), organisation: '中国银联股份有限公司' };
  });

  function signedBy(signer: { certPem: string; keyPem: string }, fields: AcpFields = answer): AcpFields {
    const withCert = { ...fields, signPubKeyCert: signer.certPem };
    return { ...withCert, signature: acpSign(withCert, createPrivateKey(signer.keyPem)) };
  }

  it('signs the UTF-8 bytes of the lowercase hex SHA-256 of the sorted string, not the string itself', () => {
    const key = createPrivateKey(pki.merchantSign.keyPem);
    const publicKey = new X509Certificate(pki.merchantSign.certPem).publicKey;
    const signature = acpSign({ ...answer, signature: 'ignored' }, key);
    const sorted = acpSortedString(answer);
    const hex = createHash('sha256').update(sorted, 'utf8').digest('hex');
    expect(verify('sha256', Buffer.from(hex, 'utf8'), publicKey, Buffer.from(signature, 'base64'))).toBe(true);
    expect(verify('sha256', Buffer.from(sorted, 'utf8'), publicKey, Buffer.from(signature, 'base64'))).toBe(false);
    expect(acpSignatureValid({ ...answer, signature }, publicKey)).toBe(true);
    expect(acpSignatureValid({ ...answer, txnAmt: '1998', signature }, publicKey)).toBe(false);
  });

  it('certId is the serial number in decimal', () => {
    const certificate = new X509Certificate(pki.merchantSign.certPem);
    expect(certIdOf(certificate)).toBe(BigInt(`0x${certificate.serialNumber}`).toString());
    expect(pki.merchantSign.certId).toMatch(/^\d+$/);
  });

  it('trusts an answer signed by UnionPay’s certificate under the configured chain', () => {
    expect(acpAnswerProblem(signedBy(pki.unionPaySign), trust, new Date())).toBeUndefined();
  });

  it.each([
    ['expiredSign', '签名证书不在有效期内'],
    ['foreignSign', '签名证书不是配置的中级证书签发的'],
    ['wrongSubjectSign', '签名证书不属于中国银联股份有限公司'],
  ] as const)('refuses an answer signed with %s: %s', (signer, problem) => {
    expect(acpAnswerProblem(signedBy(pki[signer]), trust, new Date())).toBe(problem);
  });

  it('refuses when the time is outside the certificate’s validity, before or after', () => {
    const fields = signedBy(pki.unionPaySign);
    expect(acpAnswerProblem(fields, trust, new Date(Date.now() - 3 * 86400_000))).toBe('签名证书不在有效期内');
    expect(acpAnswerProblem(fields, trust, new Date(Date.now() + 3 * 365 * 86400_000))).toBe('签名证书不在有效期内');
  });

  it('refuses a middle that the configured root did not issue', () => {
    const fields = signedBy(pki.unionPaySign);
    const foreignRoot = new X509Certificate(pki.foreignSign.rootCertPem);
    expect(acpAnswerProblem(fields, { ...trust, root: foreignRoot }, new Date())).toBe('中级证书不是配置的根证书签发的');
    expect(acpAnswerProblem(fields, { ...trust, root: trust.middle }, new Date())).toBe('中级证书不是配置的根证书签发的');
  });

  it('refuses a missing signature, a missing or broken certificate, and a signature over other fields', () => {
    const fields = signedBy(pki.unionPaySign);
    const { signature, ...unsigned } = fields;
    expect(acpAnswerProblem(unsigned, trust, new Date())).toBe('应答没有签名');
    const { signPubKeyCert, ...withoutCert } = fields;
    expect(acpAnswerProblem(withoutCert, trust, new Date())).toBe('应答没有签名证书 signPubKeyCert');
    expect(acpAnswerProblem({ ...fields, signPubKeyCert: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }, trust, new Date())).toBe('应答的签名证书无法解析');
    expect(acpAnswerProblem({ ...fields, respCode: '34' }, trust, new Date())).toBe('签名不正确');
    expect(acpAnswerProblem({ ...fields, signature: `${signature.slice(0, -4)}AAA=` }, trust, new Date())).toBe('签名不正确');
    expect(signPubKeyCert).toContain('BEGIN CERTIFICATE');
  });

  describe('certificateOrganisation', () => {
    const life = { ca: false, notBefore: new Date(Date.now() - 86400_000), notAfter: new Date(Date.now() + 86400_000) };
    const organisationOf = async (organisation: string, commonName: string) =>
      certificateOrganisation(new X509Certificate((await issueTestCertificate({ organisation, commonName }, life)).certPem));

    it('is the third @ part of the CN, as UnionPay’s SDKs read it', async () => {
      expect(await organisationOf('CFCA', '086@1@中国银联股份有限公司@00040000:SIGN@69026276696')).toBe('中国银联股份有限公司');
      // The organisation one place earlier is not where UnionPay puts it, and O does not rescue it.
      expect(await organisationOf('中国银联股份有限公司', '086@中国银联股份有限公司@00040000:SIGN@69026276696')).toBe('00040000:SIGN');
      expect(await organisationOf('中国银联股份有限公司', '086@中国银联股份有限公司')).toBeUndefined();
    });

    it('falls back to O only when the CN has no @', async () => {
      expect(await organisationOf('中国银联股份有限公司', 'UnionPay Signing')).toBe('中国银联股份有限公司');
    });
  });
});
