/**
 * `npm run bench`: what the platform costs, measured in one run on this machine. Starts the five
 * services with the Sentry SDK off, then on (tracing every request, nothing sent), and for each:
 * time until every service is ready, latency of sequential spins through the gateway, and each
 * service's resident memory afterwards. Prints the figures and the on/off ratios.
 *
 *   npm run bench -- --spins 200 --warmup 20
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { SERVICES, type ServiceName } from '@casino/shared/config';
import { freePorts, launch } from '../launcher';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? NaN : Number(process.argv[i + 1]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const SPINS = arg('spins', 200);
const WARMUP = arg('warmup', 20);

async function json<T>(url: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  return { status: res.status, body: (await res.json()) as T };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

interface Figures {
  readyMs: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  perSecond: number;
  rssMb: Record<ServiceName, number>;
}

async function measure(label: string, extra: NodeJS.ProcessEnv): Promise<Figures> {
  const ports = await freePorts(SERVICES.length);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ADMIN_TOKEN: randomBytes(24).toString('base64url'),
    ...Object.fromEntries(SERVICES.map((s, i) => [`${s.toUpperCase()}_PORT`, String(ports[i])])),
    ...extra,
  };
  process.stdout.write(`${label}: starting the five services... `);
  const platform = await launch({ env });
  process.stdout.write(`ready in ${(platform.readyAfterMs / 1000).toFixed(2)} s; ${WARMUP} warm-up and ${SPINS} measured spins... `);
  const api = `http://127.0.0.1:${platform.ports.gateway}/api/v1`;
  try {
    const reg = await json<{ accessToken: string }>(`${api}/auth/register`, {
      method: 'POST',
      body: JSON.stringify({ email: `bench-${randomUUID()}@example.com`, password: randomBytes(12).toString('base64url') }),
    });
    const auth = { authorization: `Bearer ${reg.body.accessToken}` };
    await json(`${api}/wallet/deposits`, { method: 'POST', headers: auth, body: JSON.stringify({ amount: (SPINS + WARMUP) * 100 }) });
    const times: number[] = [];
    for (let i = 0; i < WARMUP + SPINS; i++) {
      const t0 = performance.now();
      const spin = await json(`${api}/games/lucky-sevens/spins`, {
        method: 'POST',
        headers: { ...auth, 'idempotency-key': randomUUID() },
        body: JSON.stringify({ stake: 100 }),
      });
      if (spin.status !== 201) throw new Error(`spin answered ${spin.status}`);
      if (i >= WARMUP) times.push(performance.now() - t0);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const total = times.reduce((a, b) => a + b, 0);
    const rssMb = Object.fromEntries(
      await Promise.all(
        SERVICES.map(async (s) => {
          const health = await json<{ components: { memory: { rssBytes: number } } }>(`http://127.0.0.1:${platform.ports[s]}/health`);
          return [s, health.body.components.memory.rssBytes / 1024 / 1024] as const;
        }),
      ),
    ) as Record<ServiceName, number>;
    process.stdout.write('done\n');
    return {
      readyMs: platform.readyAfterMs,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      mean: total / times.length,
      perSecond: (times.length / total) * 1000,
      rssMb,
    };
  } finally {
    await platform.stop();
  }
}

async function main(): Promise<void> {
  const off = await measure('SDK off', { SENTRY_ENABLED: 'false' });
  const on = await measure('SDK on ', { SENTRY_ENABLED: 'true', SENTRY_TRACES_SAMPLE_RATE: '1' });
  const row = (name: string, a: number, b: number, unit: string, digits = 1) =>
    `${name.padEnd(28)}${a.toFixed(digits).padStart(10)}${b.toFixed(digits).padStart(10)}  ${unit.padEnd(6)}${(b / a).toFixed(2).padStart(7)}x`;
  const lines = [
    '',
    `${SPINS} sequential spins through the gateway (each: gateway, game, user, payment twice if it wins, wager)`,
    `${''.padEnd(28)}${'SDK off'.padStart(10)}${'SDK on'.padStart(10)}  ${'unit'.padEnd(6)}${'on/off'.padStart(8)}`,
    row('time until all ready', off.readyMs / 1000, on.readyMs / 1000, 's', 2),
    row('spin latency p50', off.p50, on.p50, 'ms'),
    row('spin latency p95', off.p95, on.p95, 'ms'),
    row('spin latency p99', off.p99, on.p99, 'ms'),
    row('spins per second (serial)', off.perSecond, on.perSecond, '/s'),
    ...SERVICES.map((s) => row(`RSS ${s}`, off.rssMb[s], on.rssMb[s], 'MB')),
    row('RSS, all five', sum(off.rssMb), sum(on.rssMb), 'MB'),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

const sum = (r: Record<ServiceName, number>) => Object.values(r).reduce((a, b) => a + b, 0);

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
