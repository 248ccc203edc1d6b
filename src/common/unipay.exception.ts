import { DEFAULT_MESSAGES, UnipayErrorCode } from './unipay-error-code';

/** The one error type of the API: a code from the enum and the message the caller sees. */
export class UnipayException extends Error {
  constructor(
    readonly code: UnipayErrorCode,
    message: string = DEFAULT_MESSAGES[code],
  ) {
    super(message);
    this.name = 'UnipayException';
  }
}
