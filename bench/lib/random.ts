/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same numbers on every machine,
 * so a generated stream and its chunking are the same in every run.
 * @example
 * const random = seededRandom(42);
 * random(); // a number in [0, 1), always the same first one for seed 42
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A whole number in [min, max], from a generator made by {@link seededRandom}.
 * @example
 * randomInt(seededRandom(1), 1, 6); // a die
 */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}
