import { readFileSync } from 'node:fs';
import { buildPlan } from '../../shared/plan/build';
import { highStakes, isLowStakes } from '../../shared/plan/stakes';
import { parseTenants } from '../../shared/import/tenants';
import { parseFeature } from '../../shared/import/feature';
import { benchFeature, generateFleet } from '../../bench/fleet-gen';
import { Tenant, type TenantInput } from '../../shared/model/tenant';
import type { Plan } from '../../shared/model/plan';
import { slaClass } from '../../shared/risk/sla';
import { defaultRiskConfig } from '../../shared/risk/config';

// Coverage picks exercise each touched configuration early so a fault shows where it hurts least:
// only on low-stakes tenants (shared/plan/stakes.ts). A gold or platinum, anchor, escalated,
// highly regulated or soon-renewing tenant was once pulled into a low growth sub-wave to cover
// complex tenants (the platinum 甲公司 of the ledger-migration example, the gold cobalt-freight of
// the smart-routing one).

const stakesOf = (t: Tenant, asOf: string) => highStakes(t, slaClass(t, defaultRiskConfig), asOf, defaultRiskConfig);
const picked = (plan: Plan) => plan.waves.flatMap((w) => w.members.filter((m) => m.reason.includes('pulled forward to exercise')).map((m) => ({ wave: w, m })));

function example(fleet: string, feature: string): { plan: Plan; tenants: Tenant[]; asOf: string } {
  const asOf = '2026-12-04T00:00:00Z';
  const parsed = parseTenants(readFileSync(`examples/${fleet}`, 'utf8'), { filename: fleet, asOf });
  const f = parseFeature(readFileSync(`examples/${feature}`, 'utf8'), { filename: feature });
  if (!parsed.ok || !f.ok) throw new Error('examples do not parse');
  return { plan: buildPlan({ tenants: parsed.tenants, feature: f.feature, asOf }), tenants: parsed.tenants, asOf };
}

/** Every pick and every tenant the coverage section names as covering is low-stakes, and in an early wave that is not catch-up. */
function checkLowStakes({ plan, tenants, asOf }: { plan: Plan; tenants: Tenant[]; asOf: string }): number {
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const waveOf = new Map(plan.waves.flatMap((w) => w.members.map((m) => [m.tenantId, w] as const)));
  const picks = picked(plan);
  for (const { m } of picks) expect({ tenant: m.tenantId, stakes: stakesOf(byId.get(m.tenantId)!, asOf) }).toEqual({ tenant: m.tenantId, stakes: [] });
  for (const c of plan.coverage) {
    for (const id of c.coveredBy) {
      const w = waveOf.get(id)!;
      expect({ id, stakes: stakesOf(byId.get(id)!, asOf), early: ['pilot', 'low'].includes(w.stage) && !w.lane.startsWith('catch-up') }).toEqual({ id, stakes: [], early: true });
    }
  }
  return picks.length;
}

describe('coverage picks are low-stakes', () => {
  it('leaves the platinum 甲公司 out of the ledger migration\'s growth sub-waves and says no low-stakes tenant can cover complex tenants', () => {
    const ex = example('fleet-table.txt', 'feature-ledger-migration.yaml');
    expect(checkLowStakes(ex)).toBeGreaterThan(0);
    const jia = ex.plan.waves.find((w) => w.members.some((m) => m.tenantId === 't-4bce2d02'))!;
    expect(jia.reason).not.toMatch(/^growth sub-wave/);
    expect(jia.members.find((m) => m.tenantId === 't-4bce2d02')!.reason).not.toContain('pulled forward');
    const complex = ex.plan.coverage.find((c) => c.config === 'stratum:complex')!;
    expect(complex.coveredBy).toEqual([]);
    expect(complex.note).toMatch(/^no low-stakes tenant can exercise complex tenants [^:]*, since only high-stakes tenants use it \(6 tenants: 5 platinum SLA, .*\)/);
  });

  it('leaves the gold cobalt-freight out of smart routing\'s growth sub-waves; Cedar Valley (HIPAA, gold, medium risk) was never a pick', () => {
    const ex = example('fleet.yaml', 'feature-smart-routing.yaml');
    expect(checkLowStakes(ex)).toBeGreaterThan(0);
    const ids = picked(ex.plan).map(({ m }) => m.tenantId);
    expect(ids).not.toContain('cobalt-freight');
    expect(ids).not.toContain('cedar-valley-health');
    const complex = ex.plan.coverage.find((c) => c.config === 'stratum:complex')!;
    expect(complex.note).toContain('; outside the pilot, no low-stakes tenant can exercise it, since only high-stakes tenants use it');
  });

  it.each([[1000, 1000, 0.08], [1000, 1006, 0.3], [400, 42, 0.6], [150, 53, 0.6], [80, 7919, 0.08]])('on generated fleets (%i tenants, seed %i, freeze share %d)', (size, seed, freezeShare) => {
    const asOf = '2026-03-02T08:00:00Z';
    const tenants = generateFleet(size, seed, { asOf, freezeShare });
    const plan = buildPlan({ tenants, feature: benchFeature(), asOf, config: size < 1000 ? { maxWaveSize: 25 } : {} });
    expect(checkLowStakes({ plan, tenants, asOf })).toBeGreaterThan(0);
  });

  it('picks a standard-SLA tenant over a highly regulated or soon-renewing one, and reports a target only high-stakes tenants use', () => {
    const asOf = '2026-03-02T08:00:00Z';
    const salesforce = { kind: 'crm', system: 'salesforce', version: '58.0' } as const;
    const sap = { kind: 'erp', system: 'sap', version: '7.5' } as const;
    const tenant = (t: Partial<TenantInput> & { id: string }): Tenant => Tenant.parse({ name: t.id, users: 100, ...t });
    const feature = benchFeature({ changes: [{ area: 'integration', description: 'sync', touches: { integrationKinds: [], systems: ['salesforce', 'sap'], settings: [] } }] });
    const tenants = [
      ...Array.from({ length: 30 }, (_, i) => tenant({ id: `plain-${String(i).padStart(2, '0')}` })),
      // Both would be preferred on traffic; neither is low-stakes.
      tenant({ id: 'a-regulated-sf', integrations: [salesforce], regulated: { industry: 'healthcare', regimes: ['HIPAA'] }, baseline: { requestsPerMinute: 5000, errorRate: 0.005 } }),
      tenant({ id: 'b-renewing-sap', integrations: [sap], contract: { renewalDate: '2026-04-15T00:00:00Z' }, baseline: { requestsPerMinute: 5000, errorRate: 0.005 } }),
      tenant({ id: 'z-quiet-sf', integrations: [salesforce] }),
      // Internal, gold: counts as standard and low-stakes.
      tenant({ id: 'ops-internal', internal: true, sla: 'gold', integrations: [salesforce] }),
    ];
    expect(stakesOf(tenants.find((t) => t.id === 'ops-internal')!, asOf)).toEqual([]);
    expect(stakesOf(tenants.find((t) => t.id === 'b-renewing-sap')!, asOf)).toEqual(['renewal within 90 days']);
    const plan = buildPlan({ tenants, feature, asOf, config: { calendar: 'continuous' } });
    expect(checkLowStakes({ plan, tenants, asOf })).toBeGreaterThan(0);
    expect(picked(plan).map(({ m }) => m.tenantId)).toEqual(['z-quiet-sf']);
    const sf = plan.coverage.find((c) => c.config === 'system:salesforce')!;
    expect(sf.coveredBy).toEqual(['ops-internal']);
    expect(sf.note).toContain('; outside the pilot, first in');
    expect(sf.note).toContain('z-quiet-sf');
    const sapEntry = plan.coverage.find((c) => c.config === 'system:sap')!;
    expect(sapEntry.coveredBy).toEqual([]);
    expect(sapEntry.note).toMatch(/^no low-stakes tenant can exercise system:sap, since only high-stakes tenants use it \(1 tenant: 1 renewal within 90 days; 1 low-tier\); of them, b-renewing-sap exercises it first, in w\w+ \(low\), where the plan placed it as it places any high-stakes tenant, not as a coverage pick$/);
  });
});

describe('isLowStakes, the allocation-free test the planner runs per tenant', () => {
  it('agrees with highStakes on every tenant of the examples and of generated fleets', () => {
    const asOf = '2026-12-04T00:00:00Z';
    const fleets = ['fleet.yaml', 'fleet.csv', 'fleet-table.txt'].map((f) => {
      const parsed = parseTenants(readFileSync(`examples/${f}`, 'utf8'), { filename: f, asOf });
      if (!parsed.ok) throw new Error(`examples/${f} does not parse`);
      return parsed.tenants;
    });
    const tenants = [...fleets.flat(), ...generateFleet(2_000, 11, { asOf })];
    let high = 0;
    for (const t of tenants) {
      const stakes = stakesOf(t, asOf);
      if (stakes.length > 0) high++;
      expect({ id: t.id, low: isLowStakes(t, slaClass(t, defaultRiskConfig), asOf, defaultRiskConfig) }).toEqual({ id: t.id, low: stakes.length === 0 });
    }
    // Both kinds are present, so the comparison can fail either way.
    expect(high).toBeGreaterThan(0);
    expect(high).toBeLessThan(tenants.length);
  });
});
