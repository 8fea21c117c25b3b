/**
 * Alerts as code: promtool checks the Prometheus scrape config and alerting rules and runs their
 * unit tests, and a running platform proves that every metric, label and value the rules select on
 * is one the services really export, and that the Sentry rules filter on transactions and tags the
 * services really send.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';
import { SERVICES, type ServiceName } from '@casino/shared';
import { repoRoot } from '@casino/shared/launcher';
import { SentryIngest } from './support/ingest';
import { call, type RunningPlatform, startPlatform } from './support/platform';
import './support/timeout';

const PROMETHEUS = join(repoRoot(), 'observability', 'prometheus');
const MISSING_PROMTOOL =
  "promtool is not installed. Install Debian's prometheus package, which ships it: `apt-get install prometheus` " +
  '(.ci/run does this in CI). These checks must not be skipped.';

/** Runs promtool in observability/prometheus, so the files' relative paths resolve as Prometheus resolves them. */
function promtool(...args: string[]): string {
  const run = spawnSync('promtool', args, { cwd: PROMETHEUS, encoding: 'utf8', timeout: 60_000 });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error(MISSING_PROMTOOL);
  if (run.error) throw run.error;
  const output = `${run.stdout}${run.stderr}`;
  if (run.status !== 0) throw new Error(`promtool ${args.join(' ')} exited ${run.status}:\n${output}`);
  return output;
}

interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RuleTest {
  alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[];
}

const readYaml = <T>(file: string) => parseYaml(readFileSync(join(PROMETHEUS, file), 'utf8')) as T;
const alertRules = readYaml<{ groups: { rules: AlertRule[] }[] }>('alerts.yml').groups.flatMap((g) => g.rules);
const ruleTests = readYaml<{ tests: RuleTest[] }>('alerts.test.yml').tests.flatMap((t) => t.alert_rule_test ?? []);
const scrapeConfig = readYaml<{ scrape_configs: { job_name: string; static_configs: { targets: string[]; labels?: Record<string, string> }[] }[] }>('prometheus.yml');

interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}
interface Selector {
  metric: string;
  matchers: Matcher[];
}

/** A PromQL string literal's value: double-quoted strings escape as JSON does, raw strings not at all. */
function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  const body = literal.slice(1, -1);
  const json = literal.startsWith("'") ? `"${body.replace(/\\'/g, "'").replace(/"/g, '\\"')}"` : literal;
  try {
    return JSON.parse(json) as string;
  } catch {
    throw new Error(`cannot read the PromQL string ${literal}: keep escapes to those JSON shares with PromQL`);
  }
}

/** Every vector selector of a PromQL expression, read with Prometheus' own grammar (lezer-promql). */
function selectorsOf(expr: string): Selector[] {
  const found: Selector[] = [];
  const problems: string[] = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.type.isError) problems.push(`a syntax error at ${ref.from}`);
      if (ref.name === 'QuotedLabelName' || ref.name === 'QuotedLabelMatcher') problems.push('a quoted label name, which this check does not read');
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const identifier = node.getChild('Identifier');
      const selector: Selector = { metric: identifier ? expr.slice(identifier.from, identifier.to) : '', matchers: [] };
      for (const m of node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
        const [name, op, literal] = ['LabelName', 'MatchOp', 'StringLiteral'].map((type) => m.getChild(type));
        if (!name || !op || !literal) continue;
        const matcher: Matcher = { label: expr.slice(name.from, name.to), op: expr.slice(op.from, op.to) as Matcher['op'], value: unquote(expr.slice(literal.from, literal.to)) };
        if (matcher.label === '__name__' && matcher.op === '=') selector.metric = matcher.value;
        else selector.matchers.push(matcher);
      }
      if (!selector.metric) problems.push(`a selector with no metric name at ${ref.from}`);
      found.push(selector);
    },
  });
  if (problems.length) throw new Error(`cannot check ${JSON.stringify(expr)}: ${problems.join('; ')}`);
  return found;
}

/** Metric name → label → values seen, from one /metrics page. Histograms and summaries export their sample names too. */
type Exported = Map<string, Map<string, Set<string>>>;

function parseExposition(text: string): Exported {
  const exported: Exported = new Map();
  const entry = (name: string) => exported.get(name) ?? exported.set(name, new Map()).get(name)!;
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type as unknown as [string, string, string];
      const names = kind === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : kind === 'summary' ? [name, `${name}_sum`, `${name}_count`] : [name];
      names.forEach(entry);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
    if (!sample) continue;
    const labels = entry(sample[1]!);
    for (const [, label, value] of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      (labels.get(label!) ?? labels.set(label!, new Set()).get(label!)!).add(value!);
    }
  }
  return exported;
}

const matches = (m: Matcher, value: string) => (m.op.endsWith('~') ? new RegExp(`^(?:${m.value})$`).test(value) : m.value === value);

describe('Prometheus alerting rules', () => {
  test('when promtool checks the scrape config, then it is valid and loads the rules', () => {
    const output = promtool('check', 'config', 'prometheus.yml');

    expect(output).toContain('SUCCESS: prometheus.yml is valid prometheus config file syntax');
    expect(output).toContain(`SUCCESS: ${alertRules.length} rules found`);
  });

  test('when promtool checks the rules, then every one is valid', () => {
    expect(promtool('check', 'rules', 'alerts.yml')).toContain(`SUCCESS: ${alertRules.length} rules found`);
  });

  test('when promtool runs the rule unit tests, then they all pass', () => {
    expect(promtool('test', 'rules', 'alerts.test.yml')).toContain('SUCCESS');
  });

  test('when the rules are read, then each waits with for:, has a severity, and its summary and description name the service', () => {
    expect(alertRules.map((r) => r.alert).sort()).toEqual(
      ['CasinoHeapGrowing', 'CasinoLatencyP95High', 'CasinoPaymentFailureRatioHigh', 'CasinoServerErrorRatioHigh', 'CasinoServiceDown'].sort(),
    );
    for (const rule of alertRules) {
      expect({ alert: rule.alert, for: rule.for }).toEqual({ alert: rule.alert, for: expect.stringMatching(/^\d+[smh]$/) });
      expect({ alert: rule.alert, severity: rule.labels?.severity }).toEqual({ alert: rule.alert, severity: expect.stringMatching(/^(critical|warning)$/) });
      expect({ alert: rule.alert, summary: rule.annotations?.summary }).toEqual({ alert: rule.alert, summary: expect.stringContaining('{{ $labels.service }}') });
      expect({ alert: rule.alert, description: rule.annotations?.description }).toEqual({ alert: rule.alert, description: expect.stringContaining('{{ $labels.service }}') });
    }
  });

  test('when the unit tests are read, then each alert has a case where it fires and one where it stays quiet', () => {
    for (const { alert } of alertRules) {
      const cases = ruleTests.filter((t) => t.alertname === alert);
      expect({ alert, fires: cases.some((t) => (t.exp_alerts ?? []).length > 0), quiet: cases.some((t) => (t.exp_alerts ?? []).length === 0) }).toEqual({
        alert,
        fires: true,
        quiet: true,
      });
    }
  });
});

describe('the alert rules against a running platform', () => {
  const ingest = new SentryIngest();
  let platform: RunningPlatform;
  const exported = new Map<ServiceName, Exported>();

  beforeAll(async () => {
    await ingest.start();
    // The static lifecycle sends transactions, whose names the Sentry rules' queries filter on.
    platform = await startPlatform({ SENTRY_DSN: ingest.dsn(1), SENTRY_TRACE_LIFECYCLE: 'static' });
    // A journey that crosses all five services, so each exports request samples with their labels.
    const email = `alerts-${randomUUID()}@example.com`;
    const reg = await call<{ accessToken: string }>(platform.api, 'POST', '/auth/register', { body: { email, password: `Alerts-${randomUUID()}` } });
    const token = reg.body.accessToken;
    expect((await call(platform.api, 'POST', '/wallet/deposits', { token, key: randomUUID(), body: { amount: 5000 } })).status).toBe(201);
    expect((await call(platform.api, 'POST', '/games/lucky-sevens/spins', { token, key: randomUUID(), body: { stake: 100 } })).status).toBe(201);
    for (const service of SERVICES) {
      const res = await fetch(`http://127.0.0.1:${platform.ports[service]}/metrics`);
      expect(res.status).toBe(200);
      exported.set(service, parseExposition(await res.text()));
    }
  });

  afterAll(async () => {
    await platform?.stop();
    await ingest.stop();
  });

  test('when every selector of every rule is read, then its metric, labels and label values are ones the services export', () => {
    const jobs = scrapeConfig.scrape_configs.map((c) => c.job_name);
    const targetLabels = new Set(['job', 'instance', ...scrapeConfig.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => Object.keys(s.labels ?? {})))]);
    // Prometheus writes these for every target itself; no service exports them.
    const scrapeSeries = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added']);
    const problems: string[] = [];

    for (const rule of alertRules) {
      for (const { metric, matchers } of selectorsOf(rule.expr)) {
        const where = `${rule.alert}: ${metric}`;
        for (const m of matchers.filter((x) => x.label === 'job' && !x.op.startsWith('!'))) {
          if (!jobs.some((job) => matches(m, job))) problems.push(`${where}: job ${m.op} "${m.value}" names no job of prometheus.yml (${jobs.join(', ')})`);
        }
        if (scrapeSeries.has(metric)) {
          for (const m of matchers) if (!targetLabels.has(m.label)) problems.push(`${where}: label ${m.label} is not on a target of prometheus.yml`);
          continue;
        }
        // A rule that names a service must hold for that service; one that names none, for all five.
        const named = matchers.find((m) => m.label === 'service' && m.op === '=');
        const scope = named ? SERVICES.filter((s) => s === named.value) : SERVICES;
        if (named && scope.length === 0) problems.push(`${where}: service "${named.value}" is not one of ${SERVICES.join(', ')}`);
        for (const service of scope) {
          const labels = exported.get(service)!.get(metric);
          if (!labels) {
            problems.push(`${where}: ${service} does not export it`);
            continue;
          }
          for (const m of matchers) {
            if (!labels.has(m.label) && !targetLabels.has(m.label) && m.label !== 'le') problems.push(`${where}: ${service} exports no label ${m.label}`);
            // Values the journey must have produced: a selector on a route or method that no request ever has is a typo.
            if (['service', 'method', 'route'].includes(m.label) && !m.op.startsWith('!') && ![...(labels.get(m.label) ?? [])].some((v) => matches(m, v))) {
              problems.push(`${where}: no ${m.label} that ${service} exports matches ${m.op} "${m.value}" (it has ${[...(labels.get(m.label) ?? [])].join(', ')})`);
            }
          }
        }
      }
    }

    expect(problems).toEqual([]);
  });

  test('when the Sentry rules are read, then the transactions they query and the services they filter on are ones the platform sends', async () => {
    const sentryRules = JSON.parse(readFileSync(join(repoRoot(), 'observability', 'sentry', 'alert-rules.json'), 'utf8')) as {
      issueAlerts: { filters?: { id: string; key?: string; value?: string }[] }[];
      metricAlerts: { query: string }[];
    };
    const transactions = sentryRules.metricAlerts.flatMap((r) => [...r.query.matchAll(/transaction:"([^"]+)"/g)].map((m) => m[1]!));
    const services = sentryRules.issueAlerts.flatMap((r) => (r.filters ?? []).filter((f) => f.key === 'service').map((f) => f.value));

    expect(transactions.length).toBeGreaterThan(0);
    for (const name of new Set(transactions)) {
      await ingest.waitFor(`a transaction named ${name}`, () => ingest.transactions().find((t) => t.event.transaction === name));
    }
    for (const service of services) expect(SERVICES).toContain(service);
  });
});
