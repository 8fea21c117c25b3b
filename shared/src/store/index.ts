import { EmbeddedStore } from './embedded';
import { MongoStore } from './mongo';
import type { Store } from './types';

export * from './types';
export { EmbeddedStore } from './embedded';
export { MongoStore } from './mongo';

/** MongoDB when a URL is given, the embedded store otherwise. Each service gets its own database. */
export function createStore(options: { mongoUrl: string | undefined; database: string }): Store {
  return options.mongoUrl ? new MongoStore(options.mongoUrl, options.database) : new EmbeddedStore(options.database);
}
