import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { PostedMetrics, PostedMetricsProvider, PostedMetricsStore } from '../../activities/metrics/posted';

const NOW = new Date('2026-03-02T15:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

function store(opts: { path?: string; retentionSeconds?: number } = {}) {
  return new PostedMetricsStore({ ...opts, now: () => NOW });
}

function issuesOf(fn: () => void): Array<{ path: PropertyKey[]; message: string }> {
  try {
    fn();
  } catch (err) {
    return (err as z.ZodError).issues.map((i) => ({ path: i.path, message: i.message }));
  }
  throw new Error('expected a validation error');
}

describe('PostedMetricsProvider', () => {
  const s = store();
  s.recordAll([
    { tenantId: 'northwind-bank', featureKey: 'smart-routing', requests: 400, errors: 30, featureUsage: 120, at: ago(30) },
    { tenantId: 'northwind-bank', featureKey: 'smart-routing', requests: 600, errors: 50, featureUsage: 180, at: ago(200) },
    // Outside a 300 s window.
    { tenantId: 'northwind-bank', featureKey: 'smart-routing', requests: 9000, errors: 9000, featureUsage: 0, at: ago(400) },
    // Another feature's usage does not count, its requests and errors do.
    { tenantId: 'northwind-bank', featureKey: 'bulk-export', requests: 1000, errors: 0, featureUsage: 700, at: ago(10) },
    { tenantId: 'acme.eu', requests: 500, errors: 3, at: ago(5) },
    { tenantId: 'acmexeu', requests: 0, errors: 0, at: ago(5) },
    { tenantId: 'globex-health', requests: 100, errors: 1, at: ago(600) },
  ]);
  const provider = new PostedMetricsProvider(s);

  it('sums the window per tenant and omits tenants without data in it', async () => {
    const samples = await provider.sample({ featureKey: 'smart-routing', tenantIds: ['northwind-bank', 'acme.eu', 'acmexeu', 'globex-health', 'initech'], windowSeconds: 300 });
    expect(samples).toEqual([
      { tenantId: 'acme.eu', requests: 500, errors: 3, errorRate: 0.006, featureUsage: 0, at: NOW.toISOString() },
      { tenantId: 'acmexeu', requests: 0, errors: 0, errorRate: 0, featureUsage: 0, at: NOW.toISOString() },
      { tenantId: 'northwind-bank', requests: 2000, errors: 80, errorRate: 0.04, featureUsage: 300, at: NOW.toISOString() },
    ]);
  });

  it('widens with the window and answers only for the tenants asked', async () => {
    const samples = await provider.sample({ featureKey: 'smart-routing', tenantIds: ['globex-health'], windowSeconds: 3600 });
    expect(samples).toEqual([{ tenantId: 'globex-health', requests: 100, errors: 1, errorRate: 0.01, featureUsage: 0, at: NOW.toISOString() }]);
    expect(await provider.sample({ featureKey: 'smart-routing', tenantIds: [], windowSeconds: 3600 })).toEqual([]);
  });
});

describe('PostedMetricsStore', () => {
  it('stamps samples without a time with the time of posting', async () => {
    const s = store();
    s.record({ tenantId: 'acme.eu', requests: 10, errors: 1, featureUsage: 2, featureKey: 'smart-routing' });
    expect(await new PostedMetricsProvider(s).sample({ featureKey: 'smart-routing', tenantIds: ['acme.eu'], windowSeconds: 1 })).toEqual([
      { tenantId: 'acme.eu', requests: 10, errors: 1, errorRate: 0.1, featureUsage: 2, at: NOW.toISOString() },
    ]);
  });

  it('drops samples past retention', async () => {
    const s = store({ retentionSeconds: 60 });
    s.record({ tenantId: 'acme.eu', requests: 10, errors: 1, at: ago(120) });
    s.record({ tenantId: 'acme.eu', requests: 5, errors: 0, at: ago(10) });
    expect(s.totals({ featureKey: 'x', tenantIds: ['acme.eu'], sinceMs: 0 })).toEqual([{ tenantId: 'acme.eu', requests: 5, errors: 0, featureUsage: 0 }]);
  });

  it('rejects a whole batch with the bad sample named, and keeps nothing of it', () => {
    const s = store();
    const bad = () => s.recordAll([
      { tenantId: 'acme.eu', requests: 10, errors: 1 },
      { tenantId: 'acmexeu', requests: 10, errors: 11 },
    ]);
    expect(bad).toThrow(z.ZodError);
    expect(issuesOf(bad)).toEqual([{ path: [1, 'errors'], message: 'errors cannot exceed requests' }]);
    expect(s.totals({ featureKey: 'x', tenantIds: ['acme.eu'], sinceMs: 0 })).toEqual([]);
  });

  it('keeps samples across restarts when backed by a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringmaster-posted-'));
    try {
      const file = path.join(dir, 'metrics.sqlite');
      const first = store({ path: file });
      first.record({ tenantId: 'northwind-bank', requests: 250, errors: 20, at: ago(1) });
      first.close();
      const second = store({ path: file });
      expect(second.totals({ featureKey: 'x', tenantIds: ['northwind-bank'], sinceMs: 0 })).toEqual([{ tenantId: 'northwind-bank', requests: 250, errors: 20, featureUsage: 0 }]);
      second.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PostedMetrics (POST body)', () => {
  it('accepts a batch and fills the usage default', () => {
    expect(PostedMetrics.parse({ samples: [{ tenantId: 'acme.eu', requests: 3, errors: 0, at: '2026-03-02T14:59:00Z' }] })).toEqual({
      samples: [{ tenantId: 'acme.eu', requests: 3, errors: 0, featureUsage: 0, at: '2026-03-02T14:59:00Z' }],
    });
  });

  it.each([
    [{ samples: [] }, ['samples']],
    [{ samples: [{ tenantId: 'acme.eu', requests: -1, errors: 0 }] }, ['samples.0.requests']],
    [{ samples: [{ tenantId: 'acme.eu', requests: 2.5, errors: 0, at: 'yesterday' }] }, ['samples.0.at', 'samples.0.requests']],
    [{ samples: [{ tenantId: 'acme.eu', requests: 1, errors: 0, extra: true }] }, ['samples.0']],
    [{ tenantId: 'acme.eu', requests: 1, errors: 0 }, ['', 'samples']],
  ])('%j is rejected at %j', (body, paths) => {
    const r = PostedMetrics.safeParse(body);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(paths);
  });
});
