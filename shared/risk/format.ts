/** Number formats for reasons a PM reads aloud. */

export function pct(ratio: number, digits = 2): string {
  return `${(ratio * 100).toFixed(digits)} %`;
}

/** One decimal, rounding half up on the decimal value (0.35 × 15 is 5.3, not 5.2 from 5.2499…). */
export function round1(n: number): number {
  return Math.round(Number((n * 10).toPrecision(12))) / 10;
}

export function day(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`, rounded up (a renewal tomorrow afternoon is "in 1 day"). */
export function daysUntil(from: string, to: string): number {
  return Math.ceil((Date.parse(to) - Date.parse(from)) / 86_400_000);
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

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
