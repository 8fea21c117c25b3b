import { evaluate, findGame, GAMES, mathOf, seededRng, spin, statedRtp } from '../src/domain/slots';

const luckySevens = findGame('lucky-sevens')!;
const fruitFiesta = findGame('fruit-fiesta')!;

describe('slot maths', () => {
  describe('return to player', () => {
    test.each(GAMES.map((g) => [g.id, g] as const))(
      'when %s is spun 100,000 times at 1 EUR, then it pays back within 2 points of its stated RTP',
      (_id, game) => {
        const rng = seededRng(20_260_301);
        const spins = 100_000;
        let won = 0;

        for (let i = 0; i < spins; i++) won += spin(game, 100, rng).win;

        const empirical = (won / (spins * 100)) * 100;
        expect(Math.abs(empirical - statedRtp(game))).toBeLessThan(2);
      },
    );

    test.each(GAMES.map((g) => [g.id, g] as const))(
      'when %s states its RTP, then it is the exact maths rounded to 2 decimals and between 90% and 99%',
      (_id, game) => {
        const rtp = statedRtp(game);

        expect(rtp).toBe(Math.round(mathOf(game).rtp * 10_000) / 100);
        expect(rtp).toBeGreaterThanOrEqual(90);
        expect(rtp).toBeLessThanOrEqual(99);
      },
    );

    test('when the same seed is used twice, then the same reels come out, and every draw is a valid stop', () => {
      const a = seededRng(7);
      const b = seededRng(7);

      const draws = Array.from({ length: 1_000 }, () => a(20));

      expect(draws).toEqual(Array.from({ length: 1_000 }, () => b(20)));
      expect(draws.every((d) => Number.isInteger(d) && d >= 0 && d < 20)).toBe(true);
      expect(new Set(draws).size).toBe(20);
    });
  });

  describe('stake steps', () => {
    test.each(GAMES.map((g) => [g.id, g] as const))(
      'when %s is played at any allowed stake, then the exact payout over every combination of stops is the stated RTP',
      (_id, game) => {
        const stakes = [game.minStake, game.minStake + game.stakeStep, game.minStake + 3 * game.stakeStep, game.maxStake];
        for (const stake of stakes) {
          let paid = 0;
          let combinations = 0;
          const [a, b, c] = game.reels.map((r) => r.length) as [number, number, number];
          for (let i = 0; i < a; i++)
            for (let j = 0; j < b; j++)
              for (let k = 0; k < c; k++) {
                paid += evaluate(game, [i, j, k], stake).win;
                combinations++;
              }
          expect([stake, Math.round((paid / (stake * combinations)) * 10_000) / 100]).toEqual([stake, statedRtp(game)]);
        }
      },
    );
  });

  describe('evaluate', () => {
    test('when three 7s land on the lucky-sevens middle line, then the stake pays 50 times', () => {
      const outcome = evaluate(luckySevens, [19, 19, 19], 100);

      expect(outcome.reels.map((reel) => reel[1])).toEqual(['7', '7', '7']);
      expect(outcome.win).toBe(5_000);
      expect(outcome.lines).toEqual([{ line: 1, symbols: ['7', '7', '7'], multiplier: 50, win: 5_000 }]);
    });

    test('when a CHERRY is first on the line and nothing else matches, then it pays 2 times', () => {
      const outcome = evaluate(luckySevens, [0, 0, 0], 250);

      expect(outcome.reels).toEqual([
        ['7', 'CHERRY', 'BAR'],
        ['7', 'LEMON', 'BELL'],
        ['7', 'BAR', 'LEMON'],
      ]);
      expect(outcome.lines).toEqual([{ line: 1, symbols: ['CHERRY', 'LEMON', 'BAR'], multiplier: 2, win: 500 }]);
      expect(outcome.win).toBe(500);
    });

    test('when two CHERRIES lead the line, then the better two-cherry pay wins over the one-cherry pay', () => {
      const outcome = evaluate(luckySevens, [0, 2, 0], 100);

      expect(outcome.lines).toEqual([{ line: 1, symbols: ['CHERRY', 'CHERRY', 'BAR'], multiplier: 5, win: 500 }]);
    });

    test('when 7s show only on the top row, then lucky-sevens pays nothing, as only the middle line counts', () => {
      const outcome = evaluate(luckySevens, [1, 1, 1], 100);

      expect(outcome.reels.map((reel) => reel[0])).toEqual(['CHERRY', 'LEMON', 'BAR']);
      expect(outcome.reels.map((reel) => reel[1])).toEqual(['BAR', 'BELL', 'LEMON']);
      expect(outcome).toMatchObject({ lines: [], multiplier: 0, win: 0 });
    });

    test('when three STARs land on the fruit-fiesta diagonal, then it pays 50 times the line bet, a fifth of the stake', () => {
      const outcome = evaluate(fruitFiesta, [0, 17, 16], 100);

      expect(outcome.reels).toEqual([
        ['STAR', 'GRAPE', 'ORANGE'],
        ['ORANGE', 'STAR', 'ORANGE'],
        ['MELON', 'GRAPE', 'STAR'],
      ]);
      expect(outcome.lines).toEqual([
        { line: 3, symbols: ['ORANGE', 'ORANGE', 'STAR'], multiplier: 2, win: 40 },
        { line: 4, symbols: ['STAR', 'STAR', 'STAR'], multiplier: 50, win: 1_000 },
      ]);
      expect(outcome.win).toBe(1_040);
    });

    test('when three GRAPEs land on the rising diagonal, then fruit-fiesta pays that line', () => {
      const outcome = evaluate(fruitFiesta, [17, 1, 3], 500);

      expect(outcome.lines).toContainEqual({ line: 5, symbols: ['GRAPE', 'GRAPE', 'GRAPE'], multiplier: 14, win: 1_400 });
    });

    test('when the stake does not split evenly over the 5 lines, then the win is rounded down to whole cents', () => {
      const outcome = evaluate(fruitFiesta, [0, 17, 16], 13);

      expect(outcome.win).toBe(135);
      expect(Number.isInteger(outcome.win)).toBe(true);
      expect(outcome.lines.every((l) => Number.isInteger(l.win))).toBe(true);
    });

    test('when any stops are evaluated, then every win is whole cents and the reels show 3 symbols on each of 3 reels', () => {
      const rng = seededRng(99);
      for (const game of GAMES) {
        for (let i = 0; i < 2_000; i++) {
          const stake = 10 + rng(990);
          const outcome = spin(game, stake, rng);

          expect(Number.isInteger(outcome.win)).toBe(true);
          expect(outcome.win).toBe(Math.floor((stake * outcome.multiplier) / game.lines.length));
          expect(outcome.reels).toHaveLength(3);
          expect(outcome.reels.every((r) => r.length === 3)).toBe(true);
        }
      }
    });
  });
});
