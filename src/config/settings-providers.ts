import { FactoryProvider, ModuleMetadata, Provider } from '@nestjs/common';
import { loadSettings, SettingsClass, SettingsSource } from './settings';

/**
 * How a host application hands a module its settings: a factory, with what it injects from
 * the host (its own config provider, say). The factory returns the settings by variable name,
 * `{ UNIPAY_SIGN_SECRET: ... }`; what it leaves out takes the documented default.
 */
export interface SettingsFactory<T extends object> extends Pick<ModuleMetadata, 'imports'> {
  inject?: FactoryProvider['inject'];
  useFactory: (...args: never[]) => T | Promise<T>;
}

/**
 * Providers of validated settings, one per class, each injectable by its class. They are
 * read from what the factory returns, so a bad value stops the host's boot with a
 * ConfigError that names the variable, as the standalone server's does.
 */
export function settingsProviders<T extends object>(classes: SettingsClass[], factory: SettingsFactory<T>): Provider[] {
  const source = Symbol('settings source');
  return [
    { provide: source, useFactory: factory.useFactory, inject: factory.inject ?? [] },
    ...classes.map((cls) => ({ provide: cls, useFactory: (values: SettingsSource) => loadSettings(cls, values), inject: [source] })),
  ];
}
