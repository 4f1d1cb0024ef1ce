/**
 * The built-in metrics provider: apps (or the fleet simulator) post per-tenant counts to the API,
 * and rollouts read the sum over the monitoring window. Needs nothing installed.
 */
import Database from 'better-sqlite3';
import { z } from 'zod';
import { IsoDateTime } from '../../shared/model/tenant';
import type { MetricsProvider, TenantSample } from '../ports';

const Count = z.number().int().nonnegative();

/** Counts observed for one tenant over a short interval that ended at `at`. */
export const PostedSample = z.strictObject({
  tenantId: z.string().min(1),
  /** The feature the usage count is for; requests and errors always count for the tenant. */
  featureKey: z.string().min(1).optional(),
  requests: Count,
  errors: Count,
  featureUsage: Count.default(0),
  /** End of the interval; the time of posting when left out. */
  at: IsoDateTime.optional(),
}).refine((s) => s.errors <= s.requests, {
  message: 'errors cannot exceed requests',
  path: ['errors'],
  // Only between two valid counts: next to 'requests must be >= 0' this would only confuse.
  when: (payload) => payload.issues.length === 0,
});
export type PostedSample = z.infer<typeof PostedSample>;
export type PostedSampleInput = z.input<typeof PostedSample>;

/** The POST body the API accepts: a batch, so a fleet posts once per tick, not once per tenant. */
export const PostedMetrics = z.strictObject({
  samples: z.array(PostedSample).min(1).max(10_000),
});
export type PostedMetrics = z.infer<typeof PostedMetrics>;

export interface PostedMetricsStoreOptions {
  /** SQLite file to keep samples across restarts; in memory when left out. */
  path?: string;
  /** Samples older than this are dropped on write (default 7 days: longer than any monitoring window). */
  retentionSeconds?: number;
  now?: () => Date;
}

export class PostedMetricsStore {
  private readonly db: Database.Database;
  private readonly retentionMs: number;
  readonly now: () => Date;

  constructor(opts: PostedMetricsStoreOptions = {}) {
    this.db = new Database(opts.path ?? ':memory:');
    this.db.pragma('journal_mode = WAL');
    // The file may be shared with the app store's other writers: wait for their lock, don't fail.
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS posted_metrics (
      tenant_id TEXT NOT NULL,
      feature_key TEXT,
      requests INTEGER NOT NULL,
      errors INTEGER NOT NULL,
      feature_usage INTEGER NOT NULL,
      at_ms INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS posted_metrics_tenant_at ON posted_metrics (tenant_id, at_ms);`);
    this.retentionMs = (opts.retentionSeconds ?? 7 * 24 * 3600) * 1000;
    this.now = opts.now ?? (() => new Date());
  }

  record(sample: PostedSampleInput): void {
    this.recordAll([sample]);
  }

  /** All or nothing: a batch with one bad sample is rejected whole, with the bad sample's index in the error path. */
  recordAll(samples: PostedSampleInput[]): void {
    const parsed = z.array(PostedSample).parse(samples);
    const nowMs = this.now().getTime();
    const insert = this.db.prepare('INSERT INTO posted_metrics (tenant_id, feature_key, requests, errors, feature_usage, at_ms) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const s of parsed) insert.run(s.tenantId, s.featureKey ?? null, s.requests, s.errors, s.featureUsage, s.at ? Date.parse(s.at) : nowMs);
      this.db.prepare('DELETE FROM posted_metrics WHERE at_ms < ?').run(nowMs - this.retentionMs);
    })();
  }

  /**
   * Sums per tenant of samples newer than `sinceMs`. Samples stamped slightly in the future (a
   * poster's clock ahead of ours) still count: dropping them would hide a tenant's latest errors.
   */
  totals(req: { featureKey: string; tenantIds: string[]; sinceMs: number }): Array<{ tenantId: string; requests: number; errors: number; featureUsage: number }> {
    if (req.tenantIds.length === 0) return [];
    const rows = this.db.prepare(`SELECT tenant_id AS tenantId, SUM(requests) AS requests, SUM(errors) AS errors,
        SUM(CASE WHEN feature_key = ? THEN feature_usage ELSE 0 END) AS featureUsage
      FROM posted_metrics
      WHERE at_ms > ? AND tenant_id IN (SELECT value FROM json_each(?))
      GROUP BY tenant_id ORDER BY tenant_id`).all(req.featureKey, req.sinceMs, JSON.stringify(req.tenantIds));
    return rows as Array<{ tenantId: string; requests: number; errors: number; featureUsage: number }>;
  }

  close(): void {
    this.db.close();
  }
}

export class PostedMetricsProvider implements MetricsProvider {
  constructor(private readonly store: PostedMetricsStore) {}

  async sample(req: { featureKey: string; tenantIds: string[]; windowSeconds: number }): Promise<TenantSample[]> {
    const now = this.store.now();
    const totals = this.store.totals({ featureKey: req.featureKey, tenantIds: req.tenantIds, sinceMs: now.getTime() - req.windowSeconds * 1000 });
    return totals.map((t) => ({ ...t, errorRate: t.requests === 0 ? 0 : t.errors / t.requests, at: now.toISOString() }));
  }
}
