import { AppError, type Config, parseInput, type Schema } from '@casino/shared';
import { MAX_SEED } from '@casino/traffic/demo-players';
import { TRAFFIC_DEFAULTS } from '@casino/traffic/behaviour';
import { startTraffic, type TrafficRun, type TrafficStatus } from '@casino/traffic/runner';
import * as Sentry from '@sentry/node';
import { Router } from 'express';
import { z } from 'zod';

/** Bounded so one click in the ops console cannot take the demo machine down. */
export const TRAFFIC_LIMITS = { players: 200, durationSeconds: 3600, thinkMs: 60_000 } as const;

const whole = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);
const trafficBody = z.strictObject({
  players: whole(1, TRAFFIC_LIMITS.players, 10),
  durationSeconds: whole(1, TRAFFIC_LIMITS.durationSeconds, TRAFFIC_DEFAULTS.durationSeconds),
  seed: whole(0, MAX_SEED, TRAFFIC_DEFAULTS.seed),
  thinkMs: whole(0, TRAFFIC_LIMITS.thinkMs, TRAFFIC_DEFAULTS.thinkMs),
});

/** How long DELETE waits for requests in flight before answering with the run still stopping. */
const STOP_WAIT_MS = 5_000;

/** The gateway's own address as seen from inside its process. */
function selfUrl(config: Config): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}

/**
 * The traffic generator, run inside the gateway for the ops console: simulated players against
 * this gateway's public API, like outside clients. At most one run at a time. Mounted under
 * /api/v1/admin, behind the admin guard: every route here starts, reads or stops load on the platform.
 */
export function trafficRoutes({ config }: { config: Config }): Router {
  const router = Router();
  let run: TrafficRun | undefined;
  let starting = false;
  const status = (): TrafficStatus | { state: 'idle' } => (run?.status() ?? { state: 'idle' }) satisfies Schema<'TrafficStatus'>;
  const busy = () => starting || (run !== undefined && run.status().state !== 'finished');

  router.post('/traffic', async (req, res) => {
    const options = parseInput(trafficBody, req.body ?? {});
    if (busy())
      throw AppError.conflict('traffic-running', 'A traffic run is already going; stop it first with DELETE /api/v1/admin/traffic.');
    starting = true;
    try {
      // Outside this request's trace, and with no spans for the generator's own calls: each
      // simulated request then starts a trace of its own at the gateway, as an outside client's does.
      run = await Sentry.withActiveSpan(null, () => Sentry.suppressTracing(() => startTraffic({ url: selfUrl(config), ...options })));
    } catch (err) {
      throw new AppError(503, {
        slug: 'traffic-unavailable',
        title: 'Service unavailable',
        detail: `The traffic run could not start: ${(err as Error).message}.`,
        cause: err,
      });
    } finally {
      starting = false;
    }
    // A failure inside a player is a bug; it surfaces in the status, not as an unhandled rejection.
    run.done.catch(() => undefined);
    res.status(201).json(status());
  });

  router.get('/traffic', (_req, res) => {
    res.json(status());
  });

  router.delete('/traffic', async (_req, res) => {
    if (run && run.status().state !== 'finished') {
      await Promise.race([run.stop(), new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
    }
    res.json(status());
  });

  return router;
}
