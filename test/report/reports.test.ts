import { PostedMetricsProvider, PostedMetricsStore } from '../../activities/metrics/posted';
import { createReports } from '../../activities/reports/reports';
import { openSqliteStore, type SqliteStore } from '../../activities/store/sqlite';
import { HealthReport } from '../../shared/report/health';
import { Retrospective } from '../../shared/report/retrospective';
import { scoreTenant } from '../../shared/risk/score';
import { AS_OF, feature, healthInput, outcomes, plan, riskConfig, ROLLOUT, tenant } from './fleet';

const REPORTED = new Date('2026-03-08T19:00:00.000Z');

describe('createReports (real SQLite store, posted metrics)', () => {
  let store: SqliteStore;
  let metrics: PostedMetricsStore;
  let reports: ReturnType<typeof createReports>;

  beforeEach(async () => {
    store = openSqliteStore(':memory:');
    metrics = new PostedMetricsStore({ now: () => REPORTED });
    const input = healthInput();
    await store.putTenants(input.tenantsAfter);
    await store.putPlan(ROLLOUT, plan);
    metrics.recordAll(input.samples.map((s) => ({
      tenantId: s.tenantId, featureKey: feature.key, requests: s.after!.requests, errors: s.after!.errors, featureUsage: s.after!.featureUsage,
      at: new Date(REPORTED.getTime() - 3_600_000).toISOString(),
    })));
    reports = createReports({ store, metrics: new PostedMetricsProvider(metrics), now: () => REPORTED });
  });
  afterEach(async () => { await store.close(); metrics.close(); });

  it('stores the health report and hands the workflow only its summary', async () => {
    const { summary } = await reports.health({ rolloutId: ROLLOUT, plan, outcomes });
    const report = HealthReport.parse(await store.getReport(ROLLOUT, 'health'));
    expect(summary).toBe(report.summary);
    expect(report.outreach.map((o) => o.tenantId).sort()).toEqual(['cedar-retail', 'dune-analytics', 'iris-media']);
    expect(report.tenants.find((t) => t.tenantId === 'iris-media')!.tickets.newIds).toEqual(['SUP-4471']);
  });

  it('stores the retrospective with its narrative and the lessons the next plan scores with, once', async () => {
    await reports.health({ rolloutId: ROLLOUT, plan, outcomes });
    const first = await reports.retrospective({ rolloutId: ROLLOUT, plan, outcomes, audit: [] });
    const again = await reports.retrospective({ rolloutId: ROLLOUT, plan, outcomes, audit: [] });
    expect(again).toEqual(first);
    expect(first.adjustments).toBe(4);
    const retro = Retrospective.parse(await store.getReport(ROLLOUT, 'retrospective'));
    expect(retro.narrative).toMatchObject({ source: 'template', text: expect.stringContaining('Fjord Travel in w2') });
    const stored = await store.getRiskAdjustments(['fjord-travel']);
    expect(stored.map((a) => a.points)).toEqual([20]);

    const fjord = tenant('fjord-travel');
    const next = scoreTenant(fjord, feature, { asOf: '2026-04-01T09:00:00Z', config: riskConfig, adjustments: await store.getRiskAdjustments() });
    expect(next.score).toBeGreaterThan(scoreTenant(fjord, feature, { asOf: AS_OF, config: riskConfig }).score);
    expect(next.factors.find((f) => f.factor === 'history')!.reason).toContain(`rolled back in wave w2 (predicted low): 3 consecutive samples`);
  });

  it('refuses a retrospective without a health report, without retrying', async () => {
    await expect(reports.retrospective({ rolloutId: ROLLOUT, plan, outcomes, audit: [] })).rejects.toMatchObject({
      nonRetryable: true,
      message: `no valid health report stored for rollout ${ROLLOUT}; the retrospective builds on it`,
    });
  });
});
