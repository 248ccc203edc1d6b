import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { PaySyncData, toPaySyncData } from './pay-sync-response';
import { PaySyncOutcome } from './pay-sync.service';
import { SYNC_OPTIONS, type SyncModuleOptions } from './sync-options';

/** Turns the service's outcome into the signed `data` of the answer. */
@Injectable()
export class PaySyncResponseInterceptor implements NestInterceptor {
  constructor(@Inject(SYNC_OPTIONS) private readonly options: SyncModuleOptions) {}

  intercept(_context: ExecutionContext, next: CallHandler<PaySyncOutcome>): Observable<PaySyncData> {
    return next.handle().pipe(map((outcome) => toPaySyncData(outcome, this.options)));
  }
}
