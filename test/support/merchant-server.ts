import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One request the merchant received. */
export interface MerchantRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

/** How the merchant answers: a status and body, or silence (a timeout), or a redirect. */
export type MerchantReply = { status: number; body: string; headers?: Record<string, string> } | 'hang';

/**
 * A merchant's notify endpoint on 127.0.0.1: records every request and answers as the test
 * says (by default `SUCCESS`, as a merchant that took the notification).
 */
export class MerchantServer {
  readonly requests: MerchantRequest[] = [];
  reply: (request: MerchantRequest) => MerchantReply = () => ({ status: 200, body: 'SUCCESS' });
  private readonly hung = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<MerchantServer> {
    let merchant: MerchantServer | undefined;
    const server = createServer((req, res) => merchant!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    merchant = new MerchantServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return merchant;
  }

  /** The notifications received for an order, parsed. */
  bodiesFor(orderNo: string): Record<string, unknown>[] {
    return this.requests.map((request) => JSON.parse(request.body) as Record<string, unknown>).filter((body) => body.orderNo === orderNo);
  }

  async stop(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: MerchantRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      this.requests.push(request);
      const reply = this.reply(request);
      if (reply === 'hang') {
        this.hung.add(res);
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body);
    });
  }
}

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
