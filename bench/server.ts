import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '../src/config/app-config';
import { createApp } from '../src/create-app';
import { BenchChannelModule } from './bench-channel.module';

/** The real server (createApp) plus the bench channel; loopback only. Settings: the usual UNIPAY_* env. */
async function main(): Promise<void> {
  const logger = new Logger('bench-server');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  if (config.host !== '127.0.0.1') {
    logger.error('the bench server listens on 127.0.0.1 only');
    process.exit(2);
  }
  const app = await createApp(config, [BenchChannelModule]);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log(`listening on http://127.0.0.1:${port} (database: ${config.dbType}, pid ${process.pid})`);
}

void main();
