/**
 * `npm run sentry:alerts` against a stub of Sentry's alert rule and uptime monitor API that keeps
 * what it is given and records every request: the real API is never called.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '@casino/tools/launcher';
import { runCli } from './support/cli';

const TOKEN = 'sntrys_stub-token-that-must-never-be-printed-0123456789';
const ORG = 'casino-org';
const PROJECT = 'casino';
/** Small pages, so that finding a rule means following Sentry's cursor links. */
const PAGE_SIZE = 2;

interface RulesFile {
  issueAlerts: ({ name: string } & Record<string, unknown>)[];
  metricAlerts: ({ name: string } & Record<string, unknown>)[];
  uptimeMonitors: ({ name: string; urlFrom: string; path: string } & Record<string, unknown>)[];
}
const RULES_FILE = join(repoRoot(), 'observability', 'sentry', 'alert-rules.json');
const rules = JSON.parse(readFileSync(RULES_FILE, 'utf8')) as RulesFile;
const ALERT_RULES = rules.issueAlerts.length + rules.metricAlerts.length;

/** Public addresses for the two uptime monitors; nothing calls them. */
const LOBBY_URL = 'https://casino.example.com';
const GATEWAY_URL = 'https://api.casino.example.com';
const LOBBY = 'Casino: lobby is up';
const GATEWAY = 'Casino: gateway is ready';
/** What Sentry is sent for each monitor, as its API documents the fields, the defaults spelled out. */
const uptimeBody = (name: string, url: string) => ({
  name,
  url,
  intervalSeconds: 60,
  timeoutMs: 5000,
  method: 'GET',
  headers: [],
  body: null,
  traceSampling: false,
});
const LOBBY_BODY = uptimeBody(LOBBY, `${LOBBY_URL}/`);
const GATEWAY_BODY = uptimeBody(GATEWAY, `${GATEWAY_URL}/readyz`);

interface Recorded {
  method: string;
  path: string;
  query: string;
  authorization: string | undefined;
  body: unknown;
}

interface StoredRule {
  id: string;
  name: string;
  projects?: string[];
  projectSlug?: string;
  [field: string]: unknown;
}

/** Fields Sentry fills in on an uptime monitor created without them, as its list answers them. */
const UPTIME_DEFAULTS = {
  method: 'GET',
  headers: [],
  body: null,
  traceSampling: false,
  environment: null,
  owner: null,
  status: 'active',
  uptimeStatus: 1,
  mode: 1,
};

/** Answers the calls the script makes, as Sentry does, from rules and monitors kept in memory. */
class StubSentry {
  readonly requests: Recorded[] = [];
  /** Issue alerts by project slug, and the organization's metric alerts and uptime monitors. */
  readonly issueRules = new Map<string, StoredRule[]>();
  readonly metricRules: StoredRule[] = [];
  readonly uptimeMonitors: StoredRule[] = [];
  /** When set, the answer to requests it matches. */
  failure: { when: (r: Recorded) => boolean; status: number; body: unknown } | undefined;
  private server: Server | undefined;
  private nextId = 100;

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  writes(): Recorded[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  uptimeWrites(): Recorded[] {
    return this.writes().filter((r) => r.path.includes('/uptime/'));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url());
    const recorded: Recorded = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.search,
      authorization: req.headers.authorization,
      body: text ? JSON.parse(text) : undefined,
    };
    this.requests.push(recorded);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (recorded.authorization !== `Bearer ${TOKEN}`) return send(401, { detail: 'Invalid token' });
    if (this.failure?.when(recorded)) return send(this.failure.status, this.failure.body);

    const issue = new RegExp(`^/api/0/projects/${ORG}/([^/]+)/rules/(?:([^/]+)/)?$`).exec(url.pathname);
    const metric = new RegExp(`^/api/0/organizations/${ORG}/alert-rules/(?:([^/]+)/)?$`).exec(url.pathname);
    const uptime = new RegExp(`^/api/0/projects/${ORG}/([^/]+)/uptime/(?:([^/]+)/)?$`).exec(url.pathname);
    // Uptime monitors are listed for the organization only; a project's path takes writes.
    if (url.pathname === `/api/0/organizations/${ORG}/uptime/` && req.method === 'GET')
      return this.sendPage(url, this.uptimeMonitors, send);
    if (uptime) return void send(...this.writeUptime(recorded, uptime[1]!, uptime[2]));
    const list = issue ? this.issueRulesOf(issue[1]!) : metric ? this.metricRules : undefined;
    const id = issue ? issue[2] : metric?.[1];
    if (!list) return send(404, { detail: 'The requested resource does not exist' });

    if (req.method === 'GET' && !id) return this.sendPage(url, list, send);
    const body = recorded.body as StoredRule;
    if (req.method === 'POST' && !id) {
      const rule = { ...body, id: String(this.nextId++) };
      list.push(rule);
      return send(201, rule);
    }
    const index = list.findIndex((r) => r.id === id);
    if (req.method === 'PUT' && index >= 0) {
      list[index] = { ...body, id: id! };
      return send(200, list[index]);
    }
    return send(404, { detail: 'The requested resource does not exist' });
  }

  /** One page of a list, with Sentry's Link header; the links keep the request's other parameters. */
  private sendPage(url: URL, list: StoredRule[], send: (status: number, body: unknown, headers: Record<string, string>) => void): void {
    const cursor = Number(url.searchParams.get('cursor') ?? 0);
    const at = (n: number) => {
      const page = new URL(url);
      page.searchParams.set('cursor', String(n));
      return page.href;
    };
    const more = cursor + PAGE_SIZE < list.length;
    const next = `<${at(cursor + PAGE_SIZE)}>; rel="next"; results="${more}"; cursor="${cursor + PAGE_SIZE}"`;
    const previous = `<${at(Math.max(0, cursor - PAGE_SIZE))}>; rel="previous"; results="${cursor > 0}"; cursor="${cursor - PAGE_SIZE}"`;
    send(200, list.slice(cursor, cursor + PAGE_SIZE), { link: `${previous}, ${next}` });
  }

  /** Creates (POST, the four fields Sentry requires) or updates (PUT, only the fields sent) a monitor. */
  private writeUptime(request: Recorded, project: string, id: string | undefined): [number, unknown] {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (request.method === 'POST' && !id) {
      const missing = ['name', 'url', 'intervalSeconds', 'timeoutMs'].filter((field) => body[field] === undefined);
      if (missing.length) return [400, Object.fromEntries(missing.map((field) => [field, ['This field is required.']]))];
      const monitor: StoredRule = { ...UPTIME_DEFAULTS, ...body, name: String(body.name), id: String(this.nextId++), projectSlug: project };
      this.uptimeMonitors.push(monitor);
      return [201, monitor];
    }
    const monitor = this.uptimeMonitors.find((m) => m.id === id && m.projectSlug === project);
    if (request.method === 'PUT' && monitor) return [200, Object.assign(monitor, body)];
    return request.method === 'GET' && !id
      ? [405, { detail: 'Method "GET" not allowed.' }]
      : [404, { detail: 'The requested resource does not exist' }];
  }

  issueRulesOf(project: string): StoredRule[] {
    if (!this.issueRules.has(project)) this.issueRules.set(project, []);
    return this.issueRules.get(project)!;
  }
}

/** Runs the built CLI, as `npm run sentry:alerts` does after building, in a directory of its own. */
const sentryAlerts = (args: string[], env: NodeJS.ProcessEnv, cwd: string) =>
  runCli('sentry-alerts', args, { env, cwd, timeoutMs: 60_000 });

describe('npm run sentry:alerts', () => {
  let stub: StubSentry;
  let cwd: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    stub = new StubSentry();
    await stub.start();
    cwd = mkdtempSync(join(tmpdir(), 'sentry-alerts-'));
    env = { SENTRY_AUTH_TOKEN: TOKEN, SENTRY_ORG: ORG, SENTRY_PROJECT: PROJECT, SENTRY_URL: stub.url() };
  });

  afterEach(async () => {
    await stub.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  test('when some rules exist and others do not, then it updates the existing ones in place and creates the rest', async () => {
    const existingIssue = rules.issueAlerts[1]!;
    const existingMetric = rules.metricAlerts[1]!;
    stub.issueRulesOf(PROJECT).push({ id: '7', name: existingIssue.name, frequency: 1440 });
    stub.issueRulesOf(PROJECT).push({ id: '8', name: 'Someone else’s rule', frequency: 60 });
    // The rule to update sits on the second page, and a rule of the same name in another project
    // must be left alone.
    stub.metricRules.push(
      { id: '40', name: 'Unrelated', projects: [PROJECT] },
      { id: '41', name: existingMetric.name, projects: ['other-project'] },
      { id: '42', name: existingMetric.name, projects: [PROJECT], aggregate: 'count()' },
    );

    const run = await sentryAlerts([], env, cwd);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    const base = `/api/0/projects/${ORG}/${PROJECT}/rules/`;
    const org = `/api/0/organizations/${ORG}/alert-rules/`;
    expect(stub.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${base}`,
      `PUT ${base}7/`,
      `POST ${base}`,
      `POST ${org}`,
      `PUT ${org}42/`,
      `POST ${org}`,
    ]);
    expect(stub.writes().map((r) => r.body)).toEqual([
      ...rules.issueAlerts,
      ...rules.metricAlerts.map((rule) => ({ ...rule, projects: [PROJECT] })),
    ]);
    expect(stub.issueRulesOf(PROJECT).find((r) => r.id === '7')).toMatchObject({
      name: existingIssue.name,
      frequency: existingIssue.frequency,
    });
    expect(stub.metricRules.find((r) => r.id === '41')).toEqual({ id: '41', name: existingMetric.name, projects: ['other-project'] });
    expect(stub.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(run.stdout).toContain(`updated issue alert "${existingIssue.name}" in ${PROJECT} (id 7)`);
    expect(run.stdout).toContain(`updated metric alert "${existingMetric.name}" in ${PROJECT} (id 42)`);
    expect(run.stdout).toContain('Done: 4 created, 2 updated, 0 unchanged, 2 skipped.');
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  test('when it runs a second time, then it creates nothing and Sentry holds each rule once', async () => {
    const first = await sentryAlerts([], env, cwd);
    const second = await sentryAlerts([], env, cwd);

    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`Done: ${ALERT_RULES} created, 0 updated, 0 unchanged, 2 skipped.`);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toContain(`Done: 0 created, ${ALERT_RULES} updated, 0 unchanged, 2 skipped.`);
    expect(
      stub
        .issueRulesOf(PROJECT)
        .map((r) => r.name)
        .sort(),
    ).toEqual(rules.issueAlerts.map((r) => r.name).sort());
    expect(stub.metricRules.map((r) => r.name).sort()).toEqual(rules.metricAlerts.map((r) => r.name).sort());
  });

  test('when --dry-run is given, then it prints every request with its body and the token redacted, and sends nothing', async () => {
    const run = await sentryAlerts(['--dry-run'], env, cwd);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(stub.requests).toEqual([]);
    const issues = `${stub.url()}/api/0/projects/${ORG}/${PROJECT}/rules/`;
    const metrics = `${stub.url()}/api/0/organizations/${ORG}/alert-rules/`;
    expect(run.stdout).toContain(`GET ${issues}\n`);
    expect(run.stdout).toContain(`GET ${metrics}\n`);
    expect(run.stdout.split(`POST ${issues}\n`).length - 1).toBe(rules.issueAlerts.length);
    expect(run.stdout.split(`POST ${metrics}\n`).length - 1).toBe(rules.metricAlerts.length);
    for (const rule of [...rules.issueAlerts, ...rules.metricAlerts]) expect(run.stdout).toContain(JSON.stringify(rule.name));
    expect(run.stdout).toContain(`"aggregate": ${JSON.stringify(rules.metricAlerts[0]!.aggregate)}`);
    expect(run.stdout).toContain('authorization: Bearer <redacted>');
    expect(run.stdout).not.toContain(TOKEN);
  });

  test.each([
    {
      what: 'a 403 on the list',
      failure: {
        when: (r: Recorded) => r.method === 'GET',
        status: 403,
        body: { detail: 'You do not have permission to perform this action.' },
      },
      shows: ['403', 'You do not have permission to perform this action.', 'alerts:write'],
    },
    {
      what: 'a 400 naming a field, echoing the token',
      failure: {
        when: (r: Recorded) => r.method === 'POST',
        status: 400,
        body: { aggregate: ['Invalid Metric'], token: [`${TOKEN} is not allowed here`] },
      },
      shows: ['400', 'Invalid Metric', '<redacted> is not allowed here'],
    },
  ])(
    'when Sentry answers $what, then it exits 1 with the status and Sentry’s message, and never prints the token',
    async ({ failure, shows }) => {
      stub.failure = failure;

      const run = await sentryAlerts([], env, cwd);

      expect(run.code).toBe(1);
      for (const text of shows) expect(run.stderr).toContain(text);
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
      // It stops at the first error: running it again after the fix is safe.
      expect(stub.requests.filter(failure.when)).toHaveLength(1);
    },
  );

  test.each(['SENTRY_AUTH_TOKEN', 'SENTRY_ORG', 'SENTRY_PROJECT'])(
    'when %s is missing, then it exits 2 naming it and sends nothing',
    async (name) => {
      const run = await sentryAlerts([], { ...env, [name]: undefined }, cwd);

      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`${name} is not set`);
      expect(stub.requests).toEqual([]);
    },
  );

  test('when the settings are in .env in the working directory, then it reads them from there', async () => {
    writeFileSync(
      join(cwd, '.env'),
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );

    const run = await sentryAlerts([], {}, cwd);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(stub.writes()).toHaveLength(rules.issueAlerts.length + rules.metricAlerts.length);
  });

  test('when the rules file breaks the API’s shape, then it exits 2 naming the field and sends nothing', async () => {
    const file = join(cwd, 'rules.json');
    const [issue] = rules.issueAlerts;
    const [metric] = rules.metricAlerts;
    const [monitor] = rules.uptimeMonitors;
    writeFileSync(
      file,
      JSON.stringify({
        issueAlerts: [{ ...issue, frequency: 1 }],
        metricAlerts: [{ ...metric, triggers: [{ label: 'warning', alertThreshold: 1, actions: [] }] }],
        uptimeMonitors: [{ ...monitor, intervalSeconds: 45 }],
      }),
    );

    const run = await sentryAlerts(['--file', file], env, cwd);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('issueAlerts[0].frequency');
    expect(run.stderr).toContain('a critical trigger is required');
    expect(run.stderr).toContain('uptimeMonitors[0].intervalSeconds');
    expect(stub.requests).toEqual([]);
  });

  describe('uptime monitors', () => {
    const uptimeList = `/api/0/organizations/${ORG}/uptime/`;
    const uptimeOf = (project: string) => `/api/0/projects/${ORG}/${project}/uptime/`;
    let withUrls: NodeJS.ProcessEnv;

    beforeEach(() => {
      withUrls = { ...env, SENTRY_UPTIME_BASE_URL: LOBBY_URL, SENTRY_UPTIME_GATEWAY_URL: GATEWAY_URL };
    });

    test('when --dry-run is given with both public URLs, then it prints the uptime list and one POST per monitor with its URL, and sends nothing', async () => {
      const run = await sentryAlerts(['--dry-run'], withUrls, cwd);

      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(stub.requests).toEqual([]);
      expect(run.stdout).toContain(`GET ${stub.url()}${uptimeList}?project=-1\n`);
      expect(run.stdout.split(`POST ${stub.url()}${uptimeOf(PROJECT)}\n`).length - 1).toBe(2);
      expect(run.stdout).toContain(`"url": "${LOBBY_URL}/"`);
      expect(run.stdout).toContain(`"url": "${GATEWAY_URL}/readyz"`);
      expect(run.stdout).toContain(`or PUT ${stub.url()}${uptimeOf(PROJECT)}<id>/ with the same body when the uptime monitor "${LOBBY}"`);
      expect(run.stdout).not.toContain('Skipped');
      expect(run.stdout).not.toContain(TOKEN);
    });

    test("when the project has no uptime monitors, then it creates the lobby's on / and the gateway's on /readyz, after listing the whole organization", async () => {
      const run = await sentryAlerts([], withUrls, cwd);

      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(stub.requests.filter((r) => r.path === uptimeList).map((r) => `${r.method} ${r.query}`)).toEqual(['GET ?project=-1']);
      expect(stub.uptimeWrites().map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${uptimeOf(PROJECT)}`, `POST ${uptimeOf(PROJECT)}`]);
      expect(stub.uptimeWrites().map((r) => r.body)).toEqual([LOBBY_BODY, GATEWAY_BODY]);
      expect(stub.uptimeMonitors.map((m) => [m.projectSlug, m.name, m.url])).toEqual([
        [PROJECT, LOBBY, `${LOBBY_URL}/`],
        [PROJECT, GATEWAY, `${GATEWAY_URL}/readyz`],
      ]);
      expect(run.stdout).toContain(`created uptime monitor "${LOBBY}" in ${PROJECT}`);
      expect(run.stdout).toContain(`created uptime monitor "${GATEWAY}" in ${PROJECT}`);
      expect(run.stdout).toContain(`Done: ${ALERT_RULES + 2} created, 0 updated, 0 unchanged, 0 skipped.`);
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
    });

    test('when it runs a second time, then it sends the uptime monitors nothing and says they are unchanged', async () => {
      const first = await sentryAlerts([], withUrls, cwd);
      const writesBefore = stub.uptimeWrites().length;

      const second = await sentryAlerts([], withUrls, cwd);

      expect(first).toMatchObject({ code: 0, stderr: '' });
      expect(second).toMatchObject({ code: 0, stderr: '' });
      expect(writesBefore).toBe(2);
      expect(stub.uptimeWrites()).toHaveLength(2);
      expect(stub.uptimeMonitors).toHaveLength(2);
      expect(second.stdout).toContain(`unchanged uptime monitor "${LOBBY}" in ${PROJECT}`);
      expect(second.stdout).toContain(`unchanged uptime monitor "${GATEWAY}" in ${PROJECT}`);
      expect(second.stdout).toContain(`Done: 0 created, ${ALERT_RULES} updated, 2 unchanged, 0 skipped.`);
    });

    test('when a monitor differs in Sentry, then it updates that one in place and leaves the matching one and the same name in another project alone', async () => {
      const current = (body: ReturnType<typeof uptimeBody>, id: string, project = PROJECT): StoredRule => ({
        ...UPTIME_DEFAULTS,
        ...body,
        id,
        projectSlug: project,
      });
      // Pages of two: the monitor to update is on the second page and the matching one on the third.
      stub.uptimeMonitors.push(
        current(uptimeBody('Someone else’s monitor', 'https://example.org/'), 'u0'),
        current({ ...LOBBY_BODY, url: 'https://elsewhere.example.org/' }, 'u9', 'other-project'),
        current({ ...LOBBY_BODY, url: 'https://old.example.com/', timeoutMs: 10_000 }, 'u1'),
        current(uptimeBody('Another unrelated monitor', 'https://example.net/'), 'u3'),
        current(GATEWAY_BODY, 'u2'),
      );

      const run = await sentryAlerts([], withUrls, cwd);

      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(stub.uptimeWrites().map((r) => `${r.method} ${r.path}`)).toEqual([`PUT ${uptimeOf(PROJECT)}u1/`]);
      expect(stub.uptimeWrites()[0]!.body).toEqual(LOBBY_BODY);
      expect(stub.uptimeMonitors.find((m) => m.id === 'u1')).toMatchObject({ url: `${LOBBY_URL}/`, timeoutMs: 5000 });
      expect(stub.uptimeMonitors.find((m) => m.id === 'u9')).toMatchObject({ url: 'https://elsewhere.example.org/' });
      expect(run.stdout).toContain(`updated uptime monitor "${LOBBY}" in ${PROJECT} (id u1): url, timeoutMs differed`);
      expect(run.stdout).toContain(`unchanged uptime monitor "${GATEWAY}" in ${PROJECT} (id u2)`);
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
    });

    test.each([
      { what: 'neither public URL', unset: ['SENTRY_UPTIME_BASE_URL', 'SENTRY_UPTIME_GATEWAY_URL'], created: [] as string[] },
      { what: 'the lobby’s URL but not the gateway’s', unset: ['SENTRY_UPTIME_GATEWAY_URL'], created: [LOBBY] },
    ])(
      'when it has $what, then it says which monitors it skipped and why, still applies the alert rules and the rest, and exits 0',
      async ({ unset, created }) => {
        const run = await sentryAlerts([], { ...withUrls, ...Object.fromEntries(unset.map((name) => [name, undefined])) }, cwd);

        expect(run).toMatchObject({ code: 0, stderr: '' });
        expect(stub.writes().filter((r) => !r.path.includes('/uptime/'))).toHaveLength(ALERT_RULES);
        expect(stub.uptimeMonitors.map((m) => m.name)).toEqual(created);
        // With nothing to apply it does not even list them, so a token without org:read still works.
        expect(stub.requests.some((r) => r.path === uptimeList)).toBe(created.length > 0);
        const skipped = rules.uptimeMonitors.filter((m) => unset.includes(m.urlFrom));
        for (const monitor of skipped)
          expect(run.stdout).toContain(
            `Skipped the uptime monitor "${monitor.name}": ${monitor.urlFrom} is not set. Sentry's uptime checks call the URL from the internet`,
          );
        expect(run.stdout).toContain(`Done: ${ALERT_RULES + created.length} created, 0 updated, 0 unchanged, ${skipped.length} skipped.`);
      },
    );

    test.each([
      'http://localhost:3000',
      'http://192.168.1.20:3000',
      'http://[::1]:3000',
      'http://frontend:8080',
      'https://user:pw@casino.example.com',
    ])(
      'when the lobby URL is %s, which a checker on the internet cannot reach or should not be given, then it exits 2 naming the setting and sends nothing',
      async (url) => {
        const run = await sentryAlerts([], { ...withUrls, SENTRY_UPTIME_BASE_URL: url }, cwd);

        expect(run.code).toBe(2);
        expect(run.stderr).toContain('SENTRY_UPTIME_BASE_URL ');
        expect(run.stderr).toContain('or leave it unset to skip the monitors that use it');
        expect(run.stderr).not.toContain('pw@');
        expect(stub.requests).toEqual([]);
      },
    );

    test('when Sentry refuses the uptime list and echoes the token, then it exits 1 naming the org:read scope, writes nothing, and never prints the token', async () => {
      stub.failure = {
        when: (r) => r.path === uptimeList,
        status: 403,
        body: { detail: `You do not have permission to perform this action (${TOKEN}).` },
      };

      const run = await sentryAlerts([], withUrls, cwd);

      expect(run.code).toBe(1);
      expect(run.stderr).toContain('403');
      expect(run.stderr).toContain('org:read');
      expect(run.stderr).toContain('(<redacted>)');
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
      expect(stub.writes()).toEqual([]);
    });
  });
});
