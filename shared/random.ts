/** A seeded pseudo-random source: the same seed replays the same fleet or traffic. */
export type Random = () => number;

/** mulberry32: tiny, fast, good enough for fleet shapes and noisy-looking traffic. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
