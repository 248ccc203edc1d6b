import { Controller, Get, Injectable, Module, Post, Query } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { PaySyncSweeper, SweepSummary } from '../src/sweep/pay-sync-sweeper.service';
import { BenchPayChannel } from './bench-pay.channel';

/** Peak and current resident set of this process, from /proc (kB), or null off Linux. */
function procMemory(): { vmHwmKb: number | null; vmRssKb: number | null } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const field = (name: string) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) : null;
    };
    return { vmHwmKb: field('VmHWM'), vmRssKb: field('VmRSS') };
  } catch {
    return { vmHwmKb: null, vmRssKb: null };
  }
}

interface SweepRun {
  id: number;
  startedAt: number;
  finishedAt?: number;
  summary?: SweepSummary;
  error?: string;
  rssBeforeBytes: number;
  /** Largest `process.memoryUsage().rss` sampled every 20 ms during the round. */
  sampledPeakRssBytes: number;
  /** VmHWM after the round; the peak was reset (clear_refs 5) just before it started. */
  vmHwmKb?: number | null;
  hwmReset: boolean;
}

/** Runs `PaySyncSweeper.runRound()` in this process on request and measures its memory. */
@Injectable()
export class BenchSweepRunner {
  private current?: SweepRun;
  private runs = 0;

  constructor(private readonly moduleRef: ModuleRef) {}

  /** The statements the job has sent for its claims, records and reschedules since start. */
  statements(): number {
    return this.moduleRef.get(PaySyncSweeper, { strict: false }).statements;
  }

  start(): SweepRun {
    if (this.current && this.current.finishedAt === undefined) return this.current;
    const sweeper = this.moduleRef.get(PaySyncSweeper, { strict: false });
    let hwmReset = false;
    try {
      // Linux: "5" resets the peak resident set size (VmHWM) of the process.
      writeFileSync('/proc/self/clear_refs', '5');
      hwmReset = true;
    } catch {
      hwmReset = false;
    }
    const run: SweepRun = { id: ++this.runs, startedAt: Date.now(), rssBeforeBytes: process.memoryUsage.rss(), sampledPeakRssBytes: 0, hwmReset };
    const sampler = setInterval(() => {
      run.sampledPeakRssBytes = Math.max(run.sampledPeakRssBytes, process.memoryUsage.rss());
    }, 20);
    this.current = run;
    sweeper
      .runRound()
      .then((summary) => {
        run.summary = summary;
      })
      .catch((error: unknown) => {
        run.error = String(error);
      })
      .finally(() => {
        clearInterval(sampler);
        run.sampledPeakRssBytes = Math.max(run.sampledPeakRssBytes, process.memoryUsage.rss());
        run.vmHwmKb = procMemory().vmHwmKb;
        run.finishedAt = Date.now();
      });
    return run;
  }

  status(): SweepRun | undefined {
    return this.current;
  }
}

/** A CPU profile of this process between two calls, through the inspector (no restart needed). */
@Injectable()
export class BenchProfiler {
  private session?: Session;

  private post<T>(method: string, params?: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.session!.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T)));
    });
  }

  async start(intervalUs: number): Promise<void> {
    this.session = new Session();
    this.session.connect();
    await this.post('Profiler.enable');
    await this.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await this.post('Profiler.start');
  }

  async stop(path: string): Promise<{ path: string; samples: number }> {
    if (!this.session) throw new Error('the profiler is not running');
    const { profile } = await this.post<{ profile: { samples?: number[] } }>('Profiler.stop');
    this.session.disconnect();
    this.session = undefined;
    writeFileSync(path, JSON.stringify(profile));
    return { path, samples: profile.samples?.length ?? 0 };
  }
}

/** Bench-only admin routes; the bench server listens on 127.0.0.1 only. */
@Controller('bench')
export class BenchController {
  constructor(
    private readonly channel: BenchPayChannel,
    private readonly sweeps: BenchSweepRunner,
    private readonly profiler: BenchProfiler,
  ) {}

  /** `?gc=1`: a full collection first (server started with --expose-gc), so heapUsed is what is live. */
  @Get('stats')
  stats(@Query('gc') gc?: string) {
    const collect = (globalThis as { gc?: () => void }).gc;
    if (gc === '1' && collect) {
      collect();
      collect();
    }
    const memory = process.memoryUsage();
    return {
      channel: this.channel.snapshot(),
      sweepStatements: this.sweeps.statements(),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      ...procMemory(),
      pid: process.pid,
    };
  }

  @Post('reset')
  reset() {
    this.channel.reset();
    return { ok: true };
  }

  @Post('sweep')
  sweep() {
    return this.sweeps.start();
  }

  @Get('sweep')
  sweepStatus() {
    return this.sweeps.status() ?? null;
  }

  @Post('profile/start')
  async profileStart(@Query('intervalUs') intervalUs?: string) {
    await this.profiler.start(Number(intervalUs ?? 500));
    return { ok: true };
  }

  @Post('profile/stop')
  profileStop(@Query('path') path: string) {
    return this.profiler.stop(path);
  }
}

/** The bench channel and its admin routes, passed to `createApp(config, [BenchChannelModule])`. */
@Module({
  controllers: [BenchController],
  providers: [BenchPayChannel, BenchSweepRunner, BenchProfiler],
})
export class BenchChannelModule {}
