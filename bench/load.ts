import autocannon = require('autocannon');
import { sign, verifySign } from '../src/sign/daxpay-sign';
import { orderNo, prng } from './db';

/**
 * The load generator, run as its own process so it does not share the server's event loop.
 * Input: one JSON argument (LoadSpec). Output: one JSON line (LoadResult) on stdout.
 *
 * Every request is a fresh signed body (unique nonceStr, current reqTime), signed ahead of
 * time into a pool that autocannon's setupRequest walks through; request k asks for order
 * k mod `orders`, so no two requests in flight hit the same order (the per-order lock would
 * answer 10007). Every answer is classified and a sample of signatures is verified.
 */
export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  secret: string;
  orders: number;
  prefix: string;
  /** Makes nonces unique across runs against one database (they are remembered 300 s). */
  runTag: string;
  /** Bodies signed ahead of time; past it, bodies are signed on the fly (and counted). */
  poolSize: number;
  seed: number;
  /** Leave `nonceStr` out (the sync then costs one statement less). */
  noNonce?: boolean;
  /** `refund`: POST /unipay/sync/refund for the refunds of the orders (refundNo R + order number). */
  kind?: 'pay' | 'refund';
}

export interface LoadResult {
  connections: number;
  durationSeconds: number;
  responses: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Outer `code` → count, e.g. {"0": 51234}. */
  codes: Record<string, number>;
  /** Answers with code 0 and data {status: pay_progress, code: 0}. */
  progressAnswers: number;
  signaturesChecked: number;
  signaturesBad: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  signedLive: number;
  /** autocannon's own figures (integer ms histogram), for comparison. */
  autocannon: { requestsAverage: number; p50: number; p99: number };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function body(spec: LoadSpec, k: number, start: number): string {
  const fields: Record<string, unknown> = {
    [spec.kind === 'refund' ? 'refundNo' : 'orderNo']: `${spec.kind === 'refund' ? 'R' : ''}${orderNo(spec.prefix, (start + k) % spec.orders)}`,
    reqTime: Math.floor(Date.now() / 1000),
  };
  if (!spec.noNonce) fields.nonceStr = `${spec.runTag}${k.toString(36)}`;
  fields.sign = sign(fields, spec.secret, 'HMAC_SHA256');
  return JSON.stringify(fields);
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const start = Math.floor(prng(spec.seed)() * spec.orders);
  const pool: string[] = [];
  for (let k = 0; k < spec.poolSize; k += 1) pool.push(body(spec, k, start));
  let next = 0;
  let signedLive = 0;
  const codes: Record<string, number> = {};
  let progressAnswers = 0;
  let seen = 0;
  let signaturesChecked = 0;
  let signaturesBad = 0;
  let latencies = new Float64Array(1 << 16);
  let count = 0;

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.durationSeconds,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: spec.kind === 'refund' ? '/unipay/sync/refund' : '/unipay/sync/pay',
            headers: { 'content-type': 'application/json' },
            setupRequest: (request) => {
              const k = next;
              next += 1;
              let text = pool[k];
              if (text === undefined) {
                text = body(spec, k, start);
                signedLive += 1;
              }
              return { ...request, body: text };
            },
            onResponse: (_status, text) => {
              seen += 1;
              const code = /^\{"code":(-?\d+)/.exec(text)?.[1] ?? 'unparsed';
              codes[code] = (codes[code] ?? 0) + 1;
              if (code === '0' && text.includes(spec.kind === 'refund' ? '"data":{"status":"refund_progress","code":0,' : '"data":{"status":"pay_progress","code":0,')) progressAnswers += 1;
              if (seen % 100 === 1) {
                signaturesChecked += 1;
                try {
                  const data = (JSON.parse(text) as { data: Record<string, unknown> | null }).data;
                  if (!data || !verifySign(data, spec.secret, 'HMAC_SHA256')) signaturesBad += 1;
                } catch {
                  signaturesBad += 1;
                }
              }
            },
          },
        ],
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const sorted = latencies.slice(0, count).sort();
        resolve({
          connections: spec.connections,
          durationSeconds: result.duration,
          responses: count,
          requestsPerSecond: count / result.duration,
          p50Ms: percentile(sorted, 50),
          p90Ms: percentile(sorted, 90),
          p99Ms: percentile(sorted, 99),
          maxMs: percentile(sorted, 100),
          codes,
          progressAnswers,
          signaturesChecked,
          signaturesBad,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          signedLive,
          autocannon: { requestsAverage: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 },
        });
      },
    );
    // Exact (sub-millisecond) latency of every answer; autocannon's histogram keeps whole ms.
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count] = responseTime;
      count += 1;
    });
  });
}

if (require.main === module) {
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  runLoad(spec).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
