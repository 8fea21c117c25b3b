/**
 * The local trace viewer as `npm run demo` starts it: the built process, on a free port, over real
 * HTTP. Pins what broke before (every route answering 500 with a newer hono) and what this platform
 * promises of it: the whole UI served, nothing of Spotlight's own telemetry, loopback only.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKAGE = join(__dirname, '..');
const MAIN = join(PACKAGE, 'dist', 'main.js');
const UI = join(PACKAGE, 'dist', 'ui.js');

interface Sidecar {
  process: ChildProcess;
  url: string;
  output: string[];
  exited: Promise<number | null>;
}

async function startSidecar(env: NodeJS.ProcessEnv = {}): Promise<Sidecar> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, SPOTLIGHT_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 15 s:\n${output.join('')}`)), 15_000);
    const read = (chunk: Buffer) => {
      output.push(chunk.toString());
      const ready = /"msg":"Spotlight ready","url":"([^"]+)"/.exec(output.join(''));
      if (ready) {
        clearTimeout(timer);
        resolve(ready[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    void exited.then(() => reject(new Error(`exited before it was ready:\n${output.join('')}`)));
  });
  return { process: child, url, output, exited };
}

/** Runs `ui.js`'s uiFiles on a UI folder in a Node process of its own (the package is ESM). */
function uiFilesOf(dir: string): { status: number | null; stderr: string; stdout: string } {
  const script = `import { uiFiles } from ${JSON.stringify(UI)}; const f = uiFiles(${JSON.stringify(dir)}); console.log(JSON.stringify(Object.keys(f)));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr, stdout: run.stdout };
}

const packagedUi = () =>
  spawnSync(
    process.execPath,
    ['--input-type=module', '-e', `import { packagedUiDir } from ${JSON.stringify(UI)}; console.log(packagedUiDir());`],
    { encoding: 'utf8' },
  ).stdout.trim();

describe('Spotlight, the local trace viewer', () => {
  let sidecar: Sidecar;
  beforeAll(async () => {
    sidecar = await startSidecar();
  });
  afterAll(async () => {
    sidecar.process.kill('SIGTERM');
    await sidecar.exited;
  });

  test('when it starts, then its UI answers 200 at / and on a deep trace link (with hono 4.12.32 or later, Spotlight 4.11.8 answered 500 on every route)', async () => {
    for (const path of ['/', '/health', '/telemetry/traces/0123456789abcdef0123456789abcdef']) {
      const res = await fetch(`${sidecar.url}${path}`);
      expect([path, res.status]).toEqual([path, 200]);
    }
    expect(await (await fetch(`${sidecar.url}/`)).text()).toContain('<script type="module" crossorigin src="/assets/main.js">');
  });

  test('when the page and every file of the packaged UI are fetched, then each answers 200, the stylesheet included, scripts and styles with their types', async () => {
    const files = JSON.parse(uiFilesOf(packagedUi()).stdout) as string[];
    expect(files).toEqual(expect.arrayContaining(['index.html', 'assets/main.js', 'assets/main.css']));
    const page = await (await fetch(`${sidecar.url}/`)).text();
    for (const [, href] of page.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) expect(files).toContain(href!.slice(1));
    for (const file of files) {
      const res = await fetch(`${sidecar.url}/${file}`);
      expect([file, res.status]).toEqual([file, 200]);
      if (file.endsWith('.js')) expect([file, res.headers.get('content-type')]).toEqual([file, 'text/javascript']);
      if (file.endsWith('.css')) expect([file, res.headers.get('content-type')]).toEqual([file, 'text/css']);
      await res.arrayBuffer();
    }
  });

  test('when the UI is served, then it starts none of its own telemetry: the module that would is empty, the page may connect only to its own origin, and no file names a Sentry ingest', async () => {
    const telemetry = await (await fetch(`${sidecar.url}/assets/instrumentation.js`)).text();
    expect(telemetry).not.toMatch(/sentry\.io|dsn/i);
    expect(telemetry).toContain('export default function init() {}');
    const page = await (await fetch(`${sidecar.url}/`)).text();
    const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(page)![1]!;
    expect(policy).toContain("connect-src 'self';");
    expect(policy).not.toContain('sentry.io');
    // Any origin the page could load from or talk to is its own.
    expect(
      policy
        .split(';')
        .flatMap((d) => d.trim().split(/\s+/).slice(1))
        .filter((src) => /^(https?:|wss?:|\*)/.test(src)),
    ).toEqual([]);
    const files = JSON.parse(uiFilesOf(packagedUi()).stdout) as string[];
    for (const file of files.filter((f) => /\.(js|css|html|json)$/.test(f))) {
      const body = await (await fetch(`${sidecar.url}/${file}`)).text();
      expect([file, /@[\w.-]*ingest[\w.-]*\.sentry\.io/.test(body)]).toEqual([file, false]);
    }
  });

  test('when its listening socket is looked up, then it is bound to 127.0.0.1 only', () => {
    const port = Number(new URL(sidecar.url).port);
    expect(new URL(sidecar.url).hostname).toBe('127.0.0.1');
    const listening = [
      ...readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1),
      ...readFileSync('/proc/net/tcp6', 'utf8').split('\n').slice(1),
    ]
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f[3] === '0A' && parseInt(f[1]!.split(':')[1]!, 16) === port)
      .map((f) => f[1]!.split(':')[0]);
    expect(listening).toEqual(['0100007F']);
  });

  test("when an SDK posts an envelope to /stream, then the UI's event stream delivers it", async () => {
    const controller = new AbortController();
    const stream = await fetch(`${sidecar.url}/stream`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    const eventId = 'abcdef0123456789abcdef0123456789';
    const envelope = `${JSON.stringify({ event_id: eventId, sent_at: new Date().toISOString() })}\n${JSON.stringify({ type: 'event' })}\n${JSON.stringify({ event_id: eventId, message: 'hello from the test', level: 'error', platform: 'node' })}\n`;
    const posted = await fetch(`${sidecar.url}/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-sentry-envelope' },
      body: envelope,
    });
    expect(posted.status).toBe(200);
    const reader = stream.body!.getReader();
    let received = '';
    const deadline = Date.now() + 5000;
    while (!received.includes(eventId) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      received += Buffer.from(value).toString();
    }
    controller.abort();
    expect(received).toContain('event: application/x-sentry-envelope');
    expect(received).toContain('hello from the test');
  });
});

describe('Spotlight started wrongly or stopped', () => {
  test('when its port is taken, then it exits 1 at once saying so, rather than retrying for 15 s', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const started = Date.now();
      const run = spawnSync(process.execPath, [MAIN], {
        env: { PATH: process.env.PATH, SPOTLIGHT_PORT: String(port) },
        encoding: 'utf8',
        timeout: 10_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`port ${port} is in use (set SPOTLIGHT_PORT, or start without Spotlight)`);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      blocker.close();
    }
  });

  test('when SPOTLIGHT_PORT is not a port, then it exits 1 naming the setting', () => {
    const run = spawnSync(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH, SPOTLIGHT_PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('SPOTLIGHT_PORT must be a port number from 0 to 65535 (got \\"eighty\\")');
  });

  test('when it gets SIGTERM with a UI connected to its event stream, then it exits 0', async () => {
    const sidecar = await startSidecar();
    const controller = new AbortController();
    const stream = await fetch(`${sidecar.url}/stream`, { headers: { accept: 'text/event-stream' }, signal: controller.signal });
    expect(stream.status).toBe(200);
    sidecar.process.kill('SIGTERM');
    expect(await sidecar.exited).toBe(0);
    controller.abort();
  });
});

describe("the UI's telemetry guard, when an update moves things", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spotlight-ui-'));
    cpSync(packagedUi(), dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('when the packaged UI is read, then it is served', () => {
    expect(uiFilesOf(dir).status).toBe(0);
  });

  test('when the telemetry module no longer holds the DSN, then start-up stops rather than serve a UI that may report elsewhere', () => {
    writeFileSync(join(dir, 'assets', 'instrumentation.js'), 'export default function init() {}\n');
    const run = uiFilesOf(dir);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("Spotlight's UI no longer starts its telemetry from assets/instrumentation.js");
  });

  test('when another file also names a Sentry ingest, then start-up stops naming it', () => {
    writeFileSync(join(dir, 'assets', 'extra.js'), 'init({ dsn: "https://0123abcd@o1.ingest.us.sentry.io/42" });\n');
    const run = uiFilesOf(dir);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('assets/extra.js');
  });

  test('when the page has no content security policy to narrow, then start-up stops', () => {
    const page = readFileSync(join(dir, 'index.html'), 'utf8').replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, '');
    writeFileSync(join(dir, 'index.html'), page);
    const run = uiFilesOf(dir);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('no content security policy');
  });
});
