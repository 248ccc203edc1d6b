import { resolve } from 'node:path';
import { UnionPayEmulator } from './unionpay-emulator';
import { EMULATOR_MERCHANT_ID, generateUnionPayTestPki, readUnionPayTestPki, UNIONPAY_PKI_FILES, UnionPayTestPki, writeUnionPayTestPki } from './unionpay-test-pki';

export interface UnionPayQuickStart {
  emulator: UnionPayEmulator;
  /** The emulator's base URL, e.g. http://127.0.0.1:9103. */
  url: string;
  pki: UnionPayTestPki;
  /** The settings that point the server's UnionPay channel at this emulator. */
  env: Record<string, string>;
}

/**
 * Starts the UnionPay emulator on 127.0.0.1 for the quick start: the test PKI is generated
 * into `dir` the first time (and reused after, so a running server's settings stay valid),
 * and the server settings come back with paths to the PEM files in `dir`.
 */
export async function startUnionPayEmulatorForQuickStart(dir: string, port: number): Promise<UnionPayQuickStart> {
  const folder = resolve(dir);
  let pki = readUnionPayTestPki(folder);
  if (!pki) {
    pki = await generateUnionPayTestPki();
    writeUnionPayTestPki(folder, pki);
  }
  const emulator = new UnionPayEmulator(pki);
  const url = await emulator.start(port, '127.0.0.1');
  return {
    emulator,
    url,
    pki,
    env: {
      UNIPAY_UNIONPAY_ENABLED: 'true',
      UNIPAY_UNIONPAY_MER_ID: EMULATOR_MERCHANT_ID,
      UNIPAY_UNIONPAY_SIGN_PRIVATE_KEY: resolve(folder, UNIONPAY_PKI_FILES.merchantSignKey),
      UNIPAY_UNIONPAY_SIGN_CERT_ID: pki.merchantSign.certId,
      UNIPAY_UNIONPAY_ROOT_CERT: resolve(folder, UNIONPAY_PKI_FILES.root),
      UNIPAY_UNIONPAY_MIDDLE_CERT: resolve(folder, UNIONPAY_PKI_FILES.middle),
      UNIPAY_UNIONPAY_QUERY_URL: `${url}/gateway/api/queryTrans.do`,
    },
  };
}
