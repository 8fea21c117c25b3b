import { randomInt } from 'node:crypto';
import { type Rng, seededRng } from '@casino/shared/random';

// The seeded draw lives in the kit, where the demo-data seeder uses it too.
export { type Rng, seededRng };

/** The production draw: the operating system's CSPRNG. */
export const cryptoRng: Rng = (max) => randomInt(max);

export interface Pay {
  /** The symbols a line must show, left to right; `*` matches anything. */
  pattern: string[];
  /** Paid as a multiple of the line bet. */
  multiplier: number;
}

export interface SlotGame {
  id: string;
  name: string;
  minStake: number;
  maxStake: number;
  /** Stakes go in steps of this many cents: the number of lines, so every line bet is whole cents. */
  stakeStep: number;
  /** Each reel's strip of symbols; three consecutive positions are visible. */
  reels: string[][];
  /** Each line picks one row per reel (0 top, 1 middle, 2 bottom). The stake is split evenly over the lines. */
  lines: number[][];
  /** Checked in order; a line pays its first match only. */
  paytable: Pay[];
}

const ROWS = 3;

export const GAMES: readonly SlotGame[] = [
  {
    id: 'lucky-sevens',
    name: 'Lucky Sevens',
    minStake: 10,
    maxStake: 10_000,
    stakeStep: 1,
    reels: [
      [
        '7',
        'CHERRY',
        'BAR',
        'LEMON',
        'BELL',
        'CHERRY',
        'LEMON',
        'BAR',
        'PLUM',
        'LEMON',
        'BELL',
        'CHERRY',
        'PLUM',
        'BAR',
        'LEMON',
        'CHERRY',
        'PLUM',
        'BELL',
        'LEMON',
        'PLUM',
      ],
      [
        '7',
        'LEMON',
        'BELL',
        'CHERRY',
        'BAR',
        'PLUM',
        'LEMON',
        'CHERRY',
        'BELL',
        'PLUM',
        'BAR',
        'LEMON',
        'PLUM',
        'CHERRY',
        'BELL',
        'LEMON',
        'BAR',
        'PLUM',
        'CHERRY',
        'LEMON',
      ],
      [
        '7',
        'BAR',
        'LEMON',
        'PLUM',
        'CHERRY',
        'BELL',
        'LEMON',
        'PLUM',
        'BAR',
        'CHERRY',
        'LEMON',
        'BELL',
        'PLUM',
        'LEMON',
        'CHERRY',
        'BAR',
        'PLUM',
        'BELL',
        'LEMON',
        'CHERRY',
      ],
    ],
    lines: [[1, 1, 1]],
    paytable: [
      { pattern: ['7', '7', '7'], multiplier: 50 },
      { pattern: ['BAR', 'BAR', 'BAR'], multiplier: 15 },
      { pattern: ['BELL', 'BELL', 'BELL'], multiplier: 10 },
      { pattern: ['CHERRY', 'CHERRY', 'CHERRY'], multiplier: 8 },
      { pattern: ['PLUM', 'PLUM', 'PLUM'], multiplier: 6 },
      { pattern: ['LEMON', 'LEMON', 'LEMON'], multiplier: 4 },
      { pattern: ['BAR', 'BAR', '*'], multiplier: 3 },
      { pattern: ['CHERRY', 'CHERRY', '*'], multiplier: 5 },
      { pattern: ['PLUM', 'PLUM', '*'], multiplier: 2 },
      { pattern: ['LEMON', 'LEMON', '*'], multiplier: 2 },
      { pattern: ['CHERRY', '*', '*'], multiplier: 2 },
    ],
  },
  {
    id: 'fruit-fiesta',
    name: 'Fruit Fiesta',
    minStake: 10,
    maxStake: 5_000,
    stakeStep: 5,
    reels: [
      [
        'STAR',
        'GRAPE',
        'ORANGE',
        'MELON',
        'GRAPE',
        'ORANGE',
        'LIME',
        'GRAPE',
        'MELON',
        'ORANGE',
        'LIME',
        'GRAPE',
        'ORANGE',
        'MELON',
        'LIME',
        'GRAPE',
        'ORANGE',
        'LIME',
      ],
      [
        'STAR',
        'ORANGE',
        'GRAPE',
        'LIME',
        'MELON',
        'GRAPE',
        'ORANGE',
        'LIME',
        'GRAPE',
        'ORANGE',
        'MELON',
        'LIME',
        'GRAPE',
        'ORANGE',
        'LIME',
        'GRAPE',
        'MELON',
        'ORANGE',
      ],
      [
        'STAR',
        'LIME',
        'ORANGE',
        'GRAPE',
        'MELON',
        'ORANGE',
        'GRAPE',
        'LIME',
        'ORANGE',
        'GRAPE',
        'MELON',
        'LIME',
        'ORANGE',
        'GRAPE',
        'LIME',
        'ORANGE',
        'MELON',
        'GRAPE',
      ],
    ],
    lines: [
      [1, 1, 1],
      [0, 0, 0],
      [2, 2, 2],
      [0, 1, 2],
      [2, 1, 0],
    ],
    paytable: [
      { pattern: ['STAR', 'STAR', 'STAR'], multiplier: 50 },
      { pattern: ['MELON', 'MELON', 'MELON'], multiplier: 18 },
      { pattern: ['GRAPE', 'GRAPE', 'GRAPE'], multiplier: 14 },
      { pattern: ['ORANGE', 'ORANGE', 'ORANGE'], multiplier: 11 },
      { pattern: ['LIME', 'LIME', 'LIME'], multiplier: 9 },
      { pattern: ['STAR', 'STAR', '*'], multiplier: 4 },
      { pattern: ['GRAPE', 'GRAPE', '*'], multiplier: 2 },
      { pattern: ['ORANGE', 'ORANGE', '*'], multiplier: 2 },
    ],
  },
];

export interface LineWin {
  line: number;
  symbols: string[];
  multiplier: number;
  win: number;
}

export interface Outcome {
  /** Visible symbols, reel by reel, top to bottom. */
  reels: string[][];
  lines: LineWin[];
  /** Sum of line multipliers, as a multiple of the line bet. */
  multiplier: number;
  win: number;
}

export function findGame(id: string): SlotGame | undefined {
  return GAMES.find((g) => g.id === id);
}

/** `list[i]` where the caller knows `i` is in range (a stop on its strip, a row in the window); a RangeError if not. */
function at<T>(list: readonly T[], i: number): T {
  const item = list[i];
  if (item === undefined) throw new RangeError(`index ${i} is outside 0..${list.length - 1}`);
  return item;
}

function window(strip: string[], stop: number): string[] {
  return Array.from({ length: ROWS }, (_, row) => at(strip, (stop + row) % strip.length));
}

function linePay(game: SlotGame, symbols: string[]): number {
  const pay = game.paytable.find((p) => p.pattern.every((s, i) => s === '*' || s === symbols[i]));
  return pay?.multiplier ?? 0;
}

/** The outcome of given reel stops: which lines pay and what the stake wins. */
export function evaluate(game: SlotGame, stops: number[], stake: number): Outcome {
  const reels = game.reels.map((strip, i) => window(strip, at(stops, i)));
  const lines: LineWin[] = [];
  let multiplier = 0;
  game.lines.forEach((rows, index) => {
    const symbols = rows.map((row, reel) => at(at(reels, reel), row));
    const m = linePay(game, symbols);
    if (m > 0) {
      multiplier += m;
      lines.push({ line: index + 1, symbols, multiplier: m, win: Math.floor((stake * m) / game.lines.length) });
    }
  });
  // The stake is split over the lines; stakes come in steps of the line count, so this is exact.
  return { reels, lines, multiplier, win: Math.floor((stake * multiplier) / game.lines.length) };
}

/** One spin: a stop per reel from the RNG, then the paytable. */
export function spin(game: SlotGame, stake: number, rng: Rng): Outcome {
  return evaluate(
    game,
    game.reels.map((strip) => rng(strip.length)),
    stake,
  );
}

/**
 * Return to player and standard deviation of the win per unit staked, exactly, by walking every
 * combination of stops.
 */
export function mathOf(game: SlotGame): { rtp: number; stdDev: number; hitRate: number } {
  let sum = 0;
  let sumSquares = 0;
  let hits = 0;
  let count = 0;
  const walk = (reel: number, stops: number[]) => {
    if (reel === game.reels.length) {
      const r = evaluate(game, stops, 1).multiplier / game.lines.length;
      sum += r;
      sumSquares += r * r;
      if (r > 0) hits++;
      count++;
      return;
    }
    for (let stop = 0; stop < at(game.reels, reel).length; stop++) walk(reel + 1, [...stops, stop]);
  };
  walk(0, []);
  const rtp = sum / count;
  return { rtp, stdDev: Math.sqrt(sumSquares / count - rtp * rtp), hitRate: hits / count };
}

const rtpCache = new Map<string, number>();

/** Stated RTP in percent, two decimals, computed from the game itself. */
export function statedRtp(game: SlotGame): number {
  let rtp = rtpCache.get(game.id);
  if (rtp === undefined) rtpCache.set(game.id, (rtp = Math.round(mathOf(game).rtp * 10_000) / 100));
  return rtp;
}
