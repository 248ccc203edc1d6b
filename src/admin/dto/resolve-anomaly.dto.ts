import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ResolveAnomalyDto {
  /** Who resolved it: an operator's name or id. */
  @ApiProperty({ maxLength: 64, description: "who resolved it: an operator's name or id" })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  resolvedBy: string;

  /** Why, and what was done (a refund issued, the order settled by hand…). */
  @ApiProperty({ maxLength: 1000, description: 'why, and what was done' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  note: string;
}
