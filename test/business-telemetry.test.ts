/**
 * Scenario 4, business metrics: the casino's KPIs reach Sentry as metrics with a few labels, and
 * the services' log lines reach it as logs carrying their trace, with nothing secret in either.
 */
import { randomUUID } from 'node:crypto';
import { SERVICES, type ServiceName } from '@casino/shared';
import { SentryIngest } from './support/ingest';
import { call, startPlatform, TEST_SECRETS } from './support/platform';
import './support/timeout';

const PROJECT: Record<ServiceName, string> = { gateway: '31', user: '32', game: '33', payment: '34', wager: '35' };
const SERVICE_OF = Object.fromEntries(Object.entries(PROJECT).map(([s, p]) => [p, s])) as Record<string, ServiceName>;

describe('business metrics and logs in Sentry', () => {
  const ingest = new SentryIngest();
  const password = `Telemetry-${randomUUID()}`;
  let token = '';
  let spinTrace = '';
  let spins = 0;

  beforeAll(async () => {
    await ingest.start();
    const platform = await startPlatform({
      ...Object.fromEntries(SERVICES.map((s) => [`SENTRY_DSN_${s.toUpperCase()}`, ingest.dsn(PROJECT[s])])),
    });
    try {
      const api = platform.api;
      const reg = await call<{ accessToken: string }>(api, 'POST', '/auth/register', {
        body: { email: `kpi-${randomUUID()}@example.com`, password },
      });
      token = reg.body.accessToken;
      await call(api, 'POST', '/wallet/deposits', { token, key: randomUUID(), body: { amount: 10_000 } });
      await call(api, 'POST', '/bonuses/offers/welcome-100/claim', { token, body: {} });
      for (let i = 0; i < 4; i++) {
        const spin = await call(api, 'POST', '/games/lucky-sevens/spins', { token, key: randomUUID(), body: { stake: 100 } });
        if (spin.status === 201) spins++;
        spinTrace = spin.traceId;
      }
    } finally {
      // Stopping flushes what the SDKs still hold.
      await platform.stop();
    }
  }, 90_000);

  afterAll(() => ingest.stop());

  test('when players deposit, claim and spin, then each KPI arrives as a Sentry counter from the service that owns it, with its labels', () => {
    const metrics = ingest.metrics();
    const total = (name: string, where: (a: Record<string, unknown>) => boolean = () => true) =>
      metrics.filter((m) => m.name === name && where(m.attributes)).reduce((sum, m) => sum + m.value, 0);

    expect(total('casino.bets')).toBe(spins);
    expect(metrics.filter((m) => m.name === 'casino.bets').every((m) => SERVICE_OF[m.project] === 'game' && m.type === 'counter')).toBe(
      true,
    );
    expect(metrics.find((m) => m.name === 'casino.bets')?.attributes).toMatchObject({
      game_id: 'lucky-sevens',
      outcome: expect.stringMatching(/^(win|loss)$/),
    });
    expect(total('casino.stakes_cents')).toBe(spins * 100);
    expect(total('casino.ggr_cents')).toBe(total('casino.stakes_cents') - total('casino.wins_cents'));
    expect(metrics.filter((m) => m.name === 'casino.ggr_cents').map((m) => m.type)).toEqual(Array(spins).fill('distribution'));
    expect(total('casino.deposits', (a) => a.status === 'succeeded')).toBe(1);
    expect(total('casino.deposits_cents')).toBe(10_000);
    expect(total('casino.bonus_claims', (a) => a.offer_id === 'welcome-100' && a.status === 'claimed')).toBe(1);
    expect(total('casino.registrations')).toBe(1);
  });

  test('when a request is served, then its log line arrives as a Sentry log with the same trace id, from each service on the way', () => {
    const lines = ingest.logs().filter((l) => l.traceId === spinTrace);
    const services = new Set(lines.map((l) => SERVICE_OF[l.project]));

    expect(services).toEqual(new Set(['gateway', 'game', 'user', 'payment', 'wager']));
    expect(
      lines.find((l) => SERVICE_OF[l.project] === 'gateway' && l.body.startsWith('POST /api/v1/games/lucky-sevens/spins 201')),
    ).toMatchObject({
      level: 'info',
      attributes: expect.objectContaining({ service: 'gateway', trace_id: spinTrace, 'sentry.origin': 'auto.log.pino' }),
    });
  });

  test('when everything has been sent, then no log or metric holds the password, the token or a secret', () => {
    const sent = ingest.envelopes.map((e) => e.raw).join('\n');

    expect(ingest.logs().length).toBeGreaterThan(10);
    for (const secret of [password, token, TEST_SECRETS.JWT_SECRET, TEST_SECRETS.ADMIN_TOKEN]) expect(sent).not.toContain(secret);
  });
});
