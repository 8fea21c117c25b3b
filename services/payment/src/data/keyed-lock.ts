/**
 * Runs work for one key at a time, in order of arrival, within this process: a wallet's writes
 * queue here instead of missing each other's versions and retrying. Other processes are still
 * kept apart by the versioned write itself.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** `work` learns whether it waited for others, whose writes make anything read before stale. */
  async run<R>(key: string, work: (waited: boolean) => Promise<R>): Promise<R> {
    const before = this.tails.get(key);
    const result = before ? before.then(() => work(true)) : work(false);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
