import { buildPlan } from '../../shared/plan/build';
import { benchFeature } from '../../bench/fleet-gen';
import { Tenant, type TenantInput } from '../../shared/model/tenant';
import { duration } from '../../shared/risk/format';
import { renderPlan } from '../../shared/plan/render';

const asOf = '2026-03-02T08:00:00Z';
const tenant = (t: Partial<TenantInput> & { id: string }): Tenant => Tenant.parse({ name: t.id, users: 100, ...t });
const salesforce = { kind: 'crm', system: 'salesforce', version: '58.0' } as const;
const sap = { kind: 'erp', system: 'sap', version: '7.5' } as const;
const seconds = { durations: { monitoringWindowSeconds: 5, soakSeconds: 3, sampleIntervalSeconds: 1, noticeLeadSeconds: 0 } };

describe('coverage of touched configurations', () => {
  it('pulls a low-risk salesforce tenant forward and says what no low-stakes tenant can cover', () => {
    const feature = benchFeature({
      changes: [{ area: 'integration', description: 'sync', touches: { integrationKinds: [], systems: ['salesforce', 'sap'], settings: [] } }],
    });
    const plain = Array.from({ length: 30 }, (_, i) => tenant({ id: `plain-${String(i).padStart(2, '0')}` }));
    const tenants = [
      ...plain,
      tenant({ id: 'zz-small-sf', integrations: [salesforce] }),
      tenant({ id: 'big-sap', users: 9000, sla: 'platinum', integrations: [sap, salesforce], strategic: { anchor: true, executiveEscalation: false } }),
    ];
    const plan = buildPlan({ tenants, feature, asOf, config: { calendar: 'continuous' } });
    const sf = plan.coverage.find((c) => c.config === 'system:salesforce')!;
    expect(sf.coveredBy).toEqual(['zz-small-sf']);
    expect(sf.firstWave).toBe(plan.waves[0].id);
    expect(plan.waves[0].members.map((m) => m.tenantId)).toEqual(['zz-small-sf']);
    expect(plan.waves[0].members[0].reason).toContain('pulled forward to exercise system:salesforce');
    const sapEntry = plan.coverage.find((c) => c.config === 'system:sap')!;
    expect(sapEntry.firstWave).toBeUndefined();
    expect(sapEntry.note).toContain('no low-stakes tenant can exercise system:sap, since only high-stakes tenants use it (1 tenant: 1 anchor account, 1 platinum SLA; 1 high-tier)');
  });
});

describe('never-together splits', () => {
  it('puts two anchors in different sub-waves and records the split', () => {
    const anchor = { anchor: true, executiveEscalation: false };
    const tenants = ['a-one', 'a-two', 'a-three'].map((id) => tenant({ id, strategic: anchor }));
    const plan = buildPlan({ tenants, feature: benchFeature(seconds), asOf, config: { growth: { low: [], medium: [], high: [] }, lanes: { enabled: false, key: 'region' } } });
    const high = plan.waves.filter((w) => w.stage === 'high');
    expect(high.map((w) => w.members.map((m) => m.tenantId))).toEqual([['a-one'], ['a-three'], ['a-two']]);
    expect(high.every((w) => w.approval === 'per-tenant' && w.fourEyes)).toBe(true);
    expect(plan.conflicts).toHaveLength(2);
    expect(plan.conflicts[0].resolution).toMatch(/at most one anchor account per wave: a-three goes to w1b instead of sharing a wave with a-one \(w1a\)/);
  });
});

describe('timeline', () => {
  it('gives customer success its review time before the notice lead, and says so', () => {
    const tenants = Array.from({ length: 12 }, (_, i) => tenant({ id: `t-${i}` }));
    const planWith = (durations: object) => buildPlan({ tenants, feature: benchFeature({ durations }), asOf, config: { calendar: 'continuous' } });
    const without = planWith({});
    const reviewed = planWith({ noticeReviewSeconds: 86_400 });
    expect(Date.parse(without.timeline.start)).toBe(Date.parse(asOf) + without.noticeLeadSeconds * 1000);
    expect(Date.parse(reviewed.timeline.start)).toBe(Date.parse(without.timeline.start) + 86_400_000);
    expect(reviewed.noticeReviewSeconds).toBe(86_400);
    expect('noticeReviewSeconds' in without).toBe(false);
    expect(renderPlan(reviewed, 'table')).toMatch(/notice review +24 h for customer success to review and send the drafts, before the notice lead/);
    expect(renderPlan(without, 'table')).not.toContain('notice review');
  });

  it('warns when the deadline cannot be met, by how much, and with the levers', () => {
    const tenants = Array.from({ length: 40 }, (_, i) => tenant({ id: `t-${i}` }));
    const plan = buildPlan({ tenants, feature: benchFeature({ deadline: '2026-03-06T00:00:00Z' }), asOf });
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toMatch(/deadline 2026-03-06T00:00:00Z is infeasible: the timeline ends .*, [\d.]+ [hd] late/);
    expect(plan.warnings[0]).toContain('shorter soak');
  });

  describe('names what the business calendar costs when the deadline is missed, as planned that way', () => {
    // 40 Berlin tenants starting on a Thursday: the business plan waits for mornings and skips the
    // weekend, the continuous one does not.
    const tenants = Array.from({ length: 40 }, (_, i) => tenant({ id: `t-${String(i).padStart(2, '0')}`, timeZone: 'Europe/Berlin' }));
    const thursday = '2026-03-05T08:00:00Z';
    const endOf = (config: object, deadline: string) => buildPlan({ tenants, feature: benchFeature({ deadline }), asOf: thursday, config }).timeline.end;
    const lever = (warning: string, what: string) => warning.split('; ').find((l) => l.startsWith(what));

    it('with the end each calendar would reach, how much earlier, and whether it meets the deadline', () => {
      const business = endOf({ calendar: 'business' }, '2026-04-30T00:00:00Z');
      const weekends = endOf({ calendar: 'business', weekendsOff: false }, '2026-04-30T00:00:00Z');
      const continuous = endOf({ calendar: 'continuous' }, '2026-04-30T00:00:00Z');
      expect(Date.parse(continuous)).toBeLessThan(Date.parse(weekends));
      expect(Date.parse(weekends)).toBeLessThan(Date.parse(business));
      // A deadline between the weekend plan's end and the business plan's: only the business plan misses it.
      const deadline = new Date(Date.parse(weekends) + 3_600_000).toISOString();
      const plan = buildPlan({ tenants, feature: benchFeature({ deadline }), asOf: thursday, config: { calendar: 'business' } });
      expect(plan.timeline.end).toBe(business);
      const [warning] = plan.warnings;
      expect(lever(warning, 'starting waves on weekends too (weekendsOff: false)')).toBe(
        `starting waves on weekends too (weekendsOff: false): ends ${weekends}, ${duration((Date.parse(business) - Date.parse(weekends)) / 1000)} earlier, meets the deadline`);
      expect(lever(warning, 'starting waves at any hour and day, not only 09:00–11:00 local on weekdays')).toContain(`(calendar: 'continuous'): ends ${continuous}, `);
    });

    it('says how late a calendar would still be, and names none on the continuous calendar', () => {
      const deadline = '2026-03-09T00:00:00Z';
      const [business] = buildPlan({ tenants, feature: benchFeature({ deadline }), asOf: thursday, config: { calendar: 'business', weekendsOff: false } }).warnings;
      expect(lever(business, 'starting waves on weekends too')).toBeUndefined();
      const continuous = endOf({ calendar: 'continuous' }, deadline);
      expect(lever(business, 'starting waves at any hour and day')).toMatch(
        new RegExp(`ends ${continuous.replace(/\./g, '\\.')}, [\\d.]+ [hd] earlier, still ${duration((Date.parse(continuous) - Date.parse(deadline)) / 1000)} late$`));
      const [round] = buildPlan({ tenants, feature: benchFeature({ deadline }), asOf: thursday, config: { calendar: 'continuous' } }).warnings;
      expect(round).toContain('is infeasible');
      expect(round).not.toContain('starting waves');
      // On 'auto', second-long waves already start at any hour: no calendar lever.
      const [quick] = buildPlan({ tenants, feature: benchFeature({ ...seconds, deadline: '2026-03-05T08:00:10Z' }), asOf: thursday }).warnings;
      expect(quick).toContain('is infeasible');
      expect(quick).not.toContain('starting waves');
    });
  });

  it('runs second-long waves back to back in continuous time, and starts business waves in the morning', () => {
    const tenants = Array.from({ length: 20 }, (_, i) => tenant({ id: `t-${i}`, timeZone: 'Europe/Berlin' }));
    const quick = buildPlan({ tenants, feature: benchFeature(seconds), asOf: '2026-03-07T23:00:00Z' }); // a Saturday night
    expect(quick.timeline.start).toBe('2026-03-07T23:00:00.000Z');
    expect(quick.timeline.totalSeconds).toBeLessThan(120);
    const slow = buildPlan({ tenants, feature: benchFeature(), asOf: '2026-03-07T23:00:00Z' });
    for (const w of slow.waves) {
      const local = new Date(Date.parse(w.start) + 3_600_000); // Berlin is UTC+1 in March before DST
      expect(local.getUTCHours()).toBeGreaterThanOrEqual(9);
      expect(local.getUTCHours()).toBeLessThan(11);
      expect([0, 6]).not.toContain(local.getUTCDay());
    }
  });

  it('moves a tenant whose freeze collides with its wave to a later wave and says so', () => {
    const tenants = [
      ...Array.from({ length: 6 }, (_, i) => tenant({ id: `t-${i}` })),
      tenant({ id: 'frozen', freezeWindows: [{ start: '2026-03-01T23:59:10Z', end: '2026-03-02T00:01:00Z', reason: 'quarter close' }] }),
    ];
    const feature = benchFeature({ durations: { monitoringWindowSeconds: 30, soakSeconds: 10, sampleIntervalSeconds: 5, noticeLeadSeconds: 0 } });
    const plan = buildPlan({ tenants, feature, asOf: '2026-03-01T23:59:00Z', config: { lanes: { enabled: false, key: 'region' } } });
    const w = plan.waves.find((x) => x.members.some((m) => m.tenantId === 'frozen'))!;
    expect(Date.parse(w.start)).toBeGreaterThanOrEqual(Date.parse('2026-03-02T00:01:00Z'));
    expect(w.members.find((m) => m.tenantId === 'frozen')!.reason).toMatch(/moved out of .*freeze "quarter close"/);
  });
});
