import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { isIP } from 'class-validator';
import { isJsonObject } from '../../../common/json-object';
import { UnipayErrorCode } from '../../../common/unipay-error-code';
import { UnipayException } from '../../../common/unipay.exception';

/** How DaxPay 2.0.8 opens a validation answer; each failed rule follows on its own line. */
export const VALIDATION_PREFIX = '验证参数错误\n';

/** The body of `POST /unipay/sync/refund` (DaxPay `RefundSyncParam`). Unknown fields are ignored. */
export class RefundSyncParam {
  @ApiPropertyOptional({ maxLength: 100, description: "the gateway's refund number; wins over bizRefundNo unless blank" })
  refundNo?: string;

  @ApiPropertyOptional({ maxLength: 100, description: "the merchant's refund number" })
  bizRefundNo?: string;

  @ApiPropertyOptional({ maxLength: 64, description: "IPv4 or IPv6 of the merchant's client; blank is allowed" })
  clientIp?: string;

  @ApiPropertyOptional({ maxLength: 32, description: 'random text; a nonceStr seen inside the request time window is a replay (10006)' })
  nonceStr?: string;

  @ApiPropertyOptional({ maxLength: 64, description: 'the DaxPay signature over the other fields; required while signing is enabled' })
  sign?: string;

  @ApiProperty({ type: 'integer', description: 'request time, Unix epoch seconds' })
  reqTime: number;
}

const STRING_FIELDS = ['refundNo', 'bizRefundNo', 'clientIp', 'nonceStr', 'sign'] as const;

/** Each field's length rule, in DaxPay 2.0.8's words (refund-sync.md section 2). */
const LIMITS: [(typeof STRING_FIELDS)[number], number, string][] = [
  ['refundNo', 100, '退款号不可超过100位'],
  ['bizRefundNo', 100, '商户退款号不可超过100位'],
  ['clientIp', 64, '客户端ip不可超过64位'],
  ['nonceStr', 32, '随机数不可超过32位'],
  ['sign', 64, '签名不可超过64位'],
];

const refused = (message: string) => new UnipayException(UnipayErrorCode.VALIDATION, message);

/**
 * Validates a refund sync body. A wrong type or a body that is no JSON object is told as pay
 * sync tells it; the field rules are told as DaxPay 2.0.8 does: `验证参数错误`, then each
 * failed rule on a line of its own. Both numbers blank is no error here: the sync answers
 * 未查询到退款订单.
 */
export function parseRefundSyncParam(body: unknown): RefundSyncParam {
  if (body === undefined || body === null || body === '') throw refused('请求体不能为空');
  if (!isJsonObject(body)) throw refused('请求体必须是JSON对象');
  for (const field of STRING_FIELDS) {
    const value = body[field];
    if (value !== undefined && value !== null && typeof value !== 'string') throw refused(`${field} 必须是字符串`);
  }
  const { reqTime, clientIp } = body;
  if (reqTime !== undefined && reqTime !== null && (typeof reqTime !== 'number' || !Number.isInteger(reqTime) || reqTime < 1)) {
    throw refused('reqTime 必须是整数（Unix 时间戳，秒）');
  }
  const rules: string[] = [];
  for (const [field, max, rule] of LIMITS) {
    const value = body[field];
    if (typeof value === 'string' && value.length > max) rules.push(rule);
    if (field === 'clientIp' && typeof clientIp === 'string' && clientIp.trim() !== '' && clientIp.length <= max && !isIP(clientIp)) rules.push('IP地址不合法！');
  }
  if (reqTime === undefined || reqTime === null) rules.push('请求时间必填');
  if (rules.length > 0) throw refused(VALIDATION_PREFIX + rules.map((rule) => `${rule}\n`).join(''));
  return Object.assign(new RefundSyncParam(), body);
}
