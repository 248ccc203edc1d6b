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
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiDaxAnswer, daxErrorExample } from '../common/dax-openapi';
import { DaxEnvelopeInterceptor } from '../common/dax-envelope.interceptor';
import { DaxExceptionFilter } from '../common/dax-exception.filter';
import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { Page } from '../database/page';
import { PaySyncOutcome } from '../sync/pay-sync-outcome';
import { AdminTokenGuard } from './admin-token.guard';
import { AdminService, WireRecord } from './admin.service';
import { AnomalyQuery, EventQuery, NotificationQuery, RepairRecordQuery, SyncRecordQuery } from './dto/admin-queries';
import { OperatorRefundSyncDto, OperatorSyncDto } from './dto/operator-sync.dto';
import { RefundSyncOutcome } from '../sync/refund/refund-sync-outcome';
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
@ApiTags('operator')
@ApiBearerAuth('operator')
@ApiDaxAnswer('the DaxPay envelope; data holds the record, the page ({items, total, page, size}) or the sync outcome', undefined, {
  unauthorized: daxErrorExample(UnipayErrorCode.UNAUTHORIZED),
  invalid: daxErrorExample(UnipayErrorCode.VALIDATION, 'size must not be greater than 100'),
  notFound: daxErrorExample(UnipayErrorCode.NOT_FOUND),
  conflict: daxErrorExample(UnipayErrorCode.CONFLICT),
})
@Controller('admin')
@UseFilters(DaxExceptionFilter)
@UseGuards(AdminTokenGuard)
@UseInterceptors(DaxEnvelopeInterceptor)
@UsePipes(validation)
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get('sync-records')
  @ApiOperation({ summary: 'List sync records (every attempt, manual, operator or scheduled)' })
  syncRecords(@Query() query: SyncRecordQuery): Promise<Page<WireRecord>> {
    return this.admin.syncRecordsOf(query);
  }

  @Get('repair-records')
  @ApiOperation({ summary: 'List repair records (every change a sync made to an order)' })
  repairRecords(@Query() query: RepairRecordQuery): Promise<Page<WireRecord>> {
    return this.admin.repairRecordsOf(query);
  }

  @Get('notifications')
  @ApiOperation({ summary: 'List merchant notifications' })
  notifications(@Query() query: NotificationQuery): Promise<Page<WireRecord>> {
    return this.admin.notificationsOf(query);
  }

  @Get('notifications/:id')
  @ApiOperation({ summary: 'One merchant notification, with its tries' })
  notification(@Param('id', id) notificationId: number): Promise<WireRecord> {
    return this.admin.notification(notificationId);
  }

  @Post('notifications/:id/resend')
  @ApiOperation({ summary: 'Send a notification again now (a new round of tries)' })
  @HttpCode(200)
  resend(@Param('id', id) notificationId: number): Promise<WireRecord> {
    return this.admin.resend(notificationId);
  }

  @Get('anomalies')
  @ApiOperation({ summary: 'List anomalies left for an operator' })
  anomalies(@Query() query: AnomalyQuery): Promise<Page<WireRecord>> {
    return this.admin.anomaliesOf(query);
  }

  @Post('anomalies/:id/resolve')
  @ApiOperation({ summary: 'Resolve an anomaly, saying who and why' })
  @HttpCode(200)
  resolve(@Param('id', id) anomalyId: number, @Body() dto: ResolveAnomalyDto): Promise<WireRecord> {
    return this.admin.resolveAnomaly(anomalyId, dto);
  }

  @Get('events')
  @ApiOperation({ summary: "List outbox events and their delivery to the host's handler" })
  events(@Query() query: EventQuery): Promise<Page<WireRecord>> {
    return this.admin.eventsOf(query);
  }

  @Post('sync')
  @ApiOperation({ summary: 'Sync one order now, as an operator (no merchant signature)' })
  @HttpCode(200)
  sync(@Body() dto: OperatorSyncDto): Promise<PaySyncOutcome> {
    return this.admin.sync(dto);
  }

  @Post('sync-refund')
  @ApiOperation({ summary: 'Sync one refund now, as an operator (no merchant signature)' })
  @HttpCode(200)
  syncRefund(@Body() dto: OperatorRefundSyncDto): Promise<RefundSyncOutcome> {
    return this.admin.syncRefund(dto);
  }
}
