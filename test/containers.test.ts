/**
 * Containers as code, checked without a Docker engine: the Dockerfiles are read instruction by
 * instruction, the nginx start-up script is run with sh and compared with the Node frontend
 * server it stands in for, and docker-compose.yml is read with the yaml package and resolved by
 * Debian's docker-compose (`config` needs no engine).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { envSchema, parseConfig, parseFrontendConfig, SERVICES } from '@casino/shared';
import { connectSources, frontendApp } from '@casino/tools/frontend-server';
import { repoRoot, SPOTLIGHT_NODE_OPTIONS } from '@casino/tools/launcher';
import { envLines } from '@casino/tools/service-keys';
import { newServiceKeys } from '@casino/shared/service-identity';

const ROOT = repoRoot();
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');
const NGINX = join(ROOT, 'frontend', 'nginx');
const START_SCRIPT = join(NGINX, '05-casino-config.envsh');
const MISSING_COMPOSE =
  "docker-compose is not installed. Install Debian's docker-compose, which resolves docker-compose.yml without a Docker engine: " +
  '`apt-get install docker-compose` (.ci/run does this in CI). These checks must not be skipped.';

// --- Dockerfiles ---------------------------------------------------------------------------------

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  name: string;
  instructions: Instruction[];
}

/** A Dockerfile's stages (the global ARGs before the first FROM as stage "global"), continuation lines joined and comments dropped. */
function readDockerfile(path: string): Stage[] {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line) || (!pending && !line.trim())) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = (pending + line).trim();
    pending = '';
    const match = /^(\w+)\s+([\s\S]*)$/.exec(whole);
    if (!match) throw new Error(`${path}: cannot read the instruction ${JSON.stringify(whole)}`);
    instructions.push({ keyword: match[1]!.toUpperCase(), args: match[2]!.trim() });
  }
  const stages: Stage[] = [{ name: 'global', instructions: [] }];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM')
      stages.push({ name: /\bAS\s+(\S+)$/i.exec(instruction.args)?.[1] ?? `stage ${stages.length}`, instructions: [] });
    stages.at(-1)!.instructions.push(instruction);
  }
  return stages;
}

const finalStage = (stages: Stage[]) => stages.at(-1)!;
const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const last = (stage: Stage, keyword: string) => all(stage, keyword).at(-1);
/** The exec form's words; the shell form as `sh -c` would get it. */
const words = (args: string): string[] => (args.startsWith('[') ? (JSON.parse(args) as string[]) : ['/bin/sh', '-c', args]);
/** The command of a HEALTHCHECK, after its options. */
const healthCommand = (args: string): string[] => {
  const match = /^(?:--\S+\s+)*CMD\s+([\s\S]+)$/.exec(args);
  if (!match) throw new Error(`HEALTHCHECK ${args} has no CMD`);
  return words(match[1]!);
};
const isRoot = (user: string) => ['root', '0'].includes(user.split(':')[0]!);

const SERVICES_DOCKERFILE = join(ROOT, 'services', 'Dockerfile');
const FRONTEND_DOCKERFILE = join(ROOT, 'frontend', 'Dockerfile');
const SPOTLIGHT_DOCKERFILE = join(ROOT, 'observability', 'spotlight', 'Dockerfile');

/** Every workspace folder package.json names (`services/*` expanded by the services this repository has). */
const workspaces: string[] = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces.flatMap(
  (w) => (w === 'services/*' ? SERVICES.map((s) => `services/${s}`) : [w]),
);

/** The COPY sources before the first RUN of a stage, and that RUN. */
function dependencyLayer(stage: Stage): { copied: string[]; install: string } {
  const firstRun = stage.instructions.findIndex((i) => i.keyword === 'RUN');
  const copied = stage.instructions
    .slice(0, firstRun)
    .filter((i) => i.keyword === 'COPY')
    .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
  return { copied, install: stage.instructions[firstRun]!.args };
}

describe.each(SERVICES)('the %s image', (service) => {
  const stages = readDockerfile(SERVICES_DOCKERFILE);
  const runtime = finalStage(stages);

  test('when its final stage is read, then it runs as a non-root user, under tini, with Node loading the instrumentation through --import, listening on all interfaces', () => {
    const user = last(runtime, 'USER');
    expect(user).toBeDefined();
    expect(isRoot(user!.args)).toBe(false);
    expect(all(runtime, 'RUN').some((r) => /apt-get install\b.*\btini\b/.test(r.args))).toBe(true);
    expect(words(last(runtime, 'ENTRYPOINT')!.args)).toEqual(['/usr/bin/tini', '--']);
    expect(words(last(runtime, 'CMD')!.args)).toEqual(['node', '--import', './dist/instrument.js', './dist/main.js']);
    expect(all(runtime, 'ENV').some((e) => /(^|\s)HOST=0\.0\.0\.0(\s|$)/.test(e.args))).toBe(true);
    expect(all(runtime, 'WORKDIR').at(-1)!.args).toBe('/app/services/${SERVICE}');
  });

  test("when its health check is read, then Node's fetch asks the service's own /healthz on its port, with no curl needed", () => {
    const check = last(runtime, 'HEALTHCHECK');
    expect(check).toBeDefined();
    const command = healthCommand(check!.args);
    expect(command.slice(0, 2)).toEqual(['node', '-e']);
    expect(command[2]).toContain("'/healthz'");
    expect(command[2]).toContain(
      `${service}: ${parseConfig(service, { JWT_SECRET: 'x'.repeat(32), ADMIN_TOKEN: 'x'.repeat(16), ...newServiceKeys() }).port}`,
    );
  });

  test('when its stages are read, then the dependencies install from the lock with every workspace manifest before any source, without install scripts, and the runtime gets only production dependencies', () => {
    const build = stages.find((s) => s.name === 'build')!;
    const { copied, install } = dependencyLayer(build);
    expect(copied.sort()).toEqual(['package.json', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`)].sort());
    expect(install).toMatch(/^npm install --ignore-scripts\b/);
    // The five services, with the kit and the load generator's players they use; no tool.
    expect(all(build, 'RUN').some((r) => r.args === `npx tsc -b ${SERVICES.map((s) => `services/${s}`).join(' ')}`)).toBe(true);
    expect(all(build, 'COPY').map((c) => c.args)).not.toContain('tools tools');
    const prod = stages.find((s) => s.name === 'prod-deps')!;
    expect(dependencyLayer(prod).copied.sort()).toEqual(copied.sort());
    expect(all(prod, 'RUN').at(-1)!.args).toMatch(/^npm install --omit=dev --ignore-scripts --workspace "services\/\$\{SERVICE\}"/);
    expect(all(runtime, 'COPY').map((c) => c.args)).toEqual(
      expect.arrayContaining([
        '--from=prod-deps /app ./',
        '--from=build /app/shared/dist shared/dist',
        '--from=build /app/traffic/dist traffic/dist',
        '--from=build /app/services/${SERVICE}/dist services/${SERVICE}/dist',
      ]),
    );
  });

  test('when it is built, then SERVICE names it, with no default, and any other value stops the build before the install', () => {
    expect(stages.find((st) => st.name === 'global')!.instructions).toContainEqual(
      expect.objectContaining({ keyword: 'ARG', args: 'SERVICE' }),
    );
    const check = all(
      stages.find((st) => st.name === 'prod-deps')!,
      'RUN',
    )[0]!.args;
    expect(check).toMatch(/^case "\$\{SERVICE\}" in gateway\|user\|game\|payment\|wager\) ;;/);
    expect(check).toContain(service);
  });
});

describe('the frontend image', () => {
  const stages = readDockerfile(FRONTEND_DOCKERFILE);
  const runtime = finalStage(stages);

  test('when its final stage is read, then nginx runs as a non-root user and is itself PID 1, an init that reaps its workers and stops on SIGQUIT, with a health check on /healthz', () => {
    const user = last(runtime, 'USER');
    expect(user).toBeDefined();
    expect(isRoot(user!.args)).toBe(false);
    expect(last(runtime, 'STOPSIGNAL')!.args).toBe('SIGQUIT');
    expect(words(last(runtime, 'ENTRYPOINT')!.args)).toEqual(['/docker-entrypoint.sh']);
    expect(words(last(runtime, 'CMD')!.args)).toEqual(['nginx', '-g', 'daemon off;']);
    expect(healthCommand(last(runtime, 'HEALTHCHECK')!.args).join(' ')).toContain('/healthz');
  });

  test("when its build stage is read, then it begins with the services' dependency layer, instruction for instruction, so the image builds share it", () => {
    const build = stages.find((s) => s.name === 'build')!;
    const serviceBuild = readDockerfile(SERVICES_DOCKERFILE).find((s) => s.name === 'build')!;
    const upToInstall = (stage: Stage) => stage.instructions.slice(0, stage.instructions.findIndex((i) => i.keyword === 'RUN') + 1);
    expect(upToInstall(build)).toEqual(upToInstall(serviceBuild));
  });

  test("when the frontend's imports from shared/src are followed, then the build stage copies every file they reach", () => {
    const build = stages.find((s) => s.name === 'build')!;
    const copied = all(build, 'COPY')
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1))
      .filter((f) => f.startsWith('shared/src/'));
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
      );
    const reached = new Set<string>();
    const follow = (file: string) => {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = `${resolvePath(dirname(file), spec!)}.ts`;
        const inShared = relative(join(ROOT, 'shared/src'), target);
        if (inShared.startsWith('..') || reached.has(inShared)) continue;
        reached.add(inShared);
        follow(target);
      }
    };
    for (const file of sources(join(ROOT, 'frontend/src'))) follow(file);

    expect(reached.size).toBeGreaterThan(0);
    expect(copied.sort()).toEqual([...reached].map((f) => `shared/src/${f}`).sort());
  });

  test("when the nginx templates are read, then every ${VARIABLE} in them is one the start-up script exports and the envsubst filter lets through, and nginx's own $variables are not", () => {
    const exported = /^export (.+)$/m.exec(readFileSync(START_SCRIPT, 'utf8'))![1]!.split(/\s+/);
    const filter = new RegExp(
      /NGINX_ENVSUBST_FILTER=(\S+)/.exec(
        all(runtime, 'ENV')
          .map((e) => e.args)
          .join(' '),
      )![1]!,
    );
    for (const file of ['casino.conf.template', 'casino-headers.inc.template', 'casino-config.json.template']) {
      const text = readFileSync(join(NGINX, 'templates', file), 'utf8');
      for (const [, name] of text.matchAll(/\$\{(\w+)\}/g)) {
        expect([file, name, exported.includes(name!), filter.test(name!)]).toEqual([file, name, true, true]);
      }
      for (const [, name] of text.matchAll(/\$(\w+)/g)) expect([file, name, filter.test(name!)]).toEqual([file, name, false]);
    }
  });
});

describe('the tools image', () => {
  const stages = readDockerfile(join(ROOT, 'tools', 'Dockerfile'));
  const runtime = finalStage(stages);

  test("when its stages are read, then it shares the services' dependency layer, keeps only the tools' production dependencies and runs as a non-root user under tini", () => {
    const upToInstall = (stage: Stage) => stage.instructions.slice(0, stage.instructions.findIndex((i) => i.keyword === 'RUN') + 1);
    expect(upToInstall(stages.find((st) => st.name === 'build')!)).toEqual(
      upToInstall(readDockerfile(SERVICES_DOCKERFILE).find((st) => st.name === 'build')!),
    );
    expect(
      all(
        stages.find((st) => st.name === 'prod-deps')!,
        'RUN',
      ).at(-1)!.args,
    ).toMatch(/^npm install --omit=dev --ignore-scripts --workspace tools\b/);
    expect(isRoot(last(runtime, 'USER')!.args)).toBe(false);
    expect(words(last(runtime, 'ENTRYPOINT')!.args)).toEqual(['/usr/bin/tini', '--']);
  });

  test('when Compose runs the simulated players, then it runs them from this image', () => {
    expect(compose.services.traffic!.build).toEqual({ context: '.', dockerfile: 'tools/Dockerfile' });
  });
});

describe('the spotlight image', () => {
  const stages = readDockerfile(SPOTLIGHT_DOCKERFILE);
  const runtime = finalStage(stages);

  test("when its stages are read, then it installs the pinned package from the lock with no install scripts, sharing the services' dependency layer, and keeps only its production dependencies", () => {
    const build = stages.find((st) => st.name === 'build')!;
    const serviceBuild = readDockerfile(SERVICES_DOCKERFILE).find((st) => st.name === 'build')!;
    const upToInstall = (stage: Stage) => stage.instructions.slice(0, stage.instructions.findIndex((i) => i.keyword === 'RUN') + 1);
    expect(upToInstall(build)).toEqual(upToInstall(serviceBuild));
    expect(
      all(
        stages.find((st) => st.name === 'prod-deps')!,
        'RUN',
      ).at(-1)!.args,
    ).toMatch(/^npm install --omit=dev --ignore-scripts --workspace observability\/spotlight\b/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'observability', 'spotlight', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies['@spotlightjs/spotlight']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("when its final stage is read, then it runs as a non-root user under tini, listens on the container's interface, has the demo's heap settings and a health check on /health", () => {
    expect(isRoot(last(runtime, 'USER')!.args)).toBe(false);
    expect(words(last(runtime, 'ENTRYPOINT')!.args)).toEqual(['/usr/bin/tini', '--']);
    expect(words(last(runtime, 'CMD')!.args)).toEqual(['node', './dist/main.js']);
    const env = all(runtime, 'ENV')
      .map((e) => e.args)
      .join(' ');
    expect(env).toMatch(/(^|\s)SPOTLIGHT_HOST=0\.0\.0\.0(\s|$)/);
    expect(env).toContain(`NODE_OPTIONS="${SPOTLIGHT_NODE_OPTIONS}"`);
    expect(healthCommand(last(runtime, 'HEALTHCHECK')!.args).join(' ')).toContain("'/health'");
  });
});

describe('.dockerignore', () => {
  test('when it is read, then the build context leaves out installed and built files, local settings and secrets, run data and history', () => {
    const patterns = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(patterns).toEqual(
      expect.arrayContaining(['**/node_modules', '**/dist', '.env', '.demo', 'test-artifacts', 'coverage', '.git', 'backups']),
    );
    // What the images do need stays in.
    for (const kept of ['package.json', 'package-lock.json', 'openapi.yaml', 'shared', 'services', 'frontend'])
      expect(patterns).not.toContain(kept);
  });
});

// --- The nginx start-up script against the Node frontend server -------------------------------------

interface StartUp {
  status: number | null;
  stderr: string;
  vars: Record<string, string>;
}

/** Sources the start-up script with sh in `env` alone, as the nginx image's entrypoint does. */
function startUp(env: Record<string, string>): StartUp {
  const dir = mkdtempSync(join(tmpdir(), 'casino-nginx-'));
  try {
    const resolvConf = join(dir, 'resolv.conf');
    writeFileSync(resolvConf, 'nameserver 127.0.0.11\nnameserver fd00::53\n');
    const run = spawnSync('sh', ['-c', '. "$0" >&2 && env | grep "^CASINO_"', START_SCRIPT], {
      env: { PATH: process.env.PATH, CASINO_RESOLV_CONF: resolvConf, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    if (run.error) throw run.error;
    const vars = Object.fromEntries(
      run.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    return { status: run.status, stderr: run.stderr, vars };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const DSN = 'https://0123456789abcdef@o4500000000000001.ingest.us.sentry.io:443/4500000000000002';

const CASES: Record<string, string>[] = [
  {},
  { SENTRY_DSN: DSN },
  { SENTRY_DSN: DSN, SENTRY_DSN_FRONTEND: 'https://key@O7.Ingest.Sentry.io/8', SENTRY_SPOTLIGHT: 'TRUE', SENTRY_ORG: 'acme' },
  { SENTRY_SPOTLIGHT: 'http://spotlight.local:8969/stream', SENTRY_URL: 'https://acme.sentry.io//' },
  { SENTRY_SPOTLIGHT: 'off', SENTRY_ORG: 'acme corp/é', SENTRY_URL: 'https://sentry.example.com/' },
  { SENTRY_ENABLED: 'false', SENTRY_DSN: DSN, SENTRY_SPOTLIGHT: 'yes' },
  { SENTRY_ENABLED: '0', FRONTEND_API_URL: 'http://localhost:8080//', SENTRY_DSN: 'http://key@localhost:80/1' },
  { FRONTEND_API_URL: 'https://api.example.com', SENTRY_DSN_FRONTEND: 'https://k@api.example.com/3', SENTRY_SPOTLIGHT: '1' },
  { SENTRY_TRACES_SAMPLE_RATE: '0.25', SENTRY_REPLAYS_SESSION_SAMPLE_RATE: ' .5 ', SENTRY_REPLAYS_ON_ERROR_SAMPLE_RATE: '0' },
  { SENTRY_TRACES_SAMPLE_RATE: '1e-1', SENTRY_REPLAYS_SESSION_SAMPLE_RATE: '1.0', SENTRY_REPLAYS_ON_ERROR_SAMPLE_RATE: '0.000' },
  { SENTRY_DSN: '', SENTRY_DSN_FRONTEND: '', SENTRY_SPOTLIGHT: '', SENTRY_TRACES_SAMPLE_RATE: '' },
  { SENTRY_SPOTLIGHT: 'true', SENTRY_TRACE_LIFECYCLE: 'stream' },
  { SENTRY_DSN: DSN, SENTRY_TRACE_LIFECYCLE: 'static' },
  { SENTRY_ENABLED: 'false', SENTRY_SPOTLIGHT: 'http://localhost:9000/stream', SENTRY_TRACE_LIFECYCLE: '' },
];

const REFUSED: Record<string, string>[] = [
  { SENTRY_ENABLED: 'maybe' },
  { SENTRY_DSN: 'not a url' },
  { SENTRY_DSN_FRONTEND: 'ftp://host/1' },
  { FRONTEND_API_URL: 'localhost:8080' },
  { SENTRY_SPOTLIGHT: 'sometimes' },
  { SENTRY_TRACES_SAMPLE_RATE: '2' },
  { SENTRY_REPLAYS_SESSION_SAMPLE_RATE: '-0.1' },
  { SENTRY_REPLAYS_ON_ERROR_SAMPLE_RATE: 'half' },
  { SENTRY_URL: 'sentry.io' },
  { SENTRY_TRACE_LIFECYCLE: 'batch' },
];

describe("the frontend image's start-up script", () => {
  test.each(CASES)(
    'when the environment is %j, then /config.json and the CSP connect-src are what the Node frontend server serves',
    (env) => {
      const config = parseFrontendConfig(env);
      const got = startUp(env);
      expect([got.status, got.stderr.includes('configuration error')]).toEqual([0, false]);
      expect(JSON.parse(got.vars.CASINO_CONFIG_JSON!)).toEqual(config.runtime);
      expect(got.vars.CASINO_CONNECT_SRC).toBe(connectSources(config).join(' '));
    },
  );

  test.each(REFUSED)(
    'when the environment is %j, then the container stops with exit code 78 naming the variable, as the Node server refuses it',
    (env) => {
      const name = Object.keys(env)[0]!;
      expect(() => parseFrontendConfig(env)).toThrow(new RegExp(`^${name} `));
      const got = startUp(env);
      expect(got.status).toBe(78);
      expect(got.stderr).toContain(`configuration error: ${name} `);
    },
  );

  test('when GATEWAY_URL, FRONTEND_PORT and the nameservers are read, then nginx gets an origin to proxy to, its port and every resolver, and a gateway URL with a path is refused', () => {
    const defaults = startUp({});
    expect(defaults.vars).toMatchObject({
      CASINO_GATEWAY_URL: 'http://gateway:8080',
      CASINO_PORT: '3000',
      CASINO_RESOLVERS: '127.0.0.11 [fd00::53]',
    });
    expect(startUp({ GATEWAY_URL: 'HTTP://Gateway.casino.svc.cluster.local:8080/', FRONTEND_PORT: '8081' }).vars).toMatchObject({
      CASINO_GATEWAY_URL: 'http://gateway.casino.svc.cluster.local:8080',
      CASINO_PORT: '8081',
    });
    const refused: Record<string, string>[] = [
      { GATEWAY_URL: 'http://gateway:8080/api' },
      { GATEWAY_URL: 'http://user:pw@gateway:8080' },
      { FRONTEND_PORT: '70000' },
      { FRONTEND_PORT: 'http' },
    ];
    for (const bad of refused) {
      expect([bad, startUp(bad).status]).toEqual([bad, 78]);
    }
  });

  test("when nginx's security headers are rendered for an environment, then they are the Node frontend server's, header for header", async () => {
    const env = { SENTRY_DSN: DSN, SENTRY_SPOTLIGHT: 'true', FRONTEND_API_URL: 'http://localhost:8080' };
    const dist = mkdtempSync(join(tmpdir(), 'casino-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>casino</title>');
    const server = frontendApp(parseFrontendConfig(env), dist).listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/config.json`);
      const generic = new Set([
        'content-type',
        'content-length',
        'etag',
        'date',
        'connection',
        'keep-alive',
        'cache-control',
        'transfer-encoding',
      ]);
      const node = Object.fromEntries([...res.headers].filter(([name]) => !generic.has(name)));

      const connectSrc = startUp(env).vars.CASINO_CONNECT_SRC!;
      const template = readFileSync(join(NGINX, 'templates', 'casino-headers.inc.template'), 'utf8').replaceAll(
        '${CASINO_CONNECT_SRC}',
        connectSrc,
      );
      const nginx = Object.fromEntries(
        [...template.matchAll(/^add_header (\S+) "([^"]*)" always;$/gm)].map(([, name, value]) => [name!.toLowerCase(), value!]),
      );
      expect(nginx).toEqual(node);
    } finally {
      server.close();
      rmSync(dist, { recursive: true, force: true });
    }
  });

  test('when the nginx server block is read, then it caches as the Node server does: assets for a year, index.html and the app routes never without revalidating, /config.json not at all', () => {
    const conf = readFileSync(join(NGINX, 'templates', 'casino.conf.template'), 'utf8');
    const block = (location: string) => {
      const start = conf.indexOf(`location ${location} {`);
      expect([location, start >= 0]).toEqual([location, true]);
      return conf.slice(start, conf.indexOf('\n    }', start));
    };
    expect(block('/assets/')).toContain('add_header Cache-Control "public, max-age=31536000, immutable";');
    for (const page of ['= /', '= /console', '/console/', '= /index.html'])
      expect(block(page)).toContain('add_header Cache-Control "no-cache" always;');
    for (const page of ['= /', '= /console', '/console/']) expect(block(page)).toContain('try_files /index.html =404;');
    expect(block('= /config.json')).toContain('add_header Cache-Control "no-store" always;');
    expect(block('/api')).toContain('proxy_pass $casino_gateway;');
    // The /api answers keep the gateway's own headers, as through the Node server's proxy.
    expect(block('/api')).not.toContain('add_header');
  });
});

// --- docker-compose.yml ----------------------------------------------------------------------------

interface ComposeService {
  image?: string;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  mem_limit?: string;
  ports?: string[];
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  profiles?: string[];
  command?: string[];
  networks?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  networks: Record<string, { internal?: boolean } | null>;
}

const composeText = readFileSync(COMPOSE_FILE, 'utf8');
const compose = parseYaml(composeText, { merge: true }) as ComposeFile;
const CASINO: readonly string[] = SERVICES;
const PUBLISHED: Record<string, number> = { gateway: 8080, frontend: 3000, grafana: 3001, prometheus: 9090, spotlight: 8969 };
/** Settings only the host's CLIs read (`npm run sentry:alerts`, and `npm run demo` for its Spotlight's port), which no container needs. */
const HOST_ONLY = ['SENTRY_AUTH_TOKEN', 'SENTRY_PROJECT', 'SENTRY_UPTIME_BASE_URL', 'SENTRY_UPTIME_GATEWAY_URL', 'SPOTLIGHT_PORT'];
/** Settings of the embedded store alone, which the stack, on MongoDB, never uses. */
const EMBEDDED_ONLY = ['EMBEDDED_DATA_DIR'];
const GIB = 1024 ** 3;

function bytes(limit: string): number {
  const match = /^(\d+(?:\.\d+)?)([bkmg]?)$/i.exec(limit);
  if (!match) throw new Error(`cannot read the memory limit ${limit}`);
  return Number(match[1]) * 1024 ** 'bkmg'.indexOf((match[2] || 'b').toLowerCase());
}

/** Debian's docker-compose (1.29), with only the given env file for interpolation. */
function dockerCompose(envFile: string, ...args: string[]) {
  const run = spawnSync('docker-compose', ['--env-file', envFile, '-f', COMPOSE_FILE, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME ?? tmpdir() },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error(MISSING_COMPOSE);
  if (run.error) throw run.error;
  return { status: run.status, output: `${run.stdout}${run.stderr}`, stdout: run.stdout };
}

function withEnvFile<T>(content: string, use: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'casino-compose-'));
  try {
    const file = join(dir, '.env');
    writeFileSync(file, content);
    return use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SECRETS = `JWT_SECRET=compose-test-jwt-secret-0123456789abcdef\nADMIN_TOKEN=compose-test-admin-token\n${envLines(newServiceKeys())}`;

describe('docker-compose.yml', () => {
  test('when every service is read, then each has a memory limit, they add up to at most 2 GiB, and the comment at the top says the same', () => {
    const limits = Object.entries(compose.services).map(([name, s]) => [name, s.mem_limit] as const);
    for (const [name, limit] of limits) expect([name, typeof limit]).toEqual([name, 'string']);
    const total = limits.reduce((sum, [, limit]) => sum + bytes(limit!), 0);
    expect(total).toBeLessThanOrEqual(2 * GIB);
    const comment = composeText.slice(0, composeText.indexOf('\nservices:'));
    for (const [name, limit] of limits) expect(comment).toMatch(new RegExp(`\\b${name} ${bytes(limit!) / 1024 ** 2}\\b`));
    expect(comment).toContain(`= ${total / 1024 ** 2} MiB`);
  });

  test('when the published ports are read, then only the gateway, frontend, Grafana, Prometheus and Spotlight publish one each, on the loopback address', () => {
    const published = Object.fromEntries(
      Object.entries(compose.services)
        .filter(([, s]) => s.ports?.length)
        .map(([name, s]) => [name, s.ports!.map((p) => String(p).split(':'))]),
    );
    expect(Object.keys(published).sort()).toEqual(Object.keys(PUBLISHED).sort());
    for (const [name, ports] of Object.entries(published)) {
      expect([name, ports.length, ports[0]![0], Number(ports[0]!.at(-2))]).toEqual([name, 1, '127.0.0.1', PUBLISHED[name]]);
    }
  });

  test('when the casino services are read, then each has a health check, from its image or here, and waits for what it really needs to be healthy', () => {
    for (const name of CASINO) {
      const service = compose.services[name]!;
      expect([name, service.build?.dockerfile, service.build?.args?.SERVICE]).toEqual([name, 'services/Dockerfile', name]);
      const fromImage = last(finalStage(readDockerfile(join(ROOT, service.build!.dockerfile))), 'HEALTHCHECK');
      expect([name, Boolean(service.healthcheck?.test ?? (fromImage && service.healthcheck?.disable !== true))]).toEqual([name, true]);
      // Spotlight healthy first: the SDK stops sending to a sidecar that refused four envelopes in a row.
      const needs =
        name === 'gateway' ? ['mongo', 'redis', 'spotlight', 'user', 'game', 'payment', 'wager'] : ['mongo', 'redis', 'spotlight'];
      const dependsOn = service.depends_on as Record<string, { condition: string }>;
      for (const need of needs) expect([name, need, dependsOn[need]?.condition]).toEqual([name, need, 'service_healthy']);
    }
    for (const data of ['mongo', 'redis']) expect([data, Boolean(compose.services[data]!.healthcheck?.test)]).toEqual([data, true]);
    expect(compose.services.traffic!.profiles).toEqual(['traffic']);
    expect((compose.services.traffic!.depends_on as Record<string, { condition: string }>).gateway!.condition).toBe('service_healthy');
  });

  test("when the variables passed to the casino services and the frontend are read, then every one is a setting of envSchema, every setting reaches a container unless only the host's CLIs read it, and the secrets are required", () => {
    const settings = Object.keys(envSchema.shape);
    const passed = new Set<string>();
    for (const name of [...CASINO, 'frontend']) {
      for (const variable of Object.keys(compose.services[name]!.environment ?? {})) {
        expect([name, variable, settings.includes(variable)]).toEqual([name, variable, true]);
        passed.add(variable);
      }
    }
    for (const arg of Object.keys(compose.services.frontend!.build!.args ?? {})) passed.add(arg);
    expect(settings.filter((s) => !passed.has(s) && !HOST_ONLY.includes(s) && !EMBEDDED_ONLY.includes(s))).toEqual([]);
    expect(compose.services.gateway!.environment!.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?.+\}$/);
    expect(compose.services.gateway!.environment!.ADMIN_TOKEN).toMatch(/^\$\{ADMIN_TOKEN:\?.+\}$/);
    expect(compose.services.user!.environment!.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?.+\}$/);
    // Each caller's private key reaches that service alone; every public key is required wherever it is passed.
    for (const name of CASINO) {
      const env = compose.services[name]!.environment!;
      const own = Object.keys(env).filter((k) => k.endsWith('_SIGNING_KEY'));
      expect([name, own]).toEqual([name, name === 'user' ? [] : [`${name.toUpperCase()}_SIGNING_KEY`]]);
      for (const key of Object.keys(env).filter((k) => /_(SIGNING|PUBLIC)_KEY$/.test(k)))
        expect(env[key]).toMatch(new RegExp(`^\\$\\{${key}:\\?.+\\}$`));
    }
  });

  test('when the networks are read, then only the gateway is both on the edge and beside the services behind it, and nothing but the services, the data stores, Prometheus and Spotlight shares a network with them', () => {
    const on = (name: string) => compose.services[name]!.networks ?? ['default'];
    const reaches = (name: string, target: string) => on(name).some((n) => on(target).includes(n));
    expect(compose.networks.backend?.internal).toBe(true);
    expect(compose.networks.telemetry?.internal).toBe(true);
    for (const internal of ['user', 'game', 'payment', 'wager']) {
      expect([internal, on(internal).includes('edge')]).toEqual([internal, false]);
      const neighbours = Object.keys(compose.services).filter((n) => n !== internal && reaches(n, internal));
      expect([internal, neighbours.sort()]).toEqual([
        internal,
        ['game', 'gateway', 'mongo', 'payment', 'prometheus', 'redis', 'spotlight', 'user', 'wager'].filter((n) => n !== internal),
      ]);
    }
    for (const outside of ['frontend', 'grafana', 'traffic']) expect([outside, on(outside)]).toEqual([outside, ['edge']]);
    for (const data of ['mongo', 'redis']) expect([data, on(data)]).toEqual([data, ['backend']]);
    expect(on('gateway')).toContain('edge');
  });

  test('when the addresses inside the stack are read, then each service listens on all interfaces at the port Prometheus scrapes, and finds the others, MongoDB and Redis by their service names', () => {
    const targets = (
      parseYaml(readFileSync(join(ROOT, 'observability', 'prometheus', 'prometheus.yml'), 'utf8')) as {
        scrape_configs: { static_configs: { targets: string[] }[] }[];
      }
    ).scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    const mongoCommand = compose.services.mongo!.command!.join(' ');
    for (const name of CASINO) {
      const env = compose.services[name]!.environment!;
      expect([name, env.HOST, env.INTERNAL_HOST]).toEqual([name, '0.0.0.0', '0.0.0.0']);
      for (const peer of SERVICES) {
        const port = env[`${peer.toUpperCase()}_PORT`];
        expect(targets).toContain(`${peer}:${port}`);
        if (peer !== 'gateway') expect(env[`${peer.toUpperCase()}_URL`]).toBe(`http://${peer}:${port}`);
      }
      const mongo = new URL(String(env.MONGO_URL));
      expect(mongo.host).toBe('mongo:27017');
      expect(mongoCommand).toContain(`--replSet ${mongo.searchParams.get('replicaSet')}`);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
    }
  });

  test('when the Spotlight service is read, then it is built from the pinned package here, never pulled, hardened like the services, with a health check from its image', () => {
    const spotlight = compose.services.spotlight!;
    expect(spotlight.build).toEqual({ context: '.', dockerfile: 'observability/spotlight/Dockerfile' });
    expect(spotlight.image).toBe('casino/spotlight');
    expect(spotlight).toMatchObject({ read_only: true, cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'] });
    expect(last(finalStage(readDockerfile(SPOTLIGHT_DOCKERFILE)), 'HEALTHCHECK')).toBeDefined();
    // Every image is either built here or pinned to a version: none floats.
    for (const [name, service] of Object.entries(compose.services)) {
      expect([name, Boolean(service.build) || (/:[\w.-]+$/.test(service.image ?? '') && !/:latest$/.test(service.image ?? ''))]).toEqual([
        name,
        true,
      ]);
    }
  });

  test('when docker-compose checks the file with JWT_SECRET and ADMIN_TOKEN in a temporary .env, then it is valid', () => {
    const run = withEnvFile(SECRETS, (file) => dockerCompose(file, 'config', '-q'));
    expect([run.status, run.output]).toEqual([0, '']);
  });

  test('when docker-compose resolves the file with .env.example as .env and the two secrets set, then each casino service starts from its environment and the frontend script accepts its own', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8').replace(
      /^(JWT_SECRET|ADMIN_TOKEN|\w+_(SIGNING|PUBLIC)_KEY)=.*\n/gm,
      '',
    );
    const run = withEnvFile(example + SECRETS, (file) => dockerCompose(file, '--profile', 'traffic', 'config'));
    expect([run.status, run.output.includes('services:')]).toEqual([0, true]);
    const resolved = parseYaml(run.stdout) as ComposeFile;
    const asStrings = (env: ComposeService['environment']) =>
      Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, v == null ? '' : String(v)]));
    for (const name of SERVICES) expect(() => parseConfig(name, asStrings(resolved.services[name]!.environment))).not.toThrow();
    const frontend = asStrings(resolved.services.frontend!.environment);
    expect(parseFrontendConfig(frontend).runtime.spotlightUrl).toBe('http://localhost:8969/stream');
    expect(startUp(frontend).status).toBe(0);
    expect(resolved.services.traffic!.command!.slice(0, 4)).toEqual([
      'node',
      '/app/tools/dist/cli/traffic.js',
      '--url',
      'http://gateway:8080',
    ]);
  });

  test('when JWT_SECRET is missing, then docker-compose refuses the file and says which variable to set', () => {
    const run = withEnvFile('ADMIN_TOKEN=compose-test-admin-token\n', (file) => dockerCompose(file, 'config', '-q'));
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('JWT_SECRET');
  });
});
