import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchChannelStats } from './bench-pay.channel';
import { BenchDatabase, databaseVersion, dropLeftovers, questions } from './db';
import type { LoadResult, LoadSpec } from './load';
import { profileMarkdown, summarizeProfile } from './profile-summary';
import { sign } from '../src/sign/daxpay-sign';

/*
 * `npm run bench`: builds bench/ (with src/) to dist-bench/ and runs this driver, which
 * starts the real server (createApp + the bench channel) and a bare baseline as child
 * processes on 127.0.0.1, loads them with autocannon from another child process, and writes
 * the table to BENCHMARKS.md. `--quick` is a short smoke run written to bench/results/.
 */

const ROOT = join(__dirname, '..', '..');
const DIST = join(ROOT, 'dist-bench', 'bench');
const RESULTS = join(ROOT, 'bench', 'results');
const QUICK = process.argv.includes('--quick');
const PROFILE = !process.argv.includes('--no-profile');
const SECRET = 'bench-secret-0123456789abcdef';

function envInt(name: string, full: number, quick: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return QUICK ? quick : full;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`${name} must be a non-negative integer`);
  return number;
}

function envList(name: string, full: number[], quick: number[]): number[] {
  const value = process.env[name];
  if (value === undefined || value === '') return QUICK ? quick : full;
  return value.split(',').map((item) => {
    const number = Number(item);
    if (!Number.isInteger(number) || number <= 0) throw new Error(`${name} must be a list of positive integers`);
    return number;
  });
}

const S = {
  durationSeconds: envInt('BENCH_DURATION_SECONDS', 5, 2),
  warmupSeconds: envInt('BENCH_WARMUP_SECONDS', 3, 1),
  repetitions: Math.max(1, envInt('BENCH_REPETITIONS', 5, 1)),
  connections: envList('BENCH_CONNECTIONS', [1, 16, 64], [1, 16, 64]),
  manualOrders: envInt('BENCH_MANUAL_ORDERS', 2000, 2000),
  sweepOrders: envInt('BENCH_SWEEP_ORDERS', 10_000, 2000),
  sweepDelayMs: envInt('BENCH_SWEEP_DELAY_MS', 50, 50),
  /** The slower channel of the scaling runs (one instance against two). */
  scaleDelayMs: envInt('BENCH_SCALE_DELAY_MS', 200, 200),
  scaleOrders: envInt('BENCH_SCALE_ORDERS', 6000, 2000),
  repairOrders: envInt('BENCH_REPAIR_ORDERS', 300, 100),
  sweepConcurrency: envInt('BENCH_SWEEP_CONCURRENCY', 64, 64),
  sweepBatchSize: envInt('BENCH_SWEEP_BATCH_SIZE', 200, 200),
  sweepRepetitions: Math.max(1, envInt('BENCH_SWEEP_REPETITIONS', 3, 1)),
  /** 1: also time one instance with a pool of C connections (adds about a minute). */
  sweepWidePool: envInt('BENCH_SWEEP_WIDE_POOL', 0, 0),
  fairnessOrders: envInt('BENCH_FAIRNESS_ORDERS', 5000, 2000),
  memoryOrders: envList('BENCH_MEMORY_ORDERS', [10_000, 100_000], [2000, 20_000]),
  dbPoolSize: envInt('BENCH_DB_POOL_SIZE', 10, 10),
  seed: envInt('BENCH_SEED', 20251127, 20251127),
};
const OUTPUT = process.env.BENCH_OUTPUT ?? (QUICK ? join(RESULTS, 'BENCHMARKS.quick.md') : join(ROOT, 'BENCHMARKS.md'));

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

// ---------------------------------------------------------------- processes

/** CPU time (user + system) of a process so far, in ms, from /proc/<pid>/stat. */
function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 (utime, stime) are 11 and 12 after the command name; clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

function mariadbPid(): number | undefined {
  try {
    const out = execFileSync('pgrep', ['-x', 'mariadbd'], { encoding: 'utf8' }).trim().split('\n')[0];
    return out ? Number(out) : undefined;
  } catch {
    try {
      const out = execFileSync('pgrep', ['-x', 'mysqld'], { encoding: 'utf8' }).trim().split('\n')[0];
      return out ? Number(out) : undefined;
    } catch {
      return undefined;
    }
  }
}

const children = new Set<Child>();

class Child {
  /** Rounds of the scheduled job this server logged (`sweep: due N`), and their orders. */
  rounds = 0;
  roundOrders = 0;
  private tail = '';

  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
    readonly url: string,
    readonly output: () => string,
  ) {}

  /** Counts the job's round lines in the server's output as it comes. */
  watch(chunk: string): void {
    const text = this.tail + chunk;
    const lines = text.split('\n');
    this.tail = lines.pop() ?? '';
    for (const line of lines) {
      const match = /sweep: due (\d+)/.exec(line);
      if (match) {
        this.rounds += 1;
        this.roundOrders += Number(match[1]);
      }
    }
  }

  get pid(): number {
    return this.process.pid!;
  }

  static start(name: string, script: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<Child> {
    const child = spawn(process.execPath, [...nodeArgs, join(DIST, script)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${name} did not start in 60 s:\n${output}`));
      }, 60_000);
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match && timer) {
          clearTimeout(timer);
          const started = new Child(name, child, match[1], () => output);
          children.add(started);
          child.stdout!.off('data', onData);
          child.stdout!.on('data', (more: Buffer) => {
            output = (output + more.toString()).slice(-20_000);
            started.watch(more.toString());
          });
          resolve(started);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code}:\n${output}`));
      });
    });
  }

  async stop(): Promise<void> {
    children.delete(this);
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
      this.process.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      this.process.kill('SIGTERM');
    });
  }

  async json<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const init: RequestInit = body === undefined ? { method } : { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
    const response = await fetch(`${this.url}${path}`, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`${this.name} ${method} ${path}: HTTP ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }
}

/** A signed sync request for one order, as a merchant's SDK sends it. */
function signedBody(orderNo: string, nonceStr: string): Record<string, unknown> {
  const fields: Record<string, unknown> = { orderNo, reqTime: Math.floor(Date.now() / 1000), nonceStr };
  fields.sign = sign(fields, SECRET, 'HMAC_SHA256');
  return fields;
}

async function stopAll(): Promise<void> {
  await Promise.all([...children].map((child) => child.stop()));
}

/** Runs the load generator in its own process and returns what it measured. */
function runLoad(spec: LoadSpec): Promise<LoadResult & { loadCpuMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(DIST, 'load.js'), JSON.stringify(spec)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let loadCpu = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      loadCpu = cpuMs(child.pid);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`load generator exited with ${code}: ${err}`));
        return;
      }
      resolve({ ...(JSON.parse(out.trim().split('\n').pop()!) as LoadResult), loadCpuMs: loadCpu });
    });
  });
}

// ---------------------------------------------------------------- scenarios

interface ManualRun extends LoadResult {
  target: string;
  rep: number;
  statementsPerRequest: number;
  serverCpuPercent: number;
  dbCpuPercent: number;
  loadCpuMs: number;
}

function serverEnv(database: BenchDatabase, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...database.env,
    UNIPAY_HOST: '127.0.0.1',
    UNIPAY_PORT: '0',
    UNIPAY_LOG_LEVEL: 'log',
    UNIPAY_SIGN_SECRET: SECRET,
    UNIPAY_DB_POOL_SIZE: String(S.dbPoolSize),
    UNIPAY_SWEEP_ENABLED: 'false',
    UNIPAY_SWEEP_CONCURRENCY: String(S.sweepConcurrency),
    UNIPAY_SWEEP_BATCH_SIZE: String(S.sweepBatchSize),
    UNIPAY_SWEEP_RATE_PER_SECOND: '100000',
    UNIPAY_SWEEP_GRACE_SECONDS: '0',
    UNIPAY_SWEEP_INTERVAL_SECONDS: '1',
    BENCH_SWEEP_DELAY_MS: String(S.sweepDelayMs),
    BENCH_MANUAL_DELAY_MS: '0',
    ...extra,
  };
}

let runCounter = 0;

async function measure(
  target: Child,
  database: BenchDatabase,
  connections: number,
  seconds: number,
  rep: number,
  dbPid?: number,
  noNonce = false,
  kind: 'pay' | 'refund' = 'pay',
): Promise<ManualRun> {
  runCounter += 1;
  const spec: LoadSpec = {
    url: target.url,
    connections,
    durationSeconds: seconds,
    secret: SECRET,
    orders: S.manualOrders,
    prefix: 'M',
    runTag: `r${runCounter.toString(36)}x${Date.now().toString(36)}`,
    // Sized from the run's length; past it bodies are signed on the fly (reported).
    poolSize: Math.max(20_000, seconds * 6000),
    seed: S.seed + runCounter,
    noNonce,
    kind,
  };
  const q0 = await questions(database.pool);
  const server0 = cpuMs(target.pid);
  const db0 = cpuMs(dbPid);
  const result = await runLoad(spec);
  const q1 = await questions(database.pool);
  const serverCpu = cpuMs(target.pid) - server0;
  const dbCpu = cpuMs(dbPid) - db0;
  return {
    ...result,
    target: `${target.name}${kind === 'refund' ? '-refund' : ''}${noNonce ? '-no-nonce' : ''}`,
    rep,
    // Minus the two SHOW GLOBAL STATUS of the driver.
    statementsPerRequest: result.responses > 0 ? (q1 - q0 - 2) / result.responses : 0,
    serverCpuPercent: (100 * serverCpu) / (result.durationSeconds * 1000),
    dbCpuPercent: (100 * dbCpu) / (result.durationSeconds * 1000),
  };
}

function check(run: ManualRun): string[] {
  const problems: string[] = [];
  const bad = Object.entries(run.codes).filter(([code]) => code !== '0');
  if (bad.length > 0) problems.push(`${run.target} ${run.connections}c rep ${run.rep}: non-zero codes ${JSON.stringify(Object.fromEntries(bad))}`);
  if (run.progressAnswers !== run.responses) problems.push(`${run.target} ${run.connections}c rep ${run.rep}: ${run.responses - run.progressAnswers} answers not {code 0, pay_progress or refund_progress}`);
  if (run.signaturesBad > 0) problems.push(`${run.target} ${run.connections}c rep ${run.rep}: ${run.signaturesBad} bad answer signatures`);
  if (run.errors > 0 || run.timeouts > 0 || run.non2xx > 0) problems.push(`${run.target} ${run.connections}c rep ${run.rep}: errors ${run.errors}, timeouts ${run.timeouts}, non-2xx ${run.non2xx}`);
  return problems;
}

interface SweepStatus {
  id: number;
  startedAt: number;
  finishedAt?: number;
  summary?: { due: number; synced: number; repaired: number; failed: number };
  error?: string;
  rssBeforeBytes: number;
  sampledPeakRssBytes: number;
  vmHwmKb?: number | null;
  hwmReset: boolean;
}

interface Stats {
  channel: BenchChannelStats;
  sweepStatements: number;
  rssBytes: number;
  heapUsedBytes: number;
  vmHwmKb: number | null;
  vmRssKb: number | null;
}

async function waitSweep(server: Child, timeoutMs = 900_000): Promise<SweepStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await server.json<SweepStatus | null>('GET', '/bench/sweep');
    if (status?.finishedAt !== undefined) {
      if (status.error) throw new Error(`${server.name}: sweep failed: ${status.error}`);
      return status;
    }
    if (Date.now() > deadline) throw new Error(`${server.name}: sweep did not finish`);
    await sleep(100);
  }
}

interface SweepRun {
  method: 'job';
  instances: number;
  rep: number;
  orders: number;
  wallMs: number;
  ordersPerSecond: number;
  ideal: number;
  queries: number;
  records: number;
  distinctOrders: number;
  repairs: number;
  perInstanceDue: number[];
  maxInFlight: number;
  averageInFlight: number;
  /** Rounds each instance ran (the job's log lines; 1 for a direct runRound()). */
  rounds: number[];
  leftClaims: number;
  /** CPU of the server process(es) (summed) and of MariaDB over the run, 100 % = one core. */
  serverCpuPercent: number;
  dbCpuPercent: number;
  statementsPerOrder: number;
  /** The job's own statements (claims, records, reschedules) per order. */
  jobStatementsPerOrder: number;
  /** Channel delay of the run. */
  delayMs: number;
  /** From the first channel query to the last record: the round itself, without the wait for the tick. */
  activeMs: number;
  activeOrdersPerSecond: number;
  /** Connections per instance, when not BENCH_DB_POOL_SIZE. */
  pool?: number;
}

interface Meter {
  stop(orders: number, wallMs: number): Promise<{ serverCpuPercent: number; dbCpuPercent: number; statementsPerOrder: number }>;
}

const DB_PID = mariadbPid();

/** CPU of the given processes and of MariaDB, and the database's statement count, from now on. */
async function meter(servers: Child[], database: BenchDatabase): Promise<Meter> {
  const q0 = await questions(database.pool);
  const server0 = servers.reduce((sum, server) => sum + cpuMs(server.pid), 0);
  const db0 = cpuMs(DB_PID);
  return {
    async stop(orders, wallMs) {
      const server1 = servers.reduce((sum, server) => sum + cpuMs(server.pid), 0);
      const db1 = cpuMs(DB_PID);
      const q1 = await questions(database.pool);
      return {
        serverCpuPercent: (100 * (server1 - server0)) / wallMs,
        dbCpuPercent: (100 * (db1 - db0)) / wallMs,
        statementsPerOrder: (q1 - q0) / orders,
      };
    },
  };
}

/** The checks every sweep run must pass; a failure is reported in the file and fails the run. */
function sweepProblems(run: SweepRun): string[] {
  const problems: string[] = [];
  const what = `sweep (${run.method}${run.pool ? `, pool ${run.pool}` : ''}) of ${run.orders} on ${run.instances} instance(s), rep ${run.rep}`;
  if (run.queries !== run.orders) problems.push(`${what}: channel queries ${run.queries} ≠ ${run.orders} orders`);
  if (run.records !== run.orders || run.distinctOrders !== run.orders) problems.push(`${what}: sync records ${run.records} (distinct orders ${run.distinctOrders}) ≠ ${run.orders}`);
  if (run.perInstanceDue.reduce((a, b) => a + b, 0) !== run.orders) problems.push(`${what}: claimed ${run.perInstanceDue.join('+')} ≠ ${run.orders}`);
  if (run.repairs !== Math.ceil(run.orders / 4)) problems.push(`${what}: repairs ${run.repairs} ≠ ${Math.ceil(run.orders / 4)}`);
  if (run.leftClaims !== 0) problems.push(`${what}: ${run.leftClaims} claims left on orders`);
  if (run.instances > 1 && run.perInstanceDue.some((due) => due === 0)) problems.push(`${what}: an instance took no part`);
  return problems;
}

async function sweepFacts(database: BenchDatabase): Promise<{ records: number; distinctOrders: number; repairs: number; leftClaims: number }> {
  return {
    records: await database.scalar("SELECT COUNT(*) FROM pay_sync_record WHERE source = 'scheduled'"),
    distinctOrders: await database.scalar('SELECT COUNT(DISTINCT order_id) FROM pay_sync_record'),
    repairs: await database.scalar('SELECT COUNT(*) FROM pay_repair_record'),
    leftClaims: await database.scalar('SELECT COUNT(*) FROM pay_order WHERE sync_lease_owner IS NOT NULL'),
  };
}

/**
 * The scheduled job as deployed: server processes with the job on (a round every second),
 * timed from the commit of the seeding transaction (all orders due at once) until every order
 * has its sync record (polled every 50 ms).
 */
async function sweepByJob(servers: Child[], database: BenchDatabase, orders: number, rep: number, delayMs = S.sweepDelayMs): Promise<SweepRun> {
  await database.truncate();
  for (const server of servers) await server.json('POST', '/bench/reset');
  const jobStatementsBefore = (await Promise.all(servers.map((server) => server.json<Stats>('GET', '/bench/stats')))).reduce((sum, st) => sum + st.sweepStatements, 0);
  const roundsBefore = servers.map((server) => server.rounds);
  const dueBefore = servers.map((server) => server.roundOrders);
  await database.seedOrders('S', orders, S.seed, true);
  const metered = await meter(servers, database);
  const started = Date.now();
  const deadline = started + 900_000;
  while ((await database.scalar('SELECT COUNT(*) FROM pay_sync_record')) < orders) {
    if (Date.now() > deadline) throw new Error(`the job did not sync ${orders} orders in 900 s`);
    await sleep(50);
  }
  const wallMs = Date.now() - started;
  const used = await metered.stop(orders, wallMs);
  // Let the last reschedules and round logs land.
  await sleep(500);
  const stats = await Promise.all(servers.map((server) => server.json<Stats>('GET', '/bench/stats')));
  const busyMs = stats.reduce((sum, st) => sum + st.channel.busyMs, 0);
  const firstQuery = Math.min(...stats.map((st) => st.channel.firstSweepQueryAt).filter((at) => at > 0));
  const activeMs = started + wallMs - firstQuery;
  return {
    method: 'job',
    instances: servers.length,
    rep,
    orders,
    wallMs,
    ordersPerSecond: (orders * 1000) / wallMs,
    delayMs,
    activeMs,
    activeOrdersPerSecond: (orders * 1000) / activeMs,
    jobStatementsPerOrder: (stats.reduce((sum, st) => sum + st.sweepStatements, 0) - jobStatementsBefore) / orders,
    ideal: (servers.length * S.sweepConcurrency * 1000) / Math.max(1, delayMs),
    queries: stats.reduce((sum, st) => sum + st.channel.sweepQueries, 0),
    ...(await sweepFacts(database)),
    perInstanceDue: servers.map((server, i) => server.roundOrders - dueBefore[i]),
    maxInFlight: Math.max(...stats.map((st) => st.channel.maxInFlight)),
    averageInFlight: busyMs / activeMs,
    rounds: servers.map((server, i) => server.rounds - roundsBefore[i]),
    ...used,
  };
}

// ---------------------------------------------------------------- report

function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function mb(bytes: number): string {
  return fmt(bytes / 1048576, 1);
}

async function main(): Promise<void> {
  const began = Date.now();
  mkdirSync(RESULTS, { recursive: true });
  const leftovers = await dropLeftovers();
  if (leftovers.length > 0) log(`dropped leftover databases: ${leftovers.join(', ')}`);
  const dbVersion = await databaseVersion();
  const dbPid = DB_PID;
  const loadBefore = loadavg();
  log(`${QUICK ? 'quick' : 'full'} run; ${cpus().length} cores, Node ${process.version}, ${dbVersion}; load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`);
  log(`settings ${JSON.stringify(S)}`);
  const problems: string[] = [];

  // ---- 1. manual sync: ours against the bare baseline
  const manualDb = await BenchDatabase.create('manual');
  const sweepDb = await BenchDatabase.create('sweep');
  const cleanup = async () => {
    await stopAll();
    await manualDb.drop().catch(() => undefined);
    await sweepDb.drop().catch(() => undefined);
  };
  process.once('SIGINT', () => {
    log('interrupted: stopping the servers and dropping the databases');
    void cleanup().finally(() => process.exit(130));
  });

  try {
    const ours = await Child.start('ours', 'server.js', serverEnv(manualDb));
    await manualDb.seedOrders('M', S.manualOrders, S.seed);
    await manualDb.seedRefunds('M');
    const baselineEnv = { ...manualDb.env, UNIPAY_SIGN_SECRET: SECRET, UNIPAY_DB_POOL_SIZE: String(S.dbPoolSize) };
    const baseline = await Child.start('baseline', 'baseline-server.js', baselineEnv);
    const sameWork = await Child.start('baseline-same-work', 'baseline-server.js', { ...baselineEnv, BASELINE_MODE: 'same-work' });
    log(`servers up: ours ${ours.url}, baseline ${baseline.url}, baseline-same-work ${sameWork.url}`);
    for (const target of [ours, sameWork, baseline]) {
      log(`warm-up ${target.name}: 16 connections, ${S.warmupSeconds} s`);
      const warm = await measure(target, manualDb, 16, S.warmupSeconds, 0, dbPid);
      problems.push(...check(warm));
    }
    const runs: ManualRun[] = [];
    for (let rep = 1; rep <= S.repetitions; rep += 1) {
      for (const connections of S.connections) {
        // Alternated, so that a slow patch of the machine hits all three alike.
        for (const target of [ours, sameWork, baseline]) {
          const run = await measure(target, manualDb, connections, S.durationSeconds, rep, dbPid);
          problems.push(...check(run));
          runs.push(run);
          log(`${target.name} ${connections}c rep ${rep}: ${fmt(run.requestsPerSecond)} req/s, p50 ${fmt(run.p50Ms, 2)} ms, p99 ${fmt(run.p99Ms, 2)} ms, codes ${JSON.stringify(run.codes)}, ${run.statementsPerRequest.toFixed(1)} SQL/req`);
        }
        if (connections === 16) {
          // Refund sync beside pay sync: the same server, load and answer path (the channel says processing).
          const refundRun = await measure(ours, manualDb, connections, S.durationSeconds, rep, dbPid, false, 'refund');
          problems.push(...check(refundRun));
          runs.push(refundRun);
          log(`ours refund sync ${connections}c rep ${rep}: ${fmt(refundRun.requestsPerSecond)} req/s, p50 ${fmt(refundRun.p50Ms, 2)} ms, p99 ${fmt(refundRun.p99Ms, 2)} ms, codes ${JSON.stringify(refundRun.codes)}, ${refundRun.statementsPerRequest.toFixed(1)} SQL/req`);
        }
      }
    }
    // Without a nonce, for the statement count (and the rate that goes with it).
    for (const target of [ours, sameWork]) {
      const run = await measure(target, manualDb, 16, S.durationSeconds, 1, dbPid, true);
      problems.push(...check(run));
      runs.push(run);
      log(`${run.target} 16c: ${fmt(run.requestsPerSecond)} req/s, ${run.statementsPerRequest.toFixed(2)} SQL/req`);
    }
    await baseline.stop();
    await sameWork.stop();

    // A manual sync that repairs: each of these orders is paid at the channel, synced once.
    await manualDb.seedOrders('P', S.repairOrders, S.seed);
    const repairQ0 = await questions(manualDb.pool);
    for (let i = 0; i < S.repairOrders; i += 1) {
      const answer = await ours.json<{ code: number; data?: { status?: string } }>('POST', '/unipay/sync/pay', signedBody(`P${String(i).padStart(9, '0')}`, `repair${i}x${Date.now().toString(36)}`));
      if (answer.code !== 0 || answer.data?.status !== 'pay_success') problems.push(`repair sync ${i}: ${JSON.stringify(answer)}`);
    }
    const repairQ1 = await questions(manualDb.pool);
    // The event's delivery by the outbox comes after the answer: counted apart.
    await sleep(2000);
    const repairQ2 = await questions(manualDb.pool);
    const repaired = await manualDb.scalar("SELECT COUNT(*) FROM pay_repair_record WHERE order_no LIKE 'P%'");
    if (repaired !== S.repairOrders) problems.push(`repair syncs: ${repaired} repairs for ${S.repairOrders} orders`);
    const repairStatements = { perSync: (repairQ1 - repairQ0 - 1) / S.repairOrders, outboxPerRepair: (repairQ2 - repairQ1 - 1) / S.repairOrders };
    log(`manual syncs that repair: ${repairStatements.perSync.toFixed(2)} SQL/sync, then ${repairStatements.outboxPerRepair.toFixed(2)} SQL/repair for the outbox`);

    const pick = (target: string, connections: number) => runs.filter((run) => run.target === target && run.connections === connections);
    const med = (target: string, connections: number, key: keyof ManualRun) => median(pick(target, connections).map((run) => Number(run[key])));
    /**
     * The median of the per-repetition ratios: each repetition runs the servers back to back,
     * so its ratio is measured on the same state of the machine (this VM drifts by 15 % and
     * more over minutes). The ratio of the medians is shown beside it.
     */
    const pairedRatio = (a: string, b: string, connections: number) => {
      const ratios: number[] = [];
      for (let rep = 1; rep <= S.repetitions; rep += 1) {
        const x = runs.find((run) => run.target === a && run.connections === connections && run.rep === rep);
        const y = runs.find((run) => run.target === b && run.connections === connections && run.rep === rep);
        if (x && y && y.requestsPerSecond > 0) ratios.push(x.requestsPerSecond / y.requestsPerSecond);
      }
      return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
    };

    // ---- profile of the server under the 16-connection load
    let profileText = '';
    if (PROFILE) {
      const profileName = `server-16c${QUICK ? '.quick' : ''}.cpuprofile`;
      const path = join(RESULTS, profileName);
      log('profiling ours under 16 connections');
      await ours.json('POST', '/bench/profile/start?intervalUs=250');
      const profiled = await measure(ours, manualDb, 16, S.durationSeconds, 0, dbPid);
      problems.push(...check(profiled));
      await ours.json('POST', `/bench/profile/stop?path=${encodeURIComponent(path)}`);
      profileText = [
        `Server profiled through the inspector (sampling every 250 µs) during one ${S.durationSeconds}-s load at 16 connections ` +
          `(${fmt(profiled.requestsPerSecond)} req/s while profiled; server process CPU ${fmt(profiled.serverCpuPercent)} %, MariaDB ${fmt(profiled.dbCpuPercent)} %). ` +
          `Raw profile: \`bench/results/${profileName}\` (open it in Chrome DevTools); summary by \`node dist-bench/bench/profile-summary.js\`.`,
        '',
        profileMarkdown(summarizeProfile(path, 15)),
      ].join('\n');
    }

    // ---- 4. fairness: the manual endpoint while a sweep runs in the same process
    const fairness: { p99: number; p50: number; rps: number; sweepRate: number; overlap: boolean }[] = [];
    for (let rep = 1; rep <= S.repetitions; rep += 1) {
      await manualDb.pool.query("DELETE FROM pay_order WHERE order_no LIKE 'S%'");
      await manualDb.seedOrders('S', S.fairnessOrders, S.seed);
      await ours.json('POST', '/bench/reset');
      const sweepStarted = await ours.json<SweepStatus>('POST', '/bench/sweep');
      await sleep(1000);
      const run = await measure(ours, manualDb, 16, S.durationSeconds, rep, dbPid);
      const loadEnded = Date.now();
      problems.push(...check({ ...run, target: 'ours during sweep' }));
      const swept = await waitSweep(ours);
      const overlap = swept.finishedAt! >= loadEnded;
      if (!overlap) problems.push(`fairness rep ${rep}: the sweep ended before the load (raise BENCH_SWEEP_ORDERS)`);
      const sweepRate = (swept.summary!.due * 1000) / (swept.finishedAt! - sweepStarted.startedAt);
      fairness.push({ p99: run.p99Ms, p50: run.p50Ms, rps: run.requestsPerSecond, sweepRate, overlap });
      log(`fairness rep ${rep}: ${fmt(run.requestsPerSecond)} req/s, p50 ${fmt(run.p50Ms, 2)} ms, p99 ${fmt(run.p99Ms, 2)} ms during a sweep of ${swept.summary!.due} (${fmt(sweepRate)} orders/s)`);
    }
    await ours.stop();

    // ---- 2. sweep throughput: the job in one and in two processes
    const sweeps: SweepRun[] = [];
    const record = (run: SweepRun) => {
      sweeps.push(run);
      problems.push(...sweepProblems(run));
      log(`sweep ${run.method}${run.pool ? ` pool ${run.pool}` : ''} ${run.instances} instance(s) at ${run.delayMs} ms rep ${run.rep}: ${run.orders} orders in ${fmt(run.wallMs)} ms = ${fmt(run.ordersPerSecond)} orders/s from the seed, ${fmt(run.activeOrdersPerSecond)} from the first query (ideal ${fmt(run.ideal)}), job SQL/order ${run.jobStatementsPerOrder.toFixed(3)}, queries ${run.queries}, claimed ${run.perInstanceDue.join('+')} in ${run.rounds.join('+')} round(s), in flight avg ${run.averageInFlight.toFixed(1)} max ${run.maxInFlight}, server CPU ${fmt(run.serverCpuPercent)} %, MariaDB ${fmt(run.dbCpuPercent)} %, ${run.statementsPerOrder.toFixed(1)} SQL/order`);
    };
    const jobEnv = serverEnv(sweepDb, { UNIPAY_SWEEP_ENABLED: 'true' });
    const jobs = [await Child.start('job-1', 'server.js', jobEnv)];
    await sweepByJob(jobs, sweepDb, Math.min(2000, S.sweepOrders), 0); // warm-up, not counted
    for (let rep = 1; rep <= S.sweepRepetitions; rep += 1) record(await sweepByJob(jobs, sweepDb, S.sweepOrders, rep));
    if (S.sweepWidePool) {
      // The same with a connection pool as large as the concurrency: is the pool the limit?
      await jobs[0].stop();
      const widePool = Math.min(S.sweepConcurrency, 100);
      jobs[0] = await Child.start('job-1-wide-pool', 'server.js', { ...jobEnv, UNIPAY_DB_POOL_SIZE: String(widePool) });
      await sweepByJob(jobs, sweepDb, Math.min(2000, S.sweepOrders), 0);
      for (let rep = 1; rep <= S.sweepRepetitions; rep += 1) record({ ...(await sweepByJob(jobs, sweepDb, S.sweepOrders, rep)), pool: widePool });
      await jobs[0].stop();
      jobs[0] = await Child.start('job-1', 'server.js', jobEnv);
    }
    // Scaling: one instance against two on a slower channel, where the bound and not the CPU limits them.
    await jobs[0].stop();
    const scaleEnv = { ...jobEnv, BENCH_SWEEP_DELAY_MS: String(S.scaleDelayMs) };
    jobs[0] = await Child.start('job-1-slow', 'server.js', scaleEnv);
    await sweepByJob(jobs, sweepDb, Math.min(2000, S.scaleOrders), 0, S.scaleDelayMs);
    for (let rep = 1; rep <= S.sweepRepetitions; rep += 1) record(await sweepByJob(jobs, sweepDb, S.scaleOrders, rep, S.scaleDelayMs));
    jobs.push(await Child.start('job-2-slow', 'server.js', scaleEnv));
    await sweepByJob(jobs, sweepDb, Math.min(2000, S.scaleOrders), 0, S.scaleDelayMs);
    for (let rep = 1; rep <= S.sweepRepetitions; rep += 1) record(await sweepByJob(jobs, sweepDb, S.scaleOrders, rep, S.scaleDelayMs));
    await Promise.all(jobs.map((server) => server.stop()));

    // ---- 3. memory as work grows: a fresh process per size
    const memory: { orders: number; idleRss: number; peakHwm: number; sampledPeak: number; wallMs: number; hwmReset: boolean; heapBefore: number; heapAfter: number }[] = [];
    for (const orders of S.memoryOrders) {
      await sweepDb.truncate();
      await sweepDb.seedOrders('S', orders, S.seed);
      const server = await Child.start(`memory-${orders}`, 'server.js', serverEnv(sweepDb), ['--expose-gc']);
      await sleep(1000);
      const heapBefore = (await server.json<Stats>('GET', '/bench/stats?gc=1')).heapUsedBytes;
      const started = await server.json<SweepStatus>('POST', '/bench/sweep');
      const done = await waitSweep(server);
      const after = await server.json<Stats>('GET', '/bench/stats?gc=1');
      const queries = after.channel.sweepQueries;
      await server.stop();
      if (queries !== orders) problems.push(`memory sweep of ${orders}: channel queries ${queries}`);
      const peakHwm = done.vmHwmKb ? done.vmHwmKb * 1024 : done.sampledPeakRssBytes;
      memory.push({ orders, idleRss: started.rssBeforeBytes, peakHwm, sampledPeak: done.sampledPeakRssBytes, wallMs: done.finishedAt! - done.startedAt, hwmReset: done.hwmReset, heapBefore, heapAfter: after.heapUsedBytes });
      log(`memory ${orders}: RSS before ${mb(started.rssBeforeBytes)} MB, peak ${mb(peakHwm)} MB (sampled ${mb(done.sampledPeakRssBytes)} MB), ${fmt(done.finishedAt! - done.startedAt)} ms, queries ${queries}`);
    }

    // ---- the report
    const loadAfter = loadavg();
    const elapsed = (Date.now() - began) / 1000;
    const lines: string[] = [];
    lines.push('# Benchmarks', '');
    lines.push(`Written by \`npm run bench${QUICK ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC in ${fmt(elapsed)} s. Do not edit the figures by hand; run it again.`, '');
    lines.push('| machine | |', '|---|---|');
    lines.push(`| CPU | ${cpus().length} cores (${cpus()[0]?.model ?? '?'}) |`);
    lines.push(`| Node.js | ${process.version} |`);
    lines.push(`| database | MariaDB/MySQL ${dbVersion} on 127.0.0.1:3306 (settings as found: nothing tuned) |`);
    lines.push(`| load average (1/5/15 min) | before ${loadBefore.map((l) => l.toFixed(2)).join(' / ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' / ')} |`);
    lines.push(`| settings | ${Object.entries(S).map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(',') : value}`).join(', ')} |`);
    lines.push('');
    lines.push('Everything runs on this one machine: the server, MariaDB and the load generator (autocannon in its own process) share the cores, so the absolute figures are those of a small box; the ratios are the point.', '');

    // ---- targets (issue 10), each with its figure from this run
    {
      const rps = (target: string, c: number) => med(target, c, 'requestsPerSecond');
      const ratio = (a: string, b: string, c: number) => pairedRatio(a, b, c).median;
      const withNonce = med('ours', 16, 'statementsPerRequest');
      const withoutNonce = pick('ours-no-nonce', 16)[0]?.statementsPerRequest ?? NaN;
      const sweep50 = sweeps.filter((run) => run.instances === 1 && run.delayMs === S.sweepDelayMs && run.pool === undefined);
      const sweepRound = median(sweep50.map((run) => run.activeOrdersPerSecond)) / (sweep50[0]?.ideal ?? NaN);
      const jobStatements = Math.max(...sweeps.map((run) => run.jobStatementsPerOrder));
      const rate = (instances: number) => median(sweeps.filter((run) => run.instances === instances && run.delayMs === S.scaleDelayMs).map((run) => run.activeOrdersPerSecond));
      const fair = median(fairness.map((f) => f.p99)) / med('ours', 16, 'p99Ms');
      const memoryRatio = memory.length >= 2 ? memory[memory.length - 1].peakHwm / memory[0].peakHwm : NaN;
      const rows: [string, string, number, (v: number) => boolean, number][] = [
        ['manual sync / same-work baseline, 16 connections', '≥ 0.85', ratio('ours', 'baseline-same-work', 16), (v) => v >= 0.85, 2],
        ['manual sync / same-work baseline, 64 connections', '≥ 0.85', ratio('ours', 'baseline-same-work', 64), (v) => v >= 0.85, 2],
        ['manual sync / read-and-record baseline, 16 connections', '≥ 0.5', ratio('ours', 'baseline', 16), (v) => v >= 0.5, 2],
        ['manual sync / read-and-record baseline, 64 connections', '≥ 0.5', ratio('ours', 'baseline', 64), (v) => v >= 0.5, 2],
        ['statements per no-change sync, with a nonce', '≤ 4', withNonce, (v) => v <= 4.05, 2],
        ['statements per no-change sync, without a nonce', '≤ 3', withoutNonce, (v) => v <= 3.05, 2],
        ['statements a repair adds (before the answer)', '≤ 2', repairStatements.perSync - withNonce, (v) => v <= 2.05, 2],
        [`sweep, 1 instance, C = ${S.sweepConcurrency}, ${S.sweepDelayMs} ms channel: round / (C / delay)`, '≥ 0.9', sweepRound, (v) => v >= 0.9, 2],
        ['sweep: job statements per order (claims, records, reschedules)', '≤ 2', jobStatements, (v) => v <= 2, 3],
        [`sweep, ${S.scaleDelayMs} ms channel: two instances / one`, '≥ 1.7', rate(2) / rate(1), (v) => v >= 1.7, 2],
        ['fairness: endpoint p99 during a sweep / alone', '≤ 1.5', fair, (v) => v <= 1.5, 2],
        ['memory: peak RSS, 10× the due orders', '≤ 1.2', memoryRatio, (v) => v <= 1.2, 2],
      ];
      lines.push('## Targets', '');
      lines.push('The targets of issue 10, each with its figure from this run (sections below). A ratio is only meaningful against the baseline measured in the same run; the manual ratios are the medians of the per-repetition ratios (section 1).', '');
      lines.push('| target | goal | this run | met |', '|---|---:|---:|:---:|');
      for (const [name, goal, value, met, digits] of rows) lines.push(`| ${name} | ${goal} | ${Number.isFinite(value) ? value.toFixed(digits) : 'not measured'} | ${Number.isFinite(value) && met(value) ? 'yes' : '**no**'} |`);
      lines.push('');
      // At scale: what 1,000 syncs a second cost the database, from the figures above.
      const manualDbCpu = med('ours', 16, 'dbCpuPercent') / (rps('ours', 16) / 1000);
      const sweepRun = sweep50[0];
      const sweepDbCpu = sweepRun ? median(sweep50.map((run) => run.dbCpuPercent)) / (median(sweep50.map((run) => run.ordersPerSecond)) / 1000) : NaN;
      lines.push('### Cost per 1,000 syncs a second, measured', '');
      lines.push('| | statements/s | MariaDB CPU (% of one core of this machine) |', '|---|---:|---:|');
      lines.push(`| manual syncs (no change, with a nonce) | ${fmt(withNonce * 1000)} | ${fmt(manualDbCpu)} % |`);
      lines.push(`| manual syncs that repair (plus the outbox's delivery) | ${fmt((repairStatements.perSync + repairStatements.outboxPerRepair) * 1000)} | not measured apart |`);
      if (sweepRun) lines.push(`| swept orders (a quarter repaired), all statements | ${fmt(median(sweep50.map((run) => run.statementsPerOrder)) * 1000)} | ${fmt(sweepDbCpu)} % |`);
      lines.push('', 'MariaDB CPU per 1,000/s is the database process\'s CPU over the run divided by the rate in thousands: on this box the database also shares its two cores with the server and the load generator, so read it as an upper bound. See "At scale, on paper" in the notes for what it means for one MySQL primary.', '');
    }

    lines.push('## 1. Manual sync: `POST /unipay/sync/pay`', '');
    lines.push(`${S.manualOrders} \`progress\` orders on the bench channel, which answers \`progress\` at once (never repaired, synced again and again). Every request is a fresh signed body (unique \`nonceStr\`, current \`reqTime\`, HMAC_SHA256), signed ahead of time and cycled over the orders so no two requests in flight hit the same order. Median of ${S.repetitions} run(s) of ${S.durationSeconds} s after a ${S.warmupSeconds}-s warm-up, the three servers alternated; latency from every answer (sub-ms).`, '');
    lines.push(`Two baselines in \`bench/baseline-server.ts\`, both \`node:http\` + \`mysql2\` with a pool of ${S.dbPoolSize} like ours, parsing the JSON, \`verifySign\`, checking \`reqTime\` and signing the answer: **same work** (\`BASELINE_MODE=same-work\`) also checks the nonce and takes a per-order lease, in 4 statements (nonce and lease in one multi-row INSERT, order read, sync record, lease release, as prepared statements); **read and record** only reads the order and writes the record (2 statements).`, '');
    lines.push('| connections | ours req/s | ours p50 / p99 ms | same-work req/s | same-work p50 / p99 ms | read-and-record req/s | ours / same-work: median of the paired runs (their range; ratio of the medians) | ours / read-and-record: the same | SQL statements/req ours / same-work / read-and-record | server CPU ours / same-work | MariaDB CPU ours / same-work |');
    lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const c of S.connections) {
      const rps = (target: string) => med(target, c, 'requestsPerSecond');
      const pairedText = (baseline: string, connections: number) => {
        const paired = pairedRatio('ours', baseline, connections);
        return `**${paired.median.toFixed(2)}** (${paired.min.toFixed(2)}–${paired.max.toFixed(2)}; ${(rps('ours') / rps(baseline)).toFixed(2)})`;
      };
      lines.push(
        `| ${c} | ${fmt(rps('ours'))} | ${fmt(med('ours', c, 'p50Ms'), 2)} / ${fmt(med('ours', c, 'p99Ms'), 2)} | ${fmt(rps('baseline-same-work'))} | ${fmt(med('baseline-same-work', c, 'p50Ms'), 2)} / ${fmt(med('baseline-same-work', c, 'p99Ms'), 2)} | ${fmt(rps('baseline'))} | ${pairedText('baseline-same-work', c)} | ${pairedText('baseline', c)} | ${med('ours', c, 'statementsPerRequest').toFixed(2)} / ${med('baseline-same-work', c, 'statementsPerRequest').toFixed(2)} / ${med('baseline', c, 'statementsPerRequest').toFixed(2)} | ${fmt(med('ours', c, 'serverCpuPercent'))} % / ${fmt(med('baseline-same-work', c, 'serverCpuPercent'))} % | ${fmt(med('ours', c, 'dbCpuPercent'))} % / ${fmt(med('baseline-same-work', c, 'dbCpuPercent'))} % |`,
      );
    }
    lines.push('');
    const noNonce = (target: string) => pick(`${target}-no-nonce`, 16)[0];
    if (noNonce('ours')) {
      lines.push(`Without \`nonceStr\` (16 connections, one run): ours ${noNonce('ours').statementsPerRequest.toFixed(2)} statements/req at ${fmt(noNonce('ours').requestsPerSecond)} req/s, same-work ${noNonce('baseline-same-work').statementsPerRequest.toFixed(2)} at ${fmt(noNonce('baseline-same-work').requestsPerSecond)} req/s.`, '');
    }
    lines.push(`A sync that repairs (${S.repairOrders} orders paid at the channel, each synced once, one request at a time): **${repairStatements.perSync.toFixed(2)}** statements per sync before its answer (the no-change path plus the repair's transaction: BEGIN, the order's conditional UPDATE, the repair record, the outbox event, COMMIT; the record is finished inside it), then ${repairStatements.outboxPerRepair.toFixed(2)} per repair for the outbox's delivery of the event, after the answer.`, '');
    const answers = runs.reduce(
      (sum, run) => {
        for (const [code, count] of Object.entries(run.codes)) sum[code] = (sum[code] ?? 0) + count;
        return sum;
      },
      {} as Record<string, number>,
    );
    const checked = runs.reduce((sum, run) => sum + run.signaturesChecked, 0);
    const live = runs.reduce((sum, run) => sum + run.signedLive, 0);
    lines.push(`Answers counted over all measured runs, by outer \`code\`: ${Object.entries(answers).map(([code, count]) => `${code}: ${fmt(count)}`).join(', ')}; every one checked for \`data.status\` \`pay_progress\` with \`data.code\` 0, and ${fmt(checked)} answer signatures verified (1 in 100). Bodies signed on the fly after the pre-signed pool ran out: ${fmt(live)}. "SQL statements/req" is MariaDB's global \`Questions\` counter over the run divided by the answers (so it would include other clients: read it on a quiet machine). CPU columns are the process's user+system time over the run's wall time (100 % = one core).`, '');

    if (pick('ours-refund', 16).length > 0) {
      const refundPaired = pairedRatio('ours-refund', 'ours', 16);
      lines.push('## 1b. Refund sync beside pay sync: `POST /unipay/sync/refund`', '');
      lines.push(`The same server and load generator at 16 connections, in the same repetitions, right after each pay run: ${S.manualOrders} \`progress\` refunds (one of each manual order), which the bench channel reports still processing, so each sync is read, asked and recorded and changes nothing (the refund's counterpart of the pay no-change sync). Every request freshly signed with a unique \`nonceStr\`.`, '');
      lines.push('| sync | req/s | p50 / p99 ms | SQL statements/req | server CPU | MariaDB CPU |');
      lines.push('|---|---:|---:|---:|---:|---:|');
      for (const [label, target] of [['pay (`/unipay/sync/pay`)', 'ours'], ['refund (`/unipay/sync/refund`)', 'ours-refund']] as const) {
        lines.push(`| ${label} | ${fmt(med(target, 16, 'requestsPerSecond'))} | ${fmt(med(target, 16, 'p50Ms'), 2)} / ${fmt(med(target, 16, 'p99Ms'), 2)} | ${med(target, 16, 'statementsPerRequest').toFixed(2)} | ${fmt(med(target, 16, 'serverCpuPercent'))} % | ${fmt(med(target, 16, 'dbCpuPercent'))} % |`);
      }
      lines.push('', `Refund / pay, median of the paired repetitions: **${refundPaired.median.toFixed(2)}** (${refundPaired.min.toFixed(2)}–${refundPaired.max.toFixed(2)}). Refund sync takes the refund's lock (the attempt's record, which keeps the nonce), reads the refund under it, checks that its pay order is there, asks the channel and finishes the record: four fixed statements, one more than pay sync, whose order read is also its only check.`, '');
    }

    lines.push('## 2. Sweep throughput', '');
    lines.push(`Due orders on the bench channel, which answers after the delay given (one in four paid, so a quarter are repaired in a transaction; the rest are rescheduled). Concurrency C = ${S.sweepConcurrency} per instance, batch ${S.sweepBatchSize}, the rate limit out of the way (100000/s), grace 0, pool ${S.dbPoolSize} connections per instance.`, '');
    lines.push(`Timed as deployed: server processes (the bench entry, \`bench/server.ts\`) on one database with the scheduled job on (\`UNIPAY_SWEEP_INTERVAL_SECONDS=1\`); the orders are seeded in one transaction. "From the seed" runs from its commit until every order has its sync record (polled every 50 ms), so it includes the wait for the job's next tick (up to 1 s); "round" runs from the channel's first query to the same end, the sweep itself. Sections 3 and 4 instead call \`PaySyncSweeper.runRound()\` directly in the server process through a bench-only route (job timer off).`);
    lines.push('', `Ideal bound = instances × C / delay. Median of ${S.sweepRepetitions} run(s) each, after a warm-up round; the database is emptied and reseeded before each run.`, '');
    lines.push('| instances | channel delay | orders | orders/s from the seed | orders/s over the round | ideal bound | round / bound | channel calls in flight: average / max | orders claimed per instance (rounds) | server CPU | MariaDB CPU | job statements/order (claims, records, reschedules) | all SQL statements/order |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    const sweepGroups = (instances: number, delayMs: number) => sweeps.filter((run) => run.instances === instances && run.delayMs === delayMs && run.pool === undefined);
    const roundRate = (instances: number, delayMs: number) => median(sweepGroups(instances, delayMs).map((run) => run.activeOrdersPerSecond));
    for (const [instances, delayMs] of [[1, S.sweepDelayMs], [1, S.scaleDelayMs], [2, S.scaleDelayMs]] as const) {
      const group = sweepGroups(instances, delayMs);
      if (group.length === 0) continue;
      const rate = roundRate(instances, delayMs);
      const mid = [...group].sort((x, y) => Math.abs(x.activeOrdersPerSecond - rate) - Math.abs(y.activeOrdersPerSecond - rate))[0];
      lines.push(`| ${instances} | ${delayMs} ms | ${fmt(group[0].orders)} | ${fmt(median(group.map((run) => run.ordersPerSecond)))} | ${fmt(rate)} | ${fmt(group[0].ideal)} | **${(rate / group[0].ideal).toFixed(2)}** | ${median(group.map((run) => run.averageInFlight)).toFixed(1)} / ${Math.max(...group.map((run) => run.maxInFlight))} | ${mid.perInstanceDue.map((due, i) => `${fmt(due)} (${mid.rounds[i]})`).join(' + ')} | ${fmt(median(group.map((run) => run.serverCpuPercent)))} % | ${fmt(median(group.map((run) => run.dbCpuPercent)))} % | ${median(group.map((run) => run.jobStatementsPerOrder)).toFixed(3)} | ${median(group.map((run) => run.statementsPerOrder)).toFixed(2)} |`);
    }
    const one = roundRate(1, S.scaleDelayMs);
    const two = roundRate(2, S.scaleDelayMs);
    if (one > 0 && two > 0) lines.push('', `Two instances / one instance at ${S.scaleDelayMs} ms: **${(two / one).toFixed(2)}** (over the round; ${(median(sweepGroups(2, S.scaleDelayMs).map((r) => r.ordersPerSecond)) / median(sweepGroups(1, S.scaleDelayMs).map((r) => r.ordersPerSecond))).toFixed(2)} from the seed).`);
    lines.push('', 'Every run also asserted: exactly one scheduled sync record per order (distinct orders = orders), a quarter of the orders repaired once, claims adding up to the orders, no claim left behind. "In flight" is the channel\'s own count of queries waiting at once (average = total channel wait / round time). "Job statements" are counted by the job itself (`PaySyncSweeper.statements`); "all SQL statements" is MariaDB\'s `Questions` over the run divided by the orders, so it also holds the repairs\' transactions, the outbox\'s deliveries of their events and the bench\'s own polling.', '');

    lines.push('## 3. Memory as work grows', '');
    lines.push(`Peak RSS of the process doing the sweep: a fresh server process per size, one \`runRound()\` over all due orders (channel delay ${S.sweepDelayMs} ms, C = ${S.sweepConcurrency}). Peak = the kernel's VmHWM after the round, reset (\`/proc/self/clear_refs\` 5) just before it${memory.every((m) => m.hwmReset) ? '' : ' (the reset failed on this machine: the peak includes the boot)'}; cross-checked by sampling \`process.memoryUsage().rss\` every 20 ms.`, '');
    lines.push('| due orders | RSS before the round (MB) | peak RSS during the round (MB) | sampled peak (MB) | live heap after a full GC, before → after the round (MB) | round time (s) | orders/s |');
    lines.push('|---:|---:|---:|---:|---:|---:|---:|');
    for (const m of memory) lines.push(`| ${fmt(m.orders)} | ${mb(m.idleRss)} | ${mb(m.peakHwm)} | ${mb(m.sampledPeak)} | ${mb(m.heapBefore)} → ${mb(m.heapAfter)} | ${fmt(m.wallMs / 1000, 1)} | ${fmt((m.orders * 1000) / m.wallMs)} |`);
    if (memory.length >= 2) {
      const [small, large] = [memory[0], memory[memory.length - 1]];
      lines.push('', `Peak ratio ${fmt(large.orders)} / ${fmt(small.orders)} orders: **${(large.peakHwm / small.peakHwm).toFixed(2)}** for ${(large.orders / small.orders).toFixed(0)}× the work (growth over the idle RSS: ${mb(small.peakHwm - small.idleRss)} MB → ${mb(large.peakHwm - large.idleRss)} MB).`);
    }
    lines.push('');

    lines.push('## 4. Fairness: the manual endpoint while a sweep runs', '');
    const alone99 = med('ours', 16, 'p99Ms');
    const alone50 = med('ours', 16, 'p50Ms');
    const during99 = median(fairness.map((f) => f.p99));
    const during50 = median(fairness.map((f) => f.p50));
    lines.push(`16 connections on \`POST /unipay/sync/pay\` for ${S.durationSeconds} s, starting 1 s into a \`runRound()\` over ${fmt(S.fairnessOrders)} due orders in the same server process (C = ${S.sweepConcurrency}, channel delay ${S.sweepDelayMs} ms); the sweep outlasted the load in ${fairness.filter((f) => f.overlap).length} of ${fairness.length} run(s). Median of ${fairness.length}.`, '');
    lines.push('| | req/s | p50 ms | p99 ms |', '|---|---:|---:|---:|');
    lines.push(`| alone (section 1) | ${fmt(med('ours', 16, 'requestsPerSecond'))} | ${fmt(alone50, 2)} | ${fmt(alone99, 2)} |`);
    lines.push(`| during the sweep | ${fmt(median(fairness.map((f) => f.rps)))} | ${fmt(during50, 2)} | ${fmt(during99, 2)} |`);
    lines.push('', `p99 during / alone: **${(during99 / alone99).toFixed(2)}**. The sweep meanwhile ran at ${fmt(median(fairness.map((f) => f.sweepRate)))} orders/s (whole round, part of it under the load).`, '');

    if (profileText) lines.push('## Where the time goes (profile)', '', profileText, '');
    if (problems.length > 0) lines.push('## Problems seen in this run', '', ...problems.map((p) => `- ${p}`), '');
    const notes = join(ROOT, 'bench', 'notes.md');
    if (existsSync(notes)) lines.push(readFileSync(notes, 'utf8').trim(), '');
    writeFileSync(OUTPUT, `${lines.join('\n')}\n`);
    writeFileSync(join(RESULTS, `${QUICK ? 'quick' : 'full'}-raw.json`), JSON.stringify({ settings: S, runs, sweeps, memory, fairness, problems }, null, 1));
    process.stdout.write(`${lines.join('\n')}\n`);
    log(`wrote ${OUTPUT} in ${fmt(elapsed)} s${problems.length > 0 ? ` with ${problems.length} problem(s)` : ''}`);
    if (problems.length > 0) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  void stopAll().finally(() => process.exit(1));
});
