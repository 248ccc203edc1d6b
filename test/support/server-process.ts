import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'src', 'main.js');

/** The host gateway of test/host-gateway, run from its TypeScript as its own process. */
export const GATEWAY_MAIN = ['-r', join(__dirname, 'register-ts.js'), join(__dirname, '..', 'host-gateway', 'main.ts')];

/**
 * A server as a child process on 127.0.0.1: the built server (`dist/src/main.js`, made by
 * `npm run build`) unless `entry` names another, such as GATEWAY_MAIN.
 */
export class ServerProcess {
  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
    readonly output: () => string,
  ) {}

  static start(env: Record<string, string>, timeoutMs = 30_000, entry: string[] = [MAIN]): Promise<ServerProcess> {
    const child = spawn(process.execPath, entry, {
      env: {
        PATH: process.env.PATH ?? '',
        NO_COLOR: '1',
        UNIPAY_HOST: '127.0.0.1',
        UNIPAY_PORT: '0',
        UNIPAY_LOG_LEVEL: 'log',
        UNIPAY_SWEEP_ENABLED: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`server did not start in ${timeoutMs} ms:\n${output}`));
      }, timeoutMs);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(new ServerProcess(child, match[1], () => output));
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${output}`));
      });
    });
  }

  /** Starts several servers at once; if one fails to start, stops the others and fails. */
  static async startAll(envs: Record<string, string>[]): Promise<ServerProcess[]> {
    const results = await Promise.allSettled(envs.map((env) => ServerProcess.start(env)));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) {
      await Promise.all(
        results.map((result) => (result.status === 'fulfilled' ? result.value.stop('SIGKILL') : undefined)),
      );
      throw failed.reason;
    }
    return results.map((result) => (result as PromiseFulfilledResult<ServerProcess>).value);
  }

  /**
   * Stops the server: SIGTERM for a graceful stop, SIGKILL for a crash. Resolves with the
   * exit code (the server closes itself on SIGTERM and exits 0), or the signal's name when
   * the process ended by it (SIGKILL, or a host gateway that leaves SIGTERM to Node).
   */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) {
      return Promise.resolve(this.child.exitCode ?? this.child.signalCode);
    }
    return new Promise((resolve) => {
      this.child.once('exit', (code, signalName) => resolve(code ?? signalName));
      this.child.kill(signal);
    });
  }
}
