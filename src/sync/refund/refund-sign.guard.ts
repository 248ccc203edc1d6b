import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiRequestVerifier, REFUND_WINDOW_WORDING } from '../api-request-verifier.service';
import { VERIFIED_PARAM, VerifiedRequest } from '../api-sign.guard';
import { parseRefundSyncParam } from './dto/refund-sync.param';

/** Pay sync's checks in pay sync's order (validation, signature, request time), with refund sync's wording. */
@Injectable()
export class RefundSignGuard implements CanActivate {
  constructor(private readonly verifier: ApiRequestVerifier) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<VerifiedRequest>();
    const param = parseRefundSyncParam(request.body);
    this.verifier.verify(request.body as Record<string, unknown>, param.reqTime, REFUND_WINDOW_WORDING);
    request[VERIFIED_PARAM] = param;
    return true;
  }
}
