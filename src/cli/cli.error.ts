import { ExitCode } from './exit-code';

/** An expected failure: printed as one line on stderr, never with a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }

  static usage(message: string): CliError {
    return new CliError(message, ExitCode.USAGE);
  }

  static failure(message: string): CliError {
    return new CliError(message, ExitCode.FAILURE);
  }
}

/** One line, whatever the error: Node's own messages sometimes span several lines. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
