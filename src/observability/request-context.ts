import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line written while serving a request carries. */
export interface RequestContext {
  /** The request's id: the `traceId` of the DaxPay envelope it is answered with. */
  readonly traceId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `next` (and everything it starts) inside the request's context. */
export function withRequestContext<T>(context: RequestContext, next: () => T): T {
  return storage.run(context, next);
}

/** The context of the request being served here, if any. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
