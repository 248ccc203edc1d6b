import { PaySyncRecord } from '../../src/sync/pay-sync-record.entity';
import { EMULATOR_MERCHANT_ID, UnionPayTestPki } from '../../src/emulator/unionpay';

/** The server settings that point the UnionPay channel at an emulator, keys given as PEM text. */
export function unionPayServerEnv(pki: UnionPayTestPki, emulatorUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    UNIPAY_UNIONPAY_ENABLED: 'true',
    UNIPAY_UNIONPAY_MER_ID: EMULATOR_MERCHANT_ID,
    UNIPAY_UNIONPAY_SIGN_PRIVATE_KEY: pki.merchantSign.keyPem,
    UNIPAY_UNIONPAY_SIGN_CERT_ID: pki.merchantSign.certId,
    UNIPAY_UNIONPAY_ROOT_CERT: pki.rootCertPem,
    UNIPAY_UNIONPAY_MIDDLE_CERT: pki.middleCertPem,
    UNIPAY_UNIONPAY_QUERY_URL: `${emulatorUrl}/gateway/api/queryTrans.do`,
    UNIPAY_UNIONPAY_TIMEOUT_MS: '1000',
    ...overrides,
  };
}

/** One line out of the middle of a PEM body: enough to find the key anywhere it leaked. */
function pemFragment(pem: string): string {
  const lines = pem.trim().split(/\r?\n/);
  return lines[Math.floor(lines.length / 2)];
}

/** A sync record holds neither a private key, nor the certificate and signature of the answer. */
export function expectNoSecretsIn(record: PaySyncRecord, pki: UnionPayTestPki): void {
  const text = JSON.stringify(record);
  expect(text).not.toContain('PRIVATE KEY');
  expect(text).not.toContain('BEGIN CERTIFICATE');
  expect(text).not.toContain('signature=');
  expect(text).not.toContain('signPubKeyCert');
  for (const pem of [pki.merchantSign.keyPem, pki.unionPaySign.keyPem, pki.unionPaySign.certPem]) {
    expect(text).not.toContain(pemFragment(pem));
  }
}

/** What a refund sync record kept of UnionPay's answer: the `refund_query` text, '' when none. */
export function recordedRefundQuery(channelResponse: string | null): string {
  return (JSON.parse(channelResponse ?? '{}') as { refund_query?: string }).refund_query ?? '';
}
