import { EmbeddedStore } from './embedded';
import type * as Mongo from './mongo';
import type { Store } from './types';

export * from './types';
export * from './retention';
export { EmbeddedStore } from './embedded';
export type { MongoStore } from './mongo';

/**
 * MongoDB when a URL is given, the embedded store otherwise (journaled in `dataDir` when given).
 * Each service gets its own database.
 */
export function createStore(options: { mongoUrl: string | undefined; database: string; dataDir?: string }): Store {
  if (!options.mongoUrl) return new EmbeddedStore(options.database, options.dataDir ? { dataDir: options.dataDir } : {});
  // mongoose is loaded only when used: it costs the embedded demo start-up time and memory.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MongoStore } = require('./mongo') as typeof Mongo;
  return new MongoStore(options.mongoUrl, options.database);
}
