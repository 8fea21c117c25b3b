import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Logger, Scenarios } from '@casino/shared';

/**
 * The cap on what the memory-leak scenario holds, so a scenario left on cannot take the demo down:
 * 512 MB, or a quarter of the V8 heap limit when that is smaller (a container with little memory).
 */
export const LEAK_CAP_BYTES = Math.min(512 * 1024 * 1024, Math.floor(getHeapStatistics().heap_size_limit / 4));

/** Eight bytes a number: an array of doubles lives on the V8 heap, unlike a Buffer. */
const NUMBERS_PER_KB = 128;
/**
 * Blocks of 128 KB, so heap-used grows by what is kept: a long `new Array(n)` is first a block of
 * pointers, then copied to doubles (20 arrays of 8 MB showed 320 MB until the next GC, not 160).
 */
const BLOCK_KB = 128;

/**
 * V8 runs no full collection on its own while the old generation stays under its limit: 40 MB let
 * go here stayed in heap-used for 30 s of light traffic. So that switching the leak off shows on
 * the heap graph at once, the game asks for one collection then, through `gc` (exposed at run time
 * when the process was not started with --expose-gc).
 */
function collectGarbage(): void {
  let gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/**
 * A cache of every spin's "history" that nothing ever evicts: the memory-leak scenario. It grows by
 * `kbPerSpin` KB a spin while the scenario is on, stops at the cap, and is dropped when the scenario
 * is switched off.
 */
export class SpinHistoryCache {
  private entries: number[][][] = [];
  private held = 0;
  private capped = false;

  constructor(
    private readonly logger: Logger,
    private readonly capBytes = LEAK_CAP_BYTES,
  ) {}

  /** Releases everything whenever the scenario is switched off. */
  watch(scenarios: Scenarios): this {
    scenarios.onChange((name, setting) => {
      if (name === 'memory-leak' && !setting?.enabled) this.release();
    });
    return this;
  }

  get bytes(): number {
    return this.held;
  }

  /** Keeps about `kb` KB more, unless that would pass the cap. */
  remember(kb: number): void {
    const bytes = kb * 1024;
    if (this.held + bytes > this.capBytes) {
      if (!this.capped)
        this.logger.warn(
          { heldBytes: this.held, capBytes: this.capBytes },
          'memory-leak scenario reached its cap; the cache stops growing',
        );
      this.capped = true;
      return;
    }
    const blocks: number[][] = [];
    for (let left = kb; left > 0; left -= BLOCK_KB)
      blocks.push(new Array<number>(Math.min(left, BLOCK_KB) * NUMBERS_PER_KB).fill(this.entries.length + 0.5));
    this.entries.push(blocks);
    this.held += bytes;
  }

  release(): void {
    if (!this.entries.length) return;
    const released = this.held;
    this.entries = [];
    this.held = 0;
    this.capped = false;
    // After the answer to the switch: a full collection of a large heap can take a while.
    setImmediate(collectGarbage);
    this.logger.info({ releasedBytes: released }, 'memory-leak scenario switched off; its cache was released');
  }
}
