import * as Sentry from '@sentry/react';
import { useEffect, useId, useState } from 'react';
import { memoryLeak } from './memory-leak';

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

interface Sample {
  heapBytes: number | null;
  listeners: number;
  intervals: number;
  retainedBytes: number;
}

function sample(): Sample {
  return { heapBytes: performance.memory?.usedJSHeapSize ?? null, ...memoryLeak.stats() };
}

/**
 * The browser's own memory: the JS heap (Chromium's performance.memory) and what the leak holds.
 * While `frontend-memory-leak` is on the widget leaks; switching it off releases everything.
 */
export function MemoryPanel({ leaking }: { leaking: boolean }) {
  const id = useId();
  const [now, setNow] = useState<Sample>(sample);
  const [history, setHistory] = useState<number[]>([]);

  useEffect(() => {
    if (leaking) {
      memoryLeak.start();
      Sentry.setTag('casino.scenario', 'frontend-memory-leak');
    } else {
      memoryLeak.release();
      Sentry.setTag('casino.scenario', undefined);
    }
  }, [leaking]);

  useEffect(() => {
    let ticks = 0;
    const timer = setInterval(() => {
      const s = sample();
      setNow(s);
      setHistory((h) => [...h.slice(-29), s.heapBytes ?? s.retainedBytes]);
      // Every 10 s, the heap as a Sentry metric, so the growth shows in Sentry as well.
      if (++ticks % 5 === 0) {
        const attributes = { 'casino.scenario': leaking ? 'frontend-memory-leak' : 'none' };
        if (s.heapBytes !== null) Sentry.metrics.gauge('frontend.heap_used', s.heapBytes, { unit: 'byte', attributes });
        Sentry.metrics.gauge('frontend.leaked_listeners', s.listeners, { attributes });
      }
    }, 2_000);
    return () => clearInterval(timer);
  }, [leaking]);

  const max = Math.max(1, ...history);
  return (
    <section className="card memory" aria-labelledby={`${id}-title`} data-leaking={leaking}>
      <h2 id={`${id}-title`}>Browser memory</h2>
      <p>
        {leaking
          ? 'frontend-memory-leak is on: this widget is leaking listeners, intervals and buffers.'
          : 'frontend-memory-leak is off: nothing is leaking.'}
      </p>
      <dl className="figures" data-testid="memory">
        <dt>JS heap</dt>
        <dd data-testid="heap-used">{now.heapBytes === null ? 'not reported by this browser' : mb(now.heapBytes)}</dd>
        <dt>Held by the leak</dt>
        <dd data-testid="leak-retained">{mb(now.retainedBytes)}</dd>
        <dt>Leaked listeners</dt>
        <dd data-testid="leak-listeners">{now.listeners}</dd>
        <dt>Leaked intervals</dt>
        <dd data-testid="leak-intervals">{now.intervals}</dd>
      </dl>
      <svg
        className="spark"
        viewBox="0 0 300 40"
        role="img"
        aria-label={`Heap over the last minute, now ${now.heapBytes === null ? mb(now.retainedBytes) : mb(now.heapBytes)}`}
      >
        <polyline
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          points={history.map((v, i) => `${i * 10},${40 - (v / max) * 38}`).join(' ')}
        />
      </svg>
    </section>
  );
}
