import { plainToInstance } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsIP,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateIf,
  validateSync,
} from 'class-validator';
import { isJsonObject } from '../../common/json-object';
import { UnipayErrorCode } from '../../common/unipay-error-code';
import { UnipayException } from '../../common/unipay.exception';

/** The body of `POST /unipay/sync/pay` (DaxPay `PaySyncParam`). Unknown fields are ignored. */
export class PaySyncParam {
  @IsOptional()
  @IsString({ message: 'orderNo 必须是字符串' })
  @MaxLength(32, { message: 'orderNo 长度不能超过32' })
  orderNo?: string;

  @IsOptional()
  @IsString({ message: 'bizOrderNo 必须是字符串' })
  @MaxLength(100, { message: 'bizOrderNo 长度不能超过100' })
  bizOrderNo?: string;

  // An empty clientIp is allowed (and signed over as `clientIp=`).
  @ValidateIf((param: PaySyncParam) => param.clientIp !== undefined && param.clientIp !== null && param.clientIp !== '')
  @IsString({ message: 'clientIp 必须是字符串' })
  @MaxLength(64, { message: 'clientIp 长度不能超过64' })
  @IsIP(undefined, { message: 'clientIp 必须是合法的 IPv4 或 IPv6 地址' })
  clientIp?: string;

  @IsOptional()
  @IsString({ message: 'nonceStr 必须是字符串' })
  @MaxLength(32, { message: 'nonceStr 长度不能超过32' })
  nonceStr?: string;

  @IsOptional()
  @IsString({ message: 'sign 必须是字符串' })
  @MaxLength(64, { message: 'sign 长度不能超过64' })
  sign?: string;

  @IsDefined({ message: 'reqTime 不能为空' })
  @IsInt({ message: 'reqTime 必须是整数（Unix 时间戳，秒）' })
  @Min(1, { message: 'reqTime 必须是正整数（Unix 时间戳，秒）' })
  reqTime: number;
}

/** Validates a request body; every failure is a 10006 naming the field. */
export function parsePaySyncParam(body: unknown): PaySyncParam {
  if (body === undefined || body === null || body === '') {
    throw new UnipayException(UnipayErrorCode.VALIDATION, '请求体不能为空');
  }
  if (!isJsonObject(body)) {
    throw new UnipayException(UnipayErrorCode.VALIDATION, '请求体必须是JSON对象');
  }
  const param = plainToInstance(PaySyncParam, body, { excludeExtraneousValues: false });
  const errors = validateSync(param, { forbidUnknownValues: false, stopAtFirstError: true });
  if (errors.length > 0) {
    const messages = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new UnipayException(UnipayErrorCode.VALIDATION, messages.join('; '));
  }
  if (!param.orderNo && !param.bizOrderNo) {
    throw new UnipayException(UnipayErrorCode.VALIDATION, '支付订单号不能都为空');
  }
  return param;
}
