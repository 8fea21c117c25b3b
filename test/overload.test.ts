/**
 * Overload: five players each send 120 spins at once, 600 in all, through the gateway. The gateway
 * lets in what the platform answers in time and refuses the rest at once, before any money moves:
 * no spin may time out (504) or fail while its round completes behind the client's back.
 */
import { randomUUID } from 'node:crypto';
import type { SpinResult } from '@casino/shared';
import { reconcile } from './support/cli';
import { call, type RunningPlatform, startPlatform } from './support/platform';
import './support/timeout';

const PLAYERS = 5;
const AT_ONCE = 120;
const DEPOSIT = 100_000;
const STAKE = 100;

interface Sent {
  player: number;
  key: string;
  status: number;
  ms: number;
  body: SpinResult & { type?: string };
  retryAfter: string | null;
}

describe('600 spins at once through the gateway', () => {
  let platform: RunningPlatform;
  const tokens: string[] = [];
  const sent: Sent[] = [];

  beforeAll(async () => {
    platform = await startPlatform();
    for (let p = 0; p < PLAYERS; p++) {
      const reg = await call<{ accessToken: string }>(platform.api, 'POST', '/auth/register', {
        body: { email: `rush-${p}-${randomUUID()}@example.com`, password: 'correct horse battery staple' },
      });
      tokens.push(reg.body.accessToken);
      await call(platform.api, 'POST', '/wallet/deposits', { token: reg.body.accessToken, key: randomUUID(), body: { amount: DEPOSIT } });
    }
    await Promise.all(
      Array.from({ length: PLAYERS * AT_ONCE }, async (_, i) => {
        const player = i % PLAYERS;
        const key = randomUUID();
        const started = performance.now();
        const answer = await call<Sent['body']>(platform.api, 'POST', '/games/lucky-sevens/spins', {
          token: tokens[player],
          key,
          body: { stake: STAKE },
        });
        sent.push({
          player,
          key,
          status: answer.status,
          ms: performance.now() - started,
          body: answer.body,
          retryAfter: answer.headers.get('retry-after'),
        });
      }),
    );
    const count = (s: number) => sent.filter((a) => a.status === s).length;
    const ms = sent.map((a) => a.ms).sort((a, b) => a - b);
    console.log(
      `overload: ${sent.length} spins at once: ${count(201)} × 201, ${count(429)} × 429, ${count(503)} × 503, others ${sent.length - count(201) - count(429) - count(503)}; p50 ${Math.round(ms[Math.floor(ms.length / 2)]!)} ms, p99 ${Math.round(ms[Math.floor(ms.length * 0.99)]!)} ms, max ${Math.round(ms.at(-1)!)} ms`,
    );
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  test('when 600 spins arrive at once, then each is played (201) or refused at once with 429 or 503 and Retry-After, and none times out', () => {
    const others = sent.filter((a) => ![201, 429, 503].includes(a.status)).map((a) => `${a.status} ${a.body.type}`);
    const refusals = sent.filter((a) => a.status !== 201);

    expect(others).toEqual([]);
    expect(sent.filter((a) => a.status === 201).length).toBeGreaterThan(0);
    expect(refusals.length).toBeGreaterThan(0);
    for (const r of refusals)
      expect([r.body.type, r.retryAfter]).toEqual([
        r.status === 429 ? 'urn:casino:problem:too-many-spins' : 'urn:casino:problem:overloaded',
        '1',
      ]);
  });

  test("when the rush is over, then each wallet is the deposit less the stakes plus the wins of the player's 201 answers, and the game holds exactly those rounds", async () => {
    for (let p = 0; p < PLAYERS; p++) {
      const played = sent.filter((a) => a.player === p && a.status === 201);
      const expected = DEPOSIT - played.length * STAKE + played.reduce((sum, a) => sum + a.body.win, 0);
      const wallet = await call<{ total: number }>(platform.api, 'GET', '/wallet', { token: tokens[p] });
      const rounds = await call<{ items: { id: string }[] }>(platform.api, 'GET', '/rounds?limit=100', { token: tokens[p] });

      expect([p, wallet.body.total]).toEqual([p, expected]);
      expect([p, rounds.body.items.length]).toEqual([p, Math.min(played.length, 100)]);
    }
  });

  test('when a played spin is sent again with its key, then the same outcome comes back as a replay; a refused one is played afresh', async () => {
    const played = sent.find((a) => a.status === 201)!;
    const refused = sent.find((a) => a.status !== 201)!;
    const again = await call<SpinResult>(platform.api, 'POST', '/games/lucky-sevens/spins', {
      token: tokens[played.player],
      key: played.key,
      body: { stake: STAKE },
    });
    const retried = await call<SpinResult>(platform.api, 'POST', '/games/lucky-sevens/spins', {
      token: tokens[refused.player],
      key: refused.key,
      body: { stake: STAKE },
    });

    expect([again.status, again.headers.get('idempotent-replayed'), again.body.roundId, again.body.win]).toEqual([
      201,
      'true',
      played.body.roundId,
      played.body.win,
    ]);
    expect([retried.status, retried.headers.get('idempotent-replayed')]).toEqual([201, null]);
  });

  test('when the platform is reconciled after the rush, then it is clean', async () => {
    const run = await reconcile(platform.ports.gateway);

    expect(run.stdout).toContain('Result: clean');
    expect(run.code).toBe(0);
  });
});
