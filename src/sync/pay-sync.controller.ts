import { Controller, HttpCode, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { daxResult, DaxResult } from '../common/dax-result';
import { DaxExceptionFilter } from '../common/dax-exception.filter';
import { SignSettings } from '../sign/sign.settings';
import { ApiSignGuard, VerifiedParam } from './api-sign.guard';
import { PaySyncParam } from './dto/pay-sync.param';
import { ApiPaySync } from './pay-sync.openapi';
import { PaySyncData, toPaySyncData } from './pay-sync-response';
import { PaySyncService } from './pay-sync.service';
import { SyncSource } from './pay-sync-status';

/**
 * The merchant endpoint. It builds its envelope itself rather than through interceptors:
 * this is the hot path, and each interceptor costs an rxjs pipe and an async-context bind
 * per request. Refusals (a busy order, bad input) are thrown and enveloped by the filter.
 */
@ApiTags('merchant')
@Controller('unipay/sync')
@UseFilters(DaxExceptionFilter)
@UseGuards(ApiSignGuard)
export class PaySyncController {
  constructor(
    private readonly paySync: PaySyncService,
    private readonly sign: SignSettings,
  ) {}

  @Post('pay')
  @HttpCode(200)
  @ApiPaySync()
  async pay(@VerifiedParam() param: PaySyncParam, @Req() request: FastifyRequest): Promise<DaxResult<PaySyncData>> {
    const outcome = await this.paySync.sync({
      orderNo: param.orderNo,
      bizOrderNo: param.bizOrderNo,
      clientIp: param.clientIp,
      nonceStr: param.nonceStr,
      source: SyncSource.MANUAL,
    });
    return daxResult(0, 'success', toPaySyncData(outcome, this.sign), String(request.id));
  }
}
