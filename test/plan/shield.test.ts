import { buildPlan } from '../../shared/plan/build';
import type { Plan, Wave } from '../../shared/model/plan';
import type { Tenant } from '../../shared/model/tenant';
import { tenantTouches } from '../../shared/risk/touch';
import { tenantStrata } from '../../shared/plan/strata';
import { benchFeature, generateFleet } from '../../bench/fleet-gen';

const asOf = '2026-03-02T08:00:00Z';
const feature = benchFeature();
const premium = (t: Tenant) => t.sla === 'gold' || t.sla === 'platinum';
const keysOf = (t: Tenant) => tenantTouches(t, feature).flatMap((touch) => tenantStrata(t).map((s) => `${touch} on ${s}`));
const monitoredAt = (w: Wave) => Date.parse(w.start) + w.monitoringWindowSeconds * 1000;

function members(plan: Plan, byId: Map<string, Tenant>) {
  return plan.waves.flatMap((wave) => wave.members.map((m) => ({ wave, member: m, tenant: byId.get(m.tenantId)! })));
}

let raisedInAnyFleet = 0;
afterAll(() => expect(raisedInAnyFleet).toBeGreaterThan(0));

describe.each([1000, 1003, 1006])('gold and platinum tenants after their standard-SLA look-alikes (fleet seed %i)', (seed) => {
  const tenants = generateFleet(1000, seed, { asOf });
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const plan = buildPlan({ tenants, feature, asOf });
  const all = members(plan, byId);

  it('starts a premium tenant only once a standard-SLA tenant sharing its configuration and stratum has been monitored', () => {
    // Per look-alike key, when the first standard-SLA (or internal) tenant exercising it has been monitored.
    const shownAt = new Map<string, number>();
    for (const { wave, tenant } of all) {
      if (premium(tenant) || wave.lane === 'catch-up') continue;
      for (const key of keysOf(tenant)) shownAt.set(key, Math.min(shownAt.get(key) ?? Infinity, monitoredAt(wave)));
    }
    let checked = 0;
    for (const { wave, tenant } of all) {
      if (!premium(tenant)) continue;
      for (const key of keysOf(tenant)) {
        const shown = shownAt.get(key);
        if (shown === undefined) continue;
        expect({ tenant: tenant.id, key, start: Date.parse(wave.start) >= shown }).toEqual({ tenant: tenant.id, key, start: true });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('says why a premium tenant waits for a later stage, naming the standard-SLA tenant it waits for', () => {
    const raised = all.filter(({ member }) => member.reason.includes(', where standard-SLA tenant '));
    raisedInAnyFleet += raised.length;
    for (const { member, tenant, wave } of raised) {
      expect(premium(tenant)).toBe(true);
      const [, stage, lookAlike] = /waits for the (\w+) stage, where standard-SLA tenant (\S+) first exercises/.exec(member.reason)!;
      expect(wave.stage).toBe(stage);
      expect(byId.get(lookAlike)!.sla).toBe('standard');
      // the planned tier rises with the stage, never below what the score says
      expect(['low', 'medium', 'high'].indexOf(member.tier)).toBeGreaterThanOrEqual(['low', 'medium', 'high'].indexOf(plan.profiles.find((p) => p.tenantId === tenant.id)!.scoreTier));
    }
  });

  it('sends premium canaries ahead of the stage\'s other gold and platinum waves, one per configuration no standard-SLA tenant shows first', () => {
    const canaries = plan.waves.filter((w) => w.reason.startsWith('premium canaries'));
    expect(canaries.length).toBeGreaterThan(0);
    for (const c of canaries) {
      for (const m of c.members) {
        // a tenant a freeze moved out of an earlier wave of the stage may join; nobody else does
        if (m.reason.includes('the next wave of its stage clear of its freeze')) continue;
        expect(premium(byId.get(m.tenantId)!)).toBe(true);
        expect(m.reason).toContain('premium canary: no standard-SLA tenant exercises');
      }
      const laterPremium = plan.waves.filter((w) => w.stage === c.stage && w.reason.includes('gold and platinum tenants of lane'));
      for (const w of laterPremium) expect(Date.parse(w.start)).toBeGreaterThanOrEqual(monitoredAt(c));
      expect(c.members.length).toBeLessThan(laterPremium.reduce((n, w) => n + w.members.length, 0));
    }
  });

  it('keeps gold and platinum beta volunteers out of the pilot: opting in does not waive the SLA', () => {
    const volunteers = all.filter(({ tenant }) => tenant.betaOptIn && !tenant.internal && premium(tenant));
    expect(volunteers.length).toBeGreaterThan(0);
    for (const { wave, member } of volunteers) {
      expect(wave.stage).not.toBe('pilot');
      if (member.tier === 'low') expect(member.reason).toMatch(/opted into beta but (gold|platinum) SLA, so it waits for the low stage's standard-SLA tenants/);
    }
  });
});

it('lets internal tenants and standard-SLA beta volunteers above low risk lead their stage', () => {
  const tenants = generateFleet(1000, 1000, { asOf });
  const before = buildPlan({ tenants, feature, asOf });
  // The three riskiest standard-SLA medium tenants volunteer for beta: they would otherwise come last.
  const medium = before.waves.filter((w) => w.stage === 'medium').flatMap((w) => w.members)
    .filter((m) => tenants.find((t) => t.id === m.tenantId)!.sla === 'standard')
    .sort((a, b) => before.profiles.find((p) => p.tenantId === b.tenantId)!.score - before.profiles.find((p) => p.tenantId === a.tenantId)!.score);
  const volunteers = new Set(medium.slice(0, 3).map((m) => m.tenantId));
  expect(volunteers.size).toBe(3);
  const plan = buildPlan({ tenants: tenants.map((t) => (volunteers.has(t.id) ? { ...t, betaOptIn: true } : t)), feature, asOf });
  const first = plan.waves.find((w) => w.stage === 'medium')!;
  expect(first.reason).toMatch(/^growth sub-wave of 3/);
  // our own internal tenants of the stage go first, then the volunteers
  const internal = new Set(tenants.filter((t) => t.internal).map((t) => t.id));
  for (const m of first.members) expect(internal.has(m.tenantId) || volunteers.has(m.tenantId)).toBe(true);
  expect(first.members.filter((m) => volunteers.has(m.tenantId)).length).toBeGreaterThanOrEqual(2);
});
