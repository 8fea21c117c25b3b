/**
 * Service identity on the running platform: every route of the four services behind the gateway
 * answers only the callers its policy names, with a token signed by that caller's own key. Anyone
 * else who reaches a port (a probe on the LAN, a container beside them) gets a 401 or 403 problem
 * and moves no money.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceName } from '@casino/shared';
import { CALLERS, type Caller, type CallerPolicy, newServiceKeys, SCENARIO_CALLERS } from '@casino/shared/service-identity';
import { callerAuthorization } from '@casino/shared/testing';
import { gameCallers } from '../services/game/src/api/callers';
import { paymentCallers } from '../services/payment/src/api/callers';
import { userCallers } from '../services/user/src/api/callers';
import { wagerCallers } from '../services/wager/src/api/callers';
import { type RunningPlatform, startPlatform } from './support/platform';
import './support/timeout';

type Internal = Exclude<ServiceName, 'gateway'>;
const POLICIES: Record<Internal, CallerPolicy> = { user: userCallers, game: gameCallers, payment: paymentCallers, wager: wagerCallers };

/** The policy's routes as requests: a fresh player id, a real game, an empty body. */
function routes(policy: CallerPolicy): { method: string; path: string; allowed: readonly Caller[] }[] {
  return Object.entries({ ...policy, ...SCENARIO_CALLERS }).map(([route, allowed]) => {
    const [method, template] = route.split(' ') as [string, string];
    const path = template.replace(':playerId', randomUUID()).replace(':gameId', 'lucky-sevens');
    return { method, path, allowed };
  });
}

/** A set of keys the platform has never seen: a forger's. */
const FORGER_KEYS = newServiceKeys();

describe('service identity between the services', () => {
  let platform: RunningPlatform;
  const call = async (service: Internal, method: string, path: string, authorization?: string) => {
    const res = await fetch(`http://127.0.0.1:${platform.ports[service]}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      ...(method === 'GET' ? {} : { body: '{}' }),
    });
    const body = (await res.json().catch(() => undefined)) as { type?: string; traceId?: string } | undefined;
    return { status: res.status, type: res.headers.get('content-type'), body };
  };

  beforeAll(async () => {
    platform = await startPlatform();
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
  });

  test.each(Object.keys(POLICIES) as Internal[])(
    'when anyone calls a route of %s with no token, a forged one or one made for another service, then it answers 401 problem+json',
    async (service) => {
      const refusals: string[] = [];
      const other: Internal = service === 'user' ? 'game' : 'user';
      for (const { method, path, allowed } of routes(POLICIES[service])) {
        const caller = allowed[0]!;
        for (const [what, authorization] of [
          ['none', undefined],
          ['garbage', 'Bearer not-a-token'],
          ['forged', callerAuthorization(caller, service, FORGER_KEYS)],
          [`made for ${other}`, callerAuthorization(caller, other)],
        ] as const) {
          const answer = await call(service, method, path, authorization);
          if (answer.status !== 401 || answer.body?.type !== 'urn:casino:problem:caller-unauthenticated' || !answer.body.traceId)
            refusals.push(`${method} ${path} (${what}): ${answer.status} ${answer.body?.type}`);
          expect(answer.type).toMatch(/^application\/problem\+json/);
        }
      }
      expect(refusals).toEqual([]);
    },
  );

  test.each(Object.keys(POLICIES) as Internal[])(
    'when a service calls a route of %s, then it is let through only if the route names it, else 403',
    async (service) => {
      const wrong: string[] = [];
      for (const { method, path, allowed } of routes(POLICIES[service])) {
        for (const caller of CALLERS) {
          const { status, body } = await call(service, method, path, callerAuthorization(caller, service));
          const refused = status === 403 && body?.type === 'urn:casino:problem:caller-not-allowed';
          if (allowed.includes(caller) ? status === 401 || status === 403 : !refused)
            wrong.push(`${caller} → ${method} ${path}: ${status}`);
        }
      }
      expect(wrong).toEqual([]);
    },
  );

  test('when a service calls a path no policy names, then it is refused even with a good token', async () => {
    const answer = await call('payment', 'POST', `/wallets/${randomUUID()}/gifts`, callerAuthorization('gateway', 'payment'));

    expect([answer.status, answer.body?.type]).toEqual([403, 'urn:casino:problem:caller-not-allowed']);
  });

  test('when a probe credits a bonus straight to payment, then it is refused and the wallet holds nothing', async () => {
    const player = randomUUID();
    const credit = await fetch(`http://127.0.0.1:${platform.ports.payment}/wallets/${player}/bonus-credits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'probe-1' },
      body: JSON.stringify({ bonusId: randomUUID(), amount: 10_000_000 }),
    });
    // Even a real service's token does not open a route that is not its own.
    const asGame = await fetch(`http://127.0.0.1:${platform.ports.payment}/wallets/${player}/deposits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'probe-2', authorization: callerAuthorization('game', 'payment') },
      body: JSON.stringify({ amount: 10_000 }),
    });
    const wallet = await call('payment', 'GET', `/wallets/${player}`, callerAuthorization('gateway', 'payment'));

    expect([credit.status, asGame.status]).toEqual([401, 403]);
    expect(wallet.body).toMatchObject({ cash: 0, bonus: 0 });
  });

  test('when a probe or Prometheus reads health and metrics, then they answer without a token', async () => {
    for (const service of Object.keys(POLICIES) as Internal[]) {
      for (const path of ['/healthz', '/readyz', '/metrics']) {
        expect([service, path, (await fetch(`http://127.0.0.1:${platform.ports[service]}${path}`)).status]).toEqual([service, path, 200]);
      }
    }
  });
});
