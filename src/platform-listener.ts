import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { createServer, Server as NetServer, Socket } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import { daxResult } from './common/dax-result';
import { UnipayErrorCode } from './common/unipay-error-code';

/** The routes for the platform rather than merchants: metrics, health and the OpenAPI document. */
export function isPlatformPath(url: string): boolean {
  const path = url.split('?', 1)[0];
  return /^\/(metrics|health|docs(-json|-yaml)?)(\/|$)/.test(path);
}

const PLATFORM_SOCKETS = new WeakSet<Socket>();

/**
 * With a platform port (UNIPAY_PLATFORM_PORT), each route answers on one listener only:
 * metrics, health and the document on the platform's, everything else on the public one.
 * The other listener answers 404 in the DaxPay envelope, as for a path that does not exist.
 */
export function separatePlatformRoutes(adapter: FastifyAdapter): void {
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    const onPlatformListener = PLATFORM_SOCKETS.has(request.raw.socket);
    if (onPlatformListener === isPlatformPath(request.url)) {
      done();
      return;
    }
    void reply
      .code(404)
      .header('content-type', 'application/json; charset=utf-8')
      .send(daxResult(UnipayErrorCode.FAIL, '接口不存在', null, String(request.id)));
  });
}

/**
 * The second listener: its connections are handed to the application's own HTTP server, so
 * both listeners share one application, one set of timeouts and one shutdown.
 */
export function listenForPlatform(app: NestFastifyApplication, host: string, port: number): Promise<NetServer> {
  const http = app.getHttpServer() as HttpServer;
  const listener = createServer((socket) => {
    PLATFORM_SOCKETS.add(socket);
    http.emit('connection', socket);
  });
  return new Promise((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, host, () => {
      listener.off('error', reject);
      resolve(listener);
    });
  });
}
