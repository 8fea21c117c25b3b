/**
 * The services' identity keys as the tools find them: from the environment or `.env`, or from the
 * file `npm run demo` writes when it makes a set for its run.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { CALLERS, isCaller, newServiceKeys, publicKeyVariable, signingKeyVariable } from '@casino/shared/service-identity';

export const SERVICE_KEY_VARIABLES = CALLERS.flatMap((c) => [signingKeyVariable(c), publicKeyVariable(c)]);

/** Where `npm run demo` keeps the keys it made, readable by its user alone. */
export const demoKeysFile = (root: string) => join(root, '.demo', 'service-keys.env');

/** The set as `.env` lines. */
export const envLines = (keys: Record<string, string>) => `${SERVICE_KEY_VARIABLES.map((name) => `${name}=${keys[name]}`).join('\n')}\n`;

/**
 * Gives `env` a new set of keys when it has none, and writes them where the other tools look;
 * the file's path, or undefined when `env` had its own. A partial set is left for the services'
 * configuration checks to name what is missing.
 */
export function ensureServiceKeys(env: NodeJS.ProcessEnv, root: string): string | undefined {
  if (SERVICE_KEY_VARIABLES.some((name) => env[name])) return undefined;
  const keys = newServiceKeys();
  Object.assign(env, keys);
  const file = demoKeysFile(root);
  mkdirSync(join(root, '.demo'), { recursive: true });
  writeFileSync(file, envLines(keys), { mode: 0o600 });
  return file;
}

/** `env` with the keys of the last `npm run demo` added, where it has none of its own. */
export function withDemoKeys(env: NodeJS.ProcessEnv, root: string): NodeJS.ProcessEnv {
  const file = demoKeysFile(root);
  if (SERVICE_KEY_VARIABLES.some((name) => env[name]) || !existsSync(file)) return env;
  return { ...(parseEnv(readFileSync(file, 'utf8')) as Record<string, string>), ...env };
}

/** What one service's process gets: every public key, and of the private keys only its own. */
export function serviceEnv(env: NodeJS.ProcessEnv, service: string): NodeJS.ProcessEnv {
  const own = isCaller(service) ? signingKeyVariable(service) : undefined;
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.endsWith('_SIGNING_KEY') || name === own));
}
