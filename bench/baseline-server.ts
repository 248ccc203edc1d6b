import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { createPool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { sign, verifySign } from '../src/sign/daxpay-sign';
import { MYSQL } from './db';

/**
 * The bare baseline for POST /unipay/sync/pay: node:http + mysql2, no framework. Per request
 * it parses the JSON, verifies the DaxPay signature with verifySign, checks reqTime, reads the
 * order, asks an in-memory channel (progress), writes a sync record row and signs the answer.
 *
 * BASELINE_MODE=same-sql also runs the statements our server runs per request (nonce row,
 * sync-lock row, re-read under the lock, lock release), to tell framework cost from SQL cost.
 */
const SECRET = process.env.UNIPAY_SIGN_SECRET ?? '';
const MODE = process.env.BASELINE_MODE === 'same-sql' ? 'same-sql' : 'minimal';
const pool = createPool({
  ...MYSQL,
  database: process.env.UNIPAY_DB_NAME,
  timezone: 'Z',
  connectionLimit: Number(process.env.UNIPAY_DB_POOL_SIZE ?? 10),
  supportBigNumbers: true,
});

interface Answer {
  code: number;
  msg: string;
  data: Record<string, unknown> | null;
}

const TRACE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function traceId(): string {
  let id = '';
  for (const byte of randomBytes(12)) id += TRACE[byte % TRACE.length];
  return id;
}

function signed(status: string | undefined, code: number, msg?: string): Record<string, unknown> {
  const data: Record<string, unknown> = { status, code, msg, resTime: Math.floor(Date.now() / 1000) };
  data.sign = sign({ ...data }, SECRET, 'HMAC_SHA256');
  return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
}

function isDuplicate(error: unknown): boolean {
  return (error as { code?: string }).code === 'ER_DUP_ENTRY';
}

async function tryLease(key: string, owner: string, expiresAt: number): Promise<boolean> {
  try {
    await pool.query('INSERT INTO unipay_lease (lease_key, owner, expires_at) VALUES (?, ?, ?)', [key, owner, expiresAt]);
    return true;
  } catch (error) {
    if (!isDuplicate(error)) throw error;
    return false;
  }
}

async function insertRecord(order: RowDataPacket, started: number): Promise<void> {
  await pool.query<ResultSetHeader>(
    'INSERT INTO pay_sync_record (order_id, order_no, biz_order_no, out_order_no, channel, sync_status, channel_response, repaired, repair_no, anomaly, error_code, error_msg, client_ip, source, duration_ms, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [order.id, order.order_no, order.biz_order_no, order.out_order_no, order.channel, 'pay_progress', '{"query":"{\\"state\\":\\"progress\\"}"}', false, null, null, null, null, null, 'manual', Date.now() - started, new Date()],
  );
}

async function handle(body: unknown): Promise<Answer> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { code: 10006, msg: '请求体必须是JSON对象', data: null };
  const fields = body as Record<string, unknown>;
  const { orderNo, reqTime, nonceStr } = fields;
  if (typeof orderNo !== 'string' || orderNo === '' || orderNo.length > 32) return { code: 10006, msg: 'orderNo', data: null };
  if (typeof reqTime !== 'number' || !Number.isInteger(reqTime)) return { code: 10006, msg: 'reqTime', data: null };
  if (!verifySign(fields, SECRET, 'HMAC_SHA256')) return { code: 20000, msg: '未通过签名验证', data: null };
  const started = Date.now();
  const now = Math.floor(started / 1000);
  if (reqTime > now + 60 || reqTime < now - 300) return { code: 10006, msg: 'reqTime', data: null };
  if (MODE === 'same-sql' && typeof nonceStr === 'string' && nonceStr !== '') {
    if (!(await tryLease(`nonce:${nonceStr}`, 'nonce', (reqTime + 301) * 1000))) return { code: 10006, msg: 'nonce', data: null };
  }
  const [orders] = await pool.query<RowDataPacket[]>('SELECT * FROM pay_order WHERE order_no = ? LIMIT 1', [orderNo]);
  if (orders.length === 0) return { code: 0, msg: 'success', data: signed(undefined, 1, '支付订单不存在') };
  let order = orders[0];
  if (MODE === 'same-sql') {
    const lockKey = `pay-sync:${orderNo}`;
    const owner = randomUUID();
    if (!(await tryLease(lockKey, owner, started + 60_000))) return { code: 10007, msg: '支付同步处理中，请勿重复操作', data: null };
    try {
      const [again] = await pool.query<RowDataPacket[]>('SELECT * FROM pay_order WHERE id = ? LIMIT 1', [order.id]);
      order = again[0] ?? order;
      await insertRecord(order, started);
    } finally {
      await pool.query('DELETE FROM unipay_lease WHERE lease_key = ? AND owner = ?', [lockKey, owner]);
    }
  } else {
    await insertRecord(order, started);
  }
  // The in-memory channel answers at once: still waiting for the buyer.
  return { code: 0, msg: 'success', data: signed('pay_progress', 0) };
}

function send(response: ServerResponse, answer: Answer): void {
  const text = JSON.stringify({ code: answer.code, msg: answer.msg, data: answer.data, traceId: traceId() });
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  if (request.method !== 'POST' || request.url !== '/unipay/sync/pay') {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      send(response, { code: 10006, msg: 'bad JSON', data: null });
      return;
    }
    handle(body).then(
      (answer) => send(response, answer),
      (error: unknown) => {
        console.error(error);
        send(response, { code: 1, msg: 'server error', data: null });
      },
    );
  });
});

server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`listening on http://127.0.0.1:${port} (baseline ${MODE}, pid ${process.pid})`);
});
process.on('SIGTERM', () => {
  server.close();
  void pool.end().finally(() => process.exit(0));
});
