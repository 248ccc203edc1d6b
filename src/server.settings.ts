import { IsIn, IsInt, IsNotEmpty, IsString, Max, Min } from 'class-validator';
import { AsInt } from './config/settings';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The standalone server's listener and log. */
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
}
