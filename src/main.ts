import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/app-config';
import { createApp } from './create-app';

async function main(): Promise<void> {
  const logger = new Logger('unipay');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  if (config.usesDemoSecret) {
    logger.warn('demo mode: embedded SQLite with the built-in demo sign secret; set UNIPAY_SIGN_SECRET for anything real');
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Tests and scripts read this line to find the port when UNIPAY_PORT=0.
  logger.log(`listening on http://${config.host}:${port} (database: ${config.dbType}, sandbox: ${config.sandboxEnabled ? 'on' : 'off'})`);
}

void main();
