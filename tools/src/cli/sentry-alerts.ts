/**
 * `npm run sentry:alerts`: applies the Sentry alert rules in observability/sentry/alert-rules.json
 * through Sentry's API, creating the rules a project lacks and updating those it has (matched by
 * name), so running it again changes nothing that is already right.
 *
 *   npm run sentry:alerts -- --dry-run          # prints every request it would make, sends none
 *   npm run sentry:alerts                       # applies them
 *   npm run sentry:alerts -- --file my-rules.json
 *
 * Settings, from the environment or .env in the working directory: SENTRY_AUTH_TOKEN (scope
 * alerts:write), SENTRY_ORG, SENTRY_PROJECT (for rules that name no project of their own) and
 * SENTRY_URL (default https://sentry.io).
 * Exit codes: 0 applied (or printed), 1 Sentry answered an error or could not be reached,
 * 2 the run could not start (a setting, the rules file or the arguments).
 */
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
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

const uniqueNames = (rules: { name: string }[]) => new Set(rules.map((r) => r.name)).size === rules.length;

const alertRulesSchema = z.strictObject({
  $comment: z.string().optional(),
  issueAlerts: z.array(issueAlertSchema).refine(uniqueNames, 'names must be unique: rules are matched to Sentry by name'),
  metricAlerts: z.array(metricAlertSchema).refine(uniqueNames, 'names must be unique: rules are matched to Sentry by name'),
});

type AlertRules = z.infer<typeof alertRulesSchema>;

const settingsSchema = envSchema.pick({ SENTRY_AUTH_TOKEN: true, SENTRY_ORG: true, SENTRY_PROJECT: true, SENTRY_URL: true });
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

interface Target {
  kind: 'issue alert' | 'metric alert';
  name: string;
  project: string;
  /** Where the existing rules are listed, and where a new one is created. */
  collection: string;
  body: Record<string, unknown>;
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

function targets(rules: AlertRules, settings: Settings, api: string): Target[] {
  const org = settings.SENTRY_ORG;
  if (!org) throw new RunError('SENTRY_ORG is not set: give the slug of your Sentry organization, in the environment or .env.', 2);
  const projectFor = (name: string, own: string | undefined) => {
    const project = own ?? settings.SENTRY_PROJECT;
    if (!project)
      throw new RunError(
        `SENTRY_PROJECT is not set, and the rule "${name}" names no project of its own: set it in the environment or .env.`,
        2,
      );
    return project;
  };
  const orgPath = `${api}/api/0/organizations/${encodeURIComponent(org)}`;
  return [
    ...rules.issueAlerts.map(({ project: own, ...body }): Target => {
      const project = projectFor(body.name, own);
      return {
        kind: 'issue alert',
        name: body.name,
        project,
        collection: `${api}/api/0/projects/${encodeURIComponent(org)}/${encodeURIComponent(project)}/rules/`,
        body,
      };
    }),
    ...rules.metricAlerts.map((rule): Target => {
      const project = projectFor(rule.name, rule.projects?.[0]);
      return {
        kind: 'metric alert',
        name: rule.name,
        project,
        collection: `${orgPath}/alert-rules/`,
        body: { ...rule, projects: [project] },
      };
    }),
  ];
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
      const hint = res.status === 401 || res.status === 403 ? ' (check SENTRY_AUTH_TOKEN and that it has the alerts:write scope)' : '';
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

  /** Every rule of a list endpoint, following Sentry's cursor pages. */
  async list(url: string): Promise<{ id: string; name: string; projects?: string[] }[]> {
    const all: { id: string; name: string; projects?: string[] }[] = [];
    let next: string | undefined = url;
    for (let page = 0; next && page < MAX_PAGES; page++) {
      const { body, link } = await this.send({ method: 'GET', url: next });
      if (!Array.isArray(body)) throw new RunError(`Sentry answered GET ${next} with something other than a list of rules`, 1);
      all.push(...(body as { id: string | number; name: string; projects?: string[] }[]).map((r) => ({ ...r, id: String(r.id) })));
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

function dryRun(planned: Target[], token: string | undefined): void {
  console.log('Dry run: nothing is sent. A real run makes these requests (the token redacted):\n');
  for (const url of new Set(planned.map((t) => t.collection)))
    printRequest({ method: 'GET', url }, 'lists the existing rules, page by page');
  for (const t of planned) {
    printRequest(
      { method: 'POST', url: t.collection, body: t.body },
      `or PUT ${t.collection}<id>/ with the same body when the ${t.kind} "${t.name}" already exists in ${t.project}`,
    );
  }
  if (!token) console.log('SENTRY_AUTH_TOKEN is not set: a real run needs it.');
}

async function apply(planned: Target[], api: SentryApi): Promise<void> {
  const existing = new Map<string, Awaited<ReturnType<SentryApi['list']>>>();
  for (const url of new Set(planned.map((t) => t.collection))) existing.set(url, await api.list(url));
  const counts = { created: 0, updated: 0 };
  for (const t of planned) {
    // Metric alerts are listed for the whole organization: the same name may exist in another project.
    const found = existing
      .get(t.collection)!
      .find((r) => r.name === t.name && (t.kind === 'issue alert' || (r.projects ?? []).includes(t.project)));
    const request: ApiRequest = found
      ? { method: 'PUT', url: `${t.collection}${encodeURIComponent(found.id)}/`, body: t.body }
      : { method: 'POST', url: t.collection, body: t.body };
    const { body } = await api.send(request);
    const id = (body as { id?: unknown } | undefined)?.id ?? found?.id ?? '?';
    console.log(`${found ? 'updated' : 'created'} ${t.kind} "${t.name}" in ${t.project} (id ${String(id)})`);
    counts[found ? 'updated' : 'created']++;
  }
  console.log(`Done: ${counts.created} created, ${counts.updated} updated.`);
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
  const planned = targets(readRules(file), settings, api);
  const shown = relative(process.cwd(), file).startsWith('..') ? file : relative(process.cwd(), file);
  console.log(`${planned.length} Sentry alert rules from ${shown}, for organization ${settings.SENTRY_ORG} at ${api}`);
  if (options['dry-run'] || !token) return dryRun(planned, token);
  redact = (text: string) => text.split(token).join(REDACTED);
  await apply(planned, new SentryApi(token));
}

main().catch((err: unknown) => {
  console.error(redact(err instanceof RunError ? err.message : `sentry:alerts failed: ${(err as Error).stack ?? String(err)}`));
  process.exit(err instanceof RunError ? err.exitCode : 1);
});
