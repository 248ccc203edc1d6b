/** Exit codes of the `unipay` command, as the README documents them. */
export enum ExitCode {
  OK = 0,
  /** The command ran but failed: network error, error answer, signature not verified. */
  FAILURE = 1,
  /** The command was called wrongly: bad flag, bad input, missing secret. */
  USAGE = 2,
}
