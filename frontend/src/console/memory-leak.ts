/**
 * The `frontend-memory-leak` scenario's deliberate bug: a console widget that, every tick, adds a
 * window listener and an interval holding a 1 MB buffer, and never removes either. `release()`
 * (called when the scenario is switched off) is the fix a real app would need: it removes every
 * listener, clears every interval and drops the buffers so the garbage collector can take them.
 */
const CHUNK_DOUBLES = 131_072; // 1 MiB of float64
/** A tab that runs out of memory mid-demo helps nobody. */
export const MAX_LEAKED_MB = 300;

interface Leaked {
  listeners: { type: string; fn: () => void }[];
  intervals: ReturnType<typeof setInterval>[];
  buffers: Float64Array[];
}
let leaked: Leaked = { listeners: [], intervals: [], buffers: [] };
let driver: ReturnType<typeof setInterval> | undefined;

function leakOnce(): void {
  if (leaked.buffers.length >= MAX_LEAKED_MB) return;
  const buffer = new Float64Array(CHUNK_DOUBLES).fill(Math.random());
  const onResize = () => void buffer[0];
  window.addEventListener('resize', onResize);
  // An interval whose callback keeps the buffer alive: the classic forgotten clearInterval.
  const interval = setInterval(() => void buffer[1], 60_000);
  leaked.listeners.push({ type: 'resize', fn: onResize });
  leaked.intervals.push(interval);
  leaked.buffers.push(buffer);
}

export const memoryLeak = {
  get running(): boolean {
    return driver !== undefined;
  },
  /** Starts leaking one 1 MiB buffer, listener and interval per `everyMs`. */
  start(everyMs = 500): void {
    if (driver) return;
    driver = setInterval(leakOnce, everyMs);
  },
  release(): void {
    clearInterval(driver);
    driver = undefined;
    for (const l of leaked.listeners) window.removeEventListener(l.type, l.fn);
    for (const i of leaked.intervals) clearInterval(i);
    leaked = { listeners: [], intervals: [], buffers: [] };
  },
  stats(): { listeners: number; intervals: number; retainedBytes: number } {
    return {
      listeners: leaked.listeners.length,
      intervals: leaked.intervals.length,
      retainedBytes: leaked.buffers.length * CHUNK_DOUBLES * 8,
    };
  },
};
