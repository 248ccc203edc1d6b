import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ModuleSchema } from '../database/module-schema';
import { TransactionModule } from '../database/transaction.module';
import { CreateRefundOrder1764190000012 } from './migrations/1764190000012-create-refund-order';
import { RefundOrder } from './refund-order.entity';
import { RefundOrderRepository } from './refund-order.repository';

const REFUND_SCHEMA: ModuleSchema = {
  entities: [RefundOrder],
  migrations: [CreateRefundOrder1764190000012],
};

/** The gateway's refund orders: the table (refund-sync.md section 5) and its repository. */
@Module({
  imports: [TypeOrmModule.forFeature([...REFUND_SCHEMA.entities]), TransactionModule],
  providers: [RefundOrderRepository],
  exports: [RefundOrderRepository],
})
export class RefundModule {
  static readonly schema = REFUND_SCHEMA;
}
