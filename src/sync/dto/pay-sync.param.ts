import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

/**
 * The body of `POST /unipay/sync/pay` (DaxPay `PaySyncParam`). Unknown fields are ignored.
 * `@IsString` stays next to each field: class-validator checks the decorators nearest the
 * field first, and a wrong type must be told as such, not as a length.
 */
export class PaySyncParam {
  @ApiPropertyOptional({ maxLength: 32, description: "the gateway's order number; at least one of orderNo and bizOrderNo, orderNo wins" })
  @IsOptional()
  @MaxLength(32, { message: 'orderNo 长度不能超过32' })
  @IsString({ message: 'orderNo 必须是字符串' })
  orderNo?: string;

  @ApiPropertyOptional({ maxLength: 100, description: "the merchant's order number" })
  @IsOptional()
  @MaxLength(100, { message: 'bizOrderNo 长度不能超过100' })
  @IsString({ message: 'bizOrderNo 必须是字符串' })
  bizOrderNo?: string;

  @ApiPropertyOptional({ maxLength: 64, description: "IPv4 or IPv6 of the merchant's client; empty is allowed (and signed as clientIp=)" })
  // An empty clientIp is allowed (and signed over as `clientIp=`).
  @ValidateIf((param: PaySyncParam) => param.clientIp !== undefined && param.clientIp !== null && param.clientIp !== '')
  @MaxLength(64, { message: 'clientIp 长度不能超过64' })
  @IsIP(undefined, { message: 'clientIp 必须是合法的 IPv4 或 IPv6 地址' })
  @IsString({ message: 'clientIp 必须是字符串' })
  clientIp?: string;

  @ApiPropertyOptional({ maxLength: 32, description: 'random text; a nonceStr seen inside the request time window is a replay (10006)' })
  @IsOptional()
  @MaxLength(32, { message: 'nonceStr 长度不能超过32' })
  @IsString({ message: 'nonceStr 必须是字符串' })
  nonceStr?: string;

  @ApiPropertyOptional({ maxLength: 64, description: 'the DaxPay signature over the other fields (HMAC_SHA256 by default); required while signing is enabled' })
  @IsOptional()
  @MaxLength(64, { message: 'sign 长度不能超过64' })
  @IsString({ message: 'sign 必须是字符串' })
  sign?: string;

  @ApiProperty({ type: 'integer', description: 'request time, Unix epoch seconds; at most UNIPAY_REQ_TIME_AHEAD_SECONDS (60) ahead and UNIPAY_REQ_TIME_BEHIND_SECONDS (300) behind' })
  @IsDefined({ message: 'reqTime 不能为空' })
  @IsInt({ message: 'reqTime 必须是整数（Unix 时间戳，秒）' })
  @Min(1, { message: 'reqTime 必须是正整数（Unix 时间戳，秒）' })
  reqTime: number;
}

/** The limits of the optional string fields, as the decorators above give them. */
const STRING_LIMITS: [keyof PaySyncParam, number][] = [
  ['orderNo', 32],
  ['bizOrderNo', 100],
  ['nonceStr', 32],
  ['sign', 64],
];
/** Dotted-quad IPv4, each part 0–255 without leading zeros: what `@IsIP()` accepts of IPv4. */
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

/**
 * The common case, checked by hand because it is the hot path: a body that plainly meets
 * every rule above is taken as it is. Whatever is not plain (an error to word, an IPv6
 * address, a string whose length depends on how surrogate pairs count) returns undefined
 * and goes through class-validator, which alone words the errors. The spec beside this file
 * checks that the two never disagree.
 */
export function plainlyValid(body: Record<string, unknown>): PaySyncParam | undefined {
  for (const [field, max] of STRING_LIMITS) {
    const value = body[field];
    if (!absent(value) && (typeof value !== 'string' || value.length > max)) return undefined;
  }
  const { clientIp, reqTime } = body;
  if (!absent(clientIp) && clientIp !== '' && (typeof clientIp !== 'string' || !IPV4.test(clientIp))) return undefined;
  if (typeof reqTime !== 'number' || !Number.isInteger(reqTime) || reqTime < 1) return undefined;
  return Object.assign(new PaySyncParam(), body);
}

/** class-validator's verdict: the param, or the 10006 that words every failed rule. */
export function validatedParam(body: Record<string, unknown>): PaySyncParam {
  const param = plainToInstance(PaySyncParam, body, { excludeExtraneousValues: false });
  const errors = validateSync(param, { forbidUnknownValues: false, stopAtFirstError: true });
  if (errors.length > 0) {
    const messages = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new UnipayException(UnipayErrorCode.VALIDATION, messages.join('; '));
  }
  return param;
}

/** Validates a request body; every failure is a 10006 naming the field. */
export function parsePaySyncParam(body: unknown): PaySyncParam {
  if (body === undefined || body === null || body === '') {
    throw new UnipayException(UnipayErrorCode.VALIDATION, '请求体不能为空');
  }
  if (!isJsonObject(body)) {
    throw new UnipayException(UnipayErrorCode.VALIDATION, '请求体必须是JSON对象');
  }
  const param = plainlyValid(body) ?? validatedParam(body);
  if (!param.orderNo && !param.bizOrderNo) {
    throw new UnipayException(UnipayErrorCode.VALIDATION, '支付订单号不能都为空');
  }
  return param;
}
