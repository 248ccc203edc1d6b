import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppSettings } from './app-settings';
import { ConfigError } from './config/settings';
import { createApp } from './create-app';
import { DatabaseSettings } from './database/database.settings';
import { UnipayLogger } from './observability/unipay-logger';
import { SandboxSettings } from './sandbox/sandbox.settings';
import { ServerSettings } from './server.settings';
import { listenForPlatform } from './platform-listener';
import { closeOnSignals } from './shutdown';

/** Before the settings are read: the format asked for, else pretty on the embedded default. */
function earlyLogger(): UnipayLogger {
  const asked = process.env.UNIPAY_LOG_FORMAT;
  const demo = (process.env.UNIPAY_DB_TYPE ?? 'sqlite') === 'sqlite';
  return new UnipayLogger({ level: 'log', format: asked === 'json' || asked === 'pretty' ? asked : demo ? 'pretty' : 'json' });
}

async function main(): Promise<void> {
  let settings: AppSettings;
  try {
    settings = AppSettings.load();
  } catch (error) {
    if (error instanceof ConfigError) {
      earlyLogger().error(error.message, 'unipay');
      process.exit(2);
    }
    throw error;
  }
  const server = settings.of(ServerSettings);
  const app = await createApp(settings);
  const logger = new Logger('unipay');
  if (settings.usesDemoSecret) {
    logger.warn('demo mode: embedded SQLite with the built-in demo sign secret; set UNIPAY_SIGN_SECRET for anything real');
  }
  await app.listen(server.UNIPAY_PORT, server.UNIPAY_HOST);
  const platform = server.UNIPAY_PLATFORM_PORT === undefined ? undefined : await listenForPlatform(app, server.UNIPAY_PLATFORM_HOST, server.UNIPAY_PLATFORM_PORT);
  closeOnSignals(app, server.UNIPAY_SHUTDOWN_TIMEOUT_SECONDS, logger, platform ? [platform] : []);
  if (platform) {
    const bound = platform.address();
    logger.log(`platform routes on http://${server.UNIPAY_PLATFORM_HOST}:${typeof bound === 'object' && bound ? bound.port : server.UNIPAY_PLATFORM_PORT} (metrics, health, docs)`);
  }
  const address = app.getHttpServer().address();
  const listening = typeof address === 'object' && address ? address.port : server.UNIPAY_PORT;
  const database = settings.of(DatabaseSettings).UNIPAY_DB_TYPE;
  const sandbox = settings.of(SandboxSettings).UNIPAY_SANDBOX_ENABLED ? 'on' : 'off';
  // Tests and scripts read this line to find the port when UNIPAY_PORT=0.
  logger.log(`listening on http://${server.UNIPAY_HOST}:${listening} (database: ${database}, sandbox: ${sandbox})`);
}

void main();
