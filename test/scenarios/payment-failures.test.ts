/**
 * payment-failures: while it is on, a fraction `rate` of stake debits fail at the (simulated)
 * payment provider, as a decline (502) or a timeout (503). Each spin is one bet, decided once and
 * replayed the same way to every retry, so the ratio over spins is the rate; a failed spin moves
 * no money, and the books still balance.
 */
import { randomUUID } from 'node:crypto';
import { reconcile } from '../support/cli';
import { type Answer, call } from '../support/platform';
import { newPlayer, type ObservedPlatform, serviceOf, startObservedPlatform, switchScenario, traceSpans } from './observed-platform';
import { eventTrace, exceptionType } from './sentry-events';

const RATE = 0.3;
const PLAYERS = 10;
const SPINS_EACH = 30;
const DEPOSIT = 20_000;
const STAKE = 100;

interface Spin {
  key: string;
  answer: Answer<{ win?: number; type?: string; detail?: string; traceId?: string }>;
}

describe('the payment-failures scenario at rate 0.3, over 300 spins through the gateway', () => {
  let casino: ObservedPlatform;
  const tokens: string[] = [];
  const spins: Spin[][] = [];
  const failed = () => spins.flat().filter((s) => s.answer.status !== 201);

  const spin = (token: string, key: string) =>
    call<Spin['answer']['body']>(casino.api, 'POST', '/games/lucky-sevens/spins', { token, key, body: { stake: STAKE } });

  beforeAll(async () => {
    // A log line per request, each also sent to the ingest, would cost this run more than its spins.
    casino = await startObservedPlatform({ LOG_LEVEL: 'warn', SENTRY_PROFILE_SESSION_SAMPLE_RATE: '0' });
    tokens.push(...(await Promise.all(Array.from({ length: PLAYERS }, () => newPlayer(casino.api, DEPOSIT)))));
    await switchScenario(casino.api, 'payment-failures', true, { rate: RATE });
    await Promise.all(
      tokens.map(async (token, p) => {
        spins[p] = [];
        for (let i = 0; i < SPINS_EACH; i++) {
          const key = randomUUID();
          spins[p]!.push({ key, answer: await spin(token, key) });
        }
      }),
    );
  }, 60_000);

  afterAll(() => casino?.stop());

  test('when the spins are counted, then the failure ratio is the rate, within 0.05', () => {
    const ratio = failed().length / (PLAYERS * SPINS_EACH);

    console.log(`payment-failures: ${failed().length} of ${PLAYERS * SPINS_EACH} spins failed (ratio ${ratio.toFixed(3)}) at rate ${RATE}`);
    expect(ratio).toBeGreaterThanOrEqual(RATE - 0.05);
    expect(ratio).toBeLessThanOrEqual(RATE + 0.05);
  });

  test('when payment is scraped, then its failure counter holds each failed bet once, however often it was retried', async () => {
    const res = await fetch(`http://127.0.0.1:${casino.platform.ports.payment}/metrics`);
    const counted = [...(await res.text()).matchAll(/^casino_payment_failures_total\{[^}]*reason="(decline|timeout)"[^}]*\} (\d+)$/gm)];

    expect(counted.map(([, reason]) => reason).sort()).toEqual(['decline', 'timeout']);
    expect(counted.reduce((sum, [, , n]) => sum + Number(n), 0)).toBe(failed().length);
  });

  test('when a spin fails, then the player gets a 502 or 503 problem that names the provider and quotes the trace id', () => {
    const statuses = new Set<number>();
    for (const { answer } of failed()) {
      statuses.add(answer.status);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(answer.body.traceId).toBe(answer.traceId);
      expect(answer.body.detail).toMatch(/payment provider (declined|did not answer in time).*no money was taken/);
    }
    // Declines and timeouts, half each: both show up in 90 failures.
    expect([...statuses].sort()).toEqual([502, 503]);
  });

  test('when a bet fails, then payment reports it once, with its trace, context and the scenario tag', async () => {
    const events = await casino.ingest.waitFor('one payment event per failed spin', () => {
      const found = casino.ingest
        .events()
        .filter((e) => serviceOf(e) === 'payment' && eventTrace(e.event).tags['casino.scenario'] === 'payment-failures');
      return found.length >= failed().length ? found.map(({ event }) => event) : undefined;
    });

    expect(events).toHaveLength(failed().length);
    expect(new Set(events.map((e) => eventTrace(e).traceId))).toEqual(new Set(failed().map((s) => s.answer.traceId)));
    for (const event of events) {
      expect(['PaymentProviderDeclined', 'PaymentProviderTimeout']).toContain(exceptionType(event));
      expect(event.contexts).toMatchObject({
        payment: { provider: 'demo-card-provider', player_id: expect.any(String), round_id: expect.any(String), amount_cents: STAKE },
      });
    }
  });

  test('when failures are reported, then each kind is one fingerprint, every event carries the casino tags and the scenario as its flag, and so do the spans', () => {
    const events = casino.ingest
      .events()
      .filter((e) => serviceOf(e) === 'payment')
      .map(
        ({ event }) => event as { fingerprint?: string[]; tags: Record<string, string>; release: string; contexts: { flags?: unknown } },
      );
    const fingerprints = new Map<string, Set<string>>();
    for (const event of events) {
      const kind = exceptionType(event)!;
      fingerprints.set(kind, (fingerprints.get(kind) ?? new Set()).add(JSON.stringify(event.fingerprint)));
      expect(event.tags).toMatchObject({
        'casino.service': 'payment',
        'casino.game_id': 'lucky-sevens',
        'casino.scenario': 'payment-failures',
        'casino.release': event.release,
      });
      expect(event.contexts.flags).toEqual({ values: [{ flag: 'payment-failures', result: true }] });
    }
    // Ninety failures, each of its own player, round and amount: two issues.
    expect(Object.fromEntries([...fingerprints].map(([kind, set]) => [kind, [...set]]))).toEqual({
      PaymentProviderDeclined: ['["payment-provider-declined"]'],
      PaymentProviderTimeout: ['["payment-provider-timeout"]'],
    });
    const servers = casino.ingest.spans().filter((s) => s.segment && serviceOf(s) === 'payment');
    const failedServer = servers.find((s) => s.traceId === failed()[0]!.answer.traceId);
    expect(failedServer?.attributes['flag.evaluation.payment-failures']).toBe(true);
  });

  test('when it is off again, then a failed spin sent again goes through, every wallet is its deposit less settled stakes plus wins, and reconcile is clean', async () => {
    await switchScenario(casino.api, 'payment-failures', false);
    const retried = failed()[0]!;
    const player = spins.findIndex((list) => list.includes(retried));
    retried.answer = await spin(tokens[player]!, retried.key);
    expect(retried.answer.status).toBe(201);
    // No scenario is on: the spin's spans carry no flag.
    const spans = await traceSpans(casino.ingest, retried.answer.traceId, "the retried spin's payment span", (all) =>
      all.some((s) => s.segment && serviceOf(s) === 'payment'),
    );
    expect(spans.flatMap((s) => Object.keys(s.attributes).filter((k) => k.startsWith('flag.evaluation.')))).toEqual([]);

    for (const [p, token] of tokens.entries()) {
      const settled = spins[p]!.filter((s) => s.answer.status === 201);
      const expected = DEPOSIT - settled.length * STAKE + settled.reduce((sum, s) => sum + (s.answer.body.win ?? 0), 0);
      expect((await call<{ total: number }>(casino.api, 'GET', '/wallet', { token })).body.total).toBe(expected);
    }
    const report = await reconcile(casino.platform.ports.gateway);
    // A failed spin's round stays started, never debited: no stake for the recovery pass to finish.
    expect(report).toMatchObject({ code: 0, stdout: expect.stringMatching(/0 left half-way[\s\S]*Result: clean/) });
  });
});
