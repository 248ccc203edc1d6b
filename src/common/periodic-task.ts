import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

/**
 * A round of work run every interval, never two at once. `kick()` asks for a round now;
 * one asked for while a round runs follows it, so new work is never left for the next
 * interval. `stop()` ends the timer and waits for the round in flight.
 */
export class PeriodicTask<T> {
  private readonly logger: Logger;
  private running?: Promise<T | undefined>;
  private again = false;

  constructor(
    private readonly name: string,
    private readonly round: () => Promise<T>,
    private readonly report: (result: T, logger: Logger) => void = () => undefined,
  ) {
    this.logger = new Logger(name);
  }

  start(scheduler: SchedulerRegistry, intervalSeconds: number): void {
    scheduler.addInterval(this.name, setInterval(() => void this.tick(), intervalSeconds * 1000));
    void this.tick();
  }

  async stop(scheduler: SchedulerRegistry): Promise<void> {
    if (scheduler.doesExist('interval', this.name)) scheduler.deleteInterval(this.name);
    this.again = false;
    await this.running;
  }

  /** Starts a round unless one is running; resolves when the round in flight is over. */
  tick(): Promise<T | undefined> {
    this.running ??= this.round()
      .then((result) => {
        this.report(result, this.logger);
        return result;
      })
      .catch((error: unknown) => {
        this.logger.error(`round failed: ${String(error)}`);
        return undefined;
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          void this.tick();
        }
      });
    return this.running;
  }

  /** A round now, or right after the one in flight. */
  kick(): void {
    if (this.running) this.again = true;
    else void this.tick();
  }
}
