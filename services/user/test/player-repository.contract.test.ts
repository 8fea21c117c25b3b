import { randomUUID } from 'node:crypto';
import { describeEachStore } from '@casino/shared/testing/stores';
import { EmailTakenError, PlayerRepository } from '../src/data/player-repository';
import { DEFAULT_DAILY_DEPOSIT_LIMIT, type Player } from '../src/domain/players';

/** A new player with a random id and email, created a second ago. */
function newPlayer(changes: Partial<Player> = {}): Player {
  const tag = randomUUID().slice(0, 8);
  return {
    id: randomUUID(),
    email: `Player.${tag}@Example.com`,
    displayName: `Player ${tag}`,
    createdAt: new Date(Math.floor(Date.now() / 1_000) * 1_000 - 1_000),
    selfExcludedUntil: null,
    dailyDepositLimit: DEFAULT_DAILY_DEPOSIT_LIMIT,
    pendingDepositLimit: null,
    ...changes,
  };
}

// Players and their credentials, held to the same behaviour on every store.
describeEachStore('player repository', (backend) => {
  const opened = backend.use((store) => ({ players: new PlayerRepository(store) }));

  describe('creating and reading', () => {
    test('when a player is created, then they are found by id and by email, as created, with their password hash', async () => {
      const { players } = opened();
      const player = newPlayer();

      await players.create(player, '$argon2id$hash-1');

      expect(await players.byId(player.id)).toEqual(player);
      expect(await players.credentialsByEmail(player.email)).toEqual({ player, passwordHash: '$argon2id$hash-1' });
    });

    test('when the email is looked up in another case or with spaces around it, then it is the same player', async () => {
      const { players } = opened();
      const player = newPlayer();
      await players.create(player, 'hash');

      const upper = await players.credentialsByEmail(player.email.toUpperCase());
      const padded = await players.credentialsByEmail(`  ${player.email.toLowerCase()} `);

      expect(upper?.player.id).toBe(player.id);
      expect(padded?.player.id).toBe(player.id);
    });

    test('when an id or email is unknown, then nothing is found', async () => {
      const { players } = opened();
      await players.create(newPlayer(), 'hash');

      expect(await players.byId(randomUUID())).toBeNull();
      expect(await players.credentialsByEmail(`nobody-${randomUUID()}@example.com`)).toBeNull();
    });
  });

  describe('unique emails', () => {
    test('when an email is registered again in another case, then it is taken and the first player keeps it', async () => {
      const { players } = opened();
      const first = newPlayer();
      const second = newPlayer({ email: first.email.toLowerCase() });
      await players.create(first, 'first-hash');

      await expect(players.create(second, 'second-hash')).rejects.toBeInstanceOf(EmailTakenError);

      expect(await players.byId(second.id)).toBeNull();
      expect(await players.credentialsByEmail(second.email)).toEqual({ player: first, passwordHash: 'first-hash' });
    });

    test('when ten registrations of one email in different cases race, then exactly one is created', async () => {
      const { players } = opened();
      const email = `race-${randomUUID().slice(0, 8)}@example.com`;
      const cased = (i: number) => [...email].map((c, j) => ((i >> (j % 4)) & 1 ? c.toUpperCase() : c)).join('');
      const racers = Array.from({ length: 10 }, (_, i) => newPlayer({ email: cased(i) }));

      const outcomes = await Promise.allSettled(racers.map((p) => players.create(p, 'hash')));

      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refusals = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as unknown);
      expect(refusals.every((err) => err instanceof EmailTakenError)).toBe(true);
      const found = await Promise.all(racers.map((p) => players.byId(p.id)));
      expect(found.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('limits and self-exclusion', () => {
    test('when the daily deposit limit is changed, then the player after the change is returned and stored, and nothing else changes', async () => {
      const { players } = opened();
      const player = newPlayer();
      await players.create(player, 'hash');

      const updated = await players.update(player.id, { dailyDepositLimit: 2_500 }, new Date());

      expect(updated).toEqual({ ...player, dailyDepositLimit: 2_500 });
      expect(await players.byId(player.id)).toEqual({ ...player, dailyDepositLimit: 2_500 });
    });

    test('when a player self-excludes and later the exclusion is lifted, then each state is stored', async () => {
      const { players } = opened();
      const player = newPlayer();
      await players.create(player, 'hash');
      const until = new Date('2026-04-01T00:00:00.000Z');

      const excluded = await players.update(player.id, { selfExcludedUntil: until }, new Date());
      const lifted = await players.update(player.id, { selfExcludedUntil: null }, new Date());

      expect(excluded?.selfExcludedUntil?.toISOString()).toBe(until.toISOString());
      expect(lifted?.selfExcludedUntil).toBeNull();
      expect((await players.credentialsByEmail(player.email))?.player).toEqual(player);
    });

    test('when an unknown player is updated, then nothing is returned and no player is created', async () => {
      const { players } = opened();
      const id = randomUUID();

      expect(await players.update(id, { dailyDepositLimit: 1_000 }, new Date())).toBeNull();
      expect(await players.byId(id)).toBeNull();
    });
  });

  describe('indexes', () => {
    test('when the store is initialised again, then it succeeds and emails stay unique whatever their case', async () => {
      const { players, store } = opened();
      const player = newPlayer();

      await store.init();
      await store.init();
      await players.create(player, 'hash');

      await expect(players.create(newPlayer({ email: player.email.toUpperCase() }), 'hash')).rejects.toBeInstanceOf(EmailTakenError);
    });
  });
});
