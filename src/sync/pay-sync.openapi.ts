import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import type { ExampleObject, SchemaObject } from '@nestjs/swagger';
import { ApiDaxAnswer, daxErrorExample, ENVELOPE_CODES_TABLE } from '../common/dax-openapi';
import { UnipayErrorCode } from '../common/unipay-error-code';
import { sign } from '../sign/daxpay-sign';
import { PaySyncParam } from './dto/pay-sync.param';
import { PaySyncStatus } from './pay-sync-status';

/** The secret of the document's examples: the spec's test-vector secret, for nothing real. */
export const EXAMPLE_SECRET = '123456';
const EXAMPLE_TIME = 1715500231;

/** An example signed as a merchant's SDK (or this server) signs it, with the example secret. */
export function signed<T extends Record<string, unknown>>(fields: T): T & { sign: string } {
  return { ...fields, sign: sign(fields, EXAMPLE_SECRET, 'HMAC_SHA256') };
}

export const EXAMPLE_REQUEST = signed({
  orderNo: '1753370980523384832',
  bizOrderNo: 'P0001',
  clientIp: '127.0.0.1',
  nonceStr: 'd112892e382a7093',
  reqTime: EXAMPLE_TIME,
});

export const EXAMPLE_ANSWERS: Record<string, ExampleObject> = {
  repaired: {
    summary: 'completed: the channel says paid (the order was repaired if it was not)',
    value: { code: 0, msg: 'success', data: signed({ status: PaySyncStatus.SUCCESS, code: 0, resTime: EXAMPLE_TIME + 3 }), traceId: 'otTneUZX4KEK' },
  },
  notFound: {
    summary: 'not completed, a business reason in data (data.code 1): no such order',
    value: { code: 0, msg: 'success', data: signed({ code: 1, msg: '支付订单不存在', resTime: EXAMPLE_TIME + 3 }), traceId: 'otTneUZX4KEK' },
  },
  invalid: daxErrorExample(UnipayErrorCode.VALIDATION, '请求已过期，请重新发送！'),
  badSign: daxErrorExample(UnipayErrorCode.SIGN_FAILED),
  busy: daxErrorExample(UnipayErrorCode.SYNC_IN_PROGRESS),
  failed: daxErrorExample(UnipayErrorCode.FAIL),
};

const SYNC_DATA: SchemaObject = {
  type: 'object',
  description: 'signed with the sign secret over status, code, msg and resTime; exactly these fields',
  required: ['code', 'resTime'],
  properties: {
    status: { type: 'string', enum: Object.values(PaySyncStatus), description: 'the channel status, when the sync completed (code 0)' },
    code: { type: 'integer', enum: [0, 1], description: '0: the sync completed; 1: it did not, msg says why' },
    msg: { type: 'string', description: 'why the sync did not complete; left out when empty' },
    resTime: { type: 'integer', description: 'answer time, Unix epoch seconds' },
    sign: { type: 'string', description: 'left out while signing is disabled' },
  },
};

const DESCRIPTION = `DaxPay 2.0.x \`PaySyncParam\`, wire-compatible: asks the order's channel for the true state and repairs the local order.

Every answer is HTTP 200 in the DaxPay envelope. Outer codes:

${ENVELOPE_CODES_TABLE}

\`data.status\` values: ${Object.values(PaySyncStatus).map((status) => `\`${status}\``).join(', ')}.

The examples are signed with the secret \`${EXAMPLE_SECRET}\` (HMAC_SHA256, the spec's test vector).`;

/** The sync endpoint in the OpenAPI document. */
export function ApiPaySync(): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary: 'Sync a pay order with its channel', description: DESCRIPTION }),
    ApiBody({ type: PaySyncParam, examples: { signed: { summary: `signed with ${EXAMPLE_SECRET}`, value: EXAMPLE_REQUEST } } }),
    ApiDaxAnswer('always HTTP 200; the outer code and data say what happened', SYNC_DATA, EXAMPLE_ANSWERS),
  );
}
