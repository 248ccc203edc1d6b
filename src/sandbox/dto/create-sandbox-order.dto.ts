import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, MaxLength, Min } from 'class-validator';
import { PayStatus } from '../../order/pay-status';

/** A demo pay order on the sandbox channel; what the gateway would have written. */
export class CreateSandboxOrderDto {
  @IsInt()
  @Min(1)
  @Max(100_000_000_000)
  amount: number;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  title?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'orderNo must be 1 to 32 letters, digits, _ or -' })
  orderNo?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'bizOrderNo must be 1 to 100 letters, digits, _ or -' })
  bizOrderNo?: string;

  /**
   * The channel the order is on (default `sandbox`). Another code makes a demo order for a
   * real channel or its emulator; only sandbox orders get a sandbox trade.
   */
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/, { message: 'channel must be a channel code such as ali_pay' })
  channel?: string;

  /** Seconds from now until the order expires; negative for an order that has expired. */
  @IsOptional()
  @IsInt()
  @Min(-31_536_000)
  @Max(31_536_000)
  expireSeconds?: number;

  /** The local status to start from (default `progress`). */
  @IsOptional()
  @IsIn(Object.values(PayStatus))
  status?: PayStatus;

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  @MaxLength(200)
  notifyUrl?: string;
}
