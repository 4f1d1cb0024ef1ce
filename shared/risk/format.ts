/** Number formats for reasons a PM reads aloud. */

export function pct(ratio: number, digits = 2): string {
  return `${(ratio * 100).toFixed(digits)} %`;
}

/** One decimal, rounding half up on the decimal value (0.35 × 15 is 5.3, not 5.2 from 5.2499…). */
export function round1(n: number): number {
  if (n === 0) return 0;
  const tenths = n * 10;
  // toPrecision is slow and only matters next to a .5 boundary, where float dust flips the rounding.
  const fraction = tenths - Math.floor(tenths);
  if (Math.abs(fraction - 0.5) > 1e-6 && Math.abs(tenths) < 1e6) return Math.round(tenths) / 10;
  return Math.round(Number(tenths.toPrecision(12))) / 10;
}

/** `n.toLocaleString('en-US')` for whole numbers (1,764), without the slow locale lookup. */
export function thousands(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) return n.toLocaleString('en-US');
  const digits = String(n);
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}

/**
 * Dates by their ISO string, parsed and as days. A fleet's renewals, tickets and freezes fall on a
 * few hundred dates, which a plan asks about tenant after tenant (Date.parse and toISOString were
 * a tenth of scoring). Cleared when full, so a long-running process keeps them bounded.
 */
const times = new Map<string, number>();
const days = new Map<string, string>();
const MAX_CACHED_DATES = 4_096;

function parsed(iso: string): number {
  let t = times.get(iso);
  if (t === undefined) {
    t = Date.parse(iso);
    if (times.size >= MAX_CACHED_DATES) times.clear();
    times.set(iso, t);
  }
  return t;
}

export function day(iso: string): string {
  let d = days.get(iso);
  if (d === undefined) {
    d = new Date(parsed(iso)).toISOString().slice(0, 10);
    if (days.size >= MAX_CACHED_DATES) days.clear();
    days.set(iso, d);
  }
  return d;
}

/** Whole days from `from` to `to`, rounded up (a renewal tomorrow afternoon is "in 1 day"). */
export function daysUntil(from: string, to: string): number {
  return Math.ceil((parsed(to) - parsed(from)) / 86_400_000);
}

export function duration(seconds: number): string {
  if (seconds % 86_400 === 0 && seconds >= 2 * 86_400) return `${seconds / 86_400} d`;
  if (seconds % 3_600 === 0 && seconds >= 3_600) return `${seconds / 3_600} h`;
  if (seconds >= 3_600) return `${round1(seconds / 3_600)} h`;
  if (seconds % 60 === 0 && seconds >= 60) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function money(n: number): string {
  if (n >= 1_000_000) return `$${round1(n / 1_000_000)}M`;
  if (n >= 1_000) return `$${Math.round(n / 1_000)}k`;
  return `$${n}`;
}

/**
 * The parts as one flat string, for text a plan keeps. A template literal or `+` makes a rope, a
 * node (32 bytes) per part, and a kept string keeps its nodes; join copies the characters into
 * one string. (With a single non-empty part, join returns that part as it is.)
 */
export function joined(...parts: string[]): string {
  return parts.join('');
}

/** 'a', 'a and b', 'a, b and c'. */
export function inWords(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The first `n` items, then how many more: 'a, b, c and 4 more'. */
export function firstOf(items: readonly string[], n: number): string {
  return items.length <= n ? items.join(', ') : `${items.slice(0, n).join(', ')} and ${items.length - n} more`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
