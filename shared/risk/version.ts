/**
 * Dotted versions compared numerically ('52.0' > '9.1', '2.10' > '2.9'); missing parts are 0.
 * Returns undefined when either side has no number to compare, so callers can ask for review
 * instead of guessing.
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 | undefined {
  const pa = numericParts(a);
  const pb = numericParts(b);
  if (!pa || !pb) return undefined;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

function numericParts(version: string): number[] | undefined {
  const match = /^\s*v?(\d+(?:\.\d+)*)/i.exec(version);
  return match ? match[1].split('.').map(Number) : undefined;
}

/** The minimum connector version the feature needs for this system (keys match case-insensitively). */
export function requiredVersion(compatibility: Record<string, string>, system: string): string | undefined {
  // Asked for every integration of every tenant, so it walks the keys without listing them.
  const wanted = system.toLowerCase();
  for (const key in compatibility) if (Object.hasOwn(compatibility, key) && key.toLowerCase() === wanted) return compatibility[key];
  return undefined;
}
