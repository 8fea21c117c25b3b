import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SERVICES } from '@casino/shared';
import type { FrontendServer } from '@casino/tools/frontend-server';
import type { Browser, Page, Request } from 'playwright-core';
import { ARTIFACTS, launchChromium } from '../support/browser';
import { SentryIngest } from '../support/ingest';
import { call, type RunningPlatform, startPlatform, TEST_SECRETS } from '../support/platform';
import { deposit, euros, openConsole, register, serveFrontend, shows, spin, tokenOf } from './lobby';

/** Ingest projects: the browser's and the services'. */
const BROWSER = '31';
const BACKEND = '32';
/** Chromium's non-standard heap figures. */
interface ChromiumPerformance {
  memory: { usedJSHeapSize: number };
}

interface Wallet {
  cash: number;
  bonus: number;
  total: number;
}

/** The number of `type` listeners on window, as Chromium's debugger counts them. */
async function windowListeners(page: Page, type: string): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  const { result } = await cdp.send('Runtime.evaluate', { expression: 'window' });
  const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId! });
  await cdp.detach();
  return listeners.filter((l) => l.type === type).length;
}

const usedHeap = (page: Page) => page.evaluate(() => (performance as unknown as ChromiumPerformance).memory.usedJSHeapSize);

/**
 * The heap once the page has settled: no request in flight, and two readings after a full
 * collection, 200 ms apart, within 64 KiB of each other (a page still loading holds responses a
 * moment later gives back, which would hide part of a leak measured against it).
 */
async function settledHeap(page: Page): Promise<number> {
  await page.waitForLoadState('networkidle');
  let last = Number.NaN;
  for (let i = 0; i < 20; i++) {
    const heap = await page.evaluate(() => {
      (window as unknown as { gc: () => void }).gc();
      return (performance as unknown as ChromiumPerformance).memory.usedJSHeapSize;
    });
    if (Math.abs(heap - last) < 65_536) return heap;
    last = heap;
    await page.waitForTimeout(200);
  }
  throw new Error(`the heap did not settle: last reading ${last} bytes`);
}

describe('the web frontend in headless Chromium, against the five services', () => {
  const ingest = new SentryIngest();
  let platform: RunningPlatform;
  let frontend: FrontendServer;
  let browser: Browser;
  let gateway: string;

  beforeAll(async () => {
    await ingest.start();
    browser = await launchChromium();
    platform = await startPlatform({ SENTRY_DSN: ingest.dsn(BACKEND), SENTRY_PROFILE_SESSION_SAMPLE_RATE: '0' });
    gateway = `http://127.0.0.1:${platform.ports.gateway}`;
    frontend = await serveFrontend(gateway, { SENTRY_DSN: ingest.dsn(BROWSER) });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await frontend?.close();
    await platform?.stop();
    await ingest.stop();
  });

  afterEach(async () => {
    // Scenarios are platform-wide: leave none on for the next test.
    for (const name of ['payment-failures', 'frontend-memory-leak']) {
      await call(platform.api, 'PUT', `/admin/scenarios/${name}`, { token: TEST_SECRETS.ADMIN_TOKEN, body: { enabled: false } });
    }
  });

  test('when a player registers, deposits, claims the welcome bonus and spins 5 times, then the wallet on screen matches the API and each spin is one trace from the click through all five services', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const spinRequests: Request[] = [];
    const depositRequests: Request[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/api\/v1\/games\/[^/]+\/spins$/.test(r.url())) spinRequests.push(r);
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/wallet/deposits')) depositRequests.push(r);
    });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));

    const started = Date.now();
    await page.goto(frontend.url);
    await page.getByRole('button', { name: 'Create account' }).waitFor();
    const firstLoad = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { domContentLoaded: Math.round(nav.domContentLoadedEventEnd), load: Math.round(nav.loadEventEnd) };
    });
    console.log(
      `lobby first load (headless Chromium, local): DOMContentLoaded ${firstLoad.domContentLoaded} ms, load ${firstLoad.load} ms, sign-up form usable after ${Date.now() - started} ms`,
    );

    await register(page, `e2e-${randomUUID()}@example.com`);
    await shows(page, 'wallet-total', euros(0));

    // A double click on Deposit deposits once.
    await deposit(page, 10_000, { double: true });
    await page.getByRole('button', { name: /^Claim Welcome bonus/ }).click();
    await page.getByTestId('active-bonus').waitFor();
    await shows(page, 'wallet-total', euros(20_000));

    for (let i = 0; i < 5; i++) await spin(page);

    const token = await tokenOf(page);
    const transactions = await call<{ items: { type: string }[] }>(platform.api, 'GET', '/wallet/transactions?limit=50', { token });
    expect(transactions.body.items.filter((t) => t.type === 'deposit')).toHaveLength(1);
    expect(new Set(depositRequests.map((r) => r.headers()['idempotency-key'])).size).toBe(1);
    expect(transactions.body.items.filter((t) => t.type === 'bet')).toHaveLength(5);

    const wallet = (await call<Wallet>(platform.api, 'GET', '/wallet', { token })).body;
    expect(wallet.total).toBe(wallet.cash + wallet.bonus);
    await shows(page, 'wallet-total', euros(wallet.total));
    expect(await page.getByTestId('wallet-cash').textContent()).toBe(euros(wallet.cash));
    expect(await page.getByTestId('wallet-bonus').textContent()).toBe(euros(wallet.bonus));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="rounds"] tbody tr').length === 5);
    const bonus = (await call<{ bonus: { wagered: number; wageringRequired: number } }>(platform.api, 'GET', '/bonuses/active', { token }))
      .body.bonus;
    const bar = page.getByRole('progressbar', { name: 'Wagering progress' });
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBe(Math.floor((bonus.wagered * 100) / bonus.wageringRequired));
    expect(await bar.getAttribute('aria-valuetext')).toContain(`${euros(bonus.wagered)} of ${euros(bonus.wageringRequired)}`);
    await page.screenshot({ path: join(ARTIFACTS, 'lobby.png'), fullPage: true });

    // The trace: each spin carried sentry-trace and baggage; the backend continued that trace.
    expect(spinRequests).toHaveLength(5);
    const traceIds = (await Promise.all(spinRequests.map((r) => r.allHeaders()))).map((headers) => {
      expect(headers['sentry-trace']).toMatch(/^[0-9a-f]{32}-[0-9a-f]{16}-1$/);
      expect(headers.baggage).toContain(`sentry-trace_id=${headers['sentry-trace']!.slice(0, 32)}`);
      expect(headers.baggage).toMatch(/sentry-release=casino%40[^,]+/);
      expect(headers.baggage).toContain('sentry-transaction=spin');
      return headers['sentry-trace']!.slice(0, 32);
    });
    expect(new Set(traceIds).size).toBe(5);
    const last = spinRequests[4]!;
    const response = await last.response();
    expect(response?.headers()['x-trace-id']).toBe(traceIds[4]);

    const traceId = traceIds[4]!;
    const spans = await ingest.waitFor('the spin trace from the browser and all five services', () => {
      const inTrace = ingest.spans().filter((s) => s.traceId === traceId);
      const services = new Set(inTrace.filter((s) => s.project === BACKEND).map((s) => s.attributes['service.name']));
      const browserSpans = inTrace.filter((s) => s.project === BROWSER);
      return SERVICES.every((s) => services.has(s)) && browserSpans.some((s) => s.op === 'http.client') ? inTrace : undefined;
    });
    const click = spans.find((s) => s.project === BROWSER && s.op === 'ui.action' && s.name === 'spin');
    expect(click).toBeDefined();
    const fetchSpan = spans.find((s) => s.project === BROWSER && s.op === 'http.client')!;
    expect(fetchSpan.parentSpanId).toBe(click!.spanId);
    // The gateway's server span is a child of the browser's fetch span: one tree, browser to wager.
    const gatewayRoot = spans.find(
      (s) => s.project === BACKEND && s.attributes['service.name'] === 'gateway' && s.parentSpanId === fetchSpan.spanId,
    );
    expect(gatewayRoot).toBeDefined();
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  test('when the presenter switches payment-failures on at rate 1.0 in the console, then the next spin shows a clear error with its trace id and no money moves', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(frontend.url);
    await register(page, `e2e-${randomUUID()}@example.com`);
    await deposit(page, 2_000);
    const token = await tokenOf(page);

    await openConsole(page);
    const row = page.locator('[data-scenario="payment-failures"]');
    await row.getByLabel('payment-failures rate').fill('1');
    await row.getByRole('switch', { name: 'payment-failures' }).click();
    await page.locator('[data-scenario="payment-failures"][data-enabled="true"]').waitFor();
    const scenario = await call<{ items: { name: string; enabled: boolean; params: { rate: number } }[] }>(
      platform.api,
      'GET',
      '/admin/scenarios',
      { token: TEST_SECRETS.ADMIN_TOKEN },
    );
    expect(scenario.body.items.find((s) => s.name === 'payment-failures')).toMatchObject({ enabled: true, params: { rate: 1 } });
    await page.getByTestId('health-grid').locator('[data-status="ok"]').nth(4).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'console.png'), fullPage: true });

    await page.getByRole('link', { name: 'Lobby' }).click();
    await shows(page, 'wallet-total', euros(2_000));
    const before = (await call<{ items: unknown[] }>(platform.api, 'GET', '/wallet/transactions?limit=50', { token })).body.items.length;
    await page.getByRole('button', { name: /^Spin for/ }).click();
    const alert = page.locator('.slot [role="alert"]');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toMatch(/Something went wrong on our side|briefly unavailable|took too long/);
    const traceId = await alert.locator('[data-trace-id]').getAttribute('data-trace-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(text).toContain(traceId!);

    const wallet = (await call<Wallet>(platform.api, 'GET', '/wallet', { token })).body;
    expect(wallet).toMatchObject({ cash: 2_000, bonus: 0, total: 2_000 });
    const after = (await call<{ items: unknown[] }>(platform.api, 'GET', '/wallet/transactions?limit=50', { token })).body.items.length;
    expect(after).toBe(before);
    await shows(page, 'wallet-total', euros(2_000));
    // The failure is in the console's recent traces, with the same trace id (as text: this
    // frontend has a DSN but no trace viewer to link to).
    await openConsole(page);
    await page.getByTestId('recent-traces').locator(`[data-trace-id="${traceId}"]`).waitFor();
    await page.close();
  });

  test('when frontend-memory-leak is on, then the console leaks window listeners and heap, and switching it off removes them and the heap falls back', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(frontend.url);
    await openConsole(page);
    const baselineListeners = await windowListeners(page, 'resize');
    const baselineHeap = await settledHeap(page);

    await page.getByRole('switch', { name: 'frontend-memory-leak' }).click();
    await page.locator('[data-leaking="true"]').waitFor();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="leak-listeners"]')?.textContent) >= 16, undefined, {
      timeout: 20_000,
    });
    await page.evaluate(() => (window as unknown as { gc: () => void }).gc());
    const leakedHeap = await usedHeap(page);
    const leakedListeners = await windowListeners(page, 'resize');
    expect(leakedListeners - baselineListeners).toBeGreaterThanOrEqual(16);
    // 1 MiB per leaked listener, held even after a full collection.
    expect(leakedHeap - baselineHeap).toBeGreaterThanOrEqual(16 * 1_048_576);
    await expect(page.getByTestId('heap-used').textContent()).resolves.toMatch(/MB$/);
    // The heap as a Sentry gauge, marked with the scenario.
    const gauge = await ingest.waitFor(
      'the browser heap gauge',
      () =>
        ingest
          .metrics()
          .find(
            (m) => m.project === BROWSER && m.name === 'frontend.heap_used' && m.attributes['casino.scenario'] === 'frontend-memory-leak',
          ),
      30_000,
    );
    expect(gauge.type).toBe('gauge');
    expect(gauge.value).toBeGreaterThan(baselineHeap);

    await page.getByRole('switch', { name: 'frontend-memory-leak' }).click();
    await page.locator('[data-leaking="false"]').waitFor();
    await shows(page, 'leak-listeners', '0');
    expect(await windowListeners(page, 'resize')).toBe(baselineListeners);
    // Buffers' memory is returned after a collection; V8 frees their backing stores a moment later.
    // At least 12 of the 16+ MiB must come back (the console itself grows a little meanwhile).
    const released = leakedHeap - 12 * 1_048_576;
    await page.waitForFunction(
      (limit) => {
        (window as unknown as { gc: () => void }).gc();
        return (performance as unknown as ChromiumPerformance).memory.usedJSHeapSize < limit;
      },
      released,
      { polling: 500, timeout: 15_000 },
    );
    console.log(
      `frontend-memory-leak: heap ${(baselineHeap / 1_048_576).toFixed(1)} MB -> ${(leakedHeap / 1_048_576).toFixed(1)} MB on, ${((await usedHeap(page)) / 1_048_576).toFixed(1)} MB after off; resize listeners +${leakedListeners - baselineListeners}`,
    );
    await page.close();
  });

  test('when a player logs out and signs in again, then the lobby shows the same wallet; a wrong password is a clear 401 with a trace id', async () => {
    const page = await browser.newPage();
    const email = `again-${randomUUID()}@example.com`;
    await page.goto(frontend.url);
    await register(page, email);
    await deposit(page, 1_234);
    await shows(page, 'wallet-total', euros(1_234));
    await page.getByRole('button', { name: 'Log out' }).click();

    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Wrong e-mail or password (401)');
    expect(await alert.locator('[data-trace-id]').getAttribute('data-trace-id')).toMatch(/^[0-9a-f]{32}$/);

    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as').waitFor();
    await shows(page, 'wallet-total', euros(1_234));
    await page.close();
  });

  test('when the presenter runs traffic and chaos from the console, then live figures and a summary appear, and stopping chaos switches its scenarios off', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(frontend.url);
    await openConsole(page);
    await page.getByLabel('Players').fill('2');
    await page.getByLabel('Seconds').fill('3');
    await page.getByLabel('Think time (ms)').fill('200');
    await page.getByRole('button', { name: 'Start traffic' }).click();
    await page.getByTestId('traffic-live').waitFor();
    await page.getByTestId('traffic-summary').waitFor({ timeout: 30_000 });
    const summary = (await page.getByTestId('traffic-summary').textContent()) ?? '';
    expect(summary).toMatch(/Ended bydeadline/);
    expect(Number(/Requests(\d+)/.exec(summary)?.[1])).toBeGreaterThan(0);

    await page.getByLabel('Every (s)').fill('1');
    await page.getByLabel('Shortest (s)').fill('30');
    await page.getByLabel('Longest (s)').fill('30');
    await page.getByRole('button', { name: 'Start chaos' }).click();
    await page.getByText(/On now: /).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Stop chaos' }).click();
    await page.getByTestId('chaos-state').getByText('Stopped.').waitFor();
    const scenarios = await call<{ items: { enabled: boolean }[] }>(platform.api, 'GET', '/admin/scenarios', {
      token: TEST_SECRETS.ADMIN_TOKEN,
    });
    expect(scenarios.body.items.filter((s) => s.enabled)).toEqual([]);

    // A bad value is refused by the gateway and shown, not sent on.
    await page.getByLabel('Players').fill('0');
    await page.getByRole('button', { name: 'Start traffic' }).click();
    expect(await page.locator('.traffic [role="alert"]').textContent()).toContain('Please check what you entered (400)');
    await page.close();
  });

  test('when the console throws during rendering, then the error boundary shows the Sentry event id and that event reached Sentry', async () => {
    const page = await browser.newPage();
    await page.goto(frontend.url);
    await openConsole(page);
    await page.getByRole('button', { name: 'Throw a render error' }).click();
    const id = await page.getByTestId('event-id').textContent();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    const event = await ingest.waitFor('the render error event', () =>
      ingest.events().find((e) => e.project === BROWSER && e.event.event_id === id),
    );
    expect(JSON.stringify(event.event)).toContain('deliberate crash');
    expect(JSON.stringify(event.event)).not.toContain(TEST_SECRETS.ADMIN_TOKEN);
    await page.close();
  });

  test('when the frontend calls the gateway directly (CORS) and reports to Spotlight, then it works the same and the trace still continues into the backend', async () => {
    const direct = await serveFrontend(gateway, { FRONTEND_API_URL: gateway, SENTRY_SPOTLIGHT: ingest.spotlightUrl() });
    try {
      const page = await browser.newPage();
      const spins: Request[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/spins')) spins.push(r);
      });
      await page.goto(direct.url);
      await register(page, `cors-${randomUUID()}@example.com`);
      await deposit(page, 1_000);
      await spin(page);
      expect(spins).toHaveLength(1);
      expect(spins[0]!.url().startsWith(`${gateway}/api/v1/games/`)).toBe(true);
      const traceId = (await spins[0]!.allHeaders())['sentry-trace']!.slice(0, 32);
      expect((await spins[0]!.response())?.headers()['x-trace-id']).toBe(traceId);
      await ingest.waitFor('browser spans sent to Spotlight', () =>
        ingest.spans().some((s) => s.project === 'spotlight' && s.traceId === traceId) ? true : undefined,
      );
      await ingest.waitFor('the backend spans of that spin', () =>
        ingest.spans().some((s) => s.project === BACKEND && s.traceId === traceId && s.attributes['service.name'] === 'wager')
          ? true
          : undefined,
      );
      await page.close();
    } finally {
      await direct.close();
    }
  });

  test('when no DSN and no Spotlight are configured, then the app works and sends nothing anywhere but its own origin', async () => {
    const quiet = await serveFrontend(gateway, {});
    try {
      const page = await browser.newPage();
      const elsewhere: string[] = [];
      const withTraceHeaders: string[] = [];
      page.on('request', async (r) => {
        if (!r.url().startsWith(quiet.url)) elsewhere.push(r.url());
        if ((await r.allHeaders())['sentry-trace']) withTraceHeaders.push(r.url());
      });
      await page.goto(quiet.url);
      await register(page, `quiet-${randomUUID()}@example.com`);
      await deposit(page, 1_000);
      await spin(page);
      expect(await page.getByTestId('spin-result').textContent()).toMatch(/You won|No win/);
      expect(elsewhere).toEqual([]);
      expect(withTraceHeaders).toEqual([]);
      await page.close();
    } finally {
      await quiet.close();
    }
  });

  test('when used at 375 px with the keyboard only, then nothing scrolls sideways, every control has a label and a spin can be played with Tab and Enter', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 812 } });
    await page.goto(frontend.url);
    await register(page, `mobile-${randomUUID()}@example.com`);
    await deposit(page, 1_000);
    await shows(page, 'wallet-total', euros(1_000));

    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const unlabelled = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('input, select, button, a[href]')]
          .filter((el) => {
            const e = el as HTMLInputElement;
            const name = e.labels?.length ? e.labels[0]!.textContent : (e.getAttribute('aria-label') ?? e.textContent);
            return !name?.trim();
          })
          .map((el) => el.outerHTML.slice(0, 80)),
      );
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await unlabelled()).toEqual([]);

    // Keyboard: Tab until the spin button has focus (its focus ring is visible), then Enter.
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.classList.contains('spin') ?? false);
    }
    expect(reached).toBe(true);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /You won|No win/.test(document.querySelector('[data-testid="spin-result"]')?.textContent ?? ''));
    await page.screenshot({ path: join(ARTIFACTS, 'lobby-375.png'), fullPage: true });

    await openConsole(page);
    expect(await overflow()).toBeLessThanOrEqual(0);
    expect(await unlabelled()).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'console-375.png'), fullPage: true });
    await page.close();
  });
});
