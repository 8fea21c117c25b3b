/**
 * `npm run demo`: the whole platform on this machine with nothing else installed. Starts Spotlight
 * (the local trace viewer) and the five services as separate processes, waits until each is ready,
 * prints where to go, and stops them all on Ctrl-C or SIGTERM.
 *
 *   npm run demo -- --no-spotlight   without the trace viewer (as SENTRY_SPOTLIGHT=false)
 *   npm run demo -- --json           the processes' JSON log lines, untouched
 *   npm run demo -- --seed[=N]       demo players and history before the banner
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, demoSpotlightPort, parseConfig, parseFrontendConfig, readDotEnv } from '@casino/shared/config';
import { type FrontendRuntimeConfig, traceUrl } from '@casino/shared/frontend-runtime-config';
import { type FrontendServer, startFrontendServer } from '../frontend-server';
import { DEMO_RESTARTS, launch, type ProcessName, repoRoot } from '../launcher';
import { MAX_SEED } from '@casino/traffic/demo-players';
import { ensureServiceKeys } from '../service-keys';
import { formatSummary, gatewayAuthorization, localPeerUrls, numberFlag, SEED_DEFAULTS, seedPlatform, SeedUsageError } from '../seed';
import { helpRequested } from '../cli-flags';

const USAGE = `usage: npm run demo -- [--no-spotlight] [--json] [--seed[=N]]
  --no-spotlight   without the trace viewer (as SENTRY_SPOTLIGHT=false)
  --json           the processes' JSON log lines, untouched
  --seed[=N]       demo players and history before the banner (seed ${SEED_DEFAULTS.seed} unless N is given)`;

const COLORS: Record<ProcessName, string> = { gateway: '36', user: '35', game: '33', payment: '32', wager: '34', spotlight: '95' };
const LEVEL_COLORS: Record<string, string> = { error: '31', fatal: '31', warn: '33', debug: '90' };

const json = process.argv.includes('--json');
const tty = process.stdout.isTTY;
const paint = (code: string, text: string) => (tty ? `\x1b[${code}m${text}\x1b[0m` : text);

/** The trace links the demo prints: set once the trace viewer is known. */
let traceLinks: Pick<FrontendRuntimeConfig, 'traceUrlTemplate'> = { traceUrlTemplate: null };

/**
 * One readable line per log record; `--json` prints the JSON lines untouched. The gateway's line
 * for each request carries the link to its trace (the X-Trace-Id its client got), the other
 * services' lines the trace id alone.
 */
function show(service: ProcessName, line: string): void {
  if (json) return void process.stdout.write(`${line}\n`);
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return void process.stdout.write(`${paint(COLORS[service], service.padEnd(8))} ${line}\n`);
  }
  const time = typeof record.time === 'string' ? record.time.slice(11, 19) : '';
  const level = String(record.level ?? 'info');
  const traceId = typeof record.trace_id === 'string' ? record.trace_id : undefined;
  const linked = traceId && service === 'gateway' && record.res ? (traceUrl(traceLinks, traceId) ?? traceId) : traceId;
  const trace = linked ? paint('90', ` trace=${linked}`) : '';
  const err = record.err && typeof record.err === 'object' ? ` ${(record.err as { message?: string }).message ?? ''}` : '';
  process.stdout.write(
    `${paint('90', time)} ${paint(COLORS[service], service.padEnd(8))} ${paint(LEVEL_COLORS[level] ?? '0', level.padEnd(5))} ${String(record.msg ?? '')}${err}${trace}\n`,
  );
}

async function main(): Promise<void> {
  if (helpRequested(USAGE)) return;
  // `--seed` or `--seed=N`: checked before anything starts.
  const seed = numberFlag(process.argv, 'seed', 0, MAX_SEED);
  const root = repoRoot();
  const env: NodeJS.ProcessEnv = { ...readDotEnv(root), ...process.env };
  if (process.argv.includes('--no-spotlight')) env.SENTRY_SPOTLIGHT = 'false';
  // The demo's own Spotlight, unless the SDK is off or SENTRY_SPOTLIGHT says otherwise; the services
  // and the browser send to it.
  const spotlightPort = demoSpotlightPort(env);
  if (spotlightPort !== undefined) env.SENTRY_SPOTLIGHT = `http://localhost:${spotlightPort}/stream`;
  // Secrets are never shipped: without them, a run gets its own random ones.
  env.JWT_SECRET ||= randomBytes(48).toString('base64url');
  let adminTokenFile: string | undefined;
  if (!env.ADMIN_TOKEN) {
    env.ADMIN_TOKEN = randomBytes(24).toString('base64url');
    mkdirSync(join(root, '.demo'), { recursive: true });
    adminTokenFile = join(root, '.demo', 'admin-token');
    writeFileSync(adminTokenFile, env.ADMIN_TOKEN, { mode: 0o600 });
    chmodSync(adminTokenFile, 0o600);
  }
  // The services' identity keys likewise, kept where `npm run seed` finds them.
  const keysFile = ensureServiceKeys(env, root);
  // The embedded store journals to disk, so a service the demo restarts finds its data: in a
  // folder of this run's own, removed when it stops, unless EMBEDDED_DATA_DIR names one to keep.
  const runData = !env.MONGO_URL && !env.EMBEDDED_DATA_DIR ? mkdtempSync(join(tmpdir(), 'casino-demo-data-')) : undefined;
  if (runData) {
    env.EMBEDDED_DATA_DIR = runData;
    // However the demo ends short of being killed outright: stopped, or failing to start.
    process.once('exit', () => rmSync(runData, { recursive: true, force: true }));
  }

  let stopping = false;
  let running = false;
  const platform = await launch({
    env,
    root,
    ...(spotlightPort !== undefined ? { spotlightPort } : {}),
    onLine: (service, line) => show(service, line),
    // A service that dies is started again with backoff while the others keep serving; one in a
    // crash loop stops the platform, saying so. Spotlight is not restarted.
    restart: DEMO_RESTARTS,
    onExit: (service, code, signal) => {
      // Before the platform is up, launch() itself reports the failure and stops the rest.
      if (stopping || !running) return;
      const why = signal ?? `exit ${code}`;
      if (service !== 'spotlight') return void console.error(`${service} stopped unexpectedly (${why}).`);
      console.error(`Spotlight stopped unexpectedly (${why}); stopping the platform.`);
      void shutdown(1);
    },
    onRestart: (service, attempt, delayMs) => {
      if (!stopping && running)
        console.error(
          `Restarting ${service} in ${(delayMs / 1000).toFixed(2)} s (restart ${attempt} of ${DEMO_RESTARTS.maxRestarts} a minute).`,
        );
    },
    onGiveUp: (service, restarts) => {
      if (stopping) return;
      console.error(
        `${service} keeps crashing (${restarts} restarts within a minute): giving up and stopping the platform. Its last lines above say why.`,
      );
      void shutdown(1);
    },
  }).catch((err: Error) => {
    console.error(err instanceof ConfigError ? `configuration error: ${err.message}` : `The platform did not start: ${err.message}`);
    process.exit(1);
  });

  let frontend: FrontendServer | undefined;
  async function shutdown(code: number) {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping every service...\n');
    await frontend?.close();
    await platform.stop();
    process.stdout.write('All services stopped.\n');
    process.exit(code);
  }
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  running = true;

  // The web frontend, on FRONTEND_PORT, passing /api on to the gateway this run started.
  const settings = parseFrontendConfig({ ...env, GATEWAY_URL: env.GATEWAY_URL || `http://127.0.0.1:${platform.ports.gateway}` });
  traceLinks = settings.runtime;
  try {
    frontend = await startFrontendServer(settings, join(root, 'frontend', 'dist'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    console.error(
      `The frontend did not start: ${e.code === 'EADDRINUSE' ? `port ${env.FRONTEND_PORT || 3000} is in use (set FRONTEND_PORT)` : e.message}`,
    );
    await shutdown(1);
    return;
  }

  // Demo data before the banner, so the banner stays the last thing on screen.
  if (seed !== undefined) {
    const options = { ...SEED_DEFAULTS, seed: seed === true ? SEED_DEFAULTS.seed : seed };
    const seeded = await seedPlatform(localPeerUrls(platform.ports), options, gatewayAuthorization(env)).catch((err: Error) => err);
    process.stdout.write(seeded instanceof Error ? `\nDemo data not seeded: ${seeded.message}\n` : `\n${formatSummary(seeded.summary)}\n`);
  }

  const gw = `http://localhost:${platform.ports.gateway}`;
  const lobby = frontend.url.replace('127.0.0.1', 'localhost');
  const sentry = !parseConfig('gateway', env).sentry.enabled
    ? 'off (SENTRY_ENABLED=false)'
    : env.SENTRY_DSN
      ? 'sending to your DSN'
      : 'no DSN: nothing leaves this machine';
  const spotlight = platform.spotlight
    ? `${platform.spotlight.url}  traces, errors, logs, profiles`
    : settings.runtime.spotlightUrl
      ? `sending to ${settings.runtime.spotlightUrl}`
      : undefined;
  process.stdout.write(
    [
      '',
      paint('1', `Casino platform ready in ${(platform.readyAfterMs / 1000).toFixed(1)} s`),
      `  Lobby        ${lobby}`,
      `  Ops console  ${lobby}/console`,
      ...(spotlight ? [`  Spotlight    ${spotlight}`] : []),
      `  API          ${gw}/api/v1`,
      `  Swagger UI   ${gw}/api-docs`,
      `  Health       ${gw}/health`,
      `  Metrics      ${gw}/metrics`,
      `  Services     user :${platform.ports.user}  game :${platform.ports.game}  payment :${platform.ports.payment}  wager :${platform.ports.wager} (internal)`,
      `  Sentry       ${sentry}`,
      adminTokenFile ? `  Admin token  generated for this run, in ${adminTokenFile}` : '  Admin token  from ADMIN_TOKEN',
      keysFile ? `  Service keys generated for this run, in ${keysFile}` : '  Service keys from *_SIGNING_KEY and *_PUBLIC_KEY',
      ...(settings.runtime.traceViewer
        ? [`  Spin in the lobby, then open its trace from the ops console's Recent traces (${settings.runtime.traceViewer}).`]
        : []),
      '  Ctrl-C stops everything.',
      '',
    ].join('\n') + '\n',
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `configuration error: ${err.message}` : err instanceof SeedUsageError ? err.message : err);
  process.exit(1);
});
