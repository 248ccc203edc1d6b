import { ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { AppSettings } from './app-settings';
import { newTraceId } from './common/dax-result';
import { DaxExceptionFilter } from './common/dax-exception.filter';
import { LOG_LEVELS, ServerSettings } from './server.settings';

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
