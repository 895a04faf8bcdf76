import { createHash } from 'node:crypto';

/** A small deterministic pseudo random generator (mulberry32) with the helpers the world needs. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Independent child stream; the same label always yields the same stream. */
  fork(label: string): Rng;
}

/** Hashes any seed (number or string) into a 32-bit state, so string labels make stable streams. */
export function seedToState(seed: number | string): number {
  const digest = createHash('sha256').update(String(seed)).digest();
  return digest.readUInt32LE(0);
}

export function makeRng(seed: number | string): Rng {
  let state = seedToState(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => p > 0 && next() < p,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    fork: (label) => makeRng(`${seed}/${label}`),
  };
}
