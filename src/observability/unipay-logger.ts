import { LoggerService, LogLevel } from '@nestjs/common';
import pino, { DestinationStream, Level, Logger as Pino } from 'pino';
import { currentRequestContext } from './request-context';

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Nest's level names, most severe first, as the settings spell them. */
export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

const PINO_LEVEL: Record<LogLevel, Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

export const REDACTED = '[redacted]';

/**
 * Fields never written as they are, wherever a log call puts them: at the top of a line, one
 * level down, and in a request's headers. A host adds its own with UNIPAY_LOG_REDACT.
 */
const SECRET_KEYS = [
  'secret',
  'signSecret',
  'sign_secret',
  'password',
  'token',
  'privateKey',
  'private_key',
  'apiKey',
  'api_key',
  'apiV3Key',
  'key',
  'authorization',
  'cookie',
];

export const DEFAULT_REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
];

export interface UnipayLoggerOptions {
  level: LogLevelName;
  format: LogFormat;
  /** Further paths to redact (pino's path syntax: `a.b`, `*.b`, `a["x-y"]`). */
  redact?: readonly string[];
  /** Where lines go; standard output, written synchronously, by default. */
  destination?: DestinationStream;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Error) return value.message;
  return JSON.stringify(value) ?? String(value);
}

/** `time LEVEL [context] message key=value …`, from one JSON line: for people at a terminal. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const { time, level, context, msg, pid: _pid, hostname: _hostname, err, ...rest } = entry;
  const fields = Object.entries(rest).map(([key, value]) => `${key}=${text(value)}`);
  const head = [time, String(level).toUpperCase().padEnd(5), context ? `[${text(context)}]` : undefined, msg]
    .filter((part) => part !== undefined && part !== '')
    .join(' ');
  const stack = err && typeof err === 'object' && 'stack' in err ? `\n${String((err as { stack: unknown }).stack)}` : '';
  return `${head}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}${stack}\n`;
}

function prettyStream(to: DestinationStream): DestinationStream {
  return { write: (line: string) => to.write(prettyLine(line)) };
}

/**
 * Nest's logger over pino: one JSON object per line (or a readable line with
 * `format: 'pretty'`), secrets redacted by path, and the `traceId` of the request being
 * served added to every line written while serving it.
 *
 * A call may pass an object instead of a message; its fields become the line's fields and
 * its `msg` the message: `logger.warn({ msg: 'channel call failed', channel, orderNo })`.
 */
export class UnipayLogger implements LoggerService {
  readonly pino: Pino;

  constructor(options: UnipayLoggerOptions) {
    const out = options.destination ?? pino.destination({ fd: 1, sync: true });
    this.pino = pino(
      {
        level: PINO_LEVEL[options.level],
        messageKey: 'msg',
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: [...DEFAULT_REDACT_PATHS, ...(options.redact ?? [])], censor: REDACTED },
        mixin: (fields: object) => {
          const context = currentRequestContext();
          return context && !('traceId' in fields) ? { traceId: context.traceId } : {};
        },
      },
      options.format === 'pretty' ? prettyStream(out) : out,
    );
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /**
   * Nest passes the logger's context as the last argument when it is a string; an error
   * call may pass an Error or a stack before it.
   */
  private write(level: LogLevel, message: unknown, params: unknown[]): void {
    const target = PINO_LEVEL[level];
    if (!this.pino.isLevelEnabled(target)) return;
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    let msg: string;
    if (message instanceof Error) {
      fields.err = message;
      msg = message.message;
    } else if (message !== null && typeof message === 'object') {
      const { msg: given, message: alsoGiven, ...own } = message as Record<string, unknown>;
      Object.assign(fields, own);
      msg = text(given ?? alsoGiven ?? '');
    } else {
      msg = text(message);
    }
    for (const param of rest) {
      if (param instanceof Error) fields.err = param;
      else if (typeof param === 'string' && level === 'error') fields.stack = param;
      else if (param !== undefined) fields.detail = param;
    }
    this.pino[target](fields, msg);
  }
}
