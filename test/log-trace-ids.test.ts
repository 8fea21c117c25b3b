/**
 * With the SDK off (SENTRY_ENABLED=false), a service's log lines still name the request they belong
 * to: every request line carries the trace id of that request, the one the client got in
 * X-Trace-Id, even when many requests run at once over kept-alive connections.
 */
import { randomUUID } from 'node:crypto';
import { newPlayer } from './scenarios/observed-platform';
import { call, type RunningPlatform, startPlatform } from './support/platform';
import './support/timeout';

const SPINS = 24;

describe('trace ids in the logs with the SDK off', () => {
  let platform: RunningPlatform;

  beforeAll(async () => {
    // One player's spins all at once, past the gateway's usual four in flight: this is about trace ids, not admission.
    platform = await startPlatform({ SENTRY_ENABLED: 'false', SPINS_IN_FLIGHT_PER_PLAYER: '100' });
  }, 60_000);

  afterAll(() => platform?.stop());

  test('when spins run at once, then every service logs each one under its own trace id, the one the client got', async () => {
    const token = await newPlayer(platform.api, 100_000);
    // Services write their lines within 100 ms: let the set-up's last ones (the deposit's status
    // check in user) arrive before counting from here.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = platform.logs.length;
    const spins = await Promise.all(
      Array.from({ length: SPINS }, () =>
        call(platform.api, 'POST', '/games/lucky-sevens/spins', { token, key: randomUUID(), body: { stake: 100 } }),
      ),
    );
    expect(spins.map((s) => s.status)).toEqual(Array(SPINS).fill(201));
    const clientIds = spins.map((s) => s.traceId).sort();
    expect(new Set(clientIds).size).toBe(SPINS);

    // Request lines are written as responses finish: give the last ones a moment to arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const requestLines = (service: string, path: RegExp) =>
      platform.logs
        .slice(before)
        .filter((l) => l.service === service)
        .map((l) => JSON.parse(l.line) as { msg?: string; trace_id?: string })
        .filter((l) => path.test(l.msg ?? ''));

    for (const [service, path] of [
      ['gateway', /^POST \/api\/v1\/games\/lucky-sevens\/spins 201/],
      ['game', /^POST \/players\/[^/]+\/games\/lucky-sevens\/spins 201/],
      ['user', /^GET \/players\/[^/]+\/status 200/],
      ['payment', /^POST \/wallets\/[^/]+\/bets 20/],
      ['wager', /^POST \/players\/[^/]+\/wagers 20/],
    ] as const) {
      const ids = requestLines(service, path).map((l) => l.trace_id);
      expect({ service, ids: ids.sort() }).toEqual({ service, ids: clientIds });
    }
  });
});
