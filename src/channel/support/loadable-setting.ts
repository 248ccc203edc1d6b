import { ValidateBy } from 'class-validator';
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
