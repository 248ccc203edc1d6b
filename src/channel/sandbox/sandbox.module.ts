import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrderModule } from '../../order/order.module';
import { PayRepairRecord } from '../../repair/pay-repair-record.entity';
import { PaySyncRecord } from '../../sync/pay-sync-record.entity';
import { SandboxController } from './sandbox.controller';
import { SandboxPayChannel } from './sandbox-pay.channel';
import { SandboxService } from './sandbox.service';
import { SandboxTrade } from './sandbox-trade.entity';

@Module({
  imports: [OrderModule, TypeOrmModule.forFeature([SandboxTrade, PaySyncRecord, PayRepairRecord])],
  controllers: [SandboxController],
  providers: [SandboxPayChannel, SandboxService],
})
export class SandboxModule {}
