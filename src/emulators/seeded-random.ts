/**
 * A seeded random source, so an emulator run (fault rolls, webhook chaos, generated ids and tokens)
 * reproduces exactly from its seed. Math.random is never used by the emulators for that reason.
 */
export interface SeededRandom {
  readonly seed: string;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** True with probability p (0..1). p >= 1 is always true, p <= 0 never. */
  chance(p: number): boolean;
  /** n lowercase hex characters. */
  hex(n: number): string;
  /** A version-4 shaped UUID drawn from this source. */
  uuid(): string;
  pick<T>(items: readonly T[]): T;
}

/** xmur3: turns any string into a 32-bit seed. */
function hashSeed(text: string): number {
  let h = 1779033703 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  h = Math.imul(h ^ (h >>> 16), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return (h ^= h >>> 16) >>> 0;
}

/** mulberry32: small, fast and good enough for test chaos (not for cryptography). */
export function createSeededRandom(seed: string | number = 'concord'): SeededRandom {
  const seedText = String(seed);
  let state = hashSeed(seedText);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const hex = (n: number): string => {
    let out = '';
    for (let i = 0; i < n; i++) out += int(16).toString(16);
    return out;
  };
  return {
    seed: seedText,
    next,
    int,
    chance: (p) => (p >= 1 ? true : p <= 0 ? false : next() < p),
    hex,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + int(4)).toString(16)}${hex(3)}-${hex(12)}`,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick() needs at least one item');
      return items[int(items.length)] as T;
    },
  };
}
