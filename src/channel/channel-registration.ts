import { DynamicModule } from '@nestjs/common';
import { SettingsClass } from '../config/settings';
import { ModuleSchema } from '../database/module-schema';

/**
 * How an application mounts a channel. A channel's module class carries these as statics,
 * so the channel is its folder plus one line in the application's list of channels.
 */
export interface ChannelRegistration<S extends object = object> {
  /** The channel's settings; their fields are its environment variables. */
  readonly settings: SettingsClass<S>;
  /** Tables of the channel's own, if it keeps any. */
  readonly schema?: ModuleSchema;
  /** The channel's module, or undefined when its settings leave it off. */
  register(settings: S): DynamicModule | undefined;
}
