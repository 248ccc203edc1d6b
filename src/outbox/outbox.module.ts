import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ModuleSchema } from '../database/module-schema';
import { CreateOutboxEvent1764190000006 } from './migrations/1764190000006-create-outbox-event';
import { OutboxEvent } from './outbox-event.entity';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';

const OUTBOX_SCHEMA: ModuleSchema = { entities: [OutboxEvent], migrations: [CreateOutboxEvent1764190000006] };

/** The transactional outbox: OutboxService writes events in the transaction of their change. */
@Module({
  imports: [TypeOrmModule.forFeature([...OUTBOX_SCHEMA.entities])],
  providers: [OutboxRepository, OutboxService],
  exports: [OutboxService, OutboxRepository],
})
export class OutboxModule {
  static readonly schema = OUTBOX_SCHEMA;
}
