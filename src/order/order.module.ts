import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PayOrder } from './pay-order.entity';
import { PayOrderRepository } from './pay-order.repository';

@Module({
  imports: [TypeOrmModule.forFeature([PayOrder])],
  providers: [PayOrderRepository],
  exports: [PayOrderRepository],
})
export class OrderModule {}
