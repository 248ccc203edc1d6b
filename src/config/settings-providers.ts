import { DynamicModule, FactoryProvider, Module, ModuleMetadata, Provider, Type } from '@nestjs/common';
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

/**
 * Configures a static module once, for the whole application: returns a global module that
 * provides the settings classes (from the factory) and imports `module`. Every other module
 * that imports `module` gets the same instance, reading the same settings.
 */
export function configuredModule<T extends object>(module: Type, classes: SettingsClass[], factory: SettingsFactory<T>): DynamicModule {
  // A class of its own per module configured: Nest tells modules apart by their class.
  const carrier = { [`${module.name}Settings`]: class {} }[`${module.name}Settings`];
  Module({})(carrier);
  return {
    module: carrier,
    global: true,
    imports: [...(factory.imports ?? []), module],
    providers: settingsProviders(classes, factory),
    exports: classes,
  };
}
