/**
 * `npm run sentry:alerts` against a stub of Sentry's alert rule API that keeps the rules it is
 * given and records every request: the real API is never called.
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
}
const RULES_FILE = join(repoRoot(), 'observability', 'sentry', 'alert-rules.json');
const rules = JSON.parse(readFileSync(RULES_FILE, 'utf8')) as RulesFile;

interface Recorded {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
}

interface StoredRule {
  id: string;
  name: string;
  projects?: string[];
  [field: string]: unknown;
}

/** Answers the five calls the script makes, as Sentry does, from rules kept in memory. */
class StubSentry {
  readonly requests: Recorded[] = [];
  /** Issue alerts by project slug, and the organization's metric alerts. */
  readonly issueRules = new Map<string, StoredRule[]>();
  readonly metricRules: StoredRule[] = [];
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url());
    const recorded: Recorded = {
      method: req.method ?? '',
      path: url.pathname,
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
    const list = issue ? this.issueRulesOf(issue[1]!) : metric ? this.metricRules : undefined;
    const id = issue ? issue[2] : metric?.[1];
    if (!list) return send(404, { detail: 'The requested resource does not exist' });

    if (req.method === 'GET' && !id) {
      const cursor = Number(url.searchParams.get('cursor') ?? 0);
      const more = cursor + PAGE_SIZE < list.length;
      const next = `<${this.url()}${url.pathname}?cursor=${cursor + PAGE_SIZE}>; rel="next"; results="${more}"; cursor="${cursor + PAGE_SIZE}"`;
      const previous = `<${this.url()}${url.pathname}?cursor=${Math.max(0, cursor - PAGE_SIZE)}>; rel="previous"; results="${cursor > 0}"; cursor="${cursor - PAGE_SIZE}"`;
      return send(200, list.slice(cursor, cursor + PAGE_SIZE), { link: `${previous}, ${next}` });
    }
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
    expect(run.stdout).toContain('Done: 4 created, 2 updated.');
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  test('when it runs a second time, then it creates nothing and Sentry holds each rule once', async () => {
    const first = await sentryAlerts([], env, cwd);
    const second = await sentryAlerts([], env, cwd);

    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain(`Done: ${rules.issueAlerts.length + rules.metricAlerts.length} created, 0 updated.`);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout).toContain(`Done: 0 created, ${rules.issueAlerts.length + rules.metricAlerts.length} updated.`);
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
    writeFileSync(
      file,
      JSON.stringify({
        issueAlerts: [{ ...issue, frequency: 1 }],
        metricAlerts: [{ ...metric, triggers: [{ label: 'warning', alertThreshold: 1, actions: [] }] }],
      }),
    );

    const run = await sentryAlerts(['--file', file], env, cwd);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('issueAlerts[0].frequency');
    expect(run.stderr).toContain('a critical trigger is required');
    expect(stub.requests).toEqual([]);
  });
});
