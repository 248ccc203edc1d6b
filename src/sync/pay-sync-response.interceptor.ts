import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { SignSettings } from '../sign/sign.settings';
import { PaySyncOutcome } from './pay-sync-outcome';
import { PaySyncData, toPaySyncData } from './pay-sync-response';

/** Turns the service's outcome into the signed `data` of the answer. */
@Injectable()
export class PaySyncResponseInterceptor implements NestInterceptor {
  constructor(private readonly settings: SignSettings) {}

  intercept(_context: ExecutionContext, next: CallHandler<PaySyncOutcome>): Observable<PaySyncData> {
    return next.handle().pipe(map((outcome) => toPaySyncData(outcome, this.settings)));
  }
}
