import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppSettings } from './app-settings';
import { ConfigError } from './config/settings';
import { createApp } from './create-app';
import { DatabaseSettings } from './database/database.settings';
import { SandboxSettings } from './sandbox/sandbox.settings';
import { ServerSettings } from './server.settings';

async function main(): Promise<void> {
  const logger = new Logger('unipay');
  let settings: AppSettings;
  try {
    settings = AppSettings.load();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  if (settings.usesDemoSecret) {
    logger.warn('demo mode: embedded SQLite with the built-in demo sign secret; set UNIPAY_SIGN_SECRET for anything real');
  }
  const { UNIPAY_HOST: host, UNIPAY_PORT: port } = settings.of(ServerSettings);
  const app = await createApp(settings);
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const listening = typeof address === 'object' && address ? address.port : port;
  const database = settings.of(DatabaseSettings).UNIPAY_DB_TYPE;
  const sandbox = settings.of(SandboxSettings).UNIPAY_SANDBOX_ENABLED ? 'on' : 'off';
  // Tests and scripts read this line to find the port when UNIPAY_PORT=0.
  logger.log(`listening on http://${host}:${listening} (database: ${database}, sandbox: ${sandbox})`);
}

void main();
