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
import { parse as parseYaml } from 'yaml';
import { SERVICES, type ServiceName } from '@casino/shared';
import { repoRoot } from '@casino/tools/launcher';
import { SentryIngest } from './support/ingest';
import { call, type RunningPlatform, startPlatform } from './support/platform';
import { type Exported, PROMETHEUS_DIR as PROMETHEUS, readScrapeTargets, scrapeServices, selectorProblems } from './support/promql';
import './support/timeout';

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
      [
        'CasinoHeapGrowing',
        'CasinoLatencyP95High',
        'CasinoPaymentFailureRatioHigh',
        'CasinoServerErrorRatioHigh',
        'CasinoServiceDown',
      ].sort(),
    );
    for (const rule of alertRules) {
      expect({ alert: rule.alert, for: rule.for }).toEqual({ alert: rule.alert, for: expect.stringMatching(/^\d+[smh]$/) });
      expect({ alert: rule.alert, severity: rule.labels?.severity }).toEqual({
        alert: rule.alert,
        severity: expect.stringMatching(/^(critical|warning)$/),
      });
      expect({ alert: rule.alert, summary: rule.annotations?.summary }).toEqual({
        alert: rule.alert,
        summary: expect.stringContaining('{{ $labels.service }}'),
      });
      expect({ alert: rule.alert, description: rule.annotations?.description }).toEqual({
        alert: rule.alert,
        description: expect.stringContaining('{{ $labels.service }}'),
      });
    }
  });

  test('when the unit tests are read, then each alert has a case where it fires and one where it stays quiet', () => {
    for (const { alert } of alertRules) {
      const cases = ruleTests.filter((t) => t.alertname === alert);
      expect({
        alert,
        fires: cases.some((t) => (t.exp_alerts ?? []).length > 0),
        quiet: cases.some((t) => (t.exp_alerts ?? []).length === 0),
      }).toEqual({
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
  let exported: Map<ServiceName, Exported>;

  beforeAll(async () => {
    await ingest.start();
    // The static lifecycle sends transactions, whose names the Sentry rules' queries filter on.
    platform = await startPlatform({ SENTRY_DSN: ingest.dsn(1), SENTRY_TRACE_LIFECYCLE: 'static' });
    // A journey that crosses all five services, so each exports request samples with their labels.
    const email = `alerts-${randomUUID()}@example.com`;
    const reg = await call<{ accessToken: string }>(platform.api, 'POST', '/auth/register', {
      body: { email, password: `Alerts-${randomUUID()}` },
    });
    const token = reg.body.accessToken;
    expect((await call(platform.api, 'POST', '/wallet/deposits', { token, key: randomUUID(), body: { amount: 5000 } })).status).toBe(201);
    expect((await call(platform.api, 'POST', '/games/lucky-sevens/spins', { token, key: randomUUID(), body: { stake: 100 } })).status).toBe(
      201,
    );
    exported = await scrapeServices(platform.ports);
  });

  afterAll(async () => {
    await platform?.stop();
    await ingest.stop();
  });

  test('when every selector of every rule is read, then its metric, labels and label values are ones the services export', () => {
    const scrape = readScrapeTargets();
    const problems = alertRules.flatMap((rule) => selectorProblems(rule.alert, rule.expr, exported, scrape));

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
