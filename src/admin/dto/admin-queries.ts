import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AnomalyKind, AnomalyStatus } from '../../anomaly/anomaly-kind';
import { NotificationStatus } from '../../notify/merchant-notification.entity';
import { HookStatus } from '../../outbox/outbox-event.entity';
import { PaySyncStatus, SyncSource } from '../../sync/pay-sync-status';
import { RepairWay } from '../../sync/repair-way';
import { SyncReason } from '../../sync/sync-reason';

/** Every list: a page (from 1, up to 100 rows), an order number, a time range in epoch seconds. */
export class ListQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page = 1;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  size = 20;

  @ApiPropertyOptional({ maxLength: 32, description: "the gateway's order number" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  orderNo?: string;

  /** From this time on (epoch seconds, inclusive). */
  @ApiPropertyOptional({ type: 'integer', description: 'from this time on, epoch seconds, inclusive' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  from?: number;

  /** Before this time (epoch seconds, exclusive). */
  @ApiPropertyOptional({ type: 'integer', description: 'before this time, epoch seconds, exclusive' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  to?: number;
}

export class SyncRecordQuery extends ListQuery {
  @ApiPropertyOptional({ enum: PaySyncStatus })
  @IsOptional()
  @IsEnum(PaySyncStatus)
  status?: PaySyncStatus;

  @ApiPropertyOptional({ enum: SyncReason })
  @IsOptional()
  @IsEnum(SyncReason)
  reason?: SyncReason;

  @ApiPropertyOptional({ enum: SyncSource })
  @IsOptional()
  @IsEnum(SyncSource)
  source?: SyncSource;
}

export class RepairRecordQuery extends ListQuery {
  @ApiPropertyOptional({ enum: RepairWay })
  @IsOptional()
  @IsEnum(RepairWay)
  way?: RepairWay;
}

export class NotificationQuery extends ListQuery {
  @ApiPropertyOptional({ enum: NotificationStatus })
  @IsOptional()
  @IsEnum(NotificationStatus)
  status?: NotificationStatus;
}

export class AnomalyQuery extends ListQuery {
  @ApiPropertyOptional({ enum: AnomalyKind })
  @IsOptional()
  @IsEnum(AnomalyKind)
  kind?: AnomalyKind;

  @ApiPropertyOptional({ enum: AnomalyStatus })
  @IsOptional()
  @IsEnum(AnomalyStatus)
  status?: AnomalyStatus;
}

export class EventQuery extends ListQuery {
  @ApiPropertyOptional({ enum: HookStatus })
  @IsOptional()
  @IsEnum(HookStatus)
  status?: HookStatus;
}
