/**
 * What a scenario test needs: the five services reporting to an in-test Sentry ingest (one project
 * each, so a span tells its service), a presenter's way to switch a scenario, and players.
 */
import { randomUUID } from 'node:crypto';
import { SERVICES, type ServiceName } from '@casino/shared';
import { type IngestedSpan, SentryIngest } from '../support/ingest';
import { call, type RunningPlatform, startPlatform, TEST_SECRETS } from '../support/platform';

const PROJECT: Record<ServiceName, string> = { gateway: '21', user: '22', game: '23', payment: '24', wager: '25' };

export interface ObservedPlatform {
  platform: RunningPlatform;
  ingest: SentryIngest;
  api: string;
  stop(): Promise<void>;
}

export async function startObservedPlatform(env: NodeJS.ProcessEnv = {}): Promise<ObservedPlatform> {
  const ingest = new SentryIngest();
  await ingest.start();
  const platform = await startPlatform({
    ...Object.fromEntries(SERVICES.map((s) => [`SENTRY_DSN_${s.toUpperCase()}`, ingest.dsn(PROJECT[s])])),
    ...env,
  });
  return {
    platform,
    ingest,
    api: platform.api,
    async stop() {
      await platform.stop();
      await ingest.stop();
    },
  };
}

export const serviceOf = (item: Pick<IngestedSpan, 'project'>): ServiceName | undefined =>
  SERVICES.find((s) => PROJECT[s] === item.project);

/** A span's length in milliseconds. */
export const durationMs = (span: IngestedSpan): number => (span.end - span.start) * 1_000;

/** Switches a scenario as a presenter does: the gateway's admin API, with the admin token. */
export async function switchScenario(api: string, name: string, enabled: boolean, params: Record<string, unknown> = {}): Promise<void> {
  const res = await call<{ enabled: boolean; reached: Record<string, boolean> }>(api, 'PUT', `/admin/scenarios/${name}`, {
    token: TEST_SECRETS.ADMIN_TOKEN,
    body: { enabled, params },
  });
  expect(res.status).toBe(200);
  expect(res.body.enabled).toBe(enabled);
  // Every service took it before the answer, so the next request sees the new state.
  expect(Object.values(res.body.reached).every(Boolean)).toBe(true);
}

/** A new player with `funds` cents deposited; their token. */
export async function newPlayer(api: string, funds = 10_000, headers: Record<string, string> = {}): Promise<string> {
  const reg = await call<{ accessToken: string }>(api, 'POST', '/auth/register', {
    body: { email: `s-${randomUUID()}@example.com`, password: `Scenario-${randomUUID()}` },
    headers,
  });
  expect(reg.status).toBe(201);
  if (funds > 0)
    expect(
      (await call(api, 'POST', '/wallet/deposits', { token: reg.body.accessToken, body: { amount: funds }, key: randomUUID() })).status,
    ).toBe(201);
  return reg.body.accessToken;
}

/** Waits until the ingest holds the spans of a trace that `found` accepts, and returns them. */
export function traceSpans(
  ingest: SentryIngest,
  traceId: string,
  what: string,
  found: (spans: IngestedSpan[]) => boolean,
): Promise<IngestedSpan[]> {
  return ingest.waitFor(what, () => {
    const spans = ingest.spans().filter((s) => s.traceId === traceId);
    return found(spans) ? spans : undefined;
  });
}
