import { type Static, Type } from 'typebox';
import { loggableSettings, parseEnvironment } from './lib/environment.ts';

/**
 * The environment variables of the features create-hardened-api added (see README.md here), validated
 * when the app starts: a wrong value stops it with a message naming the variable, never its value. See
 * parseEnvironment (lib/environment.ts) for `secret` and `productionMinLength`.
 */
export const ConfigSchema = Type.Object({
  NODE_ENV: Type.String({ default: 'development', maxLength: 50 }),
});

export type Config = Static<typeof ConfigSchema>;

/** Reads the environment as it is when the app is built (after a .env file was loaded, say). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnvironment(ConfigSchema, env);
}

/** The settings as they may be logged: secret values are replaced by whether they are set. */
export function loggableConfig(config: Config): Record<string, unknown> {
  return loggableSettings(ConfigSchema, config);
}
