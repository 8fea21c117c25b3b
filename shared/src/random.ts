import { createHash } from 'node:crypto';

/** Draws a whole number in [0, maxExclusive). */
export type Rng = (maxExclusive: number) => number;

/**
 * A reproducible draw (mulberry32): the same seed gives the same sequence on every machine. For
 * tests, simulations and demo data; never for real rounds, which draw from the OS's CSPRNG.
 */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return (max) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(unit * max);
  };
}

/**
 * A stream of its own for one named thing (`casino-seed:42:7`): simulated players each draw from
 * theirs, so adding players or steps elsewhere never shifts what one player does.
 */
export function derivedRng(label: string): Rng {
  return seededRng(createHash('sha256').update(label).digest().readUInt32BE(0));
}

/** One of `items`, uniformly; an error for an empty list, which has nothing to pick. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[rng(items.length)];
  if (item === undefined) throw new RangeError('nothing to pick from: the list is empty');
  return item;
}

/** A draw in [0, 1), for continuous choices such as waiting times. */
export const unit = (rng: Rng): number => rng(2 ** 32) / 2 ** 32;

/** Picks an option by weight: `{ spin: 50, wallet: 10 }` gives spin five times as often. */
export function weighted<K extends string>(rng: Rng, weights: Readonly<Record<K, number>>): K {
  const entries = (Object.entries(weights) as [K, number][]).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  if (entries.length === 0) throw new Error('nothing to choose from: every weight is zero');
  let at = unit(rng) * total;
  for (const [key, w] of entries) {
    if (at < w) return key;
    at -= w;
  }
  return entries[entries.length - 1]![0];
}
