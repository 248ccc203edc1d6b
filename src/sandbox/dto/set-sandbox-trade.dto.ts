import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SANDBOX_CLOSE_ANSWERS, SANDBOX_STATES } from '../sandbox-trade.entity';
import type { SandboxCloseAnswer, SandboxState } from '../sandbox-trade.entity';

/** What the sandbox channel answers from now on for one order. */
export class SetSandboxTradeDto {
  @ApiProperty({ enum: SANDBOX_STATES })
  @IsIn(SANDBOX_STATES)
  state: SandboxState;

  /** Cents; leave out to report the order's own amount. */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: "cents; the order's own amount when absent" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000_000)
  amount?: number;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tradeNo?: string;

  @ApiPropertyOptional({ enum: SANDBOX_CLOSE_ANSWERS, default: 'closed' })
  @IsOptional()
  @IsIn(SANDBOX_CLOSE_ANSWERS)
  closeAnswer?: SandboxCloseAnswer;

  @ApiPropertyOptional({ maxLength: 200, description: 'the channel error text of a failed query' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  errorMsg?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 30000, description: 'answer each query after this many milliseconds' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30_000)
  delayMs?: number;
}
