import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import {
  ChannelCloseOutcome,
  ChannelCloseResult,
  ChannelError,
  ChannelQueryResult,
  ChannelTradeState,
  PayChannel,
  PayChannelProvider,
  PayOrder,
} from 'unipay-sync';
import { WalletPayment } from './wallet-payment.entity';

/** The gateway's own channel: pay orders with `channel = 'wallet_pay'` are paid from a wallet. */
@Injectable()
@PayChannelProvider()
export class WalletPayChannel implements PayChannel {
  readonly code = 'wallet_pay';

  constructor(@InjectRepository(WalletPayment) private readonly payments: Repository<WalletPayment>) {}

  async query(order: PayOrder): Promise<ChannelQueryResult> {
    const payment = await this.payments.findOneBy({ orderNo: order.orderNo });
    const raw = JSON.stringify(payment);
    switch (payment?.state) {
      case 'paid':
        return { state: ChannelTradeState.SUCCESS, amount: payment.amount, tradeNo: `W-${payment.orderNo}`, payTime: payment.paidAt ?? undefined, raw };
      case 'pending':
        return { state: ChannelTradeState.PROGRESS, raw };
      case 'void':
        return { state: ChannelTradeState.CLOSED, raw };
      case undefined:
        return { state: ChannelTradeState.NOT_FOUND, raw };
      default:
        // Never a guess: the sync records a failure and changes nothing.
        throw new ChannelError('wallet payment in an unknown state', raw);
    }
  }

  async close(order: PayOrder): Promise<ChannelCloseResult> {
    const voided = await this.payments.update({ orderNo: order.orderNo, state: 'pending' }, { state: 'void' });
    if (voided.affected === 1) return { outcome: ChannelCloseOutcome.CLOSED };
    const payment = await this.payments.findOneBy({ orderNo: order.orderNo });
    return { outcome: payment?.state === 'paid' ? ChannelCloseOutcome.PAID : ChannelCloseOutcome.CLOSED };
  }
}
