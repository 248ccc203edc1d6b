import { ConfigError, SettingsSource } from '../../src/config/settings';

/** The problems a settings loader reports for `env`; empty when it accepts them. */
export function configProblemsOf(load: (env: SettingsSource) => unknown, env: SettingsSource): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
