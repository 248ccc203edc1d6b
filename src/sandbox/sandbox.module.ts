import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ModuleSchema } from '../database/module-schema';
import { OrderModule } from '../order/order.module';
import { SyncModule } from '../sync/sync.module';
import { TransactionModule } from '../database/transaction.module';
import { RefundRepairRecord } from '../sync/refund/refund-repair-record.entity';
import { CreateSandboxTrade1764190000001 } from './migrations/1764190000001-create-sandbox-trade';
import { CreateSandboxRefund1764190000014 } from './migrations/1764190000014-create-sandbox-refund';
import { SandboxRefund } from './sandbox-refund.entity';
import { SandboxController } from './sandbox.controller';
import { SandboxPayChannel } from './sandbox-pay.channel';
import { SandboxRefundService } from './sandbox-refund.service';
import { SandboxService } from './sandbox.service';
import { SandboxSettings } from './sandbox.settings';
import { SandboxTrade } from './sandbox-trade.entity';

const SANDBOX_SCHEMA: ModuleSchema = { entities: [SandboxTrade, SandboxRefund], migrations: [CreateSandboxTrade1764190000001, CreateSandboxRefund1764190000014] };

/**
 * The sandbox: a channel (`sandbox`) that answers what a person scripted, and the demo API
 * that creates orders on any channel and shows their records. A tool for the quick start
 * and for trying the decision table by hand, so it sits above the sync, like the CLI.
 */
@Module({
  imports: [OrderModule, SyncModule, TransactionModule, TypeOrmModule.forFeature([...SANDBOX_SCHEMA.entities, RefundRepairRecord])],
  controllers: [SandboxController],
  providers: [SandboxPayChannel, SandboxService, SandboxRefundService],
})
export class SandboxModule {
  static readonly settings = SandboxSettings;
  static readonly schema = SANDBOX_SCHEMA;

  static register(settings: SandboxSettings): DynamicModule | undefined {
    return settings.UNIPAY_SANDBOX_ENABLED ? { module: SandboxModule } : undefined;
  }
}
