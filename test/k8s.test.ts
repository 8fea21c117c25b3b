/**
 * The Kubernetes manifests in deploy/k8s. Every overlay is rendered with kubectl's built-in kustomize
 * (offline: no cluster is needed) and each object is checked:
 *
 * - against the Kubernetes JSON schema of its apiVersion and kind, bundled by the kubernetes-models
 *   package (types, required fields, formats such as quantities), and against the same package's types
 *   for fields its kind does not have (the schemas allow unknown fields; the API server rejects them);
 * - against the rules the services rely on: probes, resources, a locked-down non-root security context,
 *   time to drain after the preStop sleep, selectors that reach a workload, a configuration each service
 *   accepts (parseConfig) with MONGO_URL set, and Secrets made only from the overlay's secrets.env.
 *
 * Rendering needs secrets.env, which is never committed: the test copies deploy/k8s to a temporary
 * directory and writes a secrets.env of random values, built from each overlay's secrets.env.example.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { newServiceKeys } from '@casino/shared/service-identity';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IService } from 'kubernetes-models/v1/Service';
import { envSchema, parseConfig, SERVICES, type ServiceName } from '../shared/src/config';

const ROOT = join(__dirname, '..');
const K8S = join(ROOT, 'deploy', 'k8s');
const OVERLAYS = readdirSync(join(K8S, 'overlays')).filter((name) => statSync(join(K8S, 'overlays', name)).isDirectory());
const DEFAULT_SHUTDOWN_MS = envSchema.parse({}).SHUTDOWN_TIMEOUT_MS;

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}
interface Rendered {
  objects: K8sObject[];
  /** What the test wrote to the overlay's secrets.env. */
  secrets: Record<string, string>;
}

type LabelSelector = NonNullable<NonNullable<IPodDisruptionBudget['spec']>['selector']>;

const label = (o: K8sObject) => `${o.kind}/${o.metadata.name}`;
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);
const POD_KINDS = new Set([...WORKLOAD_KINDS, 'Job']);
const podTemplate = (o: K8sObject) => (o.spec as { template: IPodTemplateSpec }).template;

// --- Rendering ------------------------------------------------------------------------------------

function kubectl(args: string[]) {
  const run = spawnSync('kubectl', args, { encoding: 'utf8', timeout: 60_000 });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error(
      'kubectl is not installed: test/k8s.test.ts renders deploy/k8s with `kubectl kustomize` ' +
        '(kubectl 1.27 or later, which has kustomize v5 built in). Install kubectl and run the test again.',
    );
  }
  if (run.error) throw run.error;
  return run;
}

/** One set of the services' identity keys for every overlay's secrets.env. */
const SERVICE_KEYS = newServiceKeys();

/** A value of the right shape for a secrets.env key, random so that nothing committed can match it. */
function secretValue(key: string): string {
  const random = randomBytes(24).toString('hex');
  if (key === 'MONGO_URL') return `mongodb://casino:${random}@mongo.test.invalid:27017/?replicaSet=rs0`;
  if (key === 'REDIS_URL') return `rediss://:${random}@redis.test.invalid:6380`;
  if (key.includes('DSN')) return `https://${random}@o1.ingest.test.invalid/1`;
  if (key in SERVICE_KEYS) return SERVICE_KEYS[key as keyof typeof SERVICE_KEYS];
  return random;
}

/** The keys of a secrets.env.example, and whatever it wrongly gives a value. */
function exampleKeys(overlay: string): { keys: string[]; valued: string[] } {
  const lines = readFileSync(join(K8S, 'overlays', overlay, 'secrets.env.example'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const pairs = lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
  return { keys: pairs.map(([key]) => key), valued: pairs.filter(([, value]) => value !== '').map(([key]) => key) };
}

function parseManifests(text: string, where: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length) throw new Error(`${where}: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as K8sObject | null;
    return value ? [value] : [];
  });
}

let work: string;
const rendered = new Map<string, Rendered>();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'casino-k8s-'));
  // Never a developer's real secrets.env: the copy gets random ones.
  cpSync(K8S, work, { recursive: true, filter: (src) => basename(src) !== 'secrets.env' });
  for (const overlay of OVERLAYS) {
    const secrets = Object.fromEntries(exampleKeys(overlay).keys.map((key) => [key, secretValue(key)]));
    writeFileSync(
      join(work, 'overlays', overlay, 'secrets.env'),
      Object.entries(secrets)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    const run = kubectl(['kustomize', join(work, 'overlays', overlay)]);
    if (run.status !== 0) throw new Error(`kubectl kustomize deploy/k8s/overlays/${overlay} failed:\n${run.stderr}`);
    rendered.set(overlay, { objects: parseManifests(run.stdout, overlay), secrets });
  }
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const render = (overlay: string) => rendered.get(overlay)!;

// --- Schema validation ------------------------------------------------------------------------------

type ModelClass = (new (data: unknown) => { validate(): void }) & { apiVersion?: string; kind?: string };
const load = createRequire(__filename);

/** The kubernetes-models class for an apiVersion and kind, or undefined when the package has none. */
function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  let group: Record<string, unknown>;
  try {
    group = load(`kubernetes-models/${apiVersion}`) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const model = group[kind] as ModelClass | undefined;
  return typeof model === 'function' && model.apiVersion === apiVersion && model.kind === kind ? model : undefined;
}

/**
 * The object as the API server reads it: kustomize folds long base64 Secret values over several lines,
 * which the server's base64 decoding skips but the schema's `byte` format does not.
 */
function asServerReads(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.fromEntries(Object.entries(object.data as Record<string, string>).map(([k, v]) => [k, v.replace(/\s+/g, '')]));
  return { ...object, data };
}

/** Every object against the JSON schema of its apiVersion and kind; a kind with no schema fails. */
function schemaProblems(objects: K8sObject[]): string[] {
  return objects.flatMap((object) => {
    const model = modelFor(object.apiVersion, object.kind);
    if (!model) return [`${label(object)}: no schema for apiVersion ${object.apiVersion}, kind ${object.kind}`];
    try {
      new model(asServerReads(object)).validate();
      return [];
    } catch (err) {
      return [`${label(object)}: ${(err as Error).message}`];
    }
  });
}

/**
 * Fields that an object's kind does not have, such as `replcas`: the JSON schemas accept them, the API
 * server does not. Each object is type-checked as an object literal of the package's type for its kind,
 * whose excess-property check reaches every nesting level (at least one unknown field per object).
 */
function unknownFieldProblems(objects: K8sObject[]): string[] {
  const file = join(ROOT, 'test', '__k8s_known_fields__.ts');
  // One object per line, so a diagnostic's line is the index of its object.
  const source = objects
    .map((o, i) => `export const o${i}: import('kubernetes-models/${o.apiVersion}/${o.kind}').I${o.kind} = ${JSON.stringify(o)};`)
    .join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, ...rest) =>
    name === file ? ts.createSourceFile(name, source, ts.ScriptTarget.ES2022) : getSourceFile.call(host, name, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? source : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((diagnostic) => {
    const line =
      diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line : -1;
    const object = objects[line];
    return `${object ? label(object) : 'manifest'}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}

// --- Lookups ----------------------------------------------------------------------------------------

const find = (objects: K8sObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

function selects(selector: LabelSelector | Record<string, string> | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return false;
  const { matchLabels, matchExpressions } =
    'matchLabels' in selector || 'matchExpressions' in selector
      ? (selector as LabelSelector)
      : { matchLabels: selector as Record<string, string>, matchExpressions: undefined };
  const labelsMatch = Object.entries(matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const expressionsMatch = (matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return labels[key] !== undefined && values.includes(labels[key]);
    if (operator === 'NotIn') return labels[key] === undefined || !values.includes(labels[key]);
    if (operator === 'Exists') return labels[key] !== undefined;
    return labels[key] === undefined;
  });
  const empty = !Object.keys(matchLabels ?? {}).length && !(matchExpressions ?? []).length;
  return !empty && labelsMatch && expressionsMatch;
}

/** An empty selector, `{}`, which picks every pod. */
const isEverything = (selector: LabelSelector | undefined) =>
  !!selector && !Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length;

/**
 * Who the NetworkPolicies let reach the pods of `target`, on any port: the workloads of its
 * namespace by name, `any namespace: <labels>` for pods elsewhere, or `everyone` when no policy
 * isolates it or one lets anything in.
 */
function reachers(objects: K8sObject[], target: K8sObject): string[] {
  const labels = podTemplate(target).metadata?.labels ?? {};
  const policies = (ofKind(objects, 'NetworkPolicy') as (INetworkPolicy & K8sObject)[]).filter(
    (p) =>
      (p.spec?.policyTypes ?? ['Ingress']).includes('Ingress') &&
      (isEverything(p.spec?.podSelector) || selects(p.spec?.podSelector, labels)),
  );
  if (!policies.length) return ['everyone'];
  const found = new Set<string>();
  for (const rule of policies.flatMap((p) => p.spec?.ingress ?? [])) {
    if (!rule.from?.length) return ['everyone'];
    for (const peer of rule.from) {
      if (peer.namespaceSelector) found.add(`any namespace: ${JSON.stringify(peer.podSelector?.matchLabels ?? {})}`);
      else if (peer.podSelector)
        for (const w of objects.filter(
          (o) => POD_KINDS.has(o.kind) && (isEverything(peer.podSelector) || selects(peer.podSelector, podTemplate(o).metadata?.labels)),
        ))
          found.add(w.metadata.name);
    }
  }
  return [...found].sort();
}

/** The workloads whose pods a selector picks. */
const selected = (objects: K8sObject[], selector: Parameters<typeof selects>[0]) =>
  objects.filter((o) => WORKLOAD_KINDS.has(o.kind) && selects(selector, podTemplate(o).metadata?.labels));

const decode = (secret: K8sObject) =>
  Object.fromEntries(
    Object.entries((secret.data as Record<string, string> | undefined) ?? {}).map(([k, v]) => [
      k,
      Buffer.from(v, 'base64').toString('utf8'),
    ]),
  );

/**
 * The environment a container of `owner` would get, from its ConfigMaps, Secrets, the downward API's
 * namespace and `$(VAR)` references, as the kubelet builds it; `problems` says what would stop it.
 */
function containerEnv(objects: K8sObject[], owner: K8sObject, container: IContainer): { env: Record<string, string>; problems: string[] } {
  const env: Record<string, string> = {};
  const problems: string[] = [];
  const source = (kind: 'ConfigMap' | 'Secret', name: string) => {
    const object = find(objects, kind, name);
    return object && (kind === 'Secret' ? decode(object) : ((object.data as Record<string, string> | undefined) ?? {}));
  };
  for (const from of container.envFrom ?? []) {
    const [kind, ref] = from.configMapRef ? (['ConfigMap', from.configMapRef] as const) : (['Secret', from.secretRef!] as const);
    const data = source(kind, ref.name ?? '');
    if (data) Object.assign(env, data);
    else if (!ref.optional) problems.push(`envFrom: no ${kind} ${ref.name}`);
  }
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined)
      env[variable.name] = variable.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (ref, name: string) => env[name] ?? ref);
    if (variable.valueFrom?.fieldRef) {
      const field = variable.valueFrom.fieldRef.fieldPath;
      if (field === 'metadata.namespace' && owner.metadata.namespace) env[variable.name] = owner.metadata.namespace;
      else problems.push(`${variable.name}: the test cannot resolve fieldRef ${field}`);
    }
    const refs = [
      ['ConfigMap', variable.valueFrom?.configMapKeyRef],
      ['Secret', variable.valueFrom?.secretKeyRef],
    ] as const;
    for (const [kind, ref] of refs) {
      if (!ref) continue;
      const value = source(kind, ref.name ?? '')?.[ref.key];
      if (value !== undefined) env[variable.name] = value;
      else if (!ref.optional) problems.push(`${variable.name}: no key ${ref.key} in ${kind} ${ref.name}, so the pod would not start`);
    }
  }
  return { env, problems };
}

/**
 * Whether host:port is reachable in the cluster from the namespace `ns`: a Service, or a StatefulSet pod
 * through its headless Service, by its short or fully qualified name (cluster domain cluster.local).
 */
function inCluster(objects: K8sObject[], ns: string | undefined, name: string, port: number): boolean {
  const host = ns ? name.replace(new RegExp(`\\.${ns}(\\.svc(\\.cluster\\.local)?)?\\.?$`), '') : name;
  const servicePort = (name: string) =>
    (find(objects, 'Service', name) as (IService & K8sObject) | undefined)?.spec?.ports?.some((p) => p.port === port) ?? false;
  const pod = /^(.+)-(\d+)\.([^.]+)$/.exec(host);
  if (!pod) return servicePort(host);
  const set = find(objects, 'StatefulSet', pod[1]!) as (K8sObject & { spec: { serviceName?: string; replicas?: number } }) | undefined;
  return !!set && set.spec.serviceName === pod[3] && Number(pod[2]) < (set.spec.replicas ?? 1) && servicePort(pod[3]!);
}

// --- Rules ------------------------------------------------------------------------------------------

const MEMORY_UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };
function quantity(value: string | number | undefined): number {
  if (value === undefined) return NaN;
  const match = /^([0-9.]+)(m|k|M|G|Ki|Mi|Gi)?$/.exec(String(value));
  if (!match) return NaN;
  return match[2] === 'm' ? Number(match[1]) / 1000 : Number(match[1]) * MEMORY_UNITS[match[2] ?? '']!;
}

/** Probes, resources, security and draining for every Deployment and StatefulSet (security for Jobs too). */
function workloadProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects.filter((o) => POD_KINDS.has(o.kind))) {
    const problem = (what: string) => problems.push(`${label(object)}: ${what}`);
    const template = podTemplate(object);
    const pod = template.spec!;
    const workload = WORKLOAD_KINDS.has(object.kind);
    if (workload && !selects((object.spec as { selector: LabelSelector }).selector, template.metadata?.labels))
      problem('its selector does not match its own pod template');
    if (pod.enableServiceLinks !== false)
      problem(
        'enableServiceLinks is not false: Docker-link variables such as GATEWAY_PORT=tcp://… would break the services’ *_PORT settings',
      );
    let drainSeconds = 0;
    for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
      const where = (what: string) => problem(`container ${container.name}: ${what}`);
      const security = { ...pod.securityContext, ...container.securityContext };
      if (security.runAsNonRoot !== true) where('runAsNonRoot is not true');
      if (!Number.isInteger(security.runAsUser) || security.runAsUser === 0) where('runAsUser is not a numeric non-root uid');
      if (container.securityContext?.allowPrivilegeEscalation !== false) where('allowPrivilegeEscalation is not false');
      if (!container.securityContext?.capabilities?.drop?.includes('ALL')) where('capabilities do not drop ALL');
      if (security.seccompProfile?.type !== 'RuntimeDefault') where('seccompProfile is not RuntimeDefault');
      const { requests = {}, limits = {} } = container.resources ?? {};
      for (const resource of ['cpu', 'memory']) {
        if (!(quantity(requests[resource]) > 0)) where(`no ${resource} request`);
        if (!(quantity(limits[resource]) > 0)) where(`no ${resource} limit`);
        if (quantity(requests[resource]) > quantity(limits[resource])) where(`${resource} request above its limit`);
      }
      if (!workload) continue;
      if (!container.livenessProbe) where('no liveness probe');
      if (!container.readinessProbe) where('no readiness probe');
      const shutdownMs = Number(containerEnv(objects, object, container).env.SHUTDOWN_TIMEOUT_MS ?? DEFAULT_SHUTDOWN_MS);
      drainSeconds = Math.max(drainSeconds, (container.lifecycle?.preStop?.sleep?.seconds ?? 0) + shutdownMs / 1000);
    }
    if (workload && !((pod.terminationGracePeriodSeconds ?? 30) > drainSeconds)) {
      problem(
        `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds ?? '(default 30)'} is not longer than the preStop sleep plus SHUTDOWN_TIMEOUT_MS (${drainSeconds} s)`,
      );
    }
  }
  return problems;
}

/** Services, autoscalers, budgets, policies and the Ingress all reach something that exists. */
function referenceProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const service of ofKind(objects, 'Service') as (IService & K8sObject)[]) {
    const targets = selected(objects, service.spec?.selector);
    if (!targets.length) problems.push(`${label(service)}: its selector matches no workload`);
    for (const port of service.spec?.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const served = targets.some((o) =>
        podTemplate(o).spec!.containers.some((c) => (c.ports ?? []).some((p) => p.name === target || p.containerPort === target)),
      );
      if (targets.length && !served)
        problems.push(`${label(service)}: port ${port.name ?? port.port} targets ${target}, which no selected container exposes`);
    }
  }
  for (const hpa of ofKind(objects, 'HorizontalPodAutoscaler') as (IHorizontalPodAutoscaler & K8sObject)[]) {
    const { kind, name } = hpa.spec!.scaleTargetRef;
    if (!WORKLOAD_KINDS.has(kind) || !find(objects, kind, name))
      problems.push(`${label(hpa)}: scales ${kind}/${name}, which does not exist`);
    if ((hpa.spec!.minReplicas ?? 1) > hpa.spec!.maxReplicas) problems.push(`${label(hpa)}: minReplicas above maxReplicas`);
  }
  for (const pdb of ofKind(objects, 'PodDisruptionBudget') as (IPodDisruptionBudget & K8sObject)[]) {
    if (!selected(objects, pdb.spec?.selector).length) problems.push(`${label(pdb)}: its selector matches no workload`);
  }
  for (const policy of ofKind(objects, 'NetworkPolicy') as (INetworkPolicy & K8sObject)[]) {
    if (!isEverything(policy.spec?.podSelector) && !selected(objects, policy.spec?.podSelector).length)
      problems.push(`${label(policy)}: its podSelector matches no workload`);
  }
  for (const ingress of ofKind(objects, 'Ingress') as (IIngress & K8sObject)[]) {
    for (const path of (ingress.spec?.rules ?? []).flatMap((rule) => rule.http?.paths ?? [])) {
      const backend = path.backend.service!;
      const service = find(objects, 'Service', backend.name) as (IService & K8sObject) | undefined;
      const port = service?.spec?.ports?.find((p) => p.name === backend.port?.name || p.port === backend.port?.number);
      if (!port)
        problems.push(
          `${label(ingress)}: ${path.path} goes to ${backend.name}:${backend.port?.name ?? backend.port?.number}, which no Service offers`,
        );
    }
  }
  for (const set of ofKind(objects, 'StatefulSet') as (K8sObject & { spec: { serviceName?: string } })[]) {
    const service = find(objects, 'Service', set.spec.serviceName ?? '') as (IService & K8sObject) | undefined;
    if (service?.spec?.clusterIP !== 'None') problems.push(`${label(set)}: serviceName ${set.spec.serviceName} is not a headless Service`);
  }
  return problems;
}

/** Each backend's pod environment through the services' own parser, as the pod would start. */
function configProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const deployment of ofKind(objects, 'Deployment')) {
    const labels = podTemplate(deployment).metadata?.labels ?? {};
    const container = podTemplate(deployment).spec!.containers[0]!;
    const { env, problems: missing } = containerEnv(objects, deployment, container);
    const ns = deployment.metadata.namespace;
    const problem = (what: string) => problems.push(`${label(deployment)}: ${what}`);
    missing.forEach(problem);
    if (labels['app.kubernetes.io/component'] === 'frontend') {
      // nginx resolves the gateway itself, without the pod's search domains: only a full name works.
      const gateway = env.GATEWAY_URL ? new URL(env.GATEWAY_URL) : undefined;
      if (!gateway?.hostname.endsWith('.svc.cluster.local') || !inCluster(objects, ns, gateway.hostname, Number(gateway.port))) {
        problem(`GATEWAY_URL ${env.GATEWAY_URL} is not a fully qualified Service address`);
      }
      if (!container.ports?.some((p) => p.containerPort === Number(env.FRONTEND_PORT ?? 3000)))
        problem(`nginx listens on FRONTEND_PORT ${env.FRONTEND_PORT ?? 3000}, which the container does not expose`);
    }
    if (labels['app.kubernetes.io/component'] !== 'backend') continue;
    const service = labels['app.kubernetes.io/name'] as ServiceName;
    if (!SERVICES.includes(service)) {
      problem(`${service} is not one of the services (${SERVICES.join(', ')})`);
      continue;
    }
    let config: ReturnType<typeof parseConfig>;
    try {
      config = parseConfig(service, env);
    } catch (err) {
      problem(`the ${service} service would not start: ${(err as Error).message}`);
      continue;
    }
    if (config.host !== '0.0.0.0') problem(`HOST is ${config.host}, not 0.0.0.0`);
    if (!container.ports?.some((p) => p.containerPort === config.port))
      problem(`listens on ${config.port}, which the container does not expose`);
    // The embedded store is per process: in Kubernetes every replica must share one MongoDB.
    if (!config.mongoUrl) problem('MONGO_URL is not set: each pod would keep its own in-memory store');
    for (const [peer, url] of Object.entries(config.urls)) {
      const { hostname, port } = new URL(url);
      if (!inCluster(objects, ns, hostname, Number(port))) problem(`${peer} is at ${url}, which no Service answers`);
    }
  }
  return problems;
}

// --- The overlays -----------------------------------------------------------------------------------

describe('Kubernetes manifests (deploy/k8s)', () => {
  it('when the overlays are listed, then there is a local and a production one', () => {
    expect(OVERLAYS).toEqual(expect.arrayContaining(['local', 'production']));
  });

  describe.each(OVERLAYS)('the %s overlay', (overlay) => {
    it('when rendered, then every object passes the Kubernetes schema of its apiVersion and kind', () => {
      expect(render(overlay).objects.length).toBeGreaterThan(0);
      expect(schemaProblems(render(overlay).objects)).toEqual([]);
    });

    it('when rendered, then no object has a field its kind does not know', () => {
      expect(unknownFieldProblems(render(overlay).objects)).toEqual([]);
    }, 60_000);

    it('when rendered, then every workload has probes, requests and limits, a locked-down non-root context and time to drain', () => {
      const { objects } = render(overlay);
      expect(objects.filter((o) => WORKLOAD_KINDS.has(o.kind)).length).toBeGreaterThanOrEqual(6);
      expect(workloadProblems(objects)).toEqual([]);
    });

    it('when rendered, then every Service, autoscaler, budget, policy and Ingress path reaches something that exists', () => {
      expect(referenceProblems(render(overlay).objects)).toEqual([]);
    });

    it('when rendered, then every stateless Deployment has an autoscaler on CPU, a disruption budget and a read-only root with /tmp', () => {
      const { objects } = render(overlay);
      const stateless = ofKind(objects, 'Deployment').filter((d) =>
        ['backend', 'frontend'].includes(podTemplate(d).metadata?.labels?.['app.kubernetes.io/component'] ?? ''),
      );
      expect(stateless.map((d) => d.metadata.name).sort()).toEqual([...SERVICES, 'frontend'].sort());
      for (const deployment of stateless) {
        const hpa = (ofKind(objects, 'HorizontalPodAutoscaler') as (IHorizontalPodAutoscaler & K8sObject)[]).find(
          (h) => h.spec!.scaleTargetRef.name === deployment.metadata.name,
        );
        expect(hpa?.spec?.metrics?.map((m) => m.resource?.name)).toEqual(['cpu']);
        // The autoscaler owns the count: a replicas field would be reset by every apply.
        expect((deployment.spec as { replicas?: number }).replicas).toBeUndefined();
        expect(
          (ofKind(objects, 'PodDisruptionBudget') as (IPodDisruptionBudget & K8sObject)[]).some((p) =>
            selects(p.spec?.selector, podTemplate(deployment).metadata?.labels),
          ),
        ).toBe(true);
        const container = podTemplate(deployment).spec!.containers[0]!;
        expect([
          deployment.metadata.name,
          container.securityContext?.readOnlyRootFilesystem,
          container.volumeMounts?.some((m) => m.mountPath === '/tmp'),
        ]).toEqual([deployment.metadata.name, true, true]);
      }
    });

    it('when each service reads its pod environment, then it starts listening on 0.0.0.0 with MONGO_URL set and its peers at Services', () => {
      expect(configProblems(render(overlay).objects)).toEqual([]);
    });

    it('when rendered, then every Secret holds only values from secrets.env, none of them committed', () => {
      const { objects, secrets } = render(overlay);
      const committed = committedFiles().map((file) => readFileSync(file, 'utf8'));
      const secretObjects = ofKind(objects, 'Secret');
      expect(secretObjects.map((s) => s.metadata.name.replace(/-[a-z0-9]{10}$/, ''))).toEqual(['casino-secrets']);
      for (const secret of secretObjects) {
        const data = decode(secret);
        expect(secret.stringData).toBeUndefined();
        expect(data).toEqual(secrets);
        for (const [key, value] of Object.entries(data)) {
          expect({ key, committed: committed.some((text) => text.includes(value)) }).toEqual({ key, committed: false });
        }
      }
    });

    it('when the NetworkPolicies are read, then nothing reaches a pod unless a policy lets it, and each service behind the gateway is reached by exactly its callers and Prometheus', () => {
      const { objects } = render(overlay);
      const prometheus = `any namespace: ${JSON.stringify({ 'app.kubernetes.io/name': 'prometheus' })}`;
      const denyAll = (ofKind(objects, 'NetworkPolicy') as (INetworkPolicy & K8sObject)[]).filter(
        (p) => isEverything(p.spec?.podSelector) && p.spec?.policyTypes?.includes('Ingress') && !p.spec?.ingress?.length,
      );
      expect(denyAll).toHaveLength(1);
      const expected: Record<string, string[]> = {
        gateway: ['everyone'],
        frontend: ['everyone'],
        user: ['game', 'gateway', 'payment', 'wager', prometheus].sort(),
        game: ['gateway', prometheus].sort(),
        payment: ['game', 'gateway', 'wager', prometheus].sort(),
        wager: ['game', 'gateway', 'payment', prometheus].sort(),
        ...(overlay === 'local'
          ? {
              mongo: ['game', 'gateway', 'mongo', 'mongo-init-replica-set', 'payment', 'user', 'wager'],
              redis: ['game', 'gateway', 'payment', 'user', 'wager'],
            }
          : {}),
      };
      const actual = Object.fromEntries(
        objects.filter((o) => WORKLOAD_KINDS.has(o.kind)).map((o) => [o.metadata.name, reachers(objects, o)]),
      );
      expect(actual).toEqual(expected);
    });

    it('when each service reads its identity keys, then a caller has its own private key alone and every service behind the gateway has all the public keys, from the Secret', () => {
      const { objects } = render(overlay);
      for (const deployment of ofKind(objects, 'Deployment').filter((d) => (SERVICES as readonly string[]).includes(d.metadata.name))) {
        const container = podTemplate(deployment).spec!.containers[0]!;
        const name = deployment.metadata.name;
        const keys = (container.env ?? []).filter((v) => /_(SIGNING|PUBLIC)_KEY$/.test(v.name));
        expect([name, keys.filter((v) => v.name.endsWith('_SIGNING_KEY')).map((v) => v.name)]).toEqual([
          name,
          name === 'user' ? [] : [`${name.toUpperCase()}_SIGNING_KEY`],
        ]);
        expect([name, keys.filter((v) => v.name.endsWith('_PUBLIC_KEY')).length]).toEqual([name, name === 'gateway' ? 0 : 4]);
        for (const key of keys) expect([name, key.name, key.valueFrom?.secretKeyRef?.optional]).toEqual([name, key.name, undefined]);
      }
    });

    it('when its secrets.env.example is read, then it names keys without any value', () => {
      const { keys, valued } = exampleKeys(overlay);
      expect(keys).toEqual(expect.arrayContaining(['JWT_SECRET', 'ADMIN_TOKEN']));
      expect(valued).toEqual([]);
    });
  });

  it('when the manifests in the repository are read, then none is a Secret and no secretGenerator has literals or files', () => {
    const offenders = committedFiles()
      .filter((file) => /\.ya?ml$/.test(file))
      .flatMap((file) =>
        parseManifests(readFileSync(file, 'utf8'), file).flatMap((doc) => {
          const where = relative(ROOT, file);
          if (doc.kind === 'Secret') return [`${where}: a Secret`];
          const generators = (doc.secretGenerator as { literals?: unknown; files?: unknown; envs?: string[] }[] | undefined) ?? [];
          return generators.flatMap((g) => [
            ...(g.literals || g.files ? [`${where}: a secretGenerator with literals or files`] : []),
            ...(g.envs ?? [])
              .filter((env) => env !== 'secrets.env')
              .map((env) => `${where}: a secretGenerator reads ${env}, not secrets.env`),
          ]);
        }),
      );
    expect(offenders).toEqual([]);
  });

  it('when secrets.env is missing, then rendering fails and names it', () => {
    const dir = join(work, 'overlays', 'production');
    rmSync(join(dir, 'secrets.env'));
    const run = kubectl(['kustomize', dir]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('secrets.env');
  });

  it('when the production overlay is rendered, then every pod has two replicas at least, one always available, a pinned image and data outside the cluster', () => {
    const { objects, secrets } = render('production');
    for (const hpa of ofKind(objects, 'HorizontalPodAutoscaler') as (IHorizontalPodAutoscaler & K8sObject)[])
      expect(hpa.spec!.minReplicas).toBeGreaterThanOrEqual(2);
    for (const pdb of ofKind(objects, 'PodDisruptionBudget') as (IPodDisruptionBudget & K8sObject)[])
      expect(pdb.spec).toEqual(expect.objectContaining({ minAvailable: 1 }));
    expect(ofKind(objects, 'StatefulSet')).toEqual([]);
    for (const deployment of ofKind(objects, 'Deployment')) {
      expect(podTemplate(deployment).spec!.containers[0]!.image).toMatch(/^casino\/[a-z]+:\d+\.\d+\.\d+$/);
      const { env } = containerEnv(objects, deployment, podTemplate(deployment).spec!.containers[0]!);
      if (deployment.metadata.name !== 'frontend') expect([env.MONGO_URL, env.REDIS_URL]).toEqual([secrets.MONGO_URL, secrets.REDIS_URL]);
    }
  });

  it('when the local overlay is rendered, then MongoDB is a one-member replica set on a volume, made so by a Job, with Redis beside it', () => {
    const { objects } = render('local');
    const mongo = find(objects, 'StatefulSet', 'mongo') as K8sObject & {
      spec: { volumeClaimTemplates?: unknown[]; template: IPodTemplateSpec };
    };
    expect(mongo.spec.volumeClaimTemplates).toHaveLength(1);
    expect(mongo.spec.template.spec!.containers[0]!.command).toContain('--replSet=rs0');
    expect(JSON.stringify(find(objects, 'Job', 'mongo-init-replica-set'))).toContain('rs.initiate');
    expect(find(objects, 'Deployment', 'redis')).toBeDefined();
    const payment = find(objects, 'Deployment', 'payment')!;
    const { env } = containerEnv(objects, payment, podTemplate(payment).spec!.containers[0]!);
    expect(env.MONGO_URL).toBe('mongodb://mongo-0.mongo:27017/?replicaSet=rs0');
    expect(env.REDIS_URL).toBe('redis://redis:6379');
  });

  // --- The validator itself ---------------------------------------------------------------------------

  describe('the validator', () => {
    const gateway = () => structuredClone(find(render('local').objects, 'Deployment', 'gateway')!);
    const changed = (change: (o: K8sObject & { spec: { template: IPodTemplateSpec } & Record<string, unknown> }) => void) => {
      const object = gateway() as K8sObject & { spec: { template: IPodTemplateSpec } & Record<string, unknown> };
      change(object);
      return object;
    };

    it('when a rendered Deployment is checked unchanged, then it passes', () => {
      expect([...schemaProblems([gateway()]), ...unknownFieldProblems([gateway()])]).toEqual([]);
    });

    it('when a manifest has a field of the wrong type or misses a required one, then the schema rejects it, naming object and field', () => {
      const wrongType = changed((o) => (o.spec.replicas = 'two'));
      const noContainers = changed((o) => delete (o.spec.template.spec as { containers?: unknown }).containers);
      const badQuantity = changed((o) => (o.spec.template.spec!.containers[0]!.resources!.limits!.memory = 'plenty'));
      const problems = schemaProblems([wrongType, noContainers, badQuantity]);
      expect(problems).toHaveLength(3);
      expect(problems[0]).toMatch(/^Deployment\/gateway: .*spec\/replicas must be integer/);
      expect(problems[1]).toMatch(/^Deployment\/gateway: .*must have required property '?containers'?/);
      expect(problems[2]).toMatch(/^Deployment\/gateway: .*limits\/memory/);
    });

    it('when a manifest is of a kind with no schema, then it is rejected', () => {
      const typo = { ...gateway(), kind: 'Deploymnet' };
      const unknownGroup = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
      expect(schemaProblems([typo, unknownGroup])).toEqual([
        'Deploymnet/gateway: no schema for apiVersion apps/v1, kind Deploymnet',
        'Widget/w: no schema for apiVersion example.com/v1, kind Widget',
      ]);
    });

    it('when a manifest has a field its kind does not have, then it is rejected, naming the field', () => {
      const misspelt = changed((o) => (o.spec.replcas = 2));
      const deep = changed((o) => ((o.spec.template.spec!.containers[0] as unknown as Record<string, unknown>).readinesProbe = {}));
      const problems = unknownFieldProblems([gateway(), misspelt, deep]);
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatch(/^Deployment\/gateway: .*'"?replcas"?' does not exist/);
      expect(problems[1]).toMatch(/^Deployment\/gateway: .*'"?readinesProbe"?' does not exist/);
    });

    it('when a workload runs as root, without probes or limits, or with too short a grace period, then the rules reject it', () => {
      const broken = changed((o) => {
        const pod = o.spec.template.spec!;
        pod.securityContext = { ...pod.securityContext, runAsNonRoot: false, runAsUser: 0 };
        pod.terminationGracePeriodSeconds = 10;
        delete pod.containers[0]!.readinessProbe;
        delete pod.containers[0]!.resources!.limits;
      });
      const objects = [broken, ...render('local').objects.filter((o) => o.kind === 'ConfigMap')];
      expect(workloadProblems(objects)).toEqual([
        'Deployment/gateway: container app: runAsNonRoot is not true',
        'Deployment/gateway: container app: runAsUser is not a numeric non-root uid',
        'Deployment/gateway: container app: no cpu limit',
        'Deployment/gateway: container app: no memory limit',
        'Deployment/gateway: container app: no readiness probe',
        'Deployment/gateway: terminationGracePeriodSeconds 10 is not longer than the preStop sleep plus SHUTDOWN_TIMEOUT_MS (15 s)',
      ]);
    });

    it('when a Service or budget selects no pods, or an autoscaler scales nothing, then it is rejected', () => {
      const { objects } = render('local');
      const strays = objects
        .filter((o) => ['Service', 'PodDisruptionBudget', 'HorizontalPodAutoscaler'].includes(o.kind) && o.metadata.name === 'wager')
        .map((o) => JSON.parse(JSON.stringify(o).replaceAll('"wager"', '"wagr"')) as K8sObject);
      expect(
        referenceProblems([...objects.filter((o) => o.metadata.name !== 'wager' && o.metadata.name !== 'casino-wager'), ...strays]),
      ).toEqual([
        'Service/wagr: its selector matches no workload',
        'HorizontalPodAutoscaler/wagr: scales Deployment/wagr, which does not exist',
        'PodDisruptionBudget/wagr: its selector matches no workload',
      ]);
    });

    it('when a service would start without MONGO_URL or with a missing secret key, then the configuration check rejects it', () => {
      const { objects } = render('local');
      const config = structuredClone(ofKind(objects, 'ConfigMap')[0]!) as K8sObject & { data: Record<string, string> };
      config.data.MONGO_URL = '';
      const secret = structuredClone(ofKind(objects, 'Secret')[0]!) as K8sObject & { data: Record<string, string> };
      delete secret.data.JWT_SECRET;
      const rest = objects.filter((o) => o.kind !== 'ConfigMap' && o.kind !== 'Secret');
      const problems = configProblems([...rest, config, secret]);
      expect(problems).toContain('Deployment/payment: MONGO_URL is not set: each pod would keep its own in-memory store');
      const frontend = structuredClone(find(objects, 'Deployment', 'frontend')!);
      podTemplate(frontend).spec!.containers[0]!.env!.find((v) => v.name === 'GATEWAY_URL')!.value = 'http://gateway:8080';
      expect(configProblems([...objects.filter((o) => o.metadata.name !== 'frontend'), frontend])).toEqual([
        'Deployment/frontend: GATEWAY_URL http://gateway:8080 is not a fully qualified Service address',
      ]);
      expect(problems.some((p) => p.startsWith('Deployment/gateway: JWT_SECRET: no key JWT_SECRET in Secret casino-secrets-'))).toBe(true);
    });
  });
});

/** Every file under deploy/k8s as committed: a developer's own secrets.env is not. */
function committedFiles(dir = K8S): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return committedFiles(path);
    return entry.name === 'secrets.env' ? [] : [path];
  });
}
