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
import { CreateSandboxRefundDto, SetSandboxRefundDto } from './dto/sandbox-refund.dto';
import { SandboxRefund } from './sandbox-refund.entity';
import { SandboxRefundService, SandboxRefundView } from './sandbox-refund.service';
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
  constructor(
    private readonly sandbox: SandboxService,
    private readonly refunds: SandboxRefundService,
  ) {}

  @Post('refunds')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a demo refund of a paid order, its amount taken off the refundable balance' })
  createRefund(@Body() dto: CreateSandboxRefundDto): Promise<SandboxRefundView> {
    return this.refunds.createRefund(dto);
  }

  @Get('refunds/:refundNo')
  @ApiOperation({ summary: 'A refund with its pay order, sandbox answer, sync records and repair records' })
  refund(@Param('refundNo') refundNo: string): Promise<SandboxRefundView> {
    return this.refunds.view(refundNo);
  }

  @Put('refund-answers/:refundNo')
  @ApiOperation({ summary: "Set what the sandbox channel answers to a refund's queries from now on" })
  setRefundAnswer(@Param('refundNo') refundNo: string, @Body() dto: SetSandboxRefundDto): Promise<SandboxRefund> {
    return this.refunds.setAnswer(refundNo, dto);
  }

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
