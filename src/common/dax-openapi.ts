import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiResponseOptions } from '@nestjs/swagger';
import type { ExampleObject, SchemaObject } from '@nestjs/swagger';
import { DEFAULT_MESSAGES, UnipayErrorCode } from './unipay-error-code';

/** What each outer `code` of the envelope means, as a Markdown table for the document. */
export const ENVELOPE_CODES_TABLE = [
  '| code | meaning | msg |',
  '|---|---|---|',
  `| ${UnipayErrorCode.SUCCESS} | the request was carried out; for a sync, \`data\` holds its signed answer | ${DEFAULT_MESSAGES[UnipayErrorCode.SUCCESS]} |`,
  `| ${UnipayErrorCode.FAIL} | the server could not finish the request (never the caller's fault); try again | ${DEFAULT_MESSAGES[UnipayErrorCode.FAIL]} |`,
  `| ${UnipayErrorCode.VALIDATION} | bad input: a field, malformed or oversize JSON, reqTime outside the window, a replayed nonceStr | names the field |`,
  `| ${UnipayErrorCode.SYNC_IN_PROGRESS} | the same order is being synced right now | ${DEFAULT_MESSAGES[UnipayErrorCode.SYNC_IN_PROGRESS]} |`,
  `| ${UnipayErrorCode.SIGN_FAILED} | signature missing or wrong | ${DEFAULT_MESSAGES[UnipayErrorCode.SIGN_FAILED]} |`,
  `| ${UnipayErrorCode.UNAUTHORIZED} | operator API: no valid bearer token (HTTP 401) | ${DEFAULT_MESSAGES[UnipayErrorCode.UNAUTHORIZED]} |`,
  `| ${UnipayErrorCode.NOT_FOUND} | operator API: no such record (HTTP 404) | ${DEFAULT_MESSAGES[UnipayErrorCode.NOT_FOUND]} |`,
  `| ${UnipayErrorCode.CONFLICT} | operator API: the record is busy or already so (HTTP 409) | ${DEFAULT_MESSAGES[UnipayErrorCode.CONFLICT]} |`,
].join('\n');

/** The DaxPay envelope `{code, msg, data, traceId}` around `data`. */
export function daxEnvelopeSchema(data: SchemaObject = { type: 'object', nullable: true }): SchemaObject {
  return {
    type: 'object',
    required: ['code', 'msg', 'data', 'traceId'],
    properties: {
      code: { type: 'integer', enum: Object.values(UnipayErrorCode).filter((value) => typeof value === 'number'), description: 'outer code; see the table in the description' },
      msg: { type: 'string' },
      data: { ...data, nullable: true },
      traceId: { type: 'string', description: "the request's id, also on each of its log lines", example: 'otTneUZX4KEK' },
    },
  };
}

/** A DaxPay envelope answer: `data` as given, examples by name. */
export function ApiDaxAnswer(
  description: string,
  data?: SchemaObject,
  examples?: Record<string, ExampleObject>,
  extra: Partial<ApiResponseOptions> = {},
): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiOkResponse({ description, schema: daxEnvelopeSchema(data), examples, ...extra } as ApiResponseOptions));
}

/** An outer error as the envelope carries it: `data` null. */
export function daxErrorExample(code: UnipayErrorCode, msg = DEFAULT_MESSAGES[code]): ExampleObject {
  return { summary: `${code}: ${msg}`, value: { code, msg, data: null, traceId: 'otTneUZX4KEK' } };
}
