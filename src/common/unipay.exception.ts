import { DEFAULT_MESSAGES, UnipayErrorCode } from './unipay-error-code';

/**
 * The one error type of the API: a code from the enum and the message the caller sees. The
 * merchant API answers every error with HTTP 200, as the DaxPay SDK expects; the operator
 * API gives the HTTP status of the error as well.
 */
export class UnipayException extends Error {
  constructor(
    readonly code: UnipayErrorCode,
    message: string = DEFAULT_MESSAGES[code],
    readonly httpStatus = 200,
  ) {
    super(message);
    this.name = 'UnipayException';
  }
}
