import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

/** Which order an operator syncs: `orderNo`, or `bizOrderNo`; `orderNo` wins when both are given. */
export class OperatorSyncDto {
  @ApiPropertyOptional({ maxLength: 32, description: 'orderNo or bizOrderNo; orderNo wins when both are given' })
  @ValidateIf((dto: OperatorSyncDto) => dto.orderNo !== undefined || dto.bizOrderNo === undefined)
  @IsString({ message: 'orderNo or bizOrderNo is required' })
  @IsNotEmpty()
  @MaxLength(32)
  orderNo?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  bizOrderNo?: string;
}
