import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchChannelStats } from './bench-pay.channel';
import { BenchDatabase, databaseVersion, dropLeftovers, questions } from './db';
import type { LoadResult, LoadSpec } from './load';
import { profileMarkdown, summarizeProfile } from './profile-summary';

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
  repetitions: Math.max(1, envInt('BENCH_REPETITIONS', 3, 1)),
  connections: envList('BENCH_CONNECTIONS', [1, 16, 64], [1, 16, 64]),
  manualOrders: envInt('BENCH_MANUAL_ORDERS', 2000, 2000),
  sweepOrders: envInt('BENCH_SWEEP_ORDERS', 10_000, 2000),
  sweepDelayMs: envInt('BENCH_SWEEP_DELAY_MS', 50, 50),
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

  async json<T>(method: 'GET' | 'POST', path: string): Promise<T> {
    const response = await fetch(`${this.url}${path}`, { method });
    const text = await response.text();
    if (!response.ok) throw new Error(`${this.name} ${method} ${path}: HTTP ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }
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

async function measure(target: Child, database: BenchDatabase, connections: number, seconds: number, rep: number, dbPid?: number): Promise<ManualRun> {
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
    target: target.name,
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
  if (run.progressAnswers !== run.responses) problems.push(`${run.target} ${run.connections}c rep ${run.rep}: ${run.responses - run.progressAnswers} answers not {code 0, pay_progress}`);
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
async function sweepByJob(servers: Child[], database: BenchDatabase, orders: number, rep: number): Promise<SweepRun> {
  await database.truncate();
  for (const server of servers) await server.json('POST', '/bench/reset');
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
  return {
    method: 'job',
    instances: servers.length,
    rep,
    orders,
    wallMs,
    ordersPerSecond: (orders * 1000) / wallMs,
    ideal: (servers.length * S.sweepConcurrency * 1000) / Math.max(1, S.sweepDelayMs),
    queries: stats.reduce((sum, st) => sum + st.channel.sweepQueries, 0),
    ...(await sweepFacts(database)),
    perInstanceDue: servers.map((server, i) => server.roundOrders - dueBefore[i]),
    maxInFlight: Math.max(...stats.map((st) => st.channel.maxInFlight)),
    averageInFlight: busyMs / wallMs,
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
    const baseline = await Child.start('baseline', 'baseline-server.js', { ...manualDb.env, UNIPAY_SIGN_SECRET: SECRET, UNIPAY_DB_POOL_SIZE: String(S.dbPoolSize) });
    const sameSql = await Child.start('baseline-same-sql', 'baseline-server.js', {
      ...manualDb.env,
      UNIPAY_SIGN_SECRET: SECRET,
      UNIPAY_DB_POOL_SIZE: String(S.dbPoolSize),
      BASELINE_MODE: 'same-sql',
    });
    log(`servers up: ours ${ours.url}, baseline ${baseline.url}, baseline-same-sql ${sameSql.url}`);
    for (const target of [ours, baseline, sameSql]) {
      log(`warm-up ${target.name}: 16 connections, ${S.warmupSeconds} s`);
      const warm = await measure(target, manualDb, 16, S.warmupSeconds, 0, dbPid);
      problems.push(...check(warm));
    }
    const runs: ManualRun[] = [];
    for (let rep = 1; rep <= S.repetitions; rep += 1) {
      for (const connections of S.connections) {
        for (const target of [ours, baseline]) {
          const run = await measure(target, manualDb, connections, S.durationSeconds, rep, dbPid);
          problems.push(...check(run));
          runs.push(run);
          log(`${target.name} ${connections}c rep ${rep}: ${fmt(run.requestsPerSecond)} req/s, p50 ${fmt(run.p50Ms, 2)} ms, p99 ${fmt(run.p99Ms, 2)} ms, codes ${JSON.stringify(run.codes)}, ${run.statementsPerRequest.toFixed(1)} SQL/req`);
        }
      }
      const run = await measure(sameSql, manualDb, 16, S.durationSeconds, rep, dbPid);
      problems.push(...check(run));
      runs.push(run);
      log(`${sameSql.name} 16c rep ${rep}: ${fmt(run.requestsPerSecond)} req/s, p99 ${fmt(run.p99Ms, 2)} ms, codes ${JSON.stringify(run.codes)}`);
    }
    await baseline.stop();
    await sameSql.stop();

    const pick = (target: string, connections: number) => runs.filter((run) => run.target === target && run.connections === connections);
    const med = (target: string, connections: number, key: keyof ManualRun) => median(pick(target, connections).map((run) => Number(run[key])));

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
      log(`sweep ${run.method}${run.pool ? ` pool ${run.pool}` : ''} ${run.instances} instance(s) rep ${run.rep}: ${run.orders} orders in ${fmt(run.wallMs)} ms = ${fmt(run.ordersPerSecond)} orders/s (ideal ${fmt(run.ideal)}), queries ${run.queries}, claimed ${run.perInstanceDue.join('+')} in ${run.rounds.join('+')} round(s), in flight avg ${run.averageInFlight.toFixed(1)} max ${run.maxInFlight}, server CPU ${fmt(run.serverCpuPercent)} %, MariaDB ${fmt(run.dbCpuPercent)} %, ${run.statementsPerOrder.toFixed(1)} SQL/order`);
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
    jobs.push(await Child.start('job-2', 'server.js', jobEnv));
    await sweepByJob(jobs, sweepDb, Math.min(2000, S.sweepOrders), 0);
    for (let rep = 1; rep <= S.sweepRepetitions; rep += 1) record(await sweepByJob(jobs, sweepDb, S.sweepOrders, rep));
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

    lines.push('## 1. Manual sync: `POST /unipay/sync/pay`', '');
    lines.push(`${S.manualOrders} \`progress\` orders on the bench channel, which answers \`progress\` at once (never repaired, synced again and again). Every request is a fresh signed body (unique \`nonceStr\`, current \`reqTime\`, HMAC_SHA256), signed ahead of time and cycled over the orders so no two requests in flight hit the same order. Median of ${S.repetitions} run(s) of ${S.durationSeconds} s after a ${S.warmupSeconds}-s warm-up; latency from every answer (sub-ms). The baseline is \`bench/baseline-server.ts\`: \`node:http\` + \`mysql2\` (pool of ${S.dbPoolSize} like ours) parsing the JSON, \`verifySign\`, reading the order, writing a sync record row, signing the answer.`, '');
    lines.push('| connections | ours req/s | ours p50 ms | ours p99 ms | baseline req/s | baseline p50 ms | baseline p99 ms | ours/baseline req/s | SQL statements/req ours / baseline | server CPU ours / baseline | MariaDB CPU ours / baseline |');
    lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const c of S.connections) {
      const ratio = med('ours', c, 'requestsPerSecond') / med('baseline', c, 'requestsPerSecond');
      lines.push(
        `| ${c} | ${fmt(med('ours', c, 'requestsPerSecond'))} | ${fmt(med('ours', c, 'p50Ms'), 2)} | ${fmt(med('ours', c, 'p99Ms'), 2)} | ${fmt(med('baseline', c, 'requestsPerSecond'))} | ${fmt(med('baseline', c, 'p50Ms'), 2)} | ${fmt(med('baseline', c, 'p99Ms'), 2)} | **${ratio.toFixed(2)}** | ${med('ours', c, 'statementsPerRequest').toFixed(1)} / ${med('baseline', c, 'statementsPerRequest').toFixed(1)} | ${fmt(med('ours', c, 'serverCpuPercent'))} % / ${fmt(med('baseline', c, 'serverCpuPercent'))} % | ${fmt(med('ours', c, 'dbCpuPercent'))} % / ${fmt(med('baseline', c, 'dbCpuPercent'))} % |`,
      );
    }
    lines.push('');
    const same = pick('baseline-same-sql', 16);
    if (same.length > 0) {
      lines.push(`Baseline issuing the same SQL as ours (\`BASELINE_MODE=same-sql\`: nonce row, order read, sync-lock row, re-read under the lock, sync record, lock release), 16 connections: ${fmt(median(same.map((r) => r.requestsPerSecond)))} req/s, p50 ${fmt(median(same.map((r) => r.p50Ms)), 2)} ms, p99 ${fmt(median(same.map((r) => r.p99Ms)), 2)} ms, ${median(same.map((r) => r.statementsPerRequest)).toFixed(1)} statements/req, server CPU ${fmt(median(same.map((r) => r.serverCpuPercent)))} %, MariaDB CPU ${fmt(median(same.map((r) => r.dbCpuPercent)))} % — ours/same-sql baseline = **${(med('ours', 16, 'requestsPerSecond') / median(same.map((r) => r.requestsPerSecond))).toFixed(2)}**.`, '');
    }
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

    lines.push('## 2. Sweep throughput', '');
    lines.push(`${fmt(S.sweepOrders)} due orders on the bench channel, which answers after ${S.sweepDelayMs} ms (one in four paid, so a quarter are repaired in a transaction; the rest are rescheduled). Concurrency C = ${S.sweepConcurrency} per instance, batch ${S.sweepBatchSize}, the rate limit out of the way (100000/s), grace 0, pool ${S.dbPoolSize} connections per instance. `, '');
    lines.push(`Timed as deployed, for one and for two instances alike: server processes (the bench entry, \`bench/server.ts\`) on one database with the scheduled job on (\`UNIPAY_SWEEP_INTERVAL_SECONDS=1\`); the orders are seeded in one transaction and the time runs from its commit until every order has its sync record (polled every 50 ms), so it includes the wait for the job's next tick (up to 1 s). Sections 3 and 4 instead call \`PaySyncSweeper.runRound()\` directly in the server process through a bench-only route (job timer off).`);
    lines.push('', `Ideal bound = instances × C / delay. Median of ${S.sweepRepetitions} run(s) each, after a warm-up round; the database is emptied and reseeded before each run.`, '');
    lines.push('| instances | orders/s | ideal bound (orders/s) | ratio to bound | channel queries per run (asserted = orders) | orders claimed per instance (rounds) | channel calls in flight: average / max | server CPU | MariaDB CPU | SQL statements/order |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const [instances, wide] of [[1, false], [1, true], [2, false]] as const) {
      const group = sweeps.filter((run) => run.instances === instances && (run.pool !== undefined) === wide);
      if (group.length === 0) continue;
      const rate = median(group.map((run) => run.ordersPerSecond));
      const mid = [...group].sort((a, b) => Math.abs(a.ordersPerSecond - rate) - Math.abs(b.ordersPerSecond - rate))[0];
      lines.push(`| ${instances}${wide ? ` (pool of ${group[0].pool} connections)` : ''} | ${fmt(rate)} | ${fmt(group[0].ideal)} | **${(rate / group[0].ideal).toFixed(2)}** | ${group.map((run) => fmt(run.queries)).join(', ')} | ${mid.perInstanceDue.map((due, i) => `${fmt(due)} (${mid.rounds[i]})`).join(' + ')} | ${median(group.map((run) => run.averageInFlight)).toFixed(1)} / ${Math.max(...group.map((run) => run.maxInFlight))} | ${fmt(median(group.map((run) => run.serverCpuPercent)))} % | ${fmt(median(group.map((run) => run.dbCpuPercent)))} % | ${median(group.map((run) => run.statementsPerOrder)).toFixed(1)} |`);
    }
    const one = median(sweeps.filter((run) => run.method === 'job' && run.instances === 1 && run.pool === undefined).map((run) => run.ordersPerSecond));
    const two = median(sweeps.filter((run) => run.method === 'job' && run.instances === 2).map((run) => run.ordersPerSecond));
    if (one > 0 && two > 0) lines.push('', `Two instances / one instance (job): **${(two / one).toFixed(2)}**; against the one-instance bound C/delay the two instances reach ${(two / ((S.sweepConcurrency * 1000) / Math.max(1, S.sweepDelayMs))).toFixed(2)}.`);
    lines.push('', 'Every run also asserted: exactly one scheduled sync record per order (distinct orders = orders), a quarter of the orders repaired once, claims adding up to the orders, no claim left behind. "In flight" is the channel\'s own count of queries waiting at once (average = total channel wait / wall time): the gap to C is time the workers spend outside the channel (database work, waiting for a batch to drain, waiting for the next tick).', '');

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
