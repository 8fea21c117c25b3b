/**
 * The default path, as a newcomer takes it: `npm run demo` with nothing set, the lobby in Chromium,
 * a spin, and the spin's trace opened from the ops console in Spotlight. Every connection the demo's
 * processes attempt is recorded by the kernel's account of them (strace), and every request the
 * browser's pages make, their workers' included; none may leave the machine.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Browser, Page, Response } from 'playwright-core';
import { ARTIFACTS, launchChromium } from '../support/browser';
import { childrenOf, commandOf, type Demo, rssOf, startDemo, stopDemo, untilReady } from '../support/demo';
import { ConnectRecorder, isLoopback } from '../support/outbound';
import { call, TEST_SECRETS } from '../support/platform';
import { deposit, openConsole, register } from './lobby';

const SPIN = /\/api\/v1\/games\/[^/]+\/spins$/;
/** The server spans of a spin, one per service, by the route each service names them after. */
const SERVER_SPANS: Record<string, string> = {
  gateway: 'POST /api/v1/games/:gameId/spins',
  game: 'POST /players/:playerId/games/:gameId/spins',
  user: 'GET /players/:playerId/status',
  payment: 'POST /wallets/:playerId/bets',
  wager: 'POST /players/:playerId/wagers',
};

/** Spins once in the lobby and returns the trace id the gateway answered with. */
async function spinForTrace(page: Page): Promise<{ status: number; traceId: string }> {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && SPIN.test(r.url()));
  await page.getByRole('button', { name: /^Spin for/ }).click();
  const response = await answered;
  await page.waitForFunction(() => !(document.querySelector('button.spin') as HTMLButtonElement).disabled);
  return { status: response.status(), traceId: response.headers()['x-trace-id']! };
}

/**
 * The text of Spotlight's page once it shows `expected`: envelopes stream into the open page as
 * they arrive. A trace's waterfall folds deep branches away; every fold is opened first.
 */
async function spotlightShows(page: Page, expected: string[], timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const folded = page.locator('div.bg-primary-600:has(svg.rotate-0)');
    while ((await folded.count()) > 0) await folded.first().click();
    const text = await page.evaluate(() => document.body.innerText);
    const missing = expected.filter((e) => !text.includes(e));
    if (missing.length === 0) return text;
    if (Date.now() > deadline)
      throw new Error(`Spotlight never showed ${JSON.stringify(missing)} at ${page.url()}:\n${text.slice(0, 3000)}`);
    await page.waitForTimeout(500);
  }
}

describe('the default path: npm run demo, a spin in the lobby, and its trace in Spotlight, with nothing leaving the machine', () => {
  const demoConnects = new ConnectRecorder('demo');
  let demo: Demo;
  let browser: Browser;
  let lobby: string;
  let spotlight: string;
  /** Every request any page made, and every response from Spotlight's origin. */
  const requested: string[] = [];
  const spotlightResponses: { url: string; status: number }[] = [];
  let spin: { traceId: string } | undefined;

  /** A page in a context of its own, whose every request (popups' and workers' too) is recorded. */
  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    context.on('request', (r) => requested.push(r.url()));
    context.on('response', (r: Response) => {
      if (r.url().startsWith(spotlight)) spotlightResponses.push({ url: r.url(), status: r.status() });
    });
    return context.newPage();
  }

  beforeAll(async () => {
    demo = await startDemo({ wrap: demoConnects.prefix() });
    await untilReady(demo);
    lobby = `http://localhost:${demo.frontend}`;
    spotlight = `http://localhost:${demo.spotlight}`;
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (demo) await stopDemo(demo);
  });

  test("when a player spins in the lobby and opens the spin from the ops console, then Spotlight shows one trace: the browser's spin, all five services and the draw of the reels", async () => {
    const page = await newPage();
    await page.goto(lobby);
    await register(page, `spotlight-${randomUUID()}@example.com`);
    await deposit(page, 5_000);
    const played = await spinForTrace(page);
    expect(played.status).toBe(201);
    spin = played;

    await openConsole(page);
    // The spin's row (the lobby's refresh after it shares its trace, as part of the click).
    const link = page
      .getByTestId('recent-traces')
      .getByRole('row')
      .filter({ hasText: 'POST /games/lucky-sevens/spins' })
      .locator(`a[data-trace-id="${spin.traceId}"]`);
    expect(await link.getAttribute('href')).toBe(`${spotlight}/telemetry/traces/${spin.traceId}`);
    const [viewer] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await viewer.waitForLoadState();
    expect(viewer.url()).toBe(`${spotlight}/telemetry/traces/${spin.traceId}`);

    const text = await spotlightShows(viewer, [
      'ui.action',
      'spin',
      ...Object.values(SERVER_SPANS),
      'game.rng',
      'draw reels',
      'GET /api/v1/wallet',
    ]);
    // The lobby's refresh after the spin is part of the click: its requests hang under the click's
    // span, none orphaned by a parent that ended before they did.
    expect(text).not.toContain('missing or unknown parent span');
    // One trace: the selected one is this trace id, rooted in the browser's click, and it holds
    // a transaction of the browser and of each service (payment's win makes a second one).
    expect(text).toContain(spin.traceId.slice(0, 8));
    const selected = /(\d+) spans, (\d+) txns/.exec(text.slice(text.indexOf(spin.traceId.slice(0, 8))));
    expect(Number(selected?.[2])).toBeGreaterThanOrEqual(6);
    // The waterfall from its root: every scrolled pane back to its top.
    await viewer.evaluate(() => document.querySelectorAll('*').forEach((el) => el.scrollTop > 0 && (el.scrollTop = 0)));
    await viewer.screenshot({ path: join(ARTIFACTS, 'spotlight-trace.png') });

    // Styled: the stylesheet loaded and applies (the CLI of this version serves none).
    const styled = await viewer.evaluate(() => ({
      sheets: [...document.styleSheets].filter((s) => s.href?.endsWith('/assets/main.css')).map((s) => s.cssRules.length),
      background: getComputedStyle(document.body.firstElementChild ?? document.body).backgroundColor,
    }));
    expect(styled.sheets.length).toBe(1);
    expect(styled.sheets[0]).toBeGreaterThan(100);
    await page.context().close();
  });

  test("when the spin's trace is open, then its log lines are there with it, and its profile shows as a flame graph", async () => {
    expect(spin).toBeDefined();
    const viewer = await newPage();
    await viewer.goto(`${spotlight}/telemetry/traces/${spin!.traceId}/logs`);
    const logs = await spotlightShows(viewer, ['POST /api/v1/games/lucky-sevens/spins 201']);
    expect(logs).toMatch(/POST \/players\/[0-9a-f-]+\/wagers 200/);

    // The services profile while they serve; Spotlight shows the profile of the spin's time as a
    // flame graph, drawn on a canvas: one row per stack frame, so a real profile is a tall one.
    await viewer.goto(`${spotlight}/telemetry/traces/${spin!.traceId}/profileTree`);
    await viewer.getByText('Visual representation of profile using flamegraph').waitFor({ timeout: 30_000 });
    expect(await viewer.getByText('No profile data available.').count()).toBe(0);
    const drawn = await viewer.waitForFunction(
      () => {
        const canvas = [...document.querySelectorAll('canvas')].find((c) => c.height > 200);
        if (!canvas) return null;
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, Math.min(canvas.height, 400)).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
        return painted > 10_000 ? { height: canvas.height, painted } : null;
      },
      undefined,
      { timeout: 30_000 },
    );
    expect((await drawn.jsonValue())!.height).toBeGreaterThan(200);
    await viewer.screenshot({ path: join(ARTIFACTS, 'spotlight-profile.png') });
    await viewer.context().close();
  });

  test('when error-burst is on and a player spins, then the lobby links the failure to its trace and Spotlight lists each error, linked to its trace', async () => {
    const on = await call(`http://127.0.0.1:${demo.gateway}/api/v1`, 'PUT', '/admin/scenarios/error-burst', {
      token: TEST_SECRETS.ADMIN_TOKEN,
      body: { enabled: true },
    });
    expect(on.status).toBe(200);
    try {
      const page = await newPage();
      await page.goto(lobby);
      await register(page, `errors-${randomUUID()}@example.com`);
      await deposit(page, 5_000);
      // The first spin after switching on hits the game's bug: a 502 the lobby shows with its trace.
      const failed = await spinForTrace(page);
      expect(failed.status).toBe(502);
      const notice = page.locator('.slot [role="alert"]');
      const link = notice.locator(`a[data-trace-id="${failed.traceId}"]`);
      expect(await link.getAttribute('href')).toBe(`${spotlight}/telemetry/traces/${failed.traceId}`);
      expect(await notice.textContent()).toContain('(open in Spotlight)');

      const viewer = await newPage();
      await viewer.goto(`${spotlight}/telemetry/errors`);
      await spotlightShows(viewer, [
        'TypeError',
        "Cannot read properties of undefined (reading 'trigger')",
        'RiskScoreUnavailable',
        'The game service failed',
      ]);
      await viewer.getByText("Cannot read properties of undefined (reading 'trigger')").first().click();
      // The error's page names its trace and links to it: the trace the lobby showed.
      const toTrace = viewer.locator(`a[href="/telemetry/traces/${failed.traceId}"]`);
      await toTrace.waitFor();
      await toTrace.click();
      // The game's crash happens inside its spin route, so its transaction is named by the route.
      await spotlightShows(viewer, [SERVER_SPANS.gateway!, SERVER_SPANS.game!]);
      expect(viewer.url()).toMatch(new RegExp(`^${spotlight}/telemetry/traces/${failed.traceId}(/context)?$`));
      await viewer.screenshot({ path: join(ARTIFACTS, 'spotlight-error-trace.png') });
      await page.context().close();
      await viewer.context().close();
    } finally {
      await call(`http://127.0.0.1:${demo.gateway}/api/v1`, 'PUT', '/admin/scenarios/error-burst', {
        token: TEST_SECRETS.ADMIN_TOKEN,
        body: { enabled: false },
      });
    }
  });

  test('when the run is over, then every page and asset Spotlight served answered below 400, and neither a page nor a process of the demo tried to connect off the machine', async () => {
    expect(spotlightResponses.length).toBeGreaterThan(10);
    expect(spotlightResponses.filter((r) => r.status >= 400)).toEqual([]);
    const local = (url: string) => /^(https?|wss?):\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(url) || /^(data|blob):/.test(url);
    expect(requested.filter((url) => !local(url))).toEqual([]);

    // The figures for the record, while everything still runs.
    const launcher = demo.pid();
    const processes = [launcher, ...childrenOf(launcher)];
    const sidecar = processes.find((pid) => commandOf(pid).endsWith('observability/spotlight/dist/main.js'))!;
    const mb = (bytes: number) => (bytes / 1_048_576).toFixed(0);
    console.log(
      `default path: Spotlight answered ${demo.spotlightReadyMs} ms after the demo started; Spotlight RSS ${mb(rssOf(sidecar))} MB; ` +
        `the demo's ${processes.length} processes ${mb(processes.reduce((sum, pid) => sum + rssOf(pid), 0))} MB RSS in all`,
    );

    await stopDemo(demo);
    const connects = demoConnects.connects();
    // The recorder saw the traffic there was: the launcher, the services and Spotlight on loopback.
    expect(connects.filter((c) => isLoopback(c.address)).length).toBeGreaterThan(20);
    const outbound = connects.filter((c) => !isLoopback(c.address)).map((c) => c.line);
    console.log(
      `outbound-connection check: ${connects.length} connects by the demo's processes, ${outbound.length} off the machine; ${requested.length} requests by the pages, ${requested.filter((u) => !local(u)).length} off the machine (record: ${demoConnects.file})`,
    );
    expect(outbound).toEqual([]);
  });
});
