import { Controller, HttpCode, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { daxResult, DaxResult } from '../../common/dax-result';
import { DaxExceptionFilter } from '../../common/dax-exception.filter';
import { SignSettings } from '../../sign/sign.settings';
import { VerifiedParam } from '../api-sign.guard';
import { PaySyncData } from '../pay-sync-response';
import { SyncSource } from '../pay-sync-status';
import { RefundSyncParam } from './dto/refund-sync.param';
import { RefundSignGuard } from './refund-sign.guard';
import { ApiRefundSync } from './refund-sync.openapi';
import { toRefundSyncData } from './refund-sync-response';
import { RefundSyncService } from './refund-sync.service';

/** The merchants' refund sync endpoint, DaxPay 2.0.8 `RefundSyncParam`. */
@ApiTags('merchant')
@Controller('unipay/sync')
@UseFilters(DaxExceptionFilter)
@UseGuards(RefundSignGuard)
export class RefundSyncController {
  constructor(
    private readonly refundSync: RefundSyncService,
    private readonly sign: SignSettings,
  ) {}

  @Post('refund')
  @HttpCode(200)
  @ApiRefundSync()
  async refund(@VerifiedParam() param: RefundSyncParam, @Req() request: FastifyRequest): Promise<DaxResult<PaySyncData>> {
    const outcome = await this.refundSync.sync({
      refundNo: param.refundNo,
      bizRefundNo: param.bizRefundNo,
      clientIp: param.clientIp,
      nonceStr: param.nonceStr,
      source: SyncSource.MANUAL,
    });
    return daxResult(0, 'success', toRefundSyncData(outcome, this.sign), String(request.id));
  }
}
