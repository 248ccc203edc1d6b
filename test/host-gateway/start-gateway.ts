import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DaxExceptionFilter } from 'unipay-sync';
import { GatewayConfig } from './gateway-config';
import { GatewayModule } from './gateway.module';

export async function startGateway(config: GatewayConfig, port = 0): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(config), new FastifyAdapter(), {
    logger: ['error', 'warn'],
    // A bad setting fails the boot with its ConfigError instead of aborting the process.
    abortOnError: false,
  });
  // Malformed JSON is refused by Fastify before routing: answered in the DaxPay envelope too.
  app.useGlobalFilters(new DaxExceptionFilter());
  app.enableShutdownHooks();
  await app.listen(port, '127.0.0.1');
  return app;
}
