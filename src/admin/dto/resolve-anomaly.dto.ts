import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ResolveAnomalyDto {
  /** Who resolved it: an operator's name or id. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  resolvedBy: string;

  /** Why, and what was done (a refund issued, the order settled by hand…). */
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  note: string;
}
