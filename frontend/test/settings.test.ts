import { renderHook } from '@testing-library/react';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, parseConfig, traceUrl } from '../src/config';
import { paramsFromDraft } from '../src/console/scenarios-panel';
import { useIdempotencyKey } from '../src/lib/idempotency';
import { stakeOptions } from '../src/lobby/slot-machine';
import { propagationTargets } from '../src/sentry';

const lost = { type: 'x', title: 'x', status: 0, detail: '' };

describe('the runtime settings', () => {
  test('when config.json is missing or malformed, then the defaults run against the same origin with nothing sent', () => {
    expect(parseConfig(undefined)).toEqual(DEFAULT_CONFIG);
    expect(parseConfig({ apiBaseUrl: 42, sentryDsn: '', tracesSampleRate: 7, traceUrlTemplate: 'https://x/' })).toEqual(DEFAULT_CONFIG);
  });

  test('when config.json is well formed, then its values are used and the API base loses its trailing slash', () => {
    const c = parseConfig({
      apiBaseUrl: 'http://localhost:8080/',
      sentryDsn: 'https://k@o1.ingest.sentry.io/2',
      tracesSampleRate: 0.5,
      traceViewer: 'Sentry',
      traceUrlTemplate: 'https://s/{traceId}',
    });
    expect(c).toMatchObject({
      apiBaseUrl: 'http://localhost:8080',
      sentryDsn: 'https://k@o1.ingest.sentry.io/2',
      tracesSampleRate: 0.5,
      traceViewer: 'Sentry',
    });
    expect(traceUrl(c, 'abc')).toBe('https://s/abc');
  });

  test('when config.json names no trace viewer, then trace ids open nothing; with Spotlight, they open its trace view', () => {
    expect(traceUrl(parseConfig({ traceViewer: 'Spotlight' }), 'abc')).toBeNull();
    const c = parseConfig({ traceViewer: 'Spotlight', traceUrlTemplate: 'http://localhost:8969/telemetry/traces/{traceId}' });
    expect(c.traceViewer).toBe('Spotlight');
    expect(traceUrl(c, 'abc')).toBe('http://localhost:8969/telemetry/traces/abc');
  });

  test('when trace headers are decided, then the page itself and the gateway get them and no other origin does', () => {
    const targets = propagationTargets('http://localhost:8080', 'http://localhost:3000');
    const propagates = (url: string) => targets.some((t) => t.test(url));
    expect(propagates('/api/v1/games/lucky-sevens/spins')).toBe(true);
    expect(propagates('http://localhost:3000/api/v1/wallet')).toBe(true);
    expect(propagates('http://localhost:8080/api/v1/wallet')).toBe(true);
    expect(propagates('//evil.example/api')).toBe(false);
    expect(propagates('http://localhost:80801/x')).toBe(false);
    expect(propagates('https://o1.ingest.sentry.io/api/2/envelope/')).toBe(false);
  });
});

describe('the stake choice', () => {
  test('when a game has limits and a step, then every stake offered is within them and on the step', () => {
    expect(stakeOptions({ id: 'lucky-sevens', name: 'L', minStake: 10, maxStake: 10_000, stakeStep: 1, rtp: 96 })).toEqual([
      10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000,
    ]);
    expect(stakeOptions({ id: 'fruit-fiesta', name: 'F', minStake: 10, maxStake: 5_000, stakeStep: 5, rtp: 96 })).toEqual([
      10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000,
    ]);
    expect(stakeOptions({ id: 'odd', name: 'O', minStake: 15, maxStake: 300, stakeStep: 15, rtp: 96 })).toEqual([15, 300]);
  });
});

describe('scenario parameters typed in the console', () => {
  test('when values are typed, then numbers become numbers, enums stay strings and blanks fall back to the defaults', () => {
    const schema = {
      ms: { type: 'integer' },
      rate: { type: 'number' },
      service: { type: 'string', enum: ['game', 'user'] },
      release: { type: 'string' },
    };
    expect(paramsFromDraft(schema, { ms: '300', rate: '0.5', service: 'user', release: '  ' })).toEqual({
      ms: 300,
      rate: 0.5,
      service: 'user',
    });
  });
});

describe('idempotency keys for money moves', () => {
  test('when the same request is repeated after a lost answer, then it keeps its key; after a definite answer or for a new request, the key changes', () => {
    const { result } = renderHook(() => useIdempotencyKey());
    const keys = result.current;
    const first = keys.keyFor({ amount: 100 });
    expect(keys.keyFor({ amount: 100 })).toBe(first);
    keys.settled(lost);
    expect(keys.keyFor({ amount: 100 })).toBe(first);
    keys.settled({ ...lost, status: 502 });
    expect(keys.keyFor({ amount: 100 })).toBe(first);
    keys.settled({ ...lost, status: 422 });
    const second = keys.keyFor({ amount: 100 });
    expect(second).not.toBe(first);
    expect(keys.keyFor({ amount: 200 })).not.toBe(second);
    keys.settled(null);
    expect(keys.keyFor({ amount: 200 })).not.toBe(second);
  });
});
