import { ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { AppSettings } from './app-settings';
import { daxResult, newTraceId } from './common/dax-result';
import { UnipayErrorCode } from './common/unipay-error-code';
import { DaxExceptionFilter } from './common/dax-exception.filter';
import { withRequestContext } from './observability/request-context';
import { UnipayLogger } from './observability/unipay-logger';
import { mountOpenApi } from './openapi';
import { separatePlatformRoutes } from './platform-listener';
import { ServerSettings } from './server.settings';

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

/** The server's logger, as its settings ask. */
export function createLogger(server: ServerSettings): UnipayLogger {
  return new UnipayLogger({ level: server.UNIPAY_LOG_LEVEL, format: server.UNIPAY_LOG_FORMAT, redact: server.UNIPAY_LOG_REDACT });
}

/**
 * Every line logged while a request is served carries its traceId (the envelope's), and
 * each request ends with one line at debug: method, route, status, time, and the headers
 * with secrets redacted.
 */
function traceRequests(adapter: FastifyAdapter, logger: UnipayLogger): void {
  const fastify = adapter.getInstance();
  // Fastify carries the hook's async context through body parsing to the handler
  // (test/logs.e2e-spec.ts fails without this hook).
  fastify.addHook('onRequest', (request, _reply, done) => withRequestContext({ traceId: String(request.id) }, done));
  fastify.addHook('onResponse', (request, reply, done) => {
    if (logger.pino.isLevelEnabled('debug')) {
      logger.pino.debug(
        {
          traceId: String(request.id),
          req: { method: request.method, url: request.routeOptions.url ?? request.url, headers: request.headers },
          res: { statusCode: reply.statusCode },
          responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request completed',
      );
    }
    done();
  });
}

export interface ServedRoute {
  method: string;
  /** Fastify's form: `/sandbox/orders/:orderNo`. */
  url: string;
}

const ROUTES = new WeakMap<object, ServedRoute[]>();

/** Every route the server registered (HEAD twins of GET routes left out): what the OpenAPI test holds the document to. */
export function servedRoutes(app: NestFastifyApplication): ServedRoute[] {
  return [...(ROUTES.get(app.getHttpAdapter().getInstance()) ?? [])];
}

function recordRoutes(adapter: FastifyAdapter): void {
  const routes: ServedRoute[] = [];
  ROUTES.set(adapter.getInstance(), routes);
  adapter.getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
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
  recordRoutes(adapter);
  const logger = createLogger(server);
  traceRequests(adapter, logger);
  refuseOversizeBodiesGently(adapter, server);
  if (server.UNIPAY_PLATFORM_PORT !== undefined) separatePlatformRoutes(adapter);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(settings, extra), adapter, {
    // Fastify parses JSON itself; without Nest's parsers a form body is refused (415) instead of half-read.
    bodyParser: false,
    logger,
  });
  // Body errors happen before routing, so only a global filter sees them.
  app.useGlobalFilters(new DaxExceptionFilter());
  if (server.UNIPAY_OPENAPI_ENABLED) mountOpenApi(app);
  await app.init();
  return app;
}
