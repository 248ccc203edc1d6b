import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** What an emulator answers for one trade; each channel's emulator reads its own fields. */
export interface EmulatedTrade {
  [field: string]: unknown;
}

export interface EmulatorReply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export interface EmulatorRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const ADMIN = '/__emulator/trades/';

/**
 * The plumbing every channel emulator shares: an HTTP server on loopback, a table of trades
 * that tests (or a person) set through `PUT /__emulator/trades/:id`, per-trade call counts
 * (`GET /__emulator/trades/:id`), and `DELETE /__emulator/trades` to forget them all. The
 * channel protocol itself is in the subclass.
 */
export abstract class EmulatorServer {
  protected readonly trades = new Map<string, EmulatedTrade>();
  protected readonly calls = new Map<string, Record<string, number>>();
  private server?: Server;

  /** Answers one protocol request. */
  protected abstract handle(request: EmulatorRequest): Promise<EmulatorReply>;

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => void this.dispatch(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    const address = this.server.address() as AddressInfo;
    return `http://${host}:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  setTrade(id: string, trade: EmulatedTrade): void {
    this.trades.set(id, trade);
  }

  /** How many times each operation was called for the trade, e.g. `{query: 2, close: 1}`. */
  callsOf(id: string): Record<string, number> {
    return { ...(this.calls.get(id) ?? {}) };
  }

  protected count(id: string, operation: string): void {
    const counts = this.calls.get(id) ?? {};
    counts[operation] = (counts[operation] ?? 0) + 1;
    this.calls.set(id, counts);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let reply: EmulatorReply;
    try {
      reply = req.url?.startsWith(ADMIN.slice(0, -1)) ? this.admin(req, body) : await this.handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body });
    } catch (error) {
      reply = { status: 500, body: `emulator error: ${(error as Error).message}` };
    }
    if (res.destroyed) return;
    res.writeHead(reply.status, reply.headers ?? { 'content-type': 'application/json; charset=utf-8' });
    res.end(reply.body);
  }

  private admin(req: IncomingMessage, body: string): EmulatorReply {
    const id = decodeURIComponent((req.url ?? '').slice(ADMIN.length));
    if (req.method === 'DELETE') {
      this.trades.clear();
      this.calls.clear();
      return { status: 204, body: '' };
    }
    if (req.method === 'PUT' && id) {
      this.setTrade(id, JSON.parse(body) as EmulatedTrade);
      return { status: 200, body: JSON.stringify({ id, trade: this.trades.get(id) }) };
    }
    if (req.method === 'GET' && id) {
      return { status: 200, body: JSON.stringify({ id, trade: this.trades.get(id) ?? null, calls: this.callsOf(id) }) };
    }
    return { status: 404, body: '{"error":"unknown emulator admin call"}' };
  }
}
