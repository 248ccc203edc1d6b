import { buildSignString, sign } from '../sign/daxpay-sign';
import { CliIo, CliEnv } from './cli-io';
import { SIGN_USAGE } from './cli-usage';
import { ExitCode } from './exit-code';
import { readJsonObject } from './json-object-input';
import { ParsedFlags } from './parse-flags';
import { resolveSecret, resolveSignType } from './sign-options';

const FLAGS = {
  json: { type: 'string' },
  file: { type: 'string' },
  secret: { type: 'string' },
  'sign-type': { type: 'string' },
  'show-secret': { type: 'boolean' },
} as const;

/** The string to sign with the secret after the final `&key=` replaced by `***`. */
export function maskSecret(signString: string, secret: string): string {
  return `${signString.slice(0, signString.length - secret.length)}***`;
}

/**
 * `unipay sign`: the DaxPay string to sign and the signature of a JSON object, so a merchant
 * can compare them with what their own code computes.
 */
export class SignCommand {
  static readonly usage = SIGN_USAGE;
  static readonly flags = FLAGS;

  constructor(
    private readonly io: CliIo,
    private readonly env: CliEnv,
  ) {}

  async run(flags: ParsedFlags<typeof FLAGS>): Promise<ExitCode> {
    const secret = resolveSecret(flags.secret, this.env);
    const signType = resolveSignType(flags['sign-type'], this.env);
    const fields = await readJsonObject(flags, this.io);

    const signString = buildSignString(fields, secret);
    this.io.out(`string to sign: ${flags['show-secret'] ? signString : maskSecret(signString, secret)}`);
    this.io.out(sign(fields, secret, signType));
    return ExitCode.OK;
  }
}
