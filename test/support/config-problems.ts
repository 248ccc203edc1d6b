import { ConfigError, Env } from '../../src/config/env-reader';

/** The problems a settings loader reports for `env`; empty when it accepts them. */
export function configProblemsOf(load: (env: Env) => unknown, env: Env): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
