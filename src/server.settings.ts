import { ArrayMaxSize, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AsBool, AsInt, AsTextList } from './config/settings';
import { LOG_FORMATS, LOG_LEVELS } from './observability/unipay-logger';
import type { LogFormat, LogLevelName } from './observability/unipay-logger';

export { LOG_LEVELS };
export type { LogLevelName };

/** The standalone server's listener, log and shutdown. */
export class ServerSettings {
  @IsString()
  @IsNotEmpty()
  UNIPAY_HOST = '127.0.0.1';

  /** 0 takes a free port; the log's `listening on` line tells which. */
  @AsInt()
  @IsInt()
  @Min(0)
  @Max(65535)
  UNIPAY_PORT = 9999;

  @AsInt()
  @IsInt()
  @Min(1024)
  @Max(10485760)
  UNIPAY_BODY_LIMIT_BYTES = 16384;

  /**
   * A body over the limit whose declared length is at most this is read to its end and thrown
   * away before the 10006 answer, so the client, still sending, gets the answer and not a
   * connection reset. A longer one is answered at once and the connection closed.
   */
  @AsInt()
  @IsInt()
  @Min(0)
  @Max(1073741824)
  UNIPAY_BODY_DRAIN_BYTES = 16777216;

  @IsIn(LOG_LEVELS)
  UNIPAY_LOG_LEVEL: LogLevelName = 'log';

  /** `json`: one object per line, for a log pipeline. `pretty`: for a terminal (the demo's default). */
  @IsIn(LOG_FORMATS)
  UNIPAY_LOG_FORMAT: LogFormat = 'json';

  /** Further fields to redact, as pino paths (`merchant.apiKey`, `*.cardNo`), comma-separated. */
  @AsTextList()
  @ArrayMaxSize(100)
  @Matches(/^[\w*."[\]-]{1,200}$/, { each: true, message: 'each path must be a pino redact path such as a.b or *.b' })
  UNIPAY_LOG_REDACT: string[] = [];

  /**
   * A second port for the platform's routes (metrics, health, the OpenAPI document). When
   * set, those answer only there and the merchants' port answers them 404; unset, both kinds
   * share UNIPAY_PORT. 0 takes a free port; the log's `platform routes on` line tells which.
   */
  @IsOptional()
  @AsInt()
  @IsInt()
  @Min(0)
  @Max(65535)
  UNIPAY_PLATFORM_PORT: number | undefined = undefined;

  /** The platform port's address: the scraper and the probes must reach it, merchants need not. */
  @IsString()
  @IsNotEmpty()
  UNIPAY_PLATFORM_HOST = '127.0.0.1';

  /** Serve the OpenAPI document at /docs-json (and a page at /docs). */
  @AsBool()
  @IsBoolean({ message: 'must be true or false' })
  UNIPAY_OPENAPI_ENABLED = true;

  /**
   * On SIGTERM or SIGINT the server stops accepting, lets the requests, syncs and deliveries
   * in flight finish for at most this long, then exits: 0 when everything finished, 1 when
   * the bound cut something off (its locks and claims expire on their own).
   */
  @AsInt()
  @IsInt()
  @Min(1)
  @Max(3600)
  UNIPAY_SHUTDOWN_TIMEOUT_SECONDS = 25;
}
