import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { demoSpotlightPort, parseFrontendConfig } from '@casino/shared/config';
import { frontendApp } from '../src/frontend-server';

function builtApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'casino-dist-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  return dir;
}

describe('the frontend settings', () => {
  test('when nothing is set, then the browser uses the same origin, sends nothing, streams spans and links traces nowhere, as no viewer is known', () => {
    const c = parseFrontendConfig({});
    expect(c).toMatchObject({ port: 3000, gatewayUrl: 'http://127.0.0.1:8080' });
    expect(c.runtime).toMatchObject({
      apiBaseUrl: '',
      sentryDsn: null,
      spotlightUrl: null,
      traceLifecycle: 'stream',
      traceViewer: null,
      traceUrlTemplate: null,
    });
  });

  test('when DSNs are set, then the frontend project wins over the shared one, and SENTRY_ENABLED=false sends nothing', () => {
    expect(parseFrontendConfig({ SENTRY_DSN: 'https://a@o1.ingest.sentry.io/1' }).runtime.sentryDsn).toBe(
      'https://a@o1.ingest.sentry.io/1',
    );
    expect(
      parseFrontendConfig({ SENTRY_DSN: 'https://a@o1.ingest.sentry.io/1', SENTRY_DSN_FRONTEND: 'https://b@o1.ingest.sentry.io/9' }).runtime
        .sentryDsn,
    ).toBe('https://b@o1.ingest.sentry.io/9');
    expect(
      parseFrontendConfig({ SENTRY_DSN: 'https://a@o1.ingest.sentry.io/1', SENTRY_ENABLED: 'false', SENTRY_SPOTLIGHT: 'true' }).runtime,
    ).toMatchObject({ sentryDsn: null, spotlightUrl: null });
  });

  test('when an organisation or a Sentry address is set, then trace links open Sentry’s trace view', () => {
    expect(parseFrontendConfig({ SENTRY_ORG: 'acme' }).runtime).toMatchObject({
      traceViewer: 'Sentry',
      traceUrlTemplate: 'https://sentry.io/organizations/acme/explore/traces/trace/{traceId}/',
    });
    expect(parseFrontendConfig({ SENTRY_ORG: 'acme', SENTRY_URL: 'https://sentry.example.com/' }).runtime.traceUrlTemplate).toBe(
      'https://sentry.example.com/organizations/acme/explore/traces/trace/{traceId}/',
    );
    expect(parseFrontendConfig({ SENTRY_URL: 'https://acme.sentry.io' }).runtime.traceUrlTemplate).toBe(
      'https://acme.sentry.io/explore/traces/trace/{traceId}/',
    );
  });

  test('when Spotlight is on, then the browser forwards to its sidecar as transactions, which its UI shows, and trace links open its trace view', () => {
    expect(parseFrontendConfig({ SENTRY_SPOTLIGHT: 'true' }).runtime).toMatchObject({
      spotlightUrl: 'http://localhost:8969/stream',
      traceLifecycle: 'static',
      traceViewer: 'Spotlight',
      traceUrlTemplate: 'http://localhost:8969/telemetry/traces/{traceId}',
    });
    expect(parseFrontendConfig({ SENTRY_SPOTLIGHT: 'http://127.0.0.1:9000/stream' }).runtime).toMatchObject({
      spotlightUrl: 'http://127.0.0.1:9000/stream',
      traceUrlTemplate: 'http://127.0.0.1:9000/telemetry/traces/{traceId}',
    });
    expect(parseFrontendConfig({ SENTRY_SPOTLIGHT: 'true', SENTRY_TRACE_LIFECYCLE: 'stream' }).runtime.traceLifecycle).toBe('stream');
    // With the SDK off nothing reaches Spotlight, so there is nothing to link to.
    expect(parseFrontendConfig({ SENTRY_SPOTLIGHT: 'true', SENTRY_ENABLED: 'false' }).runtime).toMatchObject({
      spotlightUrl: null,
      traceViewer: null,
      traceUrlTemplate: null,
    });
  });

  test('when the demo decides whether to start its own Spotlight, then it does unless the SDK is off or SENTRY_SPOTLIGHT is false or names another sidecar', () => {
    expect(demoSpotlightPort({})).toBe(8969);
    expect(demoSpotlightPort({ SENTRY_SPOTLIGHT: 'true', SPOTLIGHT_PORT: '9900' })).toBe(9900);
    expect(demoSpotlightPort({ SENTRY_DSN: 'https://a@o1.ingest.sentry.io/1' })).toBe(8969);
    expect(demoSpotlightPort({ SENTRY_SPOTLIGHT: 'off' })).toBeUndefined();
    expect(demoSpotlightPort({ SENTRY_SPOTLIGHT: 'http://127.0.0.1:9000/stream' })).toBeUndefined();
    expect(demoSpotlightPort({ SENTRY_ENABLED: 'false' })).toBeUndefined();
    expect(() => demoSpotlightPort({ SPOTLIGHT_PORT: '0' })).toThrow('SPOTLIGHT_PORT must be a port number');
  });

  test('when a frontend setting is wrong, then it fails like any setting, naming it', () => {
    expect(() => parseFrontendConfig({ FRONTEND_API_URL: 'gateway' })).toThrow('FRONTEND_API_URL must be an http(s) URL');
    expect(() => parseFrontendConfig({ FRONTEND_PORT: '99999' })).toThrow('FRONTEND_PORT must be a port number');
  });
});

describe('the frontend server', () => {
  let gateway: Server;
  let gatewayUrl: string;
  beforeAll(async () => {
    gateway = createServer((req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'x-trace-id': 'f'.repeat(32) }).end(
        JSON.stringify({
          path: req.url,
          trace: req.headers['sentry-trace'] ?? null,
          forwardedFor: req.headers['x-forwarded-for'] ?? null,
        }),
      ),
    );
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => gateway.close(r)));

  test('when the app is not built, then the server refuses to start and says how to build it', () => {
    expect(() => frontendApp(parseFrontendConfig({}), join(tmpdir(), 'no-such-dist'))).toThrow('run npm run build');
  });

  test('when the browser asks for its settings, then /config.json answers them uncached', async () => {
    const app = frontendApp(parseFrontendConfig({ GATEWAY_URL: gatewayUrl, SENTRY_DSN: 'https://k@o1.ingest.sentry.io/5' }), builtApp());
    const res = await request(app).get('/config.json').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ apiBaseUrl: '', sentryDsn: 'https://k@o1.ingest.sentry.io/5' });
  });

  test('when pages and assets are asked for, then both pages get index.html, hashed assets are cached for a year, and a missing asset or a source map is a 404', async () => {
    const dist = builtApp();
    const app = frontendApp(parseFrontendConfig({ GATEWAY_URL: gatewayUrl }), dist);
    for (const path of ['/', '/console']) {
      const page = await request(app).get(path).expect(200);
      expect(page.text).toContain('<div id="root"></div>');
      expect(page.headers['cache-control']).toBe('no-cache');
    }
    const asset = await request(app).get('/assets/index-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await request(app).get('/assets/missing.js').expect(404);
    writeFileSync(join(dist, 'assets', 'index-abc123.js.map'), '{"mappings":"AAAA"}');
    writeFileSync(join(dist, 'top.js.map'), '{"mappings":"AAAA"}');
    for (const path of [
      '/assets/index-abc123.js.map',
      '/assets/index-abc123.js.ma%70',
      '/assets/index-abc123.js.%6d%61%70',
      '/assets%2findex-abc123.js.map',
      '/assets%2Findex-abc123.js.ma%70',
      '/assets/../assets/index-abc123.js.map',
      '/top.js.map',
      '/top.js.MAP',
    ]) {
      const res = await request(app).get(path);
      expect([path, res.status, res.text.includes('mappings')]).toEqual([path, 404, false]);
    }
  });

  test('when the page calls /api, then the call and its trace headers reach the gateway unchanged', async () => {
    const app = frontendApp(parseFrontendConfig({ GATEWAY_URL: gatewayUrl }), builtApp());
    const res = await request(app)
      .get('/api/v1/games?x=1')
      .set('sentry-trace', `${'a'.repeat(32)}-${'b'.repeat(16)}-1`)
      .expect(200);
    expect(res.body).toMatchObject({ path: '/api/v1/games?x=1', trace: `${'a'.repeat(32)}-${'b'.repeat(16)}-1` });
    expect(res.headers['x-trace-id']).toBe('f'.repeat(32));
  });

  test('when a client forges X-Forwarded-For, then the gateway gets only the address that really connected', async () => {
    const app = frontendApp(parseFrontendConfig({ GATEWAY_URL: gatewayUrl }), builtApp());

    const res = await request(app).post('/api/v1/auth/login').set('x-forwarded-for', '203.0.113.7, 198.51.100.9').send({}).expect(200);

    expect(res.body.forwardedFor).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  test("when nginx's proxy to the gateway is read, then it sets X-Forwarded-For to the address that connected, never appends to the client's", () => {
    const template = readFileSync(join(__dirname, '..', '..', 'frontend', 'nginx', 'templates', 'casino.conf.template'), 'utf8');

    expect(template.match(/proxy_set_header X-Forwarded-For .*;/gi)).toEqual(['proxy_set_header X-Forwarded-For $remote_addr;']);
  });

  test('when the gateway is down, then /api answers a 502 problem document naming it, not a hang or an HTML error', async () => {
    const app = frontendApp(parseFrontendConfig({ GATEWAY_URL: 'http://127.0.0.1:1' }), builtApp());
    const res = await request(app).get('/api/v1/games').expect(502);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(res.text)).toMatchObject({
      status: 502,
      type: 'urn:casino:problem:gateway-unreachable',
      detail: expect.stringContaining('http://127.0.0.1:1'),
    });
  });

  test('when the page may connect elsewhere, then the content security policy allows exactly the gateway, the ingest and Spotlight', async () => {
    const config = parseFrontendConfig({
      GATEWAY_URL: gatewayUrl,
      FRONTEND_API_URL: 'http://localhost:8080',
      SENTRY_DSN: 'https://k@o1.ingest.sentry.io/5',
      SENTRY_SPOTLIGHT: 'true',
    });
    const res = await request(frontendApp(config, builtApp())).get('/').expect(200);
    const connect = /connect-src ([^;]+)/.exec(res.headers['content-security-policy']!)![1]!.split(' ');
    expect(connect.sort()).toEqual(["'self'", 'http://localhost:8080', 'http://localhost:8969', 'https://o1.ingest.sentry.io'].sort());
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });
});
