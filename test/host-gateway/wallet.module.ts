import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WalletPayChannel } from './wallet-pay.channel';
import { WalletPayment } from './wallet-payment.entity';

@Module({
  imports: [TypeOrmModule.forFeature([WalletPayment])],
  providers: [WalletPayChannel],
})
export class WalletModule {}
