import { INestApplication, LoggerService } from '@nestjs/common';
import type { Server } from 'node:http';
import type { Server as NetServer } from 'node:net';

/** How often connections left idle after their last answer are closed while shutting down. */
const IDLE_SWEEP_MS = 100;

/**
 * The standalone server's stop. On SIGTERM or SIGINT it stops accepting connections at
 * once, then closes the application: the job and the notifier stop claiming and finish the
 * round in flight, the requests in flight are answered, and the database is closed last.
 * Exits 0 when all of it finished within `timeoutSeconds`, 1 when the bound cut it short or
 * the close failed. A second signal while closing changes nothing.
 */
export function closeOnSignals(app: INestApplication, timeoutSeconds: number, logger: LoggerService, otherListeners: NetServer[] = []): void {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log({ msg: 'shutting down: no new connections; finishing requests, syncs and deliveries in flight', signal, timeoutSeconds });
    const started = Date.now();
    const cutOff = setTimeout(() => {
      logger.error({ msg: 'shutdown bound reached with work still in flight; exiting (its locks and claims expire on their own)', timeoutSeconds });
      process.exit(1);
    }, timeoutSeconds * 1000);
    // New connections are refused from now on; those already open are served to the end,
    // and each is closed once it has no request in flight (keep-alive would hold it open).
    const server = app.getHttpServer() as Server;
    if (server.listening) server.close(() => undefined);
    for (const listener of otherListeners) listener.close(() => undefined);
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS).unref();
    app.close().then(
      () => {
        clearTimeout(cutOff);
        logger.log({ msg: 'stopped', signal, ms: Date.now() - started });
        process.exit(0);
      },
      (error: unknown) => {
        clearTimeout(cutOff);
        logger.error({ msg: 'shutdown failed', err: error instanceof Error ? error : new Error(String(error)) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}
