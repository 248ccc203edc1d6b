import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import type { ExampleObject, SchemaObject } from '@nestjs/swagger';
import { ApiDaxAnswer, daxErrorExample, ENVELOPE_CODES_TABLE } from '../../common/dax-openapi';
import { UnipayErrorCode } from '../../common/unipay-error-code';
import { EXAMPLE_SECRET, signed } from '../pay-sync.openapi';
import { RefundSyncParam } from './dto/refund-sync.param';
import { REFUND_MESSAGES } from './refund-sync-outcome';
import { RefundSyncStatus } from './refund-sync-status';

/** refund-sync.md section 3's vectors are signed with the same test secret as pay sync's. */
const EXAMPLE_TIME = 1718179212;

/** Vector R1. */
export const EXAMPLE_REFUND_REQUEST = signed({ refundNo: 'DEVR24061216000001000021', clientIp: '127.0.0.1', reqTime: EXAMPLE_TIME });

export const EXAMPLE_REFUND_ANSWERS: Record<string, ExampleObject> = {
  success: {
    summary: 'completed: the channel says the refund is done (vector A1)',
    value: { code: 0, msg: 'success', data: signed({ status: RefundSyncStatus.SUCCESS, code: 0, resTime: EXAMPLE_TIME + 1 }), traceId: 'otTneUZX4KEK' },
  },
  notFound: {
    summary: 'not completed: no such refund (vector A2)',
    value: { code: 0, msg: 'success', data: signed({ code: 1, msg: REFUND_MESSAGES.NOT_FOUND, resTime: EXAMPLE_TIME + 1 }), traceId: 'otTneUZX4KEK' },
  },
  invalid: daxErrorExample(UnipayErrorCode.VALIDATION, '验证参数错误\n退款号不可超过100位\n'),
  badSign: daxErrorExample(UnipayErrorCode.SIGN_FAILED),
  busy: daxErrorExample(UnipayErrorCode.SYNC_IN_PROGRESS, REFUND_MESSAGES.BUSY),
};

const REFUND_SYNC_DATA: SchemaObject = {
  type: 'object',
  description: 'signed with the sign secret over status, code, msg and resTime; exactly these fields',
  required: ['code', 'resTime'],
  properties: {
    status: { type: 'string', enum: Object.values(RefundSyncStatus), description: "the channel's answer; close: the refund is closed here, nothing was asked" },
    code: { type: 'integer', enum: [0, 1] },
    msg: { type: 'string', description: `why the sync did not complete: ${Object.values(REFUND_MESSAGES).slice(0, 4).join(', ')}, or the channel's own text` },
    resTime: { type: 'integer' },
    sign: { type: 'string' },
  },
};

const DESCRIPTION = `DaxPay 2.0.8 \`RefundSyncParam\`: asks the refund's channel for its true state and repairs the refund and its pay order's refund status and balance.

Every answer is HTTP 200 in the DaxPay envelope. Outer codes:

${ENVELOPE_CODES_TABLE}

\`data.status\` values: ${Object.values(RefundSyncStatus).map((status) => `\`${status}\``).join(', ')}.

Field rules fail as DaxPay 2.0.8 words them: \`验证参数错误\` then each failed rule on its own line. The examples are signed with the secret \`${EXAMPLE_SECRET}\`.`;

export function ApiRefundSync(): MethodDecorator {
  return applyDecorators(
    ApiOperation({ summary: 'Sync a refund with its channel', description: DESCRIPTION }),
    ApiBody({ type: RefundSyncParam, examples: { signed: { summary: `vector R1, signed with ${EXAMPLE_SECRET}`, value: EXAMPLE_REFUND_REQUEST } } }),
    ApiDaxAnswer('always HTTP 200; the outer code and data say what happened', REFUND_SYNC_DATA, EXAMPLE_REFUND_ANSWERS),
  );
}
