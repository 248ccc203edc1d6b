import { SIGN_TYPES, SignType } from '../sign/sign-type';
import { CliError } from './cli.error';
import { CliEnv } from './cli-io';

/** The secret from `--secret`, else UNIPAY_SIGN_SECRET; an empty one counts as missing. */
export function resolveSecret(flag: string | undefined, env: CliEnv): string {
  const secret = flag ?? env.UNIPAY_SIGN_SECRET;
  if (secret === undefined || secret === '') {
    throw CliError.usage('missing sign secret: pass --secret or set UNIPAY_SIGN_SECRET');
  }
  return secret;
}

/** The sign type from `--sign-type`, else UNIPAY_SIGN_TYPE (the server's setting), else HMAC_SHA256. */
export function resolveSignType(flag: string | undefined, env: CliEnv): SignType {
  const envType = env.UNIPAY_SIGN_TYPE === '' ? undefined : env.UNIPAY_SIGN_TYPE;
  const type = (flag ?? envType ?? 'HMAC_SHA256').toUpperCase();
  if (!(SIGN_TYPES as readonly string[]).includes(type)) {
    throw CliError.usage(`unknown sign type '${flag ?? envType}': use one of ${SIGN_TYPES.join(', ')}`);
  }
  return type as SignType;
}
