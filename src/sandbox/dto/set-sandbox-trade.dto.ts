import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SANDBOX_CLOSE_ANSWERS, SANDBOX_STATES } from '../sandbox-trade.entity';
import type { SandboxCloseAnswer, SandboxState } from '../sandbox-trade.entity';

/** What the sandbox channel answers from now on for one order. */
export class SetSandboxTradeDto {
  @IsIn(SANDBOX_STATES)
  state: SandboxState;

  /** Cents; leave out to report the order's own amount. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000_000)
  amount?: number;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  tradeNo?: string;

  @IsOptional()
  @IsIn(SANDBOX_CLOSE_ANSWERS)
  closeAnswer?: SandboxCloseAnswer;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  errorMsg?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30_000)
  delayMs?: number;
}
