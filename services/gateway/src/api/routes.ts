import { randomUUID } from 'node:crypto';
import {
  AppError,
  type Cache,
  type Config,
  depositBody,
  idempotencyKey as idempotencyKeySchema,
  limitsBody,
  listLimit,
  loginBody,
  parseHeader,
  parseInput,
  type Query,
  type RequestBody,
  registerBody,
  selfExclusionBody,
  type ServiceClient,
  slug,
  spinBody,
  TRANSACTION_TYPES,
  withdrawalBody,
} from '@casino/shared';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { Upstreams } from '../data/upstreams';
import type { GatewayFaults } from '../scenarios';
import { admitSpins } from './admission';
import { requirePlayer } from './auth';
import { FailureThrottle, throttled } from './failure-throttle';
import { authRateLimit } from './rate-limit';

export interface ApiDeps {
  config: Config;
  cache: Cache;
  upstreams: Upstreams;
  faults: GatewayFaults;
}

const emptyBody = z.strictObject({});
const limitQuery = z.strictObject({ limit: listLimit });
const transactionsQuery = z.strictObject({ limit: listLimit, type: z.enum(TRANSACTION_TYPES).optional() });

/** Failed logins an account may have in a window before it must wait for the window's end. */
export const LOGIN_FAILURES = { limit: 5, windowMs: 15 * 60_000 };

/** The public API, /api/v1: validates everything, then forwards to the service that owns it. */
export function apiRoutes({ config, cache, upstreams, faults }: ApiDeps): Router {
  const { user, game, payment, wager } = upstreams;
  const api = Router();
  const player = requirePlayer(config.jwt.secret);
  const limited = authRateLimit(cache, config.rateLimitAuthPerMinute, config.jwt.secret);
  const spinsAdmitted = admitSpins({ perPlayer: config.spinsInFlightPerPlayer, total: config.spinsInFlight });
  const logins = new FailureThrottle({ cache, secret: config.jwt.secret, name: 'login-failures', ...LOGIN_FAILURES });
  const me = (res: Response) => res.locals.playerId as string;

  /**
   * The client's Idempotency-Key, namespaced so it can never collide with a key the services
   * derive themselves; without one, a fresh key (the request is then not replay-safe).
   */
  const keyFrom = (req: Request) => {
    const given = req.get('idempotency-key');
    return `client:${given === undefined ? randomUUID() : parseHeader(idempotencyKeySchema, given, 'Idempotency-Key')}`;
  };

  const forward = async (
    res: Response,
    client: ServiceClient,
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    key?: string,
    query?: Record<string, string | number | undefined>,
  ) => {
    const answer = await client.exchange(method, path, body, { idempotencyKey: key, query, holdAnswerMs: faults.upstreamHoldMs(client) });
    if (answer.headers['idempotent-replayed']) res.setHeader('idempotent-replayed', 'true');
    res.status(answer.status).json(answer.body);
  };

  // ---- auth
  api.post('/auth/register', limited, async (req, res) => {
    await forward(res, user, 'POST', '/players', parseInput(registerBody, req.body) satisfies RequestBody<'/api/v1/auth/register', 'post'>);
  });
  api.post('/auth/login', limited, async (req, res) => {
    const body = parseInput(loginBody, req.body) satisfies RequestBody<'/api/v1/auth/login', 'post'>;
    // Per account as well as per address: a fresh address for each guess gains nothing.
    const account = body.email.toLowerCase();
    const wait = await logins.retryAfter(account);
    if (wait) throw throttled(res, wait, `Too many failed logins for this account; try again in ${wait} s.`);
    try {
      await forward(res, user, 'POST', '/sessions', body);
    } catch (err) {
      if (err instanceof AppError && err.status === 401) await logins.failed(account);
      throw err;
    }
    await logins.succeeded(account);
  });

  // ---- the player
  api.get('/me', player, async (_req, res) => {
    await forward(res, user, 'GET', `/players/${me(res)}`);
  });
  api.put('/me/limits', player, async (req, res) => {
    await forward(
      res,
      user,
      'PUT',
      `/players/${me(res)}/limits`,
      parseInput(limitsBody, req.body) satisfies RequestBody<'/api/v1/me/limits', 'put'>,
    );
  });
  api.post('/me/self-exclusion', player, async (req, res) => {
    await forward(
      res,
      user,
      'POST',
      `/players/${me(res)}/self-exclusion`,
      parseInput(selfExclusionBody, req.body) satisfies RequestBody<'/api/v1/me/self-exclusion', 'post'>,
    );
  });

  // ---- wallet
  api.get('/wallet', player, async (_req, res) => {
    await forward(res, payment, 'GET', `/wallets/${me(res)}`);
  });
  api.get('/wallet/transactions', player, async (req, res) => {
    const query = parseInput(transactionsQuery, req.query, 'query') satisfies Query<'/api/v1/wallet/transactions'>;
    await forward(res, payment, 'GET', `/wallets/${me(res)}/transactions`, undefined, undefined, query);
  });
  api.post('/wallet/deposits', player, async (req, res) => {
    const key = keyFrom(req);
    await forward(
      res,
      payment,
      'POST',
      `/wallets/${me(res)}/deposits`,
      parseInput(depositBody, req.body) satisfies RequestBody<'/api/v1/wallet/deposits', 'post'>,
      key,
    );
  });
  api.post('/wallet/withdrawals', player, async (req, res) => {
    const key = keyFrom(req);
    await forward(
      res,
      payment,
      'POST',
      `/wallets/${me(res)}/withdrawals`,
      parseInput(withdrawalBody, req.body) satisfies RequestBody<'/api/v1/wallet/withdrawals', 'post'>,
      key,
    );
  });

  // ---- games
  api.get('/games', async (_req, res) => {
    await forward(res, game, 'GET', '/games');
  });
  api.get('/games/:gameId', async (req, res) => {
    await forward(res, game, 'GET', `/games/${parseInput(slug, req.params.gameId, 'game id', 'gameId')}`);
  });
  api.post('/games/:gameId/spins', player, spinsAdmitted, async (req, res) => {
    const gameId = parseInput(slug, req.params.gameId, 'game id', 'gameId');
    const key = keyFrom(req);
    await forward(
      res,
      game,
      'POST',
      `/players/${me(res)}/games/${gameId}/spins`,
      parseInput(spinBody, req.body) satisfies RequestBody<'/api/v1/games/{gameId}/spins', 'post'>,
      key,
    );
  });
  api.get('/rounds', player, async (req, res) => {
    const query = parseInput(limitQuery, req.query, 'query') satisfies Query<'/api/v1/rounds'>;
    await forward(res, game, 'GET', `/players/${me(res)}/rounds`, undefined, undefined, query);
  });

  // ---- bonuses
  api.get('/bonuses/offers', player, async (_req, res) => {
    await forward(res, wager, 'GET', '/offers');
  });
  api.post('/bonuses/offers/:offerId/claim', player, async (req, res) => {
    const offerId = parseInput(slug, req.params.offerId, 'offer id', 'offerId');
    parseInput(emptyBody, req.body ?? {}) satisfies RequestBody<'/api/v1/bonuses/offers/{offerId}/claim', 'post'>;
    const key = keyFrom(req);
    await forward(res, wager, 'POST', `/players/${me(res)}/bonuses`, { offerId }, key);
  });
  api.get('/bonuses/active', player, async (_req, res) => {
    await forward(res, wager, 'GET', `/players/${me(res)}/bonuses/active`);
  });
  api.get('/bonuses', player, async (req, res) => {
    const query = parseInput(limitQuery, req.query, 'query') satisfies Query<'/api/v1/bonuses'>;
    await forward(res, wager, 'GET', `/players/${me(res)}/bonuses`, undefined, undefined, query);
  });

  return api;
}
