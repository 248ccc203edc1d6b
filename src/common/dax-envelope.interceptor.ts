import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { daxResult, DaxResult } from './dax-result';

/** Wraps what a handler returns in the DaxPay envelope `{code: 0, msg, data, traceId}`. */
@Injectable()
export class DaxEnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<DaxResult<unknown>> {
    const traceId = String(context.switchToHttp().getRequest<FastifyRequest>().id);
    return next.handle().pipe(map((data: unknown) => daxResult(0, 'success', data ?? null, traceId)));
  }
}
