import { buildHealthReport, HealthReport, renderHealthReport, type HealthInput } from '../../shared/report/health';
import { healthInput } from './fleet';

const byId = (report: HealthReport, id: string) => report.tenants.find((t) => t.tenantId === id)!;

/** Replaces one tenant's after-sample in the standard input. */
function withAfter(id: string, change: (s: NonNullable<HealthInput['samples'][number]['after']>) => Partial<NonNullable<HealthInput['samples'][number]['after']>>): HealthInput {
  const input = healthInput();
  return { ...input, samples: input.samples.map((s) => (s.tenantId === id ? { ...s, after: { ...s.after!, ...change(s.after!) } } : s)) };
}

describe('buildHealthReport', () => {
  const report = buildHealthReport(healthInput());

  it('flags the tenants unlike their cohort, and only them, each with the reason', () => {
    expect(report.outreach.map((o) => o.tenantId).sort()).toEqual(['cedar-retail', 'dune-analytics', 'iris-media']);
    expect(report.tenants.filter((t) => t.outreach).map((t) => t.tenantId).sort()).toEqual(['cedar-retail', 'dune-analytics', 'iris-media']);
    expect(byId(report, 'cedar-retail').flags).toEqual([
      { kind: 'activation', reason: expect.stringMatching(/activation 0\.02 uses per user, under 50 % of the median 0\.90 of low stage \(5 tenants\); robust z −\d+\.\d below −3\.5/) },
    ]);
    expect(byId(report, 'dune-analytics').flags).toEqual([
      { kind: 'errors', reason: expect.stringMatching(/error rate 3\.10 % vs 0\.40 % baseline \(\+2\.70 pp\), above the p90 .* of low stage \(5 tenants\); robust z \+\d+/) },
    ]);
    expect(byId(report, 'iris-media').flags).toEqual([{ kind: 'tickets', reason: expect.stringContaining('SUP-4471 (P2') }]);
  });

  it('measures activation, error delta and new tickets per enabled tenant', () => {
    const acme = byId(report, 'acme-logistics');
    expect(acme.activation).toMatchObject({ activated: true, featureUsage: 270, users: 300, usagePerUser: 0.9 });
    expect(acme.errors).toMatchObject({ baselineErrorRate: 0.004, baselineSource: 'tenant-baseline', enough: true });
    expect(acme.errors).toMatchObject({ errorRate: 0.00412, requests: 432_000 });
    expect(acme.errors.delta).toBeCloseTo(0.00012, 8);
    expect(byId(report, 'iris-media').tickets).toMatchObject({ newBySeverity: { P1: 0, P2: 1, P3: 0, P4: 0 }, newIds: ['SUP-4471'] });
    expect(report.totals).toEqual({ enabled: 13, activated: 13, activationRate: 1, rolledBack: 1, outreach: 3, newTickets: { P1: 0, P2: 1, P3: 0, P4: 0 } });
    expect(report.summary).toBe('13 tenants enabled; 13 used Smart Sync in the 2 d activation window (100 %); 1 rolled back; 3 flagged for customer-success outreach; new tickets after enable: 1 P2.');
  });

  it('lists the rolled-back tenant apart from the cohorts, with the rollout\'s own reason', () => {
    expect(report.rolledBack).toEqual([expect.objectContaining({ tenantId: 'fjord-travel', tenantName: 'Fjord Travel', waveId: 'w2', reason: expect.stringContaining('latest 8.10 %') })]);
    expect(report.tenants.map((t) => t.tenantId)).not.toContain('fjord-travel');
  });

  it('compares a stage too small for robust statistics with every enabled tenant, and says so', () => {
    const high = report.cohorts.find((c) => c.id === 'stage:high')!;
    expect(high.tenantIds).toEqual(['keystone-bank', 'lumen-energy']);
    expect(high.note).toContain('activation compared with all enabled tenants (13 tenants)');
    expect(byId(report, 'keystone-bank').cohort).toBe('all enabled tenants');
    expect(byId(report, 'acme-logistics').cohort).toBe('low stage');
  });

  it.each<[string, HealthInput, string, RegExp | undefined]>([
    ['no usage while the cohort used it', withAfter('acme-logistics', () => ({ featureUsage: 0 })), 'acme-logistics',
      /not used in the 2 d activation window while 4 of 5 tenants in low stage used it/],
    ['ordinary spread in usage', withAfter('acme-logistics', () => ({ featureUsage: 200 })), 'acme-logistics', undefined],
    ['an error spike on too few requests to judge', withAfter('dune-analytics', () => ({ requests: 40, errors: 2, errorRate: 0.05 })), 'dune-analytics', undefined],
    ['a small error rise inside the noise floor', withAfter('dune-analytics', () => ({ errorRate: 0.0055 })), 'dune-analytics', undefined],
    ['an error spike in the medium stage', withAfter('harbor-freight', () => ({ errorRate: 0.024 })), 'harbor-freight', /error rate 2\.40 % vs 0\.50 % baseline .* of medium stage \(4 tenants\)/],
  ])('%s', (_name, input, id, expected) => {
    const flags = byId(buildHealthReport(input), id).flags;
    if (expected) expect(flags.map((f) => f.reason)).toEqual([expect.stringMatching(expected)]);
    else expect(flags).toEqual([]);
  });

  it('says why an error rate was not judged', () => {
    const dune = byId(buildHealthReport(withAfter('dune-analytics', () => ({ requests: 40, errors: 2, errorRate: 0.05 }))), 'dune-analytics');
    expect(dune.errors).toMatchObject({ enough: false, reason: expect.stringMatching(/^40 requests, fewer than the [\d,]+ needed to judge the error rate$/) });
  });

  it('takes the baseline from a before-sample when there is one', () => {
    const input = healthInput();
    const acme = input.samples.find((s) => s.tenantId === 'acme-logistics')!;
    acme.before = { tenantId: 'acme-logistics', requests: 400_000, errors: 800, errorRate: 0.002, featureUsage: 0, at: '2026-03-03T09:00:00.000Z' };
    expect(byId(buildHealthReport(input), 'acme-logistics').errors).toMatchObject({ baselineErrorRate: 0.002, baselineSource: 'sample-before', reason: expect.stringContaining('0.20 % before enable') });
  });

  it('counts only tickets opened after the tenant got the feature', () => {
    const input = healthInput();
    input.tenantsAfter = input.tenantsAfter.map((t) => (t.id !== 'bluebird-dental' ? t : {
      ...t,
      openTickets: [
        { id: 'SUP-4300', severity: 'P3', opened: '2026-03-01T10:00:00Z', subject: 'Report export slow' },
        { id: 'SUP-4402', severity: 'P4', opened: '2026-03-04T10:00:00Z', subject: 'Sync icon misaligned' },
      ],
    }));
    const bluebird = byId(buildHealthReport(input), 'bluebird-dental');
    expect(bluebird.tickets.newIds).toEqual(['SUP-4402']);
    expect(bluebird.flags).toEqual([]);
  });

  it('warns about tenants without metrics instead of guessing', () => {
    const input = healthInput();
    input.samples = input.samples.filter((s) => s.tenantId !== 'evergreen-schools');
    const r = buildHealthReport(input);
    expect(byId(r, 'evergreen-schools')).toMatchObject({ activation: { activated: false }, errors: { enough: false }, flags: [] });
    expect(r.warnings).toEqual(['Evergreen Schools: no metrics sample after enable, so activation and errors are unknown']);
  });

  it('names the wave when the outcomes do not match the plan', () => {
    const input = healthInput();
    input.outcomes = [{ ...input.outcomes[0], waveId: 'w9' }];
    expect(() => buildHealthReport(input)).toThrow('health report: wave w9 of the outcomes is not in the plan');
  });

  it('renders markdown for people and JSON that round-trips through the schema', () => {
    const md = renderHealthReport(report, 'markdown');
    expect(md).toContain('## Customer-success outreach');
    expect(md).toContain(`- **Cedar Retail** (cedar-retail): ${byId(report, 'cedar-retail').flags[0].reason}`);
    expect(md).toContain('| Keystone Bank | w4 (high) |');
    expect(md).toContain('- **Fjord Travel** in wave w2');
    expect(HealthReport.parse(JSON.parse(renderHealthReport(report, 'json')))).toEqual(report);
  });
});
