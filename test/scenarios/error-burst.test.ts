/**
 * error-burst: while it is on, each service fires its kind of error on its turn (the first
 * request of that kind after the switch, then every fifth), so three requests drive all five:
 * the first spin crashes in the game (an unhandled exception, reported again by the gateway as an
 * upstream 5xx), the second loses its risk score in the user service (a handled error with
 * context) and its audit write in the wager service (an unhandled rejection), and a bad body
 * is a validation failure the gateway reports as a warning.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceName } from '@casino/shared';
import { type Answer, call } from '../support/platform';
import { newPlayer, type ObservedPlatform, serviceOf, startObservedPlatform, switchScenario } from './observed-platform';
import { eventTrace, exceptionType } from './sentry-events';

interface Want {
  service: ServiceName;
  traceId: string;
  match: (event: Record<string, unknown>) => boolean;
}

interface Sent {
  crash: Answer;
  spin: Answer;
  invalid: Answer;
}

describe('the error-burst scenario', () => {
  let casino: ObservedPlatform;
  let token: string;

  beforeAll(async () => {
    casino = await startObservedPlatform({ SENTRY_PROFILE_SESSION_SAMPLE_RATE: '0' });
    token = await newPlayer(casino.api, 10_000);
  }, 60_000);

  afterAll(() => casino?.stop());

  const spin = (body: unknown) => call(casino.api, 'POST', '/games/lucky-sevens/spins', { token, key: randomUUID(), body });
  const send = async (): Promise<Sent> => ({
    crash: await spin({ stake: 100 }),
    spin: await spin({ stake: 100 }),
    invalid: await spin({ stake: 'lots' }),
  });
  const eventsOf = (traceId: string) => casino.ingest.events().filter(({ event }) => eventTrace(event).traceId === traceId);

  test("when it is on, then each of the five kinds reaches the ingest as an event with its request's trace id and the scenario tag", async () => {
    await switchScenario(casino.api, 'error-burst', true);
    const { crash, spin: spun, invalid } = await send();

    expect(crash.status).toBe(502);
    expect(crash.headers.get('content-type')).toContain('application/problem+json');
    expect(crash.body).toMatchObject({ type: 'urn:casino:problem:upstream-error', traceId: crash.traceId });
    expect(spun.status).toBe(201);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ traceId: invalid.traceId, errors: [{ path: 'stake' }] });

    const kinds: Record<string, Want> = {
      unhandledException: { service: 'game', traceId: crash.traceId, match: (e) => exceptionType(e) === 'TypeError' },
      upstream5xx: { service: 'gateway', traceId: crash.traceId, match: (e) => eventTrace(e).tags['problem.type'] === 'upstream-error' },
      handledWithContext: { service: 'user', traceId: spun.traceId, match: (e) => exceptionType(e) === 'RiskScoreUnavailable' },
      unhandledRejection: { service: 'wager', traceId: spun.traceId, match: (e) => exceptionType(e) === 'AuditTrailRejected' },
      validation: { service: 'gateway', traceId: invalid.traceId, match: (e) => e.level === 'warning' },
    };
    const found: Record<string, Record<string, unknown>> = {};
    for (const [kind, want] of Object.entries(kinds)) {
      found[kind] = await casino.ingest.waitFor(
        kind,
        () => eventsOf(want.traceId).find((e) => serviceOf(e) === want.service && want.match(e.event))?.event,
      );
      expect(eventTrace(found[kind]).tags['casino.scenario']).toBe('error-burst');
    }

    expect(found.unhandledException!.level).toBe('error');
    expect(found.handledWithContext!.contexts).toMatchObject({ risk_check: { provider: 'demo-risk-scoring' } });
    expect(found.unhandledRejection!.exception).toMatchObject({
      values: [{ mechanism: { handled: false, type: 'auto.node.onunhandledrejection' } }],
    });
    expect(found.validation!.contexts).toMatchObject({ validation: { stake: expect.stringContaining('number') } });
  });

  test('when it is off, then the same requests succeed or fail as usual, and report none of it', async () => {
    await switchScenario(casino.api, 'error-burst', false);
    const { crash, spin: spun, invalid } = await send();

    expect([crash.status, spun.status, invalid.status]).toEqual([201, 201, 400]);
    // The spans of each service on the spin's path arrive after its events would have.
    for (const traceId of [crash.traceId, spun.traceId]) {
      await casino.ingest.waitFor("the spin's wager span", () =>
        casino.ingest.spans().find((s) => s.traceId === traceId && serviceOf(s) === 'wager'),
      );
    }
    await casino.ingest.waitFor("the invalid spin's span", () =>
      casino.ingest.spans().find((s) => s.traceId === invalid.traceId && s.segment),
    );
    expect([...eventsOf(crash.traceId), ...eventsOf(spun.traceId), ...eventsOf(invalid.traceId)]).toEqual([]);
  });
});
