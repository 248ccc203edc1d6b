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

/** Which refund an operator syncs: `refundNo`, or `bizRefundNo`; `refundNo` wins when both are given. */
export class OperatorRefundSyncDto {
  @ApiPropertyOptional({ maxLength: 32, description: 'refundNo or bizRefundNo; refundNo wins when both are given' })
  @ValidateIf((dto: OperatorRefundSyncDto) => dto.refundNo !== undefined || dto.bizRefundNo === undefined)
  @IsString({ message: 'refundNo or bizRefundNo is required' })
  @IsNotEmpty()
  @MaxLength(32)
  refundNo?: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  bizRefundNo?: string;
}
