import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { daxResult } from './dax-result';
import { DEFAULT_MESSAGES, UnipayErrorCode } from './unipay-error-code';
import { UnipayException } from './unipay.exception';

interface MappedError {
  httpStatus: number;
  code: number;
  msg: string;
}

/**
 * Fastify rejects a bad body before Nest routes it; Nest hands the error to the global
 * filters as an HttpException carrying Fastify's status. These are the caller's mistakes.
 */
const BODY_ERRORS: Record<number, string> = {
  400: '请求体不是合法的JSON',
  413: '请求体过大',
  415: 'Content-Type 必须为 application/json',
};

const logger = new Logger('DaxExceptionFilter');

/**
 * Maps every error to the DaxPay envelope. Client mistakes get their code and a clear
 * message; anything unexpected is logged here and answered with a generic message, never
 * a stack trace.
 */
export function mapError(error: unknown): MappedError {
  if (error instanceof UnipayException) {
    return { httpStatus: error.httpStatus, code: error.code, msg: error.message };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) return { httpStatus: 404, code: UnipayErrorCode.FAIL, msg: '接口不存在' };
    if (status === 400 && /empty/i.test(error.message)) {
      return { httpStatus: 200, code: UnipayErrorCode.VALIDATION, msg: '请求体不能为空' };
    }
    if (status < 500) {
      return { httpStatus: 200, code: UnipayErrorCode.VALIDATION, msg: BODY_ERRORS[status] ?? '请求不合法' };
    }
  }
  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return { httpStatus: 200, code: UnipayErrorCode.FAIL, msg: DEFAULT_MESSAGES[UnipayErrorCode.FAIL] };
}

@Catch()
export class DaxExceptionFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const mapped = mapError(error);
    void http
      .getResponse<FastifyReply>()
      .status(mapped.httpStatus)
      .header('content-type', 'application/json; charset=utf-8')
      .send(daxResult(mapped.code, mapped.msg, null, String(http.getRequest<FastifyRequest>().id)));
  }
}
