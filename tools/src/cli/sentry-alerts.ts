/**
 * `npm run sentry:alerts`: applies the Sentry alert rules and uptime monitors in
 * observability/sentry/alert-rules.json through Sentry's API, creating those a project lacks and
 * updating those it has (matched by name), so running it again changes nothing that is already right.
 *
 *   npm run sentry:alerts -- --dry-run          # prints every request it would make, sends none
 *   npm run sentry:alerts                       # applies them
 *   npm run sentry:alerts -- --file my-rules.json
 *
 * Settings, from the environment or .env in the working directory: SENTRY_AUTH_TOKEN (scopes
 * alerts:write, and org:read to list uptime monitors), SENTRY_ORG, SENTRY_PROJECT (for rules that
 * name no project of their own), SENTRY_URL (default https://sentry.io), and the public base URLs
 * the uptime monitors check: SENTRY_UPTIME_BASE_URL (the lobby) and SENTRY_UPTIME_GATEWAY_URL (the
 * gateway). A monitor whose URL setting is unset is skipped, saying so; the rest still apply.
 * Exit codes: 0 applied (or printed), 1 Sentry answered an error or could not be reached,
 * 2 the run could not start (a setting, the rules file or the arguments).
 */
import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { z } from 'zod';
import { envSchema, readDotEnv } from '@casino/shared/config';
import { repoRoot } from '../launcher';

const USAGE = 'usage: npm run sentry:alerts -- [--dry-run] [--file <rules.json>]';
const DEFAULT_URL = 'https://sentry.io';
const REDACTED = '<redacted>';
/** Replaces the token wherever it could surface in what is printed, even in an unexpected error. */
let redact = (text: string) => text;
/** Sentry pages its lists; this many pages of 100 is far more rules than a project has. */
const MAX_PAGES = 50;

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a Sentry slug (lower case letters, digits, - and _)');
const match = z.enum(['all', 'any', 'none']);
/** Conditions, filters and actions are Sentry rule classes with fields of their own. */
const ruleNode = z.looseObject({
  id: z
    .string()
    .regex(/^sentry\./, 'must name a Sentry rule class, such as sentry.rules.conditions.first_seen_event.FirstSeenEventCondition'),
});

/** The body of POST /api/0/projects/{org}/{project}/rules/, plus the project it belongs to. */
const issueAlertSchema = z
  .strictObject({
    name: z.string().min(1).max(256),
    project: slug.optional(),
    environment: z.string().min(1).nullable().optional(),
    owner: z.string().nullable().optional(),
    frequency: z.int().min(5).max(43_200),
    actionMatch: match,
    conditions: z.array(ruleNode).min(1),
    filterMatch: match.optional(),
    filters: z.array(ruleNode).optional(),
    actions: z.array(ruleNode).min(1),
  })
  .refine((rule) => !rule.filters?.length || rule.filterMatch, { message: 'filterMatch is required with filters', path: ['filterMatch'] });

const triggerAction = z.looseObject({
  type: z.enum(['email', 'slack', 'msteams', 'pagerduty', 'sentry_app', 'sentry_notification', 'opsgenie', 'discord']),
  targetType: z.enum(['specific', 'user', 'team', 'sentry_app']),
  targetIdentifier: z.union([z.string(), z.number()]).optional(),
});

/** The body of POST /api/0/organizations/{org}/alert-rules/. */
const metricAlertSchema = z
  .strictObject({
    name: z.string().min(1).max(256),
    projects: z.array(slug).length(1, 'must name exactly one project: Sentry limits a metric alert to one').optional(),
    environment: z.string().min(1).nullable().optional(),
    owner: z.string().nullable().optional(),
    dataset: z.enum(['events', 'transactions', 'metrics', 'sessions', 'generic_metrics']).optional(),
    queryType: z.literal([0, 1, 2]).optional(),
    eventTypes: z.array(z.enum(['default', 'error', 'transaction'])).optional(),
    aggregate: z.string().min(1),
    query: z.string(),
    timeWindow: z.literal([1, 5, 10, 15, 30, 60, 120, 240, 1440]),
    thresholdType: z.literal([0, 1]),
    resolveThreshold: z.number().optional(),
    comparisonDelta: z.int().positive().optional(),
    thresholdPeriod: z.int().min(1).max(20).optional(),
    triggers: z
      .array(
        z.strictObject({
          label: z.enum(['critical', 'warning']),
          alertThreshold: z.number(),
          resolveThreshold: z.number().nullable().optional(),
          actions: z.array(triggerAction),
        }),
      )
      .min(1)
      .max(2),
  })
  .refine((rule) => rule.triggers.some((t) => t.label === 'critical'), { message: 'a critical trigger is required', path: ['triggers'] })
  .refine((rule) => new Set(rule.triggers.map((t) => t.label)).size === rule.triggers.length, {
    message: 'one trigger per label',
    path: ['triggers'],
  });

/*
 * Uptime monitors. Sentry publishes no API reference page for them (the endpoints are marked
 * experimental, so they are absent from its OpenAPI schema, getsentry/sentry-api-schema). The
 * settings and their limits follow the product page "Uptime Alert Configuration",
 * https://docs.sentry.io/product/alerts/create-alerts/uptime-alert-config/ (intervals of 1, 5, 10,
 * 20, 30 or 60 minutes; a timeout of up to 30 s; a body only with POST, PUT and PATCH); the
 * endpoints and field names follow the code that serves them, getsentry/sentry
 * src/sentry/uptime/endpoints/ (UptimeMonitorValidator in validators.py, the list in
 * organiation_uptime_alert_index.py [sic], create in project_uptime_alert_index.py, update in
 * project_uptime_alert_details.py):
 *   GET  /api/0/organizations/{org}/uptime/?project=-1              every page; each has projectSlug
 *   POST /api/0/projects/{org}/{project}/uptime/                     create
 *   PUT  /api/0/projects/{org}/{project}/uptime/{uptime_detector_id}/ update (fields sent replace)
 * The validator takes camelCase keys (intervalSeconds, timeoutMs, traceSampling), as the list
 * answers them, so a monitor can be compared field by field with what Sentry holds.
 */

/** The settings an uptime monitor takes its public base URL from, and what each should name. */
const UPTIME_URL_SETTINGS = {
  SENTRY_UPTIME_BASE_URL: "the lobby's public base URL, e.g. https://casino.example.com",
  SENTRY_UPTIME_GATEWAY_URL:
    "the gateway's public base URL, e.g. https://api.casino.example.com (the lobby's /api proxy passes only /api/..., not /readyz)",
} as const;
type UptimeUrlSetting = keyof typeof UPTIME_URL_SETTINGS;
const WITH_BODY = ['POST', 'PUT', 'PATCH'];

/** The body of POST /api/0/projects/{org}/{project}/uptime/, with the URL as a setting plus a path. */
const uptimeMonitorSchema = z
  .strictObject({
    name: z.string().min(1).max(128),
    project: slug.optional(),
    urlFrom: z.enum(Object.keys(UPTIME_URL_SETTINGS) as [UptimeUrlSetting, ...UptimeUrlSetting[]]),
    path: z.string().regex(/^\/\S*$/, 'must be a path starting with /'),
    intervalSeconds: z.literal([60, 300, 600, 1200, 1800, 3600]),
    timeoutMs: z.int().min(1000).max(30_000),
    method: z.enum(['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']).default('GET'),
    headers: z.array(z.tuple([z.string().min(1), z.string()])).default([]),
    body: z.string().nullable().default(null),
    environment: z.string().min(1).max(64).nullable().optional(),
    owner: z
      .string()
      .regex(/^(user|team):\d+$/, 'must be user:<id> or team:<id>')
      .nullable()
      .optional(),
    traceSampling: z.boolean().default(false),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .refine((monitor) => monitor.body === null || WITH_BODY.includes(monitor.method), {
    message: 'a body goes only with POST, PUT or PATCH',
    path: ['body'],
  });

const uniqueNames = (rules: { name: string }[]) => new Set(rules.map((r) => r.name)).size === rules.length;

const alertRulesSchema = z.strictObject({
  $comment: z.string().optional(),
  issueAlerts: z.array(issueAlertSchema).refine(uniqueNames, 'names must be unique: rules are matched to Sentry by name'),
  metricAlerts: z.array(metricAlertSchema).refine(uniqueNames, 'names must be unique: rules are matched to Sentry by name'),
  // Optional, so a rules file written before uptime monitors existed still reads.
  uptimeMonitors: z
    .array(uptimeMonitorSchema)
    .refine(uniqueNames, 'names must be unique: monitors are matched to Sentry by name')
    .default([]),
});

type AlertRules = z.infer<typeof alertRulesSchema>;
type UptimeMonitor = AlertRules['uptimeMonitors'][number];

const settingsSchema = envSchema.pick({
  SENTRY_AUTH_TOKEN: true,
  SENTRY_ORG: true,
  SENTRY_PROJECT: true,
  SENTRY_URL: true,
  SENTRY_UPTIME_BASE_URL: true,
  SENTRY_UPTIME_GATEWAY_URL: true,
});
type Settings = z.infer<typeof settingsSchema>;

class RunError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  body?: unknown;
}

/** A rule or monitor as Sentry lists it: projects on a metric alert, projectSlug on an uptime monitor. */
interface Listed {
  id: string;
  name: string;
  projects?: string[];
  projectSlug?: string;
  [field: string]: unknown;
}

interface Target {
  kind: 'issue alert' | 'metric alert' | 'uptime monitor';
  name: string;
  project: string;
  /** Where the existing ones are listed, every page. */
  listing: string;
  /** Where a new one is created; an existing one is updated at `<collection><id>/`. */
  collection: string;
  body: Record<string, unknown>;
}

/** An uptime monitor left out because the setting its URL comes from is unset. */
interface Skipped {
  name: string;
  setting: UptimeUrlSetting;
}

function readRules(file: string): AlertRules {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RunError(`Cannot read the rules from ${file}: ${(err as Error).message}`, 2);
  }
  const parsed = alertRulesSchema.safeParse(json);
  if (!parsed.success) throw new RunError(`${file} is not a valid rules file:\n${z.prettifyError(parsed.error)}`, 2);
  return parsed.data;
}

function readSettings(source: Record<string, string | undefined>): Settings {
  // An empty variable (`FOO=` in .env) means unset, as for every other setting.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = settingsSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RunError(`${String(issue.path[0])} ${issue.message}`, 2);
  }
  return parsed.data;
}

function plan(rules: AlertRules, settings: Settings, api: string): { planned: Target[]; skipped: Skipped[] } {
  const org = settings.SENTRY_ORG;
  if (!org) throw new RunError('SENTRY_ORG is not set: give the slug of your Sentry organization, in the environment or .env.', 2);
  const projectFor = (name: string, own: string | undefined) => {
    const project = own ?? settings.SENTRY_PROJECT;
    if (!project)
      throw new RunError(`SENTRY_PROJECT is not set, and "${name}" names no project of its own: set it in the environment or .env.`, 2);
    return project;
  };
  const orgPath = `${api}/api/0/organizations/${encodeURIComponent(org)}`;
  const projectPath = (project: string) => `${api}/api/0/projects/${encodeURIComponent(org)}/${encodeURIComponent(project)}`;
  const issueAlerts = rules.issueAlerts.map(({ project: own, ...body }): Target => {
    const project = projectFor(body.name, own);
    const collection = `${projectPath(project)}/rules/`;
    return { kind: 'issue alert', name: body.name, project, listing: collection, collection, body };
  });
  const metricAlerts = rules.metricAlerts.map((rule): Target => {
    const project = projectFor(rule.name, rule.projects?.[0]);
    const collection = `${orgPath}/alert-rules/`;
    return { kind: 'metric alert', name: rule.name, project, listing: collection, collection, body: { ...rule, projects: [project] } };
  });
  const withBase = rules.uptimeMonitors.map((monitor) => ({ monitor, base: settings[monitor.urlFrom] }));
  const uptimeMonitors = withBase.flatMap(({ monitor, base }): Target[] => {
    if (!base) return [];
    const project = projectFor(monitor.name, monitor.project);
    // Listed for the whole organization (`-1`: every project the token may see): the list takes
    // project ids, not slugs, and each monitor it answers names its project's slug.
    return [uptimeTarget(monitor, base, project, `${orgPath}/uptime/?project=-1`, `${projectPath(project)}/uptime/`)];
  });
  const skipped = withBase.filter(({ base }) => !base).map(({ monitor }) => ({ name: monitor.name, setting: monitor.urlFrom }));
  return { planned: [...issueAlerts, ...metricAlerts, ...uptimeMonitors], skipped };
}

function uptimeTarget(monitor: UptimeMonitor, base: string, project: string, listing: string, collection: string): Target {
  const { project: _own, urlFrom, path, name, ...fields } = monitor;
  const url = publicUrl(urlFrom, `${base.replace(/\/+$/, '')}${path}`);
  return { kind: 'uptime monitor', name, project, listing, collection, body: { name, url, ...fields } };
}

/** Loopback, private, shared and link-local networks, which no checker on the internet reaches. */
const PRIVATE_NETWORKS = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  PRIVATE_NETWORKS.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  PRIVATE_NETWORKS.addSubnet(network, prefix, 'ipv6');

/** Why Sentry's checkers, calling from the internet, could not use this URL; undefined when they could. */
function unusableFromInternet(url: URL): string | undefined {
  if (url.username || url.password) return 'holds a user name or password, which Sentry would keep and show with the monitor';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(host);
  if (family)
    return PRIVATE_NETWORKS.check(host, family === 4 ? 'ipv4' : 'ipv6') ? `names ${host}, a loopback or private address` : undefined;
  if (!host.includes('.') || /\.(localhost|local|internal)$/.test(host))
    return `names ${host}, a host only this machine or its network knows`;
  return undefined;
}

/** The monitor's URL; a setting no checker could use stops the run before any request. */
function publicUrl(setting: UptimeUrlSetting, href: string): string {
  const url = new URL(href);
  const problem = unusableFromInternet(url);
  if (problem)
    throw new RunError(
      `${setting} ${problem}: Sentry's uptime checks call it from the internet. Set it to ${UPTIME_URL_SETTINGS[setting]}, or leave it unset to skip the monitors that use it.`,
      2,
    );
  if (url.href.length > 255) throw new RunError(`${setting} makes the URL ${url.href}, longer than the 255 characters Sentry takes.`, 2);
  return url.href;
}

/** The URL of the next page from Sentry's Link header, when it says there are more results. */
function nextPage(link: string | null): string | undefined {
  for (const part of link?.split(',') ?? []) {
    if (/rel="next"/.test(part) && /results="true"/.test(part)) return /<([^>]+)>/.exec(part)?.[1];
  }
  return undefined;
}

class SentryApi {
  constructor(private readonly token: string) {}

  async send(request: ApiRequest): Promise<{ body: unknown; link: string | null }> {
    let res: Response;
    try {
      res = await fetch(request.url, {
        method: request.method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${this.token}`,
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      const cause = (err as { cause?: Error }).cause?.message ?? (err as Error).message;
      throw new RunError(`Cannot reach Sentry for ${request.method} ${request.url}: ${cause}`, 1);
    }
    const text = await res.text();
    if (!res.ok) {
      let detail = text.trim().slice(0, 2000);
      try {
        const json = JSON.parse(text) as { detail?: unknown };
        detail = typeof json.detail === 'string' ? json.detail : JSON.stringify(json);
      } catch {
        // not JSON: keep the text
      }
      const hint =
        res.status === 401 || res.status === 403
          ? ' (check SENTRY_AUTH_TOKEN and that it has the alerts:write scope, and org:read to list uptime monitors)'
          : '';
      throw new RunError(
        `Sentry answered ${res.status} ${res.statusText} to ${request.method} ${request.url}${hint}: ${detail || '(no body)'}`,
        1,
      );
    }
    try {
      return { body: text ? JSON.parse(text) : undefined, link: res.headers.get('link') };
    } catch {
      throw new RunError(`Sentry answered ${request.method} ${request.url} with something other than JSON: ${text.slice(0, 200)}`, 1);
    }
  }

  /** Every rule or monitor of a list endpoint, following Sentry's cursor pages. */
  async list(url: string): Promise<Listed[]> {
    const all: Listed[] = [];
    let next: string | undefined = url;
    for (let page = 0; next && page < MAX_PAGES; page++) {
      const { body, link } = await this.send({ method: 'GET', url: next });
      if (!Array.isArray(body)) throw new RunError(`Sentry answered GET ${next} with something other than a list`, 1);
      all.push(...(body as { id: string | number; name: string }[]).map((r): Listed => ({ ...r, id: String(r.id) })));
      next = nextPage(link);
    }
    return all;
  }
}

function printRequest(request: ApiRequest, note?: string): void {
  console.log(`${request.method} ${request.url}`);
  if (note) console.log(`  (${note})`);
  console.log(`  authorization: Bearer ${REDACTED}`);
  if (request.body !== undefined) {
    console.log('  content-type: application/json');
    console.log(JSON.stringify(request.body, null, 2).replace(/^/gm, '  '));
  }
  console.log('');
}

function printSkipped(skipped: Skipped[]): void {
  for (const { name, setting } of skipped) {
    console.log(
      `Skipped the uptime monitor "${name}": ${setting} is not set. Sentry's uptime checks call the URL from the internet, ` +
        `so they need ${UPTIME_URL_SETTINGS[setting]}; set it in the environment or .env to apply this monitor.`,
    );
  }
  if (skipped.length) console.log('');
}

function dryRun(planned: Target[], token: string | undefined): void {
  console.log('Dry run: nothing is sent. A real run makes these requests (the token redacted):\n');
  const listings = new Map(planned.map((t) => [t.listing, t.kind === 'uptime monitor' ? 'uptime monitors' : 'rules']));
  for (const [url, what] of listings) printRequest({ method: 'GET', url }, `lists the existing ${what}, page by page`);
  for (const t of planned) {
    const when =
      t.kind === 'uptime monitor'
        ? `already exists in ${t.project} and differs; nothing when it matches`
        : `already exists in ${t.project}`;
    printRequest(
      { method: 'POST', url: t.collection, body: t.body },
      `or PUT ${t.collection}<id>/ with the same body when the ${t.kind} "${t.name}" ${when}`,
    );
  }
  if (!token) console.log('SENTRY_AUTH_TOKEN is not set: a real run needs it.');
}

/** Whether a listed rule or monitor is the one a target describes. */
function isTarget(t: Target, listed: Listed): boolean {
  if (listed.name !== t.name) return false;
  // Metric alerts and uptime monitors are listed for the whole organization: the same name may
  // exist in another project.
  if (t.kind === 'metric alert') return (listed.projects ?? []).includes(t.project);
  if (t.kind === 'uptime monitor') return listed.projectSlug === t.project;
  return true;
}

/**
 * The fields of an uptime monitor that differ from what Sentry holds. Alert rules have no answer
 * (undefined) and are always sent again: Sentry lists their conditions and actions reshaped, with
 * fields of its own, so no comparison could tell that one matches.
 */
function changedFields(t: Target, listed: Listed): string[] | undefined {
  if (t.kind !== 'uptime monitor') return undefined;
  return Object.keys(t.body).filter((field) => !isDeepStrictEqual(t.body[field], asSent(field, listed[field])));
}

/** A listed monitor's field in the shape the file sends it: the owner as user:<id> or team:<id>, headers as pairs. */
function asSent(field: string, value: unknown): unknown {
  if (field === 'owner' && value && typeof value === 'object') {
    const { type, id } = value as { type?: unknown; id?: unknown };
    return `${String(type)}:${String(id)}`;
  }
  // Monitors made before Sentry allowed a header name twice list their headers as an object.
  if (field === 'headers' && value && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value);
  return value;
}

async function applyOne(t: Target, found: Listed | undefined, api: SentryApi): Promise<'created' | 'updated' | 'unchanged'> {
  const changed = found && changedFields(t, found);
  if (found && changed?.length === 0) {
    console.log(`unchanged ${t.kind} "${t.name}" in ${t.project} (id ${found.id})`);
    return 'unchanged';
  }
  const request: ApiRequest = found
    ? { method: 'PUT', url: `${t.collection}${encodeURIComponent(found.id)}/`, body: t.body }
    : { method: 'POST', url: t.collection, body: t.body };
  const { body } = await api.send(request);
  const id = (body as { id?: unknown } | undefined)?.id ?? found?.id ?? '?';
  const differed = changed ? `: ${changed.join(', ')} differed` : '';
  console.log(`${found ? 'updated' : 'created'} ${t.kind} "${t.name}" in ${t.project} (id ${String(id)})${differed}`);
  return found ? 'updated' : 'created';
}

async function apply(planned: Target[], skipped: number, api: SentryApi): Promise<void> {
  const existing = new Map<string, Listed[]>();
  for (const url of new Set(planned.map((t) => t.listing))) existing.set(url, await api.list(url));
  const counts = { created: 0, updated: 0, unchanged: 0 };
  for (const t of planned) {
    const found = existing.get(t.listing)!.find((listed) => isTarget(t, listed));
    counts[await applyOne(t, found, api)]++;
  }
  console.log(`Done: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${skipped} skipped.`);
}

async function main(): Promise<void> {
  let options: { 'dry-run'?: boolean; file?: string; help?: boolean };
  try {
    ({ values: options } = parseArgs({
      options: { 'dry-run': { type: 'boolean' }, file: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    throw new RunError(`${(err as Error).message}\n${USAGE}`, 2);
  }
  if (options.help) return void console.log(USAGE);
  const root = repoRoot();
  const file = options.file ? resolve(options.file) : join(root, 'observability', 'sentry', 'alert-rules.json');
  const settings = readSettings({ ...readDotEnv(), ...process.env });
  const token = settings.SENTRY_AUTH_TOKEN;
  const api = (settings.SENTRY_URL ?? DEFAULT_URL).replace(/\/+$/, '');
  // A dry run shows what would be sent without needing the token.
  if (!token && !options['dry-run']) {
    throw new RunError(
      'SENTRY_AUTH_TOKEN is not set: create an auth token with the alerts:write scope and set it in the environment or .env.',
      2,
    );
  }
  const rules = readRules(file);
  const { planned, skipped } = plan(rules, settings, api);
  const shown = relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file);
  console.log(
    `${rules.issueAlerts.length + rules.metricAlerts.length} Sentry alert rules and ${rules.uptimeMonitors.length} uptime monitors ` +
      `from ${shown}, for organization ${settings.SENTRY_ORG} at ${api}`,
  );
  printSkipped(skipped);
  if (options['dry-run'] || !token) return dryRun(planned, token);
  redact = (text: string) => text.split(token).join(REDACTED);
  await apply(planned, skipped.length, new SentryApi(token));
}

main().catch((err: unknown) => {
  console.error(redact(err instanceof RunError ? err.message : `sentry:alerts failed: ${(err as Error).stack ?? String(err)}`));
  process.exit(err instanceof RunError ? err.exitCode : 1);
});
