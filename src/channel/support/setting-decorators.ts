import { applyDecorators } from '@nestjs/common';
import { IsInt, IsUrl, Max, Min, ValidateBy } from 'class-validator';
import { AsInt } from '../../config/settings';
import { isLoadable } from './rsa';

/**
 * A key or certificate setting that `load` must accept (PEM text, a path, or whatever the
 * loader takes). The message is the one given: it never repeats the value.
 */
export function IsLoadable(load: (value: string) => unknown, message: string): PropertyDecorator {
  return ValidateBy({
    name: 'isLoadable',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isLoadable(value, load),
      defaultMessage: () => message,
    },
  });
}

/** A channel's endpoint: an http(s) URL; a host without a TLD is allowed (the emulators on 127.0.0.1). */
export function IsEndpointUrl(): PropertyDecorator {
  return IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an http(s) URL' });
}

/** A channel call's timeout, in whole milliseconds from 100 ms to 60 s. */
export function IsTimeoutMs(): PropertyDecorator {
  return applyDecorators(AsInt(), IsInt(), Min(100), Max(60000));
}
