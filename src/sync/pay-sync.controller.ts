import { Controller, HttpCode, Post, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { DaxEnvelopeInterceptor } from '../common/dax-envelope.interceptor';
import { DaxExceptionFilter } from '../common/dax-exception.filter';
import { ApiSignGuard, VerifiedParam } from './api-sign.guard';
import { PaySyncParam } from './dto/pay-sync.param';
import { PaySyncOutcome } from './pay-sync-outcome';
import { PaySyncService } from './pay-sync.service';
import { SyncSource } from './pay-sync-status';
import { PaySyncResponseInterceptor } from './pay-sync-response.interceptor';

@Controller('unipay/sync')
@UseFilters(DaxExceptionFilter)
@UseGuards(ApiSignGuard)
@UseInterceptors(DaxEnvelopeInterceptor, PaySyncResponseInterceptor)
export class PaySyncController {
  constructor(private readonly paySync: PaySyncService) {}

  @Post('pay')
  @HttpCode(200)
  pay(@VerifiedParam() param: PaySyncParam): Promise<PaySyncOutcome> {
    return this.paySync.sync({
      orderNo: param.orderNo,
      bizOrderNo: param.bizOrderNo,
      clientIp: param.clientIp,
      source: SyncSource.MANUAL,
    });
  }
}
