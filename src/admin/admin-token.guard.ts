import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { UnipayErrorCode } from '../common/unipay-error-code';
import { UnipayException } from '../common/unipay.exception';
import { AdminSettings } from './admin.settings';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * The operator API's door: `Authorization: Bearer <token>`, compared in constant time (both
 * sides hashed to the same length first). With no token configured the API is off and
 * answers 404, like a path that does not exist.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(settings: AdminSettings) {
    this.expected = settings.UNIPAY_ADMIN_TOKEN ? digest(settings.UNIPAY_ADMIN_TOKEN) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) throw new UnipayException(UnipayErrorCode.FAIL, '接口不存在', HttpStatus.NOT_FOUND);
    const header = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers.authorization;
    const token = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header.trim())?.[1] : undefined;
    if (token === undefined || !timingSafeEqual(digest(token), this.expected)) {
      throw new UnipayException(UnipayErrorCode.UNAUTHORIZED, undefined, HttpStatus.UNAUTHORIZED);
    }
    return true;
  }
}
