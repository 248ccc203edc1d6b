import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppSettings } from '../src/app-settings';
import { ConfigError } from '../src/config/settings';
import { createApp } from '../src/create-app';
import { DatabaseSettings } from '../src/database/database.settings';
import { ServerSettings } from '../src/server.settings';
import { BenchChannelModule } from './bench-channel.module';

/** The real server (createApp) plus the bench channel; loopback only. Settings: the usual UNIPAY_* env. */
async function main(): Promise<void> {
  const logger = new Logger('bench-server');
  let settings: AppSettings;
  try {
    settings = AppSettings.load(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const { UNIPAY_HOST: host, UNIPAY_PORT: port } = settings.of(ServerSettings);
  if (host !== '127.0.0.1') {
    logger.error('the bench server listens on 127.0.0.1 only');
    process.exit(2);
  }
  const app = await createApp(settings, [BenchChannelModule]);
  await app.listen(port, host);
  const address = app.getHttpServer().address();
  const listening = typeof address === 'object' && address ? address.port : port;
  logger.log(`listening on http://127.0.0.1:${listening} (database: ${settings.of(DatabaseSettings).UNIPAY_DB_TYPE}, pid ${process.pid})`);
}

void main();
