import { CliError } from './cli.error';

export const SYNC_PATH = '/unipay/sync/pay';
export const REFUND_SYNC_PATH = '/unipay/sync/refund';
const TIMEOUT_MS = 30_000;

export interface HttpAnswer {
  status: number;
  text: string;
}

/** The server's base URL as given, checked; a path prefix (behind a proxy) is kept. */
export function parseBaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw CliError.usage(`invalid --url '${raw}': expected something like http://127.0.0.1:9999`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw CliError.usage(`invalid --url '${raw}': only http and https are supported`);
  }
  if (url.username || url.password) {
    // Credentials in the URL would end up in error messages and shell history.
    throw CliError.usage('invalid --url: credentials in the URL are not supported');
  }
  return url;
}

function networkReason(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  // fetch wraps the socket error: "fetch failed" with the useful part in `cause`.
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return typeof cause.message === 'string' && cause.message ? cause.message : cause.code;
  if (cause && typeof cause.message === 'string' && cause.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** POSTs sync requests to a running server: the CLI's only outbound HTTP. */
export class PaySyncClient {
  readonly endpoint: string;

  /** `path`: the pay sync endpoint, or refund sync's. */
  constructor(baseUrl: URL, path: string = SYNC_PATH) {
    this.endpoint = `${baseUrl.origin}${baseUrl.pathname.replace(/\/+$/, '')}${path}`;
  }

  async post(body: Record<string, unknown>): Promise<HttpAnswer> {
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      throw CliError.failure(`cannot reach ${this.endpoint}: ${networkReason(error)}`);
    }
  }
}
