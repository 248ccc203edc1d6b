import { Injectable } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { EntityManager } from 'typeorm';
import { OutboxRepository } from './outbox.repository';
import { UnipayEvent } from './unipay-event';

/** Something that must be written with every event, in the same transaction (a queued notification). */
export interface OutboxSubscriber {
  onPublished(event: UnipayEvent, manager: EntityManager): Promise<void>;
}

/**
 * Writes events inside the transaction of the change they announce, so an event exists
 * exactly when its change committed: a crash loses neither, and a rolled-back or lost
 * repair (a conditional update that changed nothing) writes none.
 */
@Injectable()
export class OutboxService {
  private readonly subscribers: OutboxSubscriber[] = [];
  private readonly committed$ = new Subject<void>();

  constructor(private readonly events: OutboxRepository) {}

  /** Adds a writer that runs in every publishing transaction. */
  subscribe(subscriber: OutboxSubscriber): void {
    this.subscribers.push(subscriber);
  }

  async publish(event: UnipayEvent, manager: EntityManager): Promise<void> {
    await this.events.insert(event, manager);
    for (const subscriber of this.subscribers) await subscriber.onPublished(event, manager);
  }

  /** Called once a publishing transaction committed: this instance's deliveries start now. */
  announceCommitted(): void {
    this.committed$.next();
  }

  /** Emits after each committed publication in this process. */
  get commits(): Observable<void> {
    return this.committed$.asObservable();
  }
}
