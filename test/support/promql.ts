/**
 * Checks PromQL against what the services really export: the selectors of an expression, read with
 * Prometheus' own grammar (lezer-promql), against the /metrics pages of a running platform and the
 * targets of observability/prometheus/prometheus.yml. The alert rules (alerts.test.ts) and the
 * Grafana dashboards (dashboards.test.ts) are checked by this one implementation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';
import { SERVICES, type ServiceName } from '@casino/shared';
import { repoRoot } from '@casino/tools/launcher';

export const PROMETHEUS_DIR = join(repoRoot(), 'observability', 'prometheus');

export interface Matcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}
export interface Selector {
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
export function selectorsOf(expr: string): Selector[] {
  const found: Selector[] = [];
  const problems: string[] = [];
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.type.isError) problems.push(`a syntax error at ${ref.from}`);
      if (ref.name === 'QuotedLabelName' || ref.name === 'QuotedLabelMatcher')
        problems.push('a quoted label name, which this check does not read');
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const identifier = node.getChild('Identifier');
      const selector: Selector = { metric: identifier ? expr.slice(identifier.from, identifier.to) : '', matchers: [] };
      for (const m of node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? []) {
        const [name, op, literal] = ['LabelName', 'MatchOp', 'StringLiteral'].map((type) => m.getChild(type));
        if (!name || !op || !literal) continue;
        const matcher: Matcher = {
          label: expr.slice(name.from, name.to),
          op: expr.slice(op.from, op.to) as Matcher['op'],
          value: unquote(expr.slice(literal.from, literal.to)),
        };
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
export type Exported = Map<string, Map<string, Set<string>>>;

export function parseExposition(text: string): Exported {
  const exported: Exported = new Map();
  const entry = (name: string) => exported.get(name) ?? exported.set(name, new Map()).get(name)!;
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type as unknown as [string, string, string];
      const names =
        kind === 'histogram'
          ? [`${name}_bucket`, `${name}_sum`, `${name}_count`]
          : kind === 'summary'
            ? [name, `${name}_sum`, `${name}_count`]
            : [name];
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

export const matches = (m: Matcher, value: string): boolean => {
  const hit = m.op.endsWith('~') ? new RegExp(`^(?:${m.value})$`).test(value) : m.value === value;
  return m.op.startsWith('!') ? !hit : hit;
};

/** Scrapes every service's /metrics. */
export async function scrapeServices(ports: Record<ServiceName, number>): Promise<Map<ServiceName, Exported>> {
  const exported = new Map<ServiceName, Exported>();
  for (const service of SERVICES) {
    const res = await fetch(`http://127.0.0.1:${ports[service]}/metrics`);
    if (res.status !== 200) throw new Error(`GET /metrics of ${service} answered ${res.status}`);
    const metrics = parseExposition(await res.text());
    // Prometheus gives every series it scrapes from a target that target's `service` label
    // (prometheus.yml), so each metric a service exports carries its name, even one with no sample yet.
    for (const labels of metrics.values()) (labels.get('service') ?? labels.set('service', new Set()).get('service')!).add(service);
    exported.set(service, metrics);
  }
  return exported;
}

/** The scrape targets of prometheus.yml: the labels Prometheus gives the series it scrapes from each. */
export interface ScrapeTargets {
  jobs: string[];
  /** One label set per target: job, instance, and the static labels. */
  targets: Record<string, string>[];
  /** Every label name a target carries. */
  labels: Set<string>;
}

export function readScrapeTargets(): ScrapeTargets {
  const config = parseYaml(readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as {
    scrape_configs: { job_name: string; static_configs: { targets: string[]; labels?: Record<string, string> }[] }[];
  };
  const targets = config.scrape_configs.flatMap((c) =>
    c.static_configs.flatMap((s) => s.targets.map((instance) => ({ job: c.job_name, instance, ...(s.labels ?? {}) }))),
  );
  return { jobs: config.scrape_configs.map((c) => c.job_name), targets, labels: new Set(targets.flatMap((t) => Object.keys(t))) };
}

/** Prometheus writes these for every target itself; no service exports them. */
export const SCRAPE_SERIES = new Set([
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
]);

/** The services a selector can select from: those every `service` matcher lets through. */
function scopeOf(matchers: Matcher[]): ServiceName[] {
  return SERVICES.filter((s) => matchers.every((m) => m.label !== 'service' || matches(m, s)));
}

/**
 * What is wrong with an expression's selectors, each problem starting with `where` and the metric:
 * a metric, label or label value that the services do not export (or, for `up` and the other scrape
 * series, that no target of prometheus.yml has). A selector that names services must hold for each
 * of them; one that names none, for all five.
 */
export function selectorProblems(where: string, expr: string, exported: Map<ServiceName, Exported>, scrape: ScrapeTargets): string[] {
  let selectors: Selector[];
  try {
    selectors = selectorsOf(expr);
  } catch (err) {
    return [`${where}: ${(err as Error).message}`];
  }
  const problems: string[] = [];
  for (const { metric, matchers } of selectors) {
    const at = `${where}: ${metric}`;
    for (const m of matchers.filter((x) => x.label === 'job' && !x.op.startsWith('!'))) {
      if (!scrape.jobs.some((job) => matches(m, job)))
        problems.push(`${at}: job ${m.op} "${m.value}" names no job of prometheus.yml (${scrape.jobs.join(', ')})`);
    }
    if (SCRAPE_SERIES.has(metric)) {
      for (const m of matchers)
        if (!scrape.labels.has(m.label)) problems.push(`${at}: label ${m.label} is not on a target of prometheus.yml`);
      continue;
    }
    const scope = scopeOf(matchers);
    if (scope.length === 0) problems.push(`${at}: its service matchers let none of ${SERVICES.join(', ')} through`);
    for (const service of scope) {
      const labels = exported.get(service)!.get(metric);
      if (!labels) {
        problems.push(`${at}: ${service} does not export it`);
        continue;
      }
      for (const m of matchers) {
        if (!labels.has(m.label) && !scrape.labels.has(m.label) && m.label !== 'le')
          problems.push(`${at}: ${service} exports no label ${m.label}`);
        // Values the traffic must have produced: a selector on a route or method that no request ever has is a typo.
        if (
          ['service', 'method', 'route'].includes(m.label) &&
          !m.op.startsWith('!') &&
          ![...(labels.get(m.label) ?? [])].some((v) => matches(m, v))
        ) {
          problems.push(
            `${at}: no ${m.label} that ${service} exports matches ${m.op} "${m.value}" (it has ${[...(labels.get(m.label) ?? [])].join(', ')})`,
          );
        }
      }
    }
  }
  return problems;
}

/**
 * The values of `label` on the series a selector selects, as Grafana's label_values() lists them:
 * for a scrape series, from the targets of prometheus.yml; otherwise from what the services export.
 */
export function labelValues(
  { metric, matchers }: Selector,
  label: string,
  exported: Map<ServiceName, Exported>,
  scrape: ScrapeTargets,
): string[] {
  const values = new Set<string>();
  if (SCRAPE_SERIES.has(metric)) {
    for (const target of scrape.targets) {
      if (matchers.every((m) => matches(m, target[m.label] ?? '')) && target[label] !== undefined) values.add(target[label]);
    }
  } else {
    for (const service of scopeOf(matchers)) for (const value of exported.get(service)?.get(metric)?.get(label) ?? []) values.add(value);
  }
  return [...values].sort();
}
