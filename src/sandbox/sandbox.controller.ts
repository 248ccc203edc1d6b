import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  UseFilters,
  UseInterceptors,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiDaxAnswer } from '../common/dax-openapi';
import { DaxEnvelopeInterceptor } from '../common/dax-envelope.interceptor';
import { DaxExceptionFilter } from '../common/dax-exception.filter';
import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { CreateSandboxOrderDto } from './dto/create-sandbox-order.dto';
import { SetSandboxTradeDto } from './dto/set-sandbox-trade.dto';
import { SandboxOrderView, SandboxService } from './sandbox.service';
import { SandboxTrade } from './sandbox-trade.entity';

const validation = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) =>
    new UnipayException(
      UnipayErrorCode.VALIDATION,
      errors.flatMap((error) => Object.values(error.constraints ?? {})).join('; '),
    ),
});

/** Operator and demo API of the sandbox channel. Only mounted when the sandbox is enabled. */
@ApiTags('sandbox')
@ApiDaxAnswer('the DaxPay envelope; data holds the order view ({order, trade, syncRecords, repairRecords}) or the trade')
@Controller('sandbox')
@UseFilters(DaxExceptionFilter)
@UseInterceptors(DaxEnvelopeInterceptor)
@UsePipes(validation)
export class SandboxController {
  constructor(private readonly sandbox: SandboxService) {}

  @Post('orders')
  @ApiOperation({ summary: 'Create a demo pay order (on the sandbox channel unless another is named)' })
  @HttpCode(200)
  createOrder(@Body() dto: CreateSandboxOrderDto): Promise<SandboxOrderView> {
    return this.sandbox.createOrder(dto);
  }

  @Get('orders/:orderNo')
  @ApiOperation({ summary: 'An order with its sandbox trade, sync records and repair records' })
  order(@Param('orderNo') orderNo: string): Promise<SandboxOrderView> {
    return this.sandbox.view(orderNo);
  }

  @Put('trades/:orderNo')
  @ApiOperation({ summary: 'Set what the sandbox channel answers for an order from now on' })
  setTrade(@Param('orderNo') orderNo: string, @Body() dto: SetSandboxTradeDto): Promise<SandboxTrade> {
    return this.sandbox.setTrade(orderNo, dto);
  }
}
