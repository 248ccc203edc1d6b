import { IsBoolean, IsIn, IsNotEmpty, IsString, ValidateIf } from 'class-validator';
import { AsBool } from '../config/settings';
import { SIGN_TYPES, type SignType } from './sign-type';

/** The DaxPay request and answer signatures: one platform secret, one sign type. */
export class SignSettings {
  @AsBool()
  @IsBoolean({ message: 'must be true or false' })
  UNIPAY_SIGN_ENABLED = true;

  @IsIn(SIGN_TYPES)
  UNIPAY_SIGN_TYPE: SignType = 'HMAC_SHA256';

  @ValidateIf((settings: SignSettings) => settings.UNIPAY_SIGN_ENABLED !== false)
  @IsString()
  @IsNotEmpty({ message: 'UNIPAY_SIGN_SECRET is required when signing is enabled' })
  UNIPAY_SIGN_SECRET = '';
}
