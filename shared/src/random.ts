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
