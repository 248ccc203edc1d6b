import { Injectable } from '@nestjs/common';
import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { ClientRequest, request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { isPublicAddress } from './address-policy';
import { NotifySettings } from './notify.settings';

/** What came of one request to a merchant. */
export interface MerchantAnswer {
  /** The answer's HTTP status; null when there was no answer. */
  status: number | null;
  /** The answer's body as text, when one came in full. */
  body: string | null;
  /** Why there was no usable answer: refused, timed out, blocked, too long, a redirect. */
  error: string | null;
  durationMs: number;
  /** The body is exactly `SUCCESS` and the answer is not a redirect (spec section 8). */
  delivered: boolean;
}

const DELIVERED_BODY = 'SUCCESS';

class RequestRefused extends Error {}

/**
 * The notifier's only way out: one POST of a JSON body, no redirects followed, a connect
 * and a read timeout, a cap on the answer, and, when private destinations are refused, a
 * check of every address the host resolves to, made on the address actually connected to.
 */
@Injectable()
export class MerchantHttp {
  constructor(private readonly settings: NotifySettings) {}

  async post(url: string, body: string): Promise<MerchantAnswer> {
    const started = Date.now();
    const done = (answer: Omit<MerchantAnswer, 'durationMs' | 'delivered'>): MerchantAnswer => ({
      ...answer,
      durationMs: Date.now() - started,
      delivered: answer.error === null && answer.body === DELIVERED_BODY,
    });
    let target: URL;
    try {
      target = this.checked(url);
    } catch (error) {
      return done({ status: null, body: null, error: (error as Error).message });
    }
    try {
      const { status, text } = await this.send(target, body);
      const redirect = status >= 300 && status < 400;
      return done({ status, body: text, error: redirect ? 'a redirect, which is not followed' : null });
    } catch (error) {
      return done({ status: null, body: null, error: describe(error) });
    }
  }

  private checked(url: string): URL {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new RequestRefused('not a valid URL');
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new RequestRefused(`${target.protocol} URLs are not allowed`);
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    if (this.settings.UNIPAY_NOTIFY_BLOCK_PRIVATE_ADDRESSES && isIP(host) && !isPublicAddress(host)) {
      throw new RequestRefused(`destination ${host} is not a public address`);
    }
    return target;
  }

  /** Resolves like the system does, then refuses the host if any of its addresses is not public. */
  private readonly publicLookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
      if (blocked) return callback(new RequestRefused(`destination ${hostname} resolves to ${blocked.address}, not a public address`), '', 0);
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };

  private send(target: URL, body: string): Promise<{ status: number; text: string }> {
    const { UNIPAY_NOTIFY_CONNECT_TIMEOUT_MS: connectMs, UNIPAY_NOTIFY_READ_TIMEOUT_MS: readMs, UNIPAY_NOTIFY_MAX_RESPONSE_BYTES: cap } = this.settings;
    const payload = Buffer.from(body, 'utf8');
    const options: RequestOptions = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length, 'User-Agent': 'unipay-sync-notifier' },
      agent: false,
      lookup: this.settings.UNIPAY_NOTIFY_BLOCK_PRIVATE_ADDRESSES ? this.publicLookup : undefined,
    };
    return new Promise((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      const clear = () => timers.forEach(clearTimeout);
      const fail = (request: ClientRequest, message: string) => request.destroy(new RequestRefused(message));
      const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, options, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > cap) return fail(request, `answer longer than ${cap} bytes`);
          chunks.push(chunk);
        });
        response.on('end', () => {
          clear();
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        response.on('error', (error) => {
          clear();
          reject(error);
        });
      });
      request.on('error', (error) => {
        clear();
        reject(error);
      });
      request.on('socket', (socket) => {
        const connected = () => timers.push(setTimeout(() => fail(request, `no complete answer within ${readMs} ms`), readMs));
        if (!socket.connecting) return connected();
        timers.push(setTimeout(() => fail(request, `no connection within ${connectMs} ms`), connectMs));
        socket.once('connect', () => {
          clearTimeout(timers[0]);
          connected();
        });
      });
      request.end(payload);
    });
  }
}

/** An error in a few words: Node's code (ECONNREFUSED…) with its message, never a stack. */
function describe(error: unknown): string {
  if (error instanceof RequestRefused) return error.message;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return (typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message).slice(0, 200);
}
