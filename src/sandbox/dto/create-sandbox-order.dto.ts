import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min } from 'class-validator';
import { PayStatus } from '../../order/pay-status';

/** A demo pay order on the sandbox channel; what the gateway would have written. */
export class CreateSandboxOrderDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'cents' })
  @IsInt()
  @Min(1)
  @Max(100_000_000_000)
  amount: number;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  title?: string;

  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9_-]{1,32}$', description: 'generated when absent' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'orderNo must be 1 to 32 letters, digits, _ or -' })
  orderNo?: string;

  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9_-]{1,100}$', description: 'generated when absent' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'bizOrderNo must be 1 to 100 letters, digits, _ or -' })
  bizOrderNo?: string;

  /**
   * The channel the order is on (default `sandbox`). Another code makes a demo order for a
   * real channel or its emulator; only sandbox orders get a sandbox trade.
   */
  @ApiPropertyOptional({ default: 'sandbox', description: 'a channel code such as ali_pay; only sandbox orders get a sandbox trade' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'channel must be a channel code such as ali_pay' })
  channel?: string;

  /** Seconds from now until the order expires; negative for an order that has expired. */
  @ApiPropertyOptional({ type: 'integer', description: 'seconds from now until the order expires; negative for an expired order' })
  @IsOptional()
  @IsInt()
  @Min(-31_536_000)
  @Max(31_536_000)
  expireSeconds?: number;

  /** The local status to start from (default `progress`). */
  @ApiPropertyOptional({ enum: PayStatus, default: PayStatus.PROGRESS })
  @IsOptional()
  @IsIn(Object.values(PayStatus))
  status?: PayStatus;

  @ApiPropertyOptional({ maxLength: 200, description: "the merchant's notification URL" })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  @MaxLength(200)
  notifyUrl?: string;
}
