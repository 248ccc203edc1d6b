import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { OutboxDispatcher } from './outbox-dispatcher.service';
import { OutboxJob } from './outbox.job';
import { OutboxModule } from './outbox.module';

/**
 * Delivers the outbox's events to the host's `@UnipayEventListener()` handlers, from any
 * instance. It reads OutboxSettings, which `SyncModule.forRoot()` provides, and registers
 * its timer with the application's `ScheduleModule.forRoot()`.
 */
@Module({
  imports: [OutboxModule, DiscoveryModule],
  providers: [OutboxDispatcher, OutboxJob],
  exports: [OutboxDispatcher],
})
export class OutboxDeliveryModule {}
