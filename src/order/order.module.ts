import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ModuleSchema } from '../database/module-schema';
import { TransactionModule } from '../database/transaction.module';
import { AddPayOrderSyncSchedule1764190000002 } from './migrations/1764190000002-add-pay-order-sync-schedule';
import { CreatePayOrder1764190000000 } from './migrations/1764190000000-create-pay-order';
import { AddPayOrderRefundableBalance1764190000011 } from './migrations/1764190000011-add-pay-order-refundable-balance';
import { PayOrder } from './pay-order.entity';
import { PayOrderRepository } from './pay-order.repository';

const ORDER_SCHEMA: ModuleSchema = {
  entities: [PayOrder],
  migrations: [CreatePayOrder1764190000000, AddPayOrderSyncSchedule1764190000002, AddPayOrderRefundableBalance1764190000011],
};

/** The gateway's pay orders: the table (spec section 5) and its repository. */
@Module({
  imports: [TypeOrmModule.forFeature([...ORDER_SCHEMA.entities]), TransactionModule],
  providers: [PayOrderRepository],
  exports: [PayOrderRepository],
})
export class OrderModule {
  static readonly schema = ORDER_SCHEMA;
}
