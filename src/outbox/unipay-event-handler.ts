import { DiscoveryService } from '@nestjs/core';
import { UnipayEvent } from './unipay-event';

/**
 * What a host gateway implements to hear of repairs: to ship goods, update its ledger, and
 * so on. Every event reaches every handler at least once, in order per pay order; the same
 * event may come again (deduplicate on `event.id`). A handler that throws gets the event
 * again later, with growing delays, and the order's later events wait for it.
 */
export interface UnipayEventHandler {
  handle(event: UnipayEvent): Promise<void>;
}

/** Marks a provider as a {@link UnipayEventHandler}; every marked provider is found. */
export const UnipayEventListener = DiscoveryService.createDecorator<void>();
