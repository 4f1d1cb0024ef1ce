/**
 * Robust statistics for cohort comparison. A rollout cohort is small (a handful to a few dozen
 * tenants) and one bad tenant would drag a mean and standard deviation towards itself, so the
 * report compares each tenant with the cohort median and the median absolute deviation (MAD).
 */

export function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile (the "R-7" definition spreadsheets use), q in 0..1. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function mad(values: number[]): number {
  const m = median(values);
  return median(values.map((v) => Math.abs(v - m)));
}

/**
 * Iglewicz–Hoaglin modified z-score, 0.6745 · (x − median) / MAD; |z| > 3.5 is the usual outlier
 * cut-off. When more than half the cohort has the same value the MAD is 0, so the mean absolute
 * deviation (scaled by 1.2533 to estimate the same spread) takes its place; a cohort whose values
 * are all equal has no outliers and gives 0.
 */
export function robustZ(x: number, values: number[]): number {
  const m = median(values);
  const spread = mad(values);
  if (spread > 0) return (0.6745 * (x - m)) / spread;
  const meanAbs = values.reduce((sum, v) => sum + Math.abs(v - m), 0) / values.length;
  return meanAbs > 0 ? (x - m) / (1.2533 * meanAbs) : 0;
}
