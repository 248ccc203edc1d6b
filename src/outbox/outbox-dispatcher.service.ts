import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { OutboxEvent } from './outbox-event.entity';
import { OutboxRepository } from './outbox.repository';
import { OutboxSettings } from './outbox.settings';
import { UnipayEventHandler, UnipayEventListener } from './unipay-event-handler';

export interface DispatchSummary {
  delivered: number;
  failed: number;
}

/** The delay before the next delivery of an event whose handler failed `failures` times. */
export function retryDelaySeconds(failures: number, delaysSeconds: readonly number[]): number {
  return delaysSeconds[Math.min(Math.max(failures, 1), delaysSeconds.length) - 1];
}

/**
 * Delivers outbox events to the host's handlers. Events are claimed in the database, one
 * per pay order at a time and in order, so any instance may run this; an event is marked
 * delivered only after every handler returned, and one that failed waits its retry delay.
 */
@Injectable()
export class OutboxDispatcher implements OnModuleInit {
  private readonly logger = new Logger(OutboxDispatcher.name);
  private readonly instance = randomUUID();
  private handlers: UnipayEventHandler[] = [];

  constructor(
    private readonly settings: OutboxSettings,
    private readonly events: OutboxRepository,
    private readonly discovery: DiscoveryService,
  ) {}

  onModuleInit(): void {
    this.handlers = this.discovery
      .getProviders({ metadataKey: UnipayEventListener.KEY })
      .map((wrapper) => wrapper.instance as UnipayEventHandler);
  }

  /** Whether the host registered any handler; without one, events wait in the outbox. */
  get hasHandlers(): boolean {
    return this.handlers.length > 0;
  }

  /** Delivers every event due at `now` (the clock, unless a test moves it). */
  async runRound(now = new Date()): Promise<DispatchSummary> {
    const summary: DispatchSummary = { delivered: 0, failed: 0 };
    if (!this.hasHandlers) return summary;
    const started = Date.now();
    const clock = () => new Date(now.getTime() + Date.now() - started);
    for (;;) {
      const at = clock();
      const claimed = await this.events.claimDue(
        { owner: this.instance, now: at, until: new Date(at.getTime() + this.settings.UNIPAY_EVENTS_LEASE_SECONDS * 1000) },
        this.settings.UNIPAY_EVENTS_BATCH_SIZE,
      );
      if (claimed.length === 0) return summary;
      await Promise.all(claimed.map((event) => this.deliver(event, clock, summary)));
    }
  }

  private async deliver(row: OutboxEvent, clock: () => Date, summary: DispatchSummary): Promise<void> {
    const event = OutboxRepository.eventOf(row);
    try {
      for (const handler of this.handlers) await handler.handle(event);
    } catch (error) {
      const failures = row.hookAttempts + 1;
      const next = new Date(clock().getTime() + retryDelaySeconds(failures, this.settings.UNIPAY_EVENTS_RETRY_DELAYS_SECONDS) * 1000);
      this.logger.warn(`event ${row.eventId} (${row.type}, order ${row.orderNo}): handler failed (${failures}x), again at ${next.toISOString()}: ${String(error)}`);
      await this.events.failed(row, this.instance, String(error), next);
      summary.failed += 1;
      return;
    }
    await this.events.delivered(row.id, this.instance, clock());
    summary.delivered += 1;
  }
}
