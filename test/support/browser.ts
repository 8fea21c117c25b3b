import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@casino/tools/launcher';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where screenshots go: test-artifacts/e2e/ at the repository root (ignored by git, kept by CI). */
export const ARTIFACTS = join(repoRoot(), 'test-artifacts', 'e2e');

/** Debian's Chromium, headless, with no calls out of this machine. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install chromium), as .ci/run does, or set CHROMIUM_PATH.`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // Chromium's own lookups (update.googleapis.com, even with the flags above) fail here at once
      // instead of asking the machine's resolver; pages still reach localhost and 127.0.0.1.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
      // performance.memory in exact bytes rather than coarse buckets, for the memory-leak scenario.
      '--enable-precise-memory-info',
      '--js-flags=--expose-gc',
    ],
  });
}
