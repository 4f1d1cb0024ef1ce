import { readFileSync } from 'node:fs';
import { buildPlan } from '../../shared/plan/build';
import { parseTenants } from '../../shared/import/tenants';
import { parseFeature } from '../../shared/import/feature';
import { benchFeature } from '../../bench/fleet-gen';
import { Tenant, type TenantInput } from '../../shared/model/tenant';
import type { Plan } from '../../shared/model/plan';

/**
 * A tenant the timeline holds (its freeze overlaps its catch-up wave and ends after the deadline or
 * the planning horizon, so no catch-up wave waits for it) is held exactly as a tenant held at scoring time: counted once, its profile on hold
 * with the same reason, and the reason true of its freeze.
 */
function countedOnce(plan: Plan): void {
  const scheduled = plan.waves.flatMap((w) => w.members.map((m) => m.tenantId));
  const held = plan.holds.map((h) => h.tenantId);
  expect(new Set([...scheduled, ...held]).size).toBe(scheduled.length + held.length);
  expect([...scheduled, ...held].sort()).toEqual(plan.profiles.map((p) => p.tenantId).sort());
  for (const h of plan.holds) {
    const profile = plan.profiles.find((p) => p.tenantId === h.tenantId)!;
    expect(profile.tier).toBe('hold');
    expect(profile.holds).toEqual(h.reasons);
    for (const r of h.reasons) expect(profile.summary).toContain(r.reason);
    expect(profile.summary).toContain('On hold: ');
  }
  for (const p of plan.profiles) expect(p.tier === 'hold').toBe(held.includes(p.tenantId));
}

describe('a freeze that ends past the deadline', () => {
  const asOf = '2026-12-04T00:00:00Z';
  const tenants = parseTenants(readFileSync('examples/fleet.yaml', 'utf8'), { filename: 'fleet.yaml', asOf }).tenants;
  const text = readFileSync('examples/feature-smart-routing.yaml', 'utf8').replace('deadline: "2027-02-26T00:00:00Z"', 'deadline: "2026-12-15T00:00:00Z"');
  const parsed = parseFeature(text);
  if (!parsed.ok) throw new Error('example feature does not parse');
  const plan = buildPlan({ tenants, feature: parsed.feature, asOf });

  it('holds the tenant once, with a matching profile and summary', () => {
    expect(plan.holds.map((h) => h.tenantId)).toContain('first-harbor-bank');
    countedOnce(plan);
  });

  it('names the tenant in the deadline warning, with what would plan it', () => {
    const frozenOut = plan.holds.filter((h) => h.reasons.some((r) => r.rule === 'freeze-past-horizon')).map((h) => h.tenantId);
    expect(frozenOut).toEqual(['first-harbor-bank']);
    expect(plan.warnings[0]).toMatch(/^deadline 2026-12-15T00:00:00Z is infeasible: /);
    expect(plan.warnings[0]).toContain('. The plan also holds first-harbor-bank, whose freeze ends after the deadline (see Holds, rule freeze-past-horizon): a deadline past its freeze, or a lifted freeze, would plan it');
  });

  it('says the freeze outlasts the deadline, not that it covers the horizon, and what would release it', () => {
    const [hold] = plan.holds.find((h) => h.tenantId === 'first-harbor-bank')!.reasons;
    expect(hold.rule).toBe('freeze-past-horizon');
    expect(hold.reason).not.toMatch(/covers/);
    expect(hold.reason).toContain('"year-end close" (2026-12-21 – 2027-01-08)');
    // The catch-up slot is past the deadline, as other waves of this plan are: what holds the tenant
    // is that its freeze ends after the deadline, so no catch-up wave waits for it.
    expect(hold.reason).toBe('its freeze "year-end close" (2026-12-21 – 2027-01-08) overlaps the medium-stage catch-up wave it would join after leaving its own wave (2026-12-23 – 2026-12-26); the freeze ends after the deadline 2026-12-15, and a catch-up wave waits for a freeze only when it ends by the deadline, so the plan gives it no catch-up wave');
    expect(hold.reason).not.toMatch(/no slot is left|earliest .* slot/);
    expect(plan.waves.some((w) => w.start > '2026-12-15')).toBe(true);
    expect(hold.release).toBe('move the deadline past 2027-01-08 or ask the tenant to lift the freeze');
  });
});

describe('a freeze that ends past the planning horizon of a feature without a deadline', () => {
  const asOf = '2026-03-02T08:00:00Z';
  const tenant = (t: Partial<TenantInput> & { id: string }): Tenant => Tenant.parse({ name: t.id, users: 100, ...t });
  const plain = Array.from({ length: 12 }, (_, i) => tenant({ id: `plain-${String(i).padStart(2, '0')}` }));
  // Frozen from the day the first wave could start to well past the 10-day horizon: no hold at
  // scoring time (there is no deadline), but the timeline has nowhere to put it.
  const frozen = tenant({ id: 'frozen', freezeWindows: [{ start: '2026-03-04T00:00:00Z', end: '2026-04-30', reason: 'audit' }] });
  const plan = buildPlan({ tenants: [...plain, frozen], feature: benchFeature(), asOf, config: { horizonDays: 10, calendar: 'continuous' } });

  it('holds it with a matching profile and names the horizon it outlasts', () => {
    countedOnce(plan);
    const held = plan.holds.find((h) => h.tenantId === 'frozen');
    expect(held?.reasons[0].rule).toBe('freeze-past-horizon');
    expect(held?.reasons[0].reason).toMatch(/^its freeze "audit" \(2026-03-04 – 2026-04-30\) overlaps the \w+-stage catch-up wave it would join after leaving its own wave \(\d{4}-\d\d-\d\d – \d{4}-\d\d-\d\d\); the freeze ends after the planning horizon 2026-03-12 \(horizonDays: 10; the feature has no deadline\), and a catch-up wave waits for a freeze only when it ends by the end of the planning horizon, so the plan gives it no catch-up wave$/);
    expect(held?.reasons[0].release).toBe('raise horizonDays or set a deadline past 2026-04-30, or ask the tenant to lift the freeze');
  });
});
