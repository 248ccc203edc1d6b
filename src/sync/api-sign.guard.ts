import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiRequestVerifier } from './api-request-verifier.service';
import { PaySyncParam, parsePaySyncParam } from './dto/pay-sync.param';

/** Where a guard leaves the body it validated and verified, for `@VerifiedParam()`. */
export const VERIFIED_PARAM = Symbol('verifiedParam');

export interface VerifiedRequest {
  body: unknown;
  [VERIFIED_PARAM]?: unknown;
}

/**
 * Runs the checks in the order DaxPay does: validation, signature, request time. Our nonce
 * replay check follows in the sync, in the statement that takes the order's lock. Validation happens here, not in a pipe, because Nest runs guards
 * before pipes and a bad body must not reach the signature check.
 */
@Injectable()
export class ApiSignGuard implements CanActivate {
  constructor(private readonly verifier: ApiRequestVerifier) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<VerifiedRequest>();
    const param = parsePaySyncParam(request.body);
    this.verifier.verify(request.body as Record<string, unknown>, param.reqTime);
    request[VERIFIED_PARAM] = param;
    return true;
  }
}

/** The body that ApiSignGuard validated and verified. */
export const VerifiedParam = createParamDecorator(
  (_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<VerifiedRequest>()[VERIFIED_PARAM],
);
