import { Injectable } from '@nestjs/common';
import { ChannelError } from '../pay-channel';

export interface ChannelHttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface ChannelHttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/**
 * The one HTTP client of every channel: a timeout on each call and no retries, because a
 * sync that fails is recorded and the scheduled job tries again later. Network failures and
 * timeouts become ChannelError; any HTTP status is returned for the channel to interpret.
 */
@Injectable()
export class ChannelHttp {
  async send(request: ChannelHttpRequest): Promise<ChannelHttpResponse> {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(request.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new ChannelError(`通道请求超时（${request.timeoutMs} ms）`);
      }
      const cause = (error as { cause?: { code?: string } })?.cause?.code;
      throw new ChannelError(`通道网络错误${cause ? `: ${cause}` : ''}`);
    }
    let body: string;
    try {
      body = await response.text();
    } catch {
      throw new ChannelError(`通道请求超时（${request.timeoutMs} ms）`);
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, headers, body };
  }
}
