import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '@casino/tools/launcher';

const FRONTEND = join(repoRoot(), 'frontend');
const VITE = join(repoRoot(), 'node_modules', 'vite', 'bin', 'vite.js');

/** Secrets as they would sit in a developer's environment or .env while the bundle is built. */
const SECRETS = {
  ADMIN_TOKEN: 'admin-token-that-must-not-ship-7f3a9c',
  JWT_SECRET: 'jwt-secret-that-must-not-ship-0123456789abcdef',
  SENTRY_AUTH_TOKEN: 'sntrys_auth-token-that-must-not-ship',
  MONGO_URL: 'mongodb://casino:db-password-that-must-not-ship@db:27017',
};

describe('the frontend bundle', () => {
  let out: string;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'casino-frontend-'));
    await promisify(execFile)(process.execPath, [VITE, 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'error'], {
      cwd: FRONTEND,
      // Jest sets NODE_ENV=test, which would build React's development bundle.
      env: { ...process.env, NODE_ENV: 'production', ...SECRETS, SENTRY_RELEASE: 'casino@bundle-test', SENTRY_ENVIRONMENT: 'bundle-test' },
    });
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const files = () =>
    readdirSync(out, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile())
      .map((f) => join(f.parentPath, f.name));

  test('when it is built with secrets in the environment, then none of them is in any file it ships, and the release and environment are', () => {
    const shipped = files().filter((f) => !f.endsWith('.map'));
    const text = shipped.map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const [name, secret] of Object.entries(SECRETS)) expect([name, text.includes(secret)]).toEqual([name, false]);
    expect(text).toContain('casino@bundle-test');
    expect(text).toContain('bundle-test');
    // Hidden source maps: uploaded to Sentry, not pointed to by the served files.
    expect(text).not.toContain('sourceMappingURL');
    expect(files().some((f) => f.endsWith('.js.map'))).toBe(true);
  });

  test('when the lobby first loads, then it fetches only the entry chunk, its preloads and the stylesheet; session replay comes later in its own chunk', () => {
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    const all = files()
      .filter((f) => /\.(js|css)$/.test(f))
      .map((f) => f.slice(out.length + 1));
    const lazy = all.filter((f) => !initial.includes(f));
    const gz = (f: string) => gzipSync(readFileSync(join(out, f))).length;
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    const first = initial.reduce((sum, f) => sum + gz(f), 0);
    console.log(
      `frontend bundle (gzip): first load ${kb(first)} in ${initial.length} files (${initial.map((f) => `${f} ${kb(gz(f))}`).join(', ')}); loaded later ${kb(lazy.reduce((s, f) => s + gz(f), 0))} in ${lazy.length} (${lazy.map((f) => `${f} ${kb(gz(f))}`).join(', ')})`,
    );
    expect(initial.some((f) => f.endsWith('.css'))).toBe(true);
    expect(lazy.length).toBeGreaterThanOrEqual(1);
    const replayChunk = lazy.find((f) => readFileSync(join(out, f), 'utf8').includes('rrweb'));
    expect(replayChunk).toBeDefined();
  });
});
