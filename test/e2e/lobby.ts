/**
 * The player's and the presenter's moves in the web frontend, as the end-to-end tests make them:
 * through the labels and roles a person sees; and the built frontend they are made in.
 */
import { join } from 'node:path';
import { parseFrontendConfig } from '@casino/shared';
import { type FrontendServer, startFrontendServer } from '@casino/tools/frontend-server';
import { repoRoot } from '@casino/tools/launcher';
import type { Page } from 'playwright-core';
import { TEST_SECRETS } from '../support/platform';

const DIST = join(repoRoot(), 'frontend', 'dist');

/** Serves the built frontend against `gateway` with the given settings, as `npm run demo` does. */
export async function serveFrontend(gateway: string, env: NodeJS.ProcessEnv): Promise<FrontendServer> {
  return startFrontendServer({ ...parseFrontendConfig({ GATEWAY_URL: gateway, ...env }), port: 0 }, DIST);
}

export const euros = (cents: number) => new Intl.NumberFormat('en-IE', { style: 'currency', currency: 'EUR' }).format(cents / 100);

export async function register(page: Page, email: string): Promise<void> {
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
  await page.getByLabel('Display name (optional)').fill('E2E Player');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText('Signed in as').waitFor();
}

/** Deposits through the wallet form and waits for the confirmation; `double` double-clicks the button. */
export async function deposit(page: Page, cents: number, { double = false } = {}): Promise<void> {
  await page.getByLabel('Amount in EUR').fill((cents / 100).toFixed(2));
  const button = page.getByRole('button', { name: `Deposit ${euros(cents)}` });
  await (double ? button.dblclick() : button.click());
  await page.getByText(`Deposited ${euros(cents)}.`).waitFor();
}

export async function spin(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: /^Spin for/ });
  await button.click();
  await page.getByRole('button', { name: /^Spin for/ }).waitFor();
  await page.waitForFunction(() => !(document.querySelector('button.spin') as HTMLButtonElement).disabled);
}

/** Waits until the element with this test id shows exactly `text`. */
export async function shows(page: Page, testId: string, text: string): Promise<void> {
  await page.waitForFunction(
    ([id, expected]) => document.querySelector(`[data-testid="${id}"]`)?.textContent === expected,
    [testId, text] as const,
    { timeout: 10_000 },
  );
}

/** Opens the ops console with the admin token. */
export async function openConsole(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Ops console' }).click();
  // The token is kept for the tab's session: the second visit goes straight in.
  const scenarios = page.getByRole('heading', { name: 'Scenarios' });
  await page.getByLabel('Admin token').or(scenarios).waitFor();
  if (await scenarios.isVisible()) return;
  await page.getByLabel('Admin token').fill(TEST_SECRETS.ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Open console' }).click();
  await scenarios.waitFor();
}

export const tokenOf = (page: Page) =>
  page.evaluate(() => (JSON.parse(sessionStorage.getItem('casino.session')!) as { token: string }).token);
