/**
 * memory-leak: while on, each spin adds `kbPerSpin` KB to a cache in the game that nothing evicts;
 * switching it off releases the cache, and the game's heap-used falls back.
 */
import { randomUUID } from 'node:crypto';
import type { IngestedSpan } from '../support/ingest';
import { call } from '../support/platform';
import { newPlayer, type ObservedPlatform, serviceOf, startObservedPlatform, switchScenario, traceSpans } from './observed-platform';
import { scrapeMetrics } from './service-metrics';

const KB_PER_SPIN = 8_192;
const SPINS = 20;
const LEAKED = SPINS * KB_PER_SPIN * 1024;
const MB = 1024 * 1024;

const isGameServer = (s: IngestedSpan) => serviceOf(s) === 'game' && s.op === 'http.server';

describe('memory-leak', () => {
  let o: ObservedPlatform;
  let token: string;

  beforeAll(async () => {
    o = await startObservedPlatform({ SENTRY_PROFILE_SESSION_SAMPLE_RATE: '0' });
    token = await newPlayer(o.api, 100_000);
  }, 60_000);

  afterAll(async () => {
    await switchScenario(o.api, 'memory-leak', false).catch(() => undefined);
    await o?.stop();
  });

  const heapUsed = async () => (await scrapeMetrics(o.platform, 'game')).nodejs_heap_size_used_bytes!;

  /** `n` spins one after another; the last one's trace id. */
  async function spins(n: number): Promise<string> {
    let traceId = '';
    for (let i = 0; i < n; i++) {
      const res = await call(o.api, 'POST', '/games/lucky-sevens/spins', { token, key: randomUUID(), body: { stake: 100 } });
      expect(res.status).toBe(201);
      traceId = res.traceId;
    }
    return traceId;
  }

  test('when memory-leak is on, then heap-used rises by about kbPerSpin a spin over what the same spins cost off, and falls back within 20 s of switching off', async () => {
    await spins(5);
    const start = await heapUsed();
    const offTrace = await spins(SPINS);
    const afterOff = await heapUsed();
    await switchScenario(o.api, 'memory-leak', true, { kbPerSpin: KB_PER_SPIN });
    const onTrace = await spins(SPINS);
    const afterOn = await heapUsed();
    await switchScenario(o.api, 'memory-leak', false);
    const switchedOff = Date.now();
    // Young-generation garbage comes and goes by tens of MB: the heap is back when most of the leak is gone.
    let fallen = afterOn;
    while (Date.now() - switchedOff < 20_000) {
      fallen = await heapUsed();
      if (afterOn - fallen >= 0.75 * LEAKED) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const figures = {
      startMb: start / MB,
      offRiseMb: (afterOff - start) / MB,
      onRiseMb: (afterOn - afterOff) / MB,
      fallMb: (afterOn - fallen) / MB,
      fellWithinMs: Date.now() - switchedOff,
      leakedMb: LEAKED / MB,
    };
    console.log(
      `memory-leak (kbPerSpin ${KB_PER_SPIN}, ${SPINS} spins): ${JSON.stringify(figures, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`,
    );

    expect(afterOn - afterOff - (afterOff - start)).toBeGreaterThanOrEqual(0.75 * LEAKED);
    expect(afterOn - fallen).toBeGreaterThanOrEqual(0.75 * LEAKED);

    const [off, on] = await Promise.all(
      [offTrace, onTrace].map(async (t) =>
        (await traceSpans(o.ingest, t, 'the game span of a spin', (all) => all.some(isGameServer))).find(isGameServer)!,
      ),
    );
    expect(on!.attributes['casino.scenario']).toBe('memory-leak');
    expect(off!.attributes['casino.scenario']).toBeUndefined();
  });
});
