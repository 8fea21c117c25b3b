/**
 * Demo data: players who registered, deposited, sometimes claimed the welcome bonus and played a
 * few dozen rounds. Seeded through the services' internal APIs, so every row comes from the real
 * code paths and the books balance by construction (wallet = ledger, wagering = stakes).
 *
 * Everything the seeder chooses (emails, names, amounts, games, stakes, idempotency keys) follows
 * from one seed number; the reels do not, since the game draws them from its own CSPRNG. Every
 * write carries a key derived from the seed, so a second run replays instead of adding rows.
 */
import jwt from 'jsonwebtoken';
import type { Config, ServiceName } from '@casino/shared/config';
import type { BonusView, GameView, MovementResult, RegisterResult, LoginResult, SpinResult } from '@casino/shared/contracts';
import { AppError } from '@casino/shared/errors';
import { type ResponseHeaders, ServiceClient } from '@casino/shared/http-client';
import { derivedRng, pick, type Rng } from '@casino/shared/random';
import { parseSigningKey, TokenSigner } from '@casino/shared/service-identity';
import { FIRST_NAMES, fitStake } from '@casino/traffic/demo-players';

export type PeerUrls = Config['urls'];
type Peer = keyof PeerUrls;
const PEERS: readonly Peer[] = ['user', 'game', 'payment', 'wager'];

export const SEED_DEFAULTS = { seed: 42, players: 100, spins: 20, concurrency: 8 } as const;

export interface SeedOptions {
  seed: number;
  players: number;
  /** Spins planned per player; a player stops early when the wallet cannot cover the next stake. */
  spins: number;
  /** Players seeded at the same time. */
  concurrency: number;
}

const WELCOME_OFFER = 'welcome-100';

/** The one password every seeded player of a seed shares. Demo data only: it is printed and documented. */
export const seedPassword = (seed: number): string => `demo-seed-${seed}-password`;

export const seedEmail = (seed: number, index: number): string => `seed${seed}-player${index}@demo.casino.test`;

export interface PlannedSpin {
  gameId: string;
  stake: number;
  key: string;
}

export interface PlayerPlan {
  index: number;
  email: string;
  displayName: string;
  deposit: { amount: number; key: string };
  /** The welcome bonus, claimed before the first spin; null for players who play without one. */
  claim: { offerId: string; key: string } | null;
  spins: PlannedSpin[];
}

/**
 * Each player draws from a stream of its own, so player 7 is the same whether 10 or 1,000 players
 * are seeded, and changing the spin count changes nothing before it.
 */
function playerRng(seed: number, index: number): Rng {
  return derivedRng(`casino-seed:${seed}:${index}`);
}

/** What the seeder will do for each player, from the seed and the game catalogue alone. */
export function planPlayers(options: Pick<SeedOptions, 'seed' | 'players' | 'spins'>, catalogue: readonly GameView[]): PlayerPlan[] {
  if (catalogue.length === 0) throw new Error('the game catalogue is empty');
  // The service's order is not part of its contract; the plan must not depend on it.
  const games = [...catalogue].sort((a, b) => a.id.localeCompare(b.id));
  const { seed } = options;
  return Array.from({ length: options.players }, (_, i) => {
    const index = i + 1;
    const rng = playerRng(seed, index);
    const key = (what: string) => `seed-${seed}-player${index}-${what}`;
    // 20 to 500 EUR in steps of 5 EUR: a single deposit stays far under the 5,000 EUR daily limit.
    const amount = (4 + rng(97)) * 500;
    const displayName = `${pick(rng, FIRST_NAMES)} ${index}`;
    const claim = rng(2) === 0 ? { offerId: WELCOME_OFFER, key: key(`claim-${WELCOME_OFFER}`) } : null;
    // Players have a usual game and bet level, sized so most deposits last the session and about
    // one player in twelve runs dry: a refused stake belongs in realistic traces too.
    const favourite = pick(rng, games);
    const level = amount / (5 + rng(20));
    const spins = Array.from({ length: options.spins }, (_, k) => {
      const game = rng(4) === 0 ? pick(rng, games) : favourite;
      return { gameId: game.id, stake: fitStake(game, level * pick(rng, [0.5, 1, 1, 1, 2])), key: key(`spin-${k}`) };
    });
    return { index, email: seedEmail(seed, index), displayName, deposit: { amount, key: key('deposit-0') }, claim, spins };
  });
}

export interface SeedSummary {
  seed: number;
  players: { planned: number; created: number; existing: number };
  deposits: { created: number; replayed: number };
  claims: { created: number; alreadyClaimed: number };
  spins: { created: number; replayed: number; wins: number; insufficientFunds: number };
  failures: { count: number; samples: string[] };
  elapsedSeconds: number;
  login: { email: string; password: string };
}

export interface SeededPlayer {
  index: number;
  email: string;
  playerId: string;
}

export interface SeedResult {
  summary: SeedSummary;
  players: SeededPlayer[];
}

/** The platform did not answer: nothing was seeded. */
export class SeedUnreachableError extends Error {
  override name = 'SeedUnreachableError';
}

/** Base URLs of the internal services of a platform listening on this machine. */
export function localPeerUrls(ports: Record<ServiceName, number>): PeerUrls {
  return Object.fromEntries(PEERS.map((s) => [s, `http://127.0.0.1:${ports[s]}`])) as PeerUrls;
}

// A rerun replays the claim by its key. These refusals mean the player got a bonus another way
// (someone claimed one by hand through the API): for the seeder, the claim is done either way.
const ALREADY_CLAIMED = new Set(['offer-already-claimed', 'bonus-active', 'deposit-already-used']);

const replayed = (headers: ResponseHeaders) => headers['idempotent-replayed'] === 'true';

const reason = (err: unknown): string => (err instanceof AppError ? `${err.status} ${err.slug}: ${err.message}` : (err as Error).message);

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * The seeder reaches the services as the gateway does, with the gateway's key: GATEWAY_SIGNING_KEY.
 * Throws SeedUsageError naming what is missing.
 */
export function gatewayAuthorization(env: NodeJS.ProcessEnv): (audience: Peer) => string {
  const text = env.GATEWAY_SIGNING_KEY;
  if (!text) throw new UsageError('seed: GATEWAY_SIGNING_KEY is not set: the seeder calls the services as the gateway does.');
  const signer = new TokenSigner('gateway', parseSigningKey(text));
  return (audience) => signer.authorization(audience);
}

/**
 * Seeds a running platform. Throws SeedUnreachableError when a service does not answer; every
 * other failure is counted in the summary and the run goes on with the next player. The timeout
 * is longer than between services: a spin is itself up to four calls deep, and registrations
 * queue behind argon2 while `concurrency` players sign up at once.
 */
export async function seedPlatform(
  urls: PeerUrls,
  options: SeedOptions,
  authorize: (audience: Peer) => string,
  timeoutMs = 30_000,
): Promise<SeedResult> {
  const started = performance.now();
  const client = Object.fromEntries(
    PEERS.map((s) => [s, new ServiceClient({ service: s, baseUrl: urls[s], timeoutMs, authorize: () => authorize(s) })]),
  ) as Record<Peer, ServiceClient>;

  await Promise.all(
    PEERS.map((s) =>
      client[s].get('/readyz').catch((err: unknown) => {
        throw new SeedUnreachableError(`the ${s} service at ${urls[s]} is not reachable (${reason(err)}). Is the platform running?`);
      }),
    ),
  );
  const { items: catalogue } = await client.game.get<{ items: GameView[] }>('/games');
  const plans = planPlayers(options, catalogue);

  const summary: SeedSummary = {
    seed: options.seed,
    players: { planned: plans.length, created: 0, existing: 0 },
    deposits: { created: 0, replayed: 0 },
    claims: { created: 0, alreadyClaimed: 0 },
    spins: { created: 0, replayed: 0, wins: 0, insufficientFunds: 0 },
    failures: { count: 0, samples: [] },
    elapsedSeconds: 0,
    login: { email: seedEmail(options.seed, 1), password: seedPassword(options.seed) },
  };
  const seeded: SeededPlayer[] = [];
  const fail = (plan: PlayerPlan, step: string, err: unknown) => {
    summary.failures.count++;
    if (summary.failures.samples.length < 5) summary.failures.samples.push(`player ${plan.index}, ${step}: ${reason(err)}`);
  };

  const playerId = async (plan: PlayerPlan): Promise<string> => {
    const password = seedPassword(options.seed);
    try {
      const { player } = await client.user.post<RegisterResult>('/players', { email: plan.email, password, displayName: plan.displayName });
      summary.players.created++;
      return player.id;
    } catch (err) {
      if (!(err instanceof AppError && err.status === 409)) throw err;
    }
    const { accessToken } = await client.user.post<LoginResult>('/sessions', { email: plan.email, password });
    // The token comes straight from the user service; the seeder has no secret to verify it with and needs none.
    const subject = (jwt.decode(accessToken) as { sub?: unknown } | null)?.sub;
    if (typeof subject !== 'string') throw new Error('the user service issued a token without a subject');
    summary.players.existing++;
    return subject;
  };

  const seedPlayer = async (plan: PlayerPlan): Promise<void> => {
    let id: string;
    try {
      id = await playerId(plan);
    } catch (err) {
      return fail(plan, 'register', err);
    }
    seeded.push({ index: plan.index, email: plan.email, playerId: id });

    try {
      const deposit = await client.payment.exchange<MovementResult>(
        'POST',
        `/wallets/${id}/deposits`,
        { amount: plan.deposit.amount },
        { idempotencyKey: plan.deposit.key },
      );
      summary.deposits[replayed(deposit.headers) ? 'replayed' : 'created']++;
    } catch (err) {
      return fail(plan, 'deposit', err);
    }

    if (plan.claim) {
      try {
        const claim = await client.wager.exchange<{ bonus: BonusView }>(
          'POST',
          `/players/${id}/bonuses`,
          { offerId: plan.claim.offerId },
          { idempotencyKey: plan.claim.key },
        );
        summary.claims[replayed(claim.headers) ? 'alreadyClaimed' : 'created']++;
      } catch (err) {
        if (err instanceof AppError && ALREADY_CLAIMED.has(err.slug)) summary.claims.alreadyClaimed++;
        else fail(plan, 'bonus claim', err);
      }
    }

    for (const [k, spin] of plan.spins.entries()) {
      try {
        const round = await client.game.exchange<SpinResult>(
          'POST',
          `/players/${id}/games/${spin.gameId}/spins`,
          { stake: spin.stake },
          { idempotencyKey: spin.key },
        );
        summary.spins[replayed(round.headers) ? 'replayed' : 'created']++;
        if (round.body.win > 0) summary.spins.wins++;
      } catch (err) {
        // Running dry is how a player's session ends; anything else stops this player and is reported.
        if (err instanceof AppError && err.slug === 'insufficient-funds') summary.spins.insufficientFunds++;
        else fail(plan, `spin ${k}`, err);
        return;
      }
    }
  };

  await eachLimited(plans, Math.max(1, options.concurrency), seedPlayer);
  summary.elapsedSeconds = Math.round((performance.now() - started) / 100) / 10;
  return { summary, players: seeded.sort((a, b) => a.index - b.index) };
}

const n = (value: number) => value.toLocaleString('en-US');

/** A few lines for a person: what is there now, what this run added, and how to log in. */
export function formatSummary(s: SeedSummary): string {
  const nothingNew = s.players.created + s.deposits.created + s.claims.created + s.spins.created === 0;
  return [
    `Demo data, seed ${s.seed}: ${nothingNew && s.failures.count === 0 ? 'already there, nothing added' : 'seeded'} in ${s.elapsedSeconds.toFixed(1)} s`,
    `  players   ${n(s.players.planned)} (${n(s.players.created)} new, ${n(s.players.existing)} already there)`,
    `  deposits  ${n(s.deposits.created + s.deposits.replayed)} (${n(s.deposits.created)} new, ${n(s.deposits.replayed)} replayed)`,
    `  bonuses   ${n(s.claims.created + s.claims.alreadyClaimed)} welcome bonuses (${n(s.claims.created)} new, ${n(s.claims.alreadyClaimed)} already claimed)`,
    `  spins     ${n(s.spins.created + s.spins.replayed)} rounds (${n(s.spins.created)} new, ${n(s.spins.replayed)} replayed), ${n(s.spins.wins)} wins; ` +
      `${n(s.spins.insufficientFunds)} players ran out of funds`,
    `  failures  ${n(s.failures.count)}${s.failures.samples.map((f) => `\n    ${f}`).join('')}`,
    `  log in    ${s.login.email} / ${s.login.password} (demo data only: every seeded player of this seed has that password)`,
  ].join('\n');
}

/** Kept under the seeder's names for its callers; the flags themselves are every CLI's. */
export { numberFlag, UsageError as SeedUsageError } from './cli-flags';
import { UsageError } from './cli-flags';
