import { IsBoolean } from 'class-validator';
import { AsBool } from '../config/settings';

/**
 * The sandbox channel and its demo API. Off unless set; the embedded SQLite demo turns it on
 * by default. It has no authentication: never on a server reachable by others.
 */
export class SandboxSettings {
  @AsBool()
  @IsBoolean({ message: 'must be true or false' })
  UNIPAY_SANDBOX_ENABLED = false;
}
