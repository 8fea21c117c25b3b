/**
 * The browser's part of the Sentry tour, in headless Chromium against the five services: user
 * feedback from the lobby (on its own and tied to a failure the player met), the scenario the
 * browser runs as a feature flag on its error events, and release health's sessions. Each test
 * serves the lobby with a DSN of its own, so what one page sent is told apart from another's.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { FrontendServer } from '@casino/tools/frontend-server';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium } from '../support/browser';
import { SentryIngest } from '../support/ingest';
import { call, type RunningPlatform, startPlatform, TEST_SECRETS } from '../support/platform';
import { deposit, openConsole, register, serveFrontend } from './lobby';

const BACKEND = '40';

interface Contexts {
  trace?: { trace_id: string; span_id: string };
  feedback?: { message: string; contact_email?: string; name?: string; associated_event_id?: string; replay_id?: string; url?: string };
  problem?: { status: number; trace_id?: string };
  flags?: { values: { flag: string; result: boolean }[] };
}
const contextsOf = (event: Record<string, unknown>) => (event.contexts ?? {}) as Contexts;

describe("the browser's Sentry tour in headless Chromium: user feedback, feature flags and release health", () => {
  const ingest = new SentryIngest();
  let platform: RunningPlatform;
  let browser: Browser;
  let gateway: string;
  const lobbies: FrontendServer[] = [];

  /** The lobby, served with these Sentry settings; closed after all the tests. */
  async function lobby(env: NodeJS.ProcessEnv): Promise<FrontendServer> {
    const server = await serveFrontend(gateway, env);
    lobbies.push(server);
    return server;
  }

  /** Release-health sessions one project received, in order. */
  const sessionsOf = (project: string) => ingest.sessions().filter((s) => s.project === project);

  const scenario = (name: string, body: { enabled: boolean; params?: Record<string, unknown> }) =>
    call(platform.api, 'PUT', `/admin/scenarios/${name}`, { token: TEST_SECRETS.ADMIN_TOKEN, body });

  /** Fills in the open report form with `message` alone and sends it; returns the report's id. */
  async function report(page: Page, message: string): Promise<string> {
    const dialog = page.getByRole('dialog', { name: 'Report a problem' });
    await dialog.waitFor();
    // Nothing is filled in for the player.
    expect(await dialog.getByLabel('Your name (optional)').inputValue()).toBe('');
    expect(await dialog.getByLabel('E-mail (optional, if you want an answer)').inputValue()).toBe('');
    await dialog.getByLabel('What happened?').fill(message);
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await dialog.getByRole('status').waitFor();
    expect(await dialog.getByRole('status').textContent()).toContain('Thank you');
    const id = (await dialog.getByTestId('report-id').textContent()) ?? '';
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    return id;
  }

  beforeAll(async () => {
    await ingest.start();
    browser = await launchChromium();
    platform = await startPlatform({ SENTRY_DSN: ingest.dsn(BACKEND), SENTRY_PROFILE_SESSION_SAMPLE_RATE: '0' });
    gateway = `http://127.0.0.1:${platform.ports.gateway}`;
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    for (const server of lobbies) await server.close();
    await platform?.stop();
    await ingest.stop();
  });

  afterEach(async () => {
    for (const name of ['bad-release', 'frontend-memory-leak']) await scenario(name, { enabled: false });
  });

  test("when a spin fails with a 5xx problem and the player reports it from the notice, then Sentry gets the player's words tied to the browser's one error event for that failure, in its trace, with the replay, and no name or e-mail the player did not type", async () => {
    const BROWSER = '41';
    const site = await lobby({ SENTRY_DSN_FRONTEND: ingest.dsn(BROWSER) });
    expect((await scenario('bad-release', { enabled: true, params: { rate: 1 } })).status).toBe(200);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(site.url);
    const email = `feedback-${randomUUID()}@example.com`;
    await register(page, email);
    await deposit(page, 2_000);

    await page.getByRole('button', { name: /^Spin for/ }).click();
    const notice = page.locator('.slot [role="alert"]');
    await notice.waitFor();
    const traceId = (await notice.locator('[data-trace-id]').getAttribute('data-trace-id'))!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await notice.getByRole('button', { name: 'Report this problem' }).click();
    await page.getByRole('dialog', { name: 'Report a problem' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'report-problem.png') });
    const message = `The reels stopped and it says my spin failed (${randomUUID()}).`;
    const id = await report(page, message);
    expect(id).toMatch(/^[0-9a-f]{32}$/);

    const feedback = await ingest.waitFor('the report', () =>
      ingest.feedback().find((f) => f.project === BROWSER && f.event.event_id === id),
    );
    const said = contextsOf(feedback.event).feedback!;
    expect(said).toMatchObject({ message, source: 'widget', url: `${site.url}/` });
    expect(said.contact_email ?? '').toBe('');
    expect(said.name ?? '').toBe('');
    expect(JSON.stringify(feedback.event)).not.toContain(email);
    expect(contextsOf(feedback.event).trace?.trace_id).toBe(traceId);

    // The report names the browser's own error event for the failure: in the same trace, one only.
    const failure = await ingest.waitFor('the error event the report names', () =>
      ingest.events().find((e) => e.project === BROWSER && e.event.event_id === said.associated_event_id),
    );
    expect(contextsOf(failure.event).trace?.trace_id).toBe(traceId);
    expect(contextsOf(failure.event).problem).toMatchObject({ trace_id: traceId });
    expect(contextsOf(failure.event).problem!.status).toBeGreaterThanOrEqual(500);
    expect(ingest.events().filter((e) => e.project === BROWSER && contextsOf(e.event).trace?.trace_id === traceId)).toHaveLength(1);
    // This page never learnt a scenario's state: no flag on its error.
    expect(contextsOf(failure.event).flags).toBeUndefined();

    // Replay runs with a DSN: the report names the replay, which the browser sent.
    expect(said.replay_id).toMatch(/^[0-9a-f]{32}$/);
    await ingest.waitFor(
      'the replay the report names',
      () =>
        ingest.envelopes.some(
          (e) =>
            e.project === BROWSER &&
            e.items.some((i) => i.header.type === 'replay_event' && (i.payload as { replay_id?: string }).replay_id === said.replay_id),
        ) || undefined,
    );
    // Release health: the page's session now counts the error.
    await ingest.waitFor('the session marked errored', () => sessionsOf(BROWSER).find((s) => s.counts.errored > 0));
    await page.close();
  });

  test('when a player uses "Report a problem" in the lobby, with no failure on screen, then the report reaches Sentry with the words they typed and no event or contact attached', async () => {
    const BROWSER = '42';
    const site = await lobby({ SENTRY_DSN_FRONTEND: ingest.dsn(BROWSER) });
    const page = await browser.newPage();
    await page.goto(site.url);
    await page.getByRole('button', { name: 'Report a problem' }).click();
    const message = `The sign-up form is hard to read (${randomUUID()}).`;
    const id = await report(page, message);

    const feedback = await ingest.waitFor('the report', () =>
      ingest.feedback().find((f) => f.project === BROWSER && f.event.event_id === id),
    );
    const said = contextsOf(feedback.event).feedback!;
    expect(said.message).toBe(message);
    expect(said.associated_event_id).toBeUndefined();
    expect(said.contact_email ?? '').toBe('');
    expect(contextsOf(feedback.event).trace?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    await page.close();
  });

  test('when the lobby loads, then the browser sends a release-health session for the release it shows, with a DSN and with Spotlight alone, and with Spotlight alone a report still goes out', async () => {
    const BROWSER = '43';
    const withDsn = await lobby({ SENTRY_DSN_FRONTEND: ingest.dsn(BROWSER) });
    const page = await browser.newPage();
    await page.goto(withDsn.url);
    await page.getByRole('button', { name: 'Create account' }).waitFor();
    const release = /Release (\S+) ·/.exec((await page.locator('footer').textContent()) ?? '')?.[1];
    expect(release).toBeTruthy();
    const session = await ingest.waitFor('a session from the lobby', () => sessionsOf(BROWSER)[0]);
    expect(session).toMatchObject({ release, counts: { errored: 0, crashed: 0 } });
    await page.close();

    const spotlightOnly = await lobby({ SENTRY_SPOTLIGHT: ingest.spotlightUrl() });
    const before = sessionsOf('spotlight').length;
    const local = await browser.newPage();
    await local.goto(spotlightOnly.url);
    expect(await local.locator('footer').textContent()).toContain('traces to Spotlight');
    await ingest.waitFor('a session sent to Spotlight', () => sessionsOf('spotlight')[before]);
    await local.getByRole('button', { name: 'Report a problem' }).click();
    const message = `Spotlight-only report (${randomUUID()}).`;
    const id = await report(local, message);
    const feedback = await ingest.waitFor('the report sent to Spotlight', () =>
      ingest.feedback().find((f) => f.project === 'spotlight' && f.event.event_id === id),
    );
    expect(contextsOf(feedback.event).feedback?.message).toBe(message);
    await local.close();
  });

  test('when frontend-memory-leak is read in the console, then the browser records it as a feature flag: an error while it is off carries result false, and one while it is on carries result true', async () => {
    const BROWSER = '44';
    const site = await lobby({ SENTRY_DSN_FRONTEND: ingest.dsn(BROWSER) });
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(site.url);
    await openConsole(page);

    /** Throws the console's render error and returns the flags its Sentry event carried. */
    const flagsOfRenderError = async () => {
      await page.getByRole('button', { name: 'Throw a render error' }).click();
      const id = await page.getByTestId('event-id').textContent();
      const event = await ingest.waitFor('the render error event', () =>
        ingest.events().find((e) => e.project === BROWSER && e.event.event_id === id),
      );
      return contextsOf(event.event).flags?.values ?? [];
    };

    // The scenario list has loaded: the state has been read, and it is off.
    await page.locator('[data-scenario="frontend-memory-leak"][data-enabled="false"]').waitFor();
    expect(await flagsOfRenderError()).toContainEqual({ flag: 'frontend-memory-leak', result: false });

    // A page of its own: the SDK drops an error identical to the one before it.
    await page.reload();
    await openConsole(page);
    await page.getByRole('switch', { name: 'frontend-memory-leak' }).click();
    await page.locator('[data-leaking="true"]').waitFor();
    const on = await flagsOfRenderError();
    expect(on).toContainEqual({ flag: 'frontend-memory-leak', result: true });
    expect(on.filter((f) => f.flag === 'frontend-memory-leak')).toHaveLength(1);
    await page.close();
  });
});
