import { randomUUID } from 'node:crypto';
import {
  AppError,
  annotate,
  Attr,
  type Cache,
  type Config,
  limitsBody,
  loginBody,
  type Metrics,
  parseInput,
  playerIdParam,
  type PlayerStatus,
  registerBody,
  scenarioApplied,
  type Scenarios,
  selfExclusionBody,
  signAccessToken,
} from '@casino/shared';
import { Router } from 'express';
import { hashPassword, verifyPassword } from '../domain/credentials';
import { DEFAULT_DAILY_DEPOSIT_LIMIT, defaultDisplayName, type Player, selfExclusionEnd, toProfile, toStatus } from '../domain/players';
import { EmailTakenError, type PlayerRepository } from '../data/player-repository';

export interface PlayerRouteDeps {
  players: PlayerRepository;
  config: Config;
  cache: Cache;
  metrics: Metrics;
  scenarios: Scenarios;
  now?: () => Date;
}

// Status is read on every spin and deposit; a short TTL keeps Redis useful without going stale.
const STATUS_TTL_SECONDS = 30;
const statusKey = (id: string) => `player-status:${id}`;

export function playerRoutes({ players, config, cache, metrics, scenarios, now = () => new Date() }: PlayerRouteDeps): Router {
  const router = Router();

  const found = async (id: string, slow?: { ms: number }): Promise<Player> => {
    const player = await players.byId(id, { slow });
    if (!player) throw AppError.notFound('player-not-found', 'No such player.');
    return player;
  };

  const issueToken = (id: string) => signAccessToken(id, config.jwt.secret, config.jwt.expiresInSeconds);

  router.post('/players', async (req, res) => {
    const body = parseInput(registerBody, req.body);
    const player: Player = {
      id: randomUUID(),
      email: body.email,
      displayName: body.displayName ?? defaultDisplayName(body.email),
      createdAt: now(),
      selfExcludedUntil: null,
      dailyDepositLimit: DEFAULT_DAILY_DEPOSIT_LIMIT,
    };
    try {
      await players.create(player, await hashPassword(body.password));
    } catch (err) {
      if (err instanceof EmailTakenError) throw AppError.conflict('email-taken', 'An account with this email already exists.');
      throw err;
    }
    annotate({ [Attr.playerId]: player.id });
    metrics.count('registrations');
    res.status(201).json({ player: toProfile(player), accessToken: issueToken(player.id) });
  });

  router.post('/sessions', async (req, res) => {
    const body = parseInput(loginBody, req.body);
    const found = await players.credentialsByEmail(body.email);
    const ok = await verifyPassword(found?.passwordHash, body.password);
    if (!found || !ok) {
      metrics.count('logins', { result: 'failure' });
      throw new AppError(401, { slug: 'invalid-credentials', title: 'Unauthorized', detail: 'Email or password is wrong.' });
    }
    annotate({ [Attr.playerId]: found.player.id });
    metrics.count('logins', { result: 'success' });
    res.json({ accessToken: issueToken(found.player.id), tokenType: 'Bearer', expiresIn: config.jwt.expiresInSeconds });
  });

  router.get('/players/:playerId', async (req, res) => {
    res.json(toProfile(await found(playerIdParam(req))));
  });

  router.get('/players/:playerId/status', async (req, res) => {
    const id = playerIdParam(req);
    const slow = scenarios.active('slow-query');
    if (slow) {
      // The slow read must really reach the store, so the status cache is neither read nor written.
      scenarioApplied('slow-query');
      res.json(toStatus(await found(id, slow), now()));
      return;
    }
    const cached = await cache.getJson<{ selfExcludedUntil: string | null; dailyDepositLimit: number }>(statusKey(id));
    if (cached) {
      const until = cached.selfExcludedUntil ? new Date(cached.selfExcludedUntil) : null;
      res.json(toStatus({ id, selfExcludedUntil: until, dailyDepositLimit: cached.dailyDepositLimit }, now()));
      return;
    }
    const player = await found(id);
    await cache.setJson(
      statusKey(id),
      { selfExcludedUntil: player.selfExcludedUntil, dailyDepositLimit: player.dailyDepositLimit },
      STATUS_TTL_SECONDS,
    );
    res.json(toStatus(player, now()));
  });

  const changeStatus = async (
    id: string,
    changes: Partial<Pick<Player, 'selfExcludedUntil' | 'dailyDepositLimit'>>,
  ): Promise<PlayerStatus> => {
    const player = await players.update(id, changes, now());
    if (!player) throw AppError.notFound('player-not-found', 'No such player.');
    await cache.del(statusKey(id));
    return toStatus(player, now());
  };

  router.put('/players/:playerId/limits', async (req, res) => {
    const id = playerIdParam(req);
    const body = parseInput(limitsBody, req.body);
    res.json(await changeStatus(id, { dailyDepositLimit: body.dailyDepositLimit }));
  });

  router.post('/players/:playerId/self-exclusion', async (req, res) => {
    const id = playerIdParam(req);
    const body = parseInput(selfExclusionBody, req.body);
    const player = await found(id);
    // An exclusion can be extended but never shortened.
    const until = selfExclusionEnd(now(), body.days);
    const keep = player.selfExcludedUntil && player.selfExcludedUntil > until ? player.selfExcludedUntil : until;
    res.json(await changeStatus(id, { selfExcludedUntil: keep }));
  });

  return router;
}
