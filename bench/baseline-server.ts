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
 * BASELINE_MODE=same-work does the same work as our endpoint in the fewest statements: the
 * nonce and the per-order lease in one multi-row INSERT into unipay_lease, the order read,
 * the sync record, the lease release (4 statements). A duplicate key falls back to telling a
 * replay from a busy order.
 *
 * BASELINE_MODE=same-sql runs the statements our server ran before it was trimmed (nonce
 * row, order read, sync-lock row, re-read under the lock, sync record, lock release: 6), to
 * tell framework cost from SQL cost.
 */
const SECRET = process.env.UNIPAY_SIGN_SECRET ?? '';
const MODES = ['minimal', 'same-sql', 'same-work'] as const;
const MODE = MODES.find((mode) => mode === process.env.BASELINE_MODE) ?? 'minimal';
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

const INSERT_RECORD =
  'INSERT INTO pay_sync_record (order_id, order_no, biz_order_no, out_order_no, channel, sync_status, channel_response, repaired, repair_no, anomaly, error_code, error_msg, client_ip, source, duration_ms, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** Writes the sync record; `prepared` sends it as a prepared statement, as our server does. */
async function insertRecord(order: RowDataPacket, started: number, prepared = false): Promise<void> {
  const values = [order.id, order.order_no, order.biz_order_no, order.out_order_no, order.channel, 'pay_progress', '{"query":"{\\"state\\":\\"progress\\"}"}', 0, null, null, null, null, null, 'manual', Date.now() - started, new Date()];
  await (prepared ? pool.execute<ResultSetHeader>(INSERT_RECORD, values) : pool.query<ResultSetHeader>(INSERT_RECORD, values));
}

async function handle(body: unknown): Promise<Answer> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { code: 10006, msg: '请求体必须是JSON对象', data: null };
  const fields = body as Record<string, unknown>;
  const { orderNo, reqTime, nonceStr } = fields;
  if (typeof orderNo !== 'string' || orderNo === '' || orderNo.length > 32) return { code: 10006, msg: 'orderNo', data: null };
  if (typeof reqTime !== 'number' || !Number.isInteger(reqTime)) return { code: 10006, msg: 'reqTime', data: null };
  if (!verifySign(fields, SECRET, 'HMAC_SHA256')) return { code: 20052, msg: '验签失败', data: null };
  const started = Date.now();
  const now = Math.floor(started / 1000);
  if (reqTime > now + 60 || reqTime < now - 300) return { code: 10006, msg: 'reqTime', data: null };
  if (MODE === 'same-sql' && typeof nonceStr === 'string' && nonceStr !== '') {
    if (!(await tryLease(`nonce:${nonceStr}`, 'nonce', (reqTime + 301) * 1000))) return { code: 10006, msg: 'nonce', data: null };
  }
  if (MODE === 'same-work') return sameWork(orderNo, reqTime, typeof nonceStr === 'string' ? nonceStr : '', started);
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

/** Nonce and lease in one INSERT, read, record, release. */
async function sameWork(orderNo: string, reqTime: number, nonceStr: string, started: number): Promise<Answer> {
  const lockKey = `pay-sync:${orderNo}`;
  const owner = randomUUID();
  const nonceKey = `nonce:${nonceStr}`;
  const lease = [lockKey, owner, started + 60_000];
  try {
    if (nonceStr) {
      await pool.execute('INSERT INTO unipay_lease (lease_key, owner, expires_at) VALUES (?, ?, ?), (?, ?, ?)', [nonceKey, 'nonce', (reqTime + 301) * 1000, ...lease]);
    } else {
      await pool.execute('INSERT INTO unipay_lease (lease_key, owner, expires_at) VALUES (?, ?, ?)', lease);
    }
  } catch (error) {
    if (!isDuplicate(error)) throw error;
    // Which key was taken: a replayed nonce, or an order another caller is syncing.
    const [taken] = await pool.execute<RowDataPacket[]>('SELECT lease_key FROM unipay_lease WHERE lease_key IN (?, ?)', [nonceKey, lockKey]);
    if (taken.some((row) => row.lease_key === nonceKey)) return { code: 10006, msg: 'nonce', data: null };
    return { code: 10007, msg: '支付同步处理中，请勿重复操作', data: null };
  }
  try {
    const [orders] = await pool.execute<RowDataPacket[]>('SELECT * FROM pay_order WHERE order_no = ? LIMIT 1', [orderNo]);
    if (orders.length === 0) return { code: 0, msg: 'success', data: signed(undefined, 1, '支付订单不存在') };
    await insertRecord(orders[0], started, true);
  } finally {
    await pool.execute('DELETE FROM unipay_lease WHERE lease_key = ? AND owner = ?', [lockKey, owner]);
  }
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
