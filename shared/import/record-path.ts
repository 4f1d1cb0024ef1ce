/** Sets a nested field of a record being assembled from flat cells, creating parents as needed. */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const last = path[path.length - 1];
  const parent = path.slice(0, -1).reduce<Record<string, unknown>>((obj, key) => (obj[key] ??= {}) as Record<string, unknown>, target);
  parent[last] = value;
}
