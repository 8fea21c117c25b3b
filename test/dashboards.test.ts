/**
 * Dashboards as code: the Grafana dashboards of observability/grafana/dashboards are valid, query
 * the provisioned Prometheus data source by its uid, use only template variables they define, and a
 * running platform proves that every metric, label and value their panels (and the alert rules)
 * select on is one the services really export.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SERVICES, type ServiceName } from '@casino/shared';
import { repoRoot } from '@casino/tools/launcher';
import { call, type RunningPlatform, startPlatform } from './support/platform';
import {
  type Exported,
  labelValues,
  PROMETHEUS_DIR,
  readScrapeTargets,
  scrapeServices,
  type ScrapeTargets,
  selectorProblems,
  selectorsOf,
} from './support/promql';
import './support/timeout';

const GRAFANA = join(repoRoot(), 'observability', 'grafana');
const DASHBOARDS = join(GRAFANA, 'dashboards');
/** The uid of the provisioned data source (provisioning/datasources/prometheus.yml), which every panel names. */
const DATASOURCE_UID = 'prometheus';

interface DataSourceRef {
  type?: string;
  uid?: string;
}
interface Target {
  refId?: string;
  expr?: string;
  datasource?: DataSourceRef;
}
interface Panel {
  id?: number;
  type?: string;
  title?: string;
  datasource?: DataSourceRef;
  targets?: Target[];
  gridPos?: { h: number; w: number; x: number; y: number };
  /** A collapsed row keeps its panels here. */
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  datasource?: DataSourceRef;
  query?: string | { query?: string };
  includeAll?: boolean;
  allValue?: string;
}
interface Dashboard {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  panels?: Panel[];
  templating?: { list?: Variable[] };
}

const dashboards = readdirSync(DASHBOARDS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => {
    const text = readFileSync(join(DASHBOARDS, file), 'utf8');
    try {
      return { file, dashboard: JSON.parse(text) as Dashboard };
    } catch (err) {
      throw new Error(`observability/grafana/dashboards/${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
  });

/** The panels that show data: rows are only headings, and a collapsed row holds its panels. */
const panelsOf = (d: Dashboard): Panel[] => (d.panels ?? []).flatMap((p) => (p.type === 'row' ? (p.panels ?? []) : [p]));
const variablesOf = (d: Dashboard): Variable[] => d.templating?.list ?? [];
const queryOf = (v: Variable): string => (typeof v.query === 'string' ? v.query : (v.query?.query ?? ''));

/** Grafana's own variables: PromQL ranges and the value of an "All" option. */
const BUILT_IN = new Map([
  ['__rate_interval', '5m'],
  ['__interval', '1m'],
  ['__range', '1h'],
  ['__interval_ms', '60000'],
  ['__range_s', '3600'],
  ['__range_ms', '3600000'],
  ['__all', '.*'],
]);

/** Every variable a string refers to, in any of Grafana's three syntaxes: $name, ${name[:format]}, [[name]]. */
const REFERENCE = /\$(\w+)|\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]/g;
const referencesIn = (text: string): string[] => [...text.matchAll(REFERENCE)].map((m) => (m[1] ?? m[2] ?? m[3])!);

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** A regular expression matching exactly these values, written as it goes into a PromQL double-quoted string. */
const alternation = (values: string[]): string =>
  values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\/g, '\\\\')).join('|');

/** An expression with its variables filled in: a user variable by every value it can take, as Grafana fills "All". */
function expand(expr: string, values: Map<string, string>): string {
  return expr.replace(REFERENCE, (whole: string, a?: string, b?: string, c?: string) => {
    const name = (a ?? b ?? c)!;
    return values.get(name) ?? BUILT_IN.get(name) ?? whole;
  });
}

/** `label_values(<selector>, <label>)`, the Prometheus variable query the dashboards use. */
function labelValuesQuery(query: string): { selector: string; label: string } | undefined {
  const m = /^\s*label_values\(\s*(.+)\s*,\s*([a-zA-Z_]\w*)\s*\)\s*$/s.exec(query);
  return m ? { selector: m[1]!, label: m[2]! } : undefined;
}

/**
 * What is wrong with a dashboard's queries against what the platform exports: each problem names the
 * dashboard, the panel (or variable) and the metric. Variables are resolved first, in order, and
 * each fills the expressions after it with every value it can take.
 */
function dashboardProblems(file: string, dashboard: Dashboard, exported: Map<ServiceName, Exported>, scrape: ScrapeTargets): string[] {
  const problems: string[] = [];
  const values = new Map<string, string>();
  const name = `${file} ("${dashboard.title}")`;
  for (const variable of variablesOf(dashboard)) {
    const where = `${name} › variable $${variable.name}`;
    if (variable.type === 'custom') {
      values.set(
        variable.name,
        alternation(
          queryOf(variable)
            .split(',')
            .map((v) => v.trim()),
        ),
      );
      continue;
    }
    if (variable.type !== 'query') {
      problems.push(`${where}: a ${variable.type} variable, which this check does not read`);
      continue;
    }
    const query = labelValuesQuery(expand(queryOf(variable), values));
    if (!query) {
      problems.push(`${where}: its query ${JSON.stringify(queryOf(variable))} is not label_values(<selector>, <label>)`);
      continue;
    }
    problems.push(...selectorProblems(where, query.selector, exported, scrape));
    const selectors = (() => {
      try {
        return selectorsOf(query.selector);
      } catch {
        return []; // selectorProblems said why
      }
    })();
    if (selectors.length !== 1) {
      problems.push(`${where}: label_values() takes one selector, not ${JSON.stringify(query.selector)}`);
      continue;
    }
    const resolved = labelValues(selectors[0]!, query.label, exported, scrape);
    if (resolved.length === 0) problems.push(`${where}: ${selectors[0]!.metric} has no ${query.label} label with a value`);
    values.set(variable.name, alternation(resolved));
  }
  for (const panel of panelsOf(dashboard)) {
    for (const target of panel.targets ?? []) {
      const where = `${name} › panel "${panel.title}" › query ${target.refId}`;
      problems.push(...selectorProblems(where, expand(target.expr ?? '', values), exported, scrape));
    }
  }
  return problems;
}

interface AlertRule {
  alert: string;
  expr: string;
}
const alertRules = (
  parseYaml(readFileSync(join(PROMETHEUS_DIR, 'alerts.yml'), 'utf8')) as { groups: { rules: AlertRule[] }[] }
).groups.flatMap((g) => g.rules);

describe('the Grafana dashboards as files', () => {
  test('when the dashboards folder is read, then it holds the RED, business KPI and Node.js runtime dashboards', () => {
    expect(dashboards.map((d) => d.file)).toEqual(expect.arrayContaining(['red.json', 'casino-kpis.json', 'node-runtime.json']));
  });

  test('when each dashboard is read, then it has a fixed uid, a title, a schema version and placed panels with unique ids', () => {
    for (const { file, dashboard } of dashboards) {
      expect({ file, uid: dashboard.uid, title: dashboard.title, schemaVersion: dashboard.schemaVersion }).toEqual({
        file,
        uid: expect.stringMatching(/^[a-zA-Z0-9_-]{1,40}$/),
        title: expect.stringMatching(/\S/),
        schemaVersion: expect.any(Number),
      });
      expect({ file, schemaVersion: dashboard.schemaVersion! >= 36 }).toEqual({ file, schemaVersion: true });
      const panels = panelsOf(dashboard);
      expect({ file, panels: panels.length > 0 }).toEqual({ file, panels: true });
      const ids = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]).map((p) => p.id);
      expect({ file, ids: new Set(ids).size === ids.length && ids.every((id) => typeof id === 'number') }).toEqual({ file, ids: true });
      for (const panel of dashboard.panels ?? []) {
        expect({ file, panel: panel.title, gridPos: panel.gridPos }).toEqual({
          file,
          panel: panel.title,
          gridPos: { h: expect.any(Number), w: expect.any(Number), x: expect.any(Number), y: expect.any(Number) },
        });
      }
    }
    const uids = dashboards.map((d) => d.dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    const titles = dashboards.map((d) => d.dashboard.title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  test('when each panel and variable is read, then it queries the Prometheus data source by its uid, with PromQL', () => {
    const problems: string[] = [];
    const prometheus = (ref: DataSourceRef | undefined) => ref?.uid === DATASOURCE_UID && ref.type === 'prometheus';
    for (const { file, dashboard } of dashboards) {
      for (const panel of panelsOf(dashboard)) {
        const where = `${file} › panel "${panel.title}"`;
        if (!panel.title) problems.push(`${where}: no title`);
        if (!prometheus(panel.datasource))
          problems.push(`${where}: data source ${JSON.stringify(panel.datasource)}, not { type: prometheus, uid: ${DATASOURCE_UID} }`);
        const targets = panel.targets ?? [];
        if (targets.length === 0) problems.push(`${where}: no queries`);
        const refIds = targets.map((t) => t.refId);
        if (new Set(refIds).size !== refIds.length) problems.push(`${where}: refIds ${refIds.join(', ')} repeat`);
        for (const target of targets) {
          if (!target.expr?.trim()) problems.push(`${where} › query ${target.refId}: no expr`);
          if (target.datasource && !prometheus(target.datasource))
            problems.push(`${where} › query ${target.refId}: data source ${JSON.stringify(target.datasource)}`);
        }
      }
      for (const variable of variablesOf(dashboard).filter((v) => v.type === 'query')) {
        if (!prometheus(variable.datasource))
          problems.push(`${file} › variable $${variable.name}: data source ${JSON.stringify(variable.datasource)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('when the template variables are read, then every one a dashboard refers to is defined and every one defined is used', () => {
    const problems: string[] = [];
    for (const { file, dashboard } of dashboards) {
      const defined = variablesOf(dashboard).map((v) => v.name);
      // Everything but the variables' own definitions (whose `current` holds $__all) must resolve.
      const { templating: _templating, ...rest } = dashboard;
      const used = new Set(referencesIn(stringsIn(rest).join('\n')));
      for (const variable of variablesOf(dashboard)) for (const name of referencesIn(queryOf(variable))) used.add(name);
      for (const name of used) {
        if (!defined.includes(name) && !BUILT_IN.has(name))
          problems.push(
            `${file}: $${name} is used, but the dashboard defines ${defined.length ? defined.map((d) => `$${d}`).join(', ') : 'no variables'}`,
          );
      }
      for (const name of defined) if (!used.has(name)) problems.push(`${file}: $${name} is defined, but no panel uses it`);
      if (new Set(defined).size !== defined.length) problems.push(`${file}: variables ${defined.join(', ')} repeat`);
    }
    expect(problems).toEqual([]);
  });

  test('when the provisioning is read, then Grafana gets the Prometheus data source the dashboards name and loads them into the Casino folder', () => {
    const readProvisioning = <T>(file: string) => parseYaml(readFileSync(join(GRAFANA, 'provisioning', file), 'utf8')) as T;
    const { datasources } = readProvisioning<{ datasources: Record<string, unknown>[] }>('datasources/prometheus.yml');
    expect(datasources).toEqual([
      expect.objectContaining({
        name: 'Prometheus',
        uid: DATASOURCE_UID,
        type: 'prometheus',
        url: 'http://prometheus:9090',
        isDefault: true,
      }),
    ]);
    const { providers } = readProvisioning<{ providers: { type: string; folder: string; options: { path: string } }[] }>(
      'dashboards/casino.yml',
    );
    expect(providers).toEqual([
      expect.objectContaining({
        type: 'file',
        folder: 'Casino',
        options: expect.objectContaining({ path: '/var/lib/grafana/dashboards' }),
      }),
    ]);
  });
});

describe('the dashboards and alert rules against a running platform', () => {
  let platform: RunningPlatform;
  let exported: Map<ServiceName, Exported>;
  const scrape = readScrapeTargets();

  beforeAll(async () => {
    platform = await startPlatform();
    // Traffic through all five services that gives every business counter the labels the panels select on.
    const api = platform.api;
    const email = `dashboards-${randomUUID()}@example.com`;
    const password = `Dashboards-${randomUUID()}`;
    expect((await call(api, 'POST', '/auth/register', { body: { email, password } })).status).toBe(201);
    const login = await call<{ accessToken: string }>(api, 'POST', '/auth/login', { body: { email, password } });
    expect(login.status).toBe(200);
    const token = login.body.accessToken;
    expect((await call(api, 'POST', '/wallet/deposits', { token, key: randomUUID(), body: { amount: 10_000 } })).status).toBe(201);
    expect((await call(api, 'POST', '/bonuses/offers/welcome-100/claim', { token, body: {} })).status).toBe(201);
    // Fruit Fiesta hits two spins in three: spin until one wins, so wins are counted too.
    let won = false;
    for (let i = 0; i < 30 && !won; i++) {
      const spin = await call<{ win: number }>(api, 'POST', '/games/fruit-fiesta/spins', { token, key: randomUUID(), body: { stake: 10 } });
      expect(spin.status).toBe(201);
      won = spin.body.win > 0;
    }
    expect(won).toBe(true);
    // Withdrawing with the bonus still open forfeits it.
    expect(
      (await call(api, 'POST', '/wallet/withdrawals', { token, key: randomUUID(), body: { amount: 100, forfeitBonus: true } })).status,
    ).toBe(201);
    exported = await scrapeServices(platform.ports);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  test('when every panel query is read with its variables filled in, then each metric, label and label value is one the services export', () => {
    expect(dashboards.flatMap(({ file, dashboard }) => dashboardProblems(file, dashboard, exported, scrape))).toEqual([]);
  });

  test('when every alert rule is read, then each metric, label and label value is one the services export', () => {
    expect(alertRules.flatMap((rule) => selectorProblems(`alerts.yml › ${rule.alert}`, rule.expr, exported, scrape))).toEqual([]);
  });

  test('when the $service variable is resolved, then it lists the five services', () => {
    for (const { file, dashboard } of dashboards) {
      const variable = variablesOf(dashboard).find((v) => v.name === 'service');
      if (!variable) continue;
      const query = labelValuesQuery(queryOf(variable))!;
      expect({ file, services: labelValues(selectorsOf(query.selector)[0]!, query.label, exported, scrape) }).toEqual({
        file,
        services: [...SERVICES].sort(),
      });
    }
  });

  test('when a panel names a metric, label or service that is not exported, then the check names the dashboard, panel and metric', () => {
    const broken: Dashboard = {
      uid: 'broken',
      title: 'Broken',
      templating: { list: [{ name: 'service', type: 'query', query: 'label_values(up{job="casino"}, service)' }] },
      panels: [
        {
          type: 'timeseries',
          title: 'Typo',
          targets: [{ refId: 'A', expr: 'sum(rate(casino_bet_total{service=~"$service"}[$__rate_interval]))' }],
        },
        { type: 'timeseries', title: 'Wrong service', targets: [{ refId: 'B', expr: 'casino_bets_total{service="payment"}' }] },
        { type: 'timeseries', title: 'No such label', targets: [{ refId: 'C', expr: 'nodejs_heap_size_used_bytes{pod=~"$service"}' }] },
        {
          type: 'timeseries',
          title: 'Not PromQL',
          targets: [{ refId: 'D', expr: 'rate(http_server_request_duration_seconds_count[$__rate_interval]' }],
        },
      ],
    };

    const problems = dashboardProblems('broken.json', broken, exported, scrape);

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^broken\.json \("Broken"\) › panel "Typo" › query A: casino_bet_total: gateway does not export it$/),
        'broken.json ("Broken") › panel "Wrong service" › query B: casino_bets_total: payment does not export it',
        expect.stringMatching(
          /^broken\.json \("Broken"\) › panel "No such label" › query C: nodejs_heap_size_used_bytes: \w+ exports no label pod$/,
        ),
        expect.stringMatching(/^broken\.json \("Broken"\) › panel "Not PromQL" › query D: cannot check/),
      ]),
    );
    // Five services lack the misspelt metric; the others are one each per service or one per query.
    expect(problems.filter((p) => p.includes('casino_bet_total'))).toHaveLength(SERVICES.length);
  });
});
