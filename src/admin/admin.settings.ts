import { IsString, MinLength, ValidateIf } from 'class-validator';

/** The operator API (`/admin`). */
export class AdminSettings {
  /**
   * The bearer token operators send (`Authorization: Bearer <token>`). Empty: the operator
   * API is off and every /admin path answers 404, like any unknown path.
   */
  @ValidateIf((settings: AdminSettings) => settings.UNIPAY_ADMIN_TOKEN !== '')
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters, or empty to turn the operator API off' })
  UNIPAY_ADMIN_TOKEN = '';
}
