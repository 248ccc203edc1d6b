import { ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { AppSettings } from './app-settings';
import { daxResult, newTraceId } from './common/dax-result';
import { UnipayErrorCode } from './common/unipay-error-code';
import { DaxExceptionFilter } from './common/dax-exception.filter';
import { LOG_LEVELS, ServerSettings } from './server.settings';

/**
 * A body declared longer than the limit is answered 10006 only once it has been read (and
 * thrown away), up to UNIPAY_BODY_DRAIN_BYTES. Answering and closing while the client is
 * still sending makes the kernel reset the connection, and the client (DaxPay's Java SDK
 * over HttpURLConnection, Node's http) then sees a reset instead of the answer.
 */
function refuseOversizeBodiesGently(adapter: FastifyAdapter, server: ServerSettings): void {
  adapter.getInstance().addHook('onRequest', (request, reply, done) => {
    const declared = Number(request.headers['content-length']);
    if (!(declared > server.UNIPAY_BODY_LIMIT_BYTES)) {
      done();
      return;
    }
    const answer = () =>
      void reply
        .code(200)
        .header('content-type', 'application/json; charset=utf-8')
        .send(daxResult(UnipayErrorCode.VALIDATION, '请求体过大', null, String(request.id)));
    if (declared > server.UNIPAY_BODY_DRAIN_BYTES) {
      reply.header('connection', 'close');
      answer();
      return;
    }
    request.raw.on('end', answer);
    request.raw.on('error', () => reply.raw.destroy());
    request.raw.resume();
  });
}

/** Builds the server the same way for `main.ts` and for the tests. */
export async function createApp(settings: AppSettings, extra: NonNullable<ModuleMetadata['imports']> = []): Promise<NestFastifyApplication> {
  const server = settings.of(ServerSettings);
  const adapter = new FastifyAdapter({
    bodyLimit: server.UNIPAY_BODY_LIMIT_BYTES,
    genReqId: () => newTraceId(),
    // Behind a proxy the operator sets X-Forwarded-* handling there; we never trust it here.
    trustProxy: false,
  });
  // The API speaks JSON only; any other body is refused with a clear 10006.
  adapter.getInstance().removeContentTypeParser('text/plain');
  refuseOversizeBodiesGently(adapter, server);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(settings, extra), adapter, {
    // Fastify parses JSON itself; without Nest's parsers a form body is refused (415) instead of half-read.
    bodyParser: false,
    logger: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(server.UNIPAY_LOG_LEVEL) + 1),
  });
  // Body errors happen before routing, so only a global filter sees them.
  app.useGlobalFilters(new DaxExceptionFilter());
  app.enableShutdownHooks();
  await app.init();
  return app;
}
