/** Jest global teardown: stops the replica set mongo-setup.ts started, if it started one. */
import type { MongoMemoryReplSet } from 'mongodb-memory-server-core';
import { RUNNING } from './mongo-setup';

export default async function mongoTeardown(): Promise<void> {
  const holder = globalThis as { [RUNNING]?: MongoMemoryReplSet };
  const replSet = holder[RUNNING];
  delete holder[RUNNING];
  // force: the data directory is one mongo-setup.ts made, which the library keeps unless forced.
  await replSet?.stop({ doCleanup: true, force: true });
}
