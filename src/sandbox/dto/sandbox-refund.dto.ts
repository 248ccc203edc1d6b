import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min } from 'class-validator';
import { RefundStatus } from '../../refund/refund-status';
import { SANDBOX_REFUND_STATES } from '../sandbox-refund.entity';
import type { SandboxRefundState } from '../sandbox-refund.entity';

/**
 * A demo refund of a paid order, as the gateway would have written it after sending it to
 * the channel: the amount is taken off the order's refundable balance.
 */
export class CreateSandboxRefundDto {
  @ApiProperty({ description: 'the pay order refunded' })
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'orderNo must be 1 to 32 letters, digits, _ or -' })
  orderNo: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'cents, at most the refundable balance' })
  @IsInt()
  @Min(1)
  @Max(100_000_000_000)
  amount: number;

  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9_-]{1,32}$', description: 'generated when absent' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'refundNo must be 1 to 32 letters, digits, _ or -' })
  refundNo?: string;

  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9_-]{1,100}$', description: 'generated when absent' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'bizRefundNo must be 1 to 100 letters, digits, _ or -' })
  bizRefundNo?: string;

  @ApiPropertyOptional({ enum: [RefundStatus.PROGRESS, RefundStatus.FAIL, RefundStatus.SUCCESS, RefundStatus.CLOSE], default: RefundStatus.PROGRESS })
  @IsOptional()
  @IsIn([RefundStatus.PROGRESS, RefundStatus.FAIL, RefundStatus.SUCCESS, RefundStatus.CLOSE])
  status?: RefundStatus;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'how long ago the refund request went to the channel (the not-found grace counts from it)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(31_536_000)
  sentSecondsAgo?: number;

  @ApiPropertyOptional({ maxLength: 150 })
  @IsOptional()
  @IsString()
  @MaxLength(150)
  reason?: string;

  @ApiPropertyOptional({ maxLength: 200, description: "where the refund's notification goes" })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  @MaxLength(200)
  notifyUrl?: string;
}

/** What the sandbox channel answers to this refund's queries from now on. */
export class SetSandboxRefundDto {
  @ApiProperty({ enum: SANDBOX_REFUND_STATES, description: 'error: the query fails; unverified: the answer fails its signature; trade_unknown: Alipay does not know the paid trade' })
  @IsIn(SANDBOX_REFUND_STATES)
  state: SandboxRefundState;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: "cents; the refund's own amount when absent" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000_000)
  amount?: number;

  @ApiPropertyOptional({ maxLength: 64, description: "the channel's refund id" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  refundId?: string;

  @ApiPropertyOptional({ maxLength: 200, description: "the channel's text of a failure or an error" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  errorMsg?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 30000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30_000)
  delayMs?: number;
}
