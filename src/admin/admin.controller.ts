import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseIntPipe,
  Post,
  Query,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import { DaxEnvelopeInterceptor } from '../common/dax-envelope.interceptor';
import { DaxExceptionFilter } from '../common/dax-exception.filter';
import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { Page } from '../database/page';
import { PaySyncOutcome } from '../sync/pay-sync-outcome';
import { AdminTokenGuard } from './admin-token.guard';
import { AdminService, WireRecord } from './admin.service';
import { AnomalyQuery, EventQuery, NotificationQuery, RepairRecordQuery, SyncRecordQuery } from './dto/admin-queries';
import { OperatorSyncDto } from './dto/operator-sync.dto';
import { ResolveAnomalyDto } from './dto/resolve-anomaly.dto';

const badInput = (message: string) => new UnipayException(UnipayErrorCode.VALIDATION, message, HttpStatus.BAD_REQUEST);

const validation = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  exceptionFactory: (errors) => badInput(errors.flatMap((error) => Object.values(error.constraints ?? {})).join('; ')),
});

const id = new ParseIntPipe({ exceptionFactory: () => badInput('id 必须是正整数') });

/**
 * The operator API: records, notifications and anomalies to read; a resend, a resolution
 * and a sync to do. Behind a bearer token; answers in the DaxPay envelope, with the HTTP
 * status of an error (400, 401, 404, 409) as well.
 */
@Controller('admin')
@UseFilters(DaxExceptionFilter)
@UseGuards(AdminTokenGuard)
@UseInterceptors(DaxEnvelopeInterceptor)
@UsePipes(validation)
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('sync-records')
  syncRecords(@Query() query: SyncRecordQuery): Promise<Page<WireRecord>> {
    return this.admin.syncRecordsOf(query);
  }

  @Get('repair-records')
  repairRecords(@Query() query: RepairRecordQuery): Promise<Page<WireRecord>> {
    return this.admin.repairRecordsOf(query);
  }

  @Get('notifications')
  notifications(@Query() query: NotificationQuery): Promise<Page<WireRecord>> {
    return this.admin.notificationsOf(query);
  }

  @Get('notifications/:id')
  notification(@Param('id', id) notificationId: number): Promise<WireRecord> {
    return this.admin.notification(notificationId);
  }

  @Post('notifications/:id/resend')
  @HttpCode(200)
  resend(@Param('id', id) notificationId: number): Promise<WireRecord> {
    return this.admin.resend(notificationId);
  }

  @Get('anomalies')
  anomalies(@Query() query: AnomalyQuery): Promise<Page<WireRecord>> {
    return this.admin.anomaliesOf(query);
  }

  @Post('anomalies/:id/resolve')
  @HttpCode(200)
  resolve(@Param('id', id) anomalyId: number, @Body() dto: ResolveAnomalyDto): Promise<WireRecord> {
    return this.admin.resolveAnomaly(anomalyId, dto);
  }

  @Get('events')
  events(@Query() query: EventQuery): Promise<Page<WireRecord>> {
    return this.admin.eventsOf(query);
  }

  @Post('sync')
  @HttpCode(200)
  sync(@Body() dto: OperatorSyncDto): Promise<PaySyncOutcome> {
    return this.admin.sync(dto);
  }
}
