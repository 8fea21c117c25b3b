/**
 * Spotlight's UI as this platform serves it: every file the package ships, so the page is whole and
 * styled, with its own telemetry taken out, so that opening it sends nothing off the machine.
 *
 * The package's UI reports to Sentry's public ingest from the browser: one module,
 * `assets/instrumentation.js`, starts the browser SDK with Spotlight's own DSN, and the page's
 * content security policy lets it reach `*.sentry.io`. That module is replaced by one that does
 * nothing, and the policy allows connections to the page's own origin (the sidecar) only. When an
 * update moves either, start-up stops here rather than let a new version phone home.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TELEMETRY_MODULE = 'assets/instrumentation.js';
/** What replaces it: the same exports, no SDK. */
export const NO_TELEMETRY = 'export default function init() {}\nexport function getIntegrations() {\n  return [];\n}\n';
/** A DSN of Sentry's hosted ingest, as a bundle spells it. */
export const HOSTED_DSN = /https:\/\/[0-9a-f]+@[\w.-]*ingest[\w.-]*\.sentry\.io\/\d+/;
/** The page's policy: its own origin only, for scripts, styles, fonts and connections. */
export const UI_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'; img-src 'self' data: blob:; font-src 'self'";
const POLICY_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/;

export class UiChangedError extends Error {
  override name = 'UiChangedError';
}

/** The package's built UI, beside its server entry point (dist/server/main.js → dist/ui). */
export function packagedUiDir(): string {
  return join(dirname(fileURLToPath(import.meta.resolve('@spotlightjs/spotlight'))), '..', 'ui');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

/** Every UI file by its path under the site root, as the sidecar's `filesToServe` takes them. */
export function uiFiles(dir = packagedUiDir()): Record<string, Buffer> {
  const files: Record<string, Buffer> = Object.create(null) as Record<string, Buffer>;
  for (const name of filesUnder(dir)) files[name] = readFileSync(join(dir, name));

  const telemetry = files[TELEMETRY_MODULE]?.toString('utf8');
  if (!telemetry || !HOSTED_DSN.test(telemetry)) {
    throw new UiChangedError(
      `Spotlight's UI no longer starts its telemetry from ${TELEMETRY_MODULE}: check where it went before serving this version.`,
    );
  }
  files[TELEMETRY_MODULE] = Buffer.from(NO_TELEMETRY);
  const elsewhere = Object.keys(files).filter(
    (name) => /\.(js|html|css|json)$/.test(name) && HOSTED_DSN.test(files[name]!.toString('utf8')),
  );
  if (elsewhere.length > 0) {
    throw new UiChangedError(`Spotlight's UI reports to Sentry from ${elsewhere.join(', ')} too: check it before serving this version.`);
  }

  const page = files['index.html']?.toString('utf8');
  if (!page || !POLICY_META.test(page)) {
    throw new UiChangedError("Spotlight's index.html has no content security policy to narrow: check it before serving this version.");
  }
  files['index.html'] = Buffer.from(page.replace(POLICY_META, `$1${UI_POLICY}$2`));
  return files;
}
