import { buildPlan } from '../../shared/plan/build';
import type { Plan, Wave } from '../../shared/model/plan';
import type { Tenant } from '../../shared/model/tenant';
import { tenantTouches } from '../../shared/risk/touch';
import { tenantStrata } from '../../shared/plan/strata';
import { benchFeature, generateFleet } from '../../bench/fleet-gen';

const asOf = '2026-03-02T08:00:00Z';
const feature = benchFeature();
/** What a fault costs contractually: our own internal tenants count as standard whatever their SLA. */
const premium = (t: Tenant) => !t.internal && (t.sla === 'gold' || t.sla === 'platinum');
const keysOf = (t: Tenant) => tenantTouches(t, feature).flatMap((touch) => tenantStrata(t).map((s) => `${touch} on ${s}`));
const monitoredAt = (w: Wave) => Date.parse(w.start) + w.monitoringWindowSeconds * 1000;
const catchUp = (w: Wave) => w.lane.startsWith('catch-up');
/**
 * Whether the look-alike a placement names can be relied on: freezes move tenants, and the shield
 * then holds through another look-alike or a later wave. Coverage picks are no exception any more:
 * they are low-stakes, so never gold or platinum (test/plan/stakes.test.ts).
 */
const exempt = (reason: string) => reason.includes('moved out of');

function members(plan: Plan, byId: Map<string, Tenant>) {
  return plan.waves.flatMap((wave) => wave.members.map((m) => ({ wave, member: m, tenant: byId.get(m.tenantId)! })));
}

// What the checks below look for; each must turn up in some fleet, or they would pass vacuously.
const raisedOf = (all: ReturnType<typeof members>) => all.filter(({ member }) => member.reason.includes(', where standard-SLA tenant '));
const canariesOf = (plan: Plan) => plan.waves.filter((w) => w.reason.startsWith('premium canar'));
const premiumVolunteersOf = (all: ReturnType<typeof members>) => all.filter(({ tenant }) => tenant.betaOptIn && premium(tenant));
const fleets: { plan: Plan; all: ReturnType<typeof members> }[] = [];

// Small fleets too: a stage smaller than its growth sub-waves, or a never-together rule pushing
// standard-SLA tenants out of them, must not let gold and platinum tenants in ahead. Fleets with
// many freezes too (share 0.6): a freeze that moves a premium tenant's only standard-SLA
// look-alike to a catch-up wave must not let the premium tenant go first.
describe.each([[1000, 1000, 0.08], [1000, 1003, 0.08], [1000, 1006, 0.08], [300, 202, 0.08], [80, 7919, 0.08], [150, 55433, 0.08], [1000, 155, 0.08], [1000, 23, 0.6], [400, 42, 0.6], [150, 53, 0.6]])('gold and platinum tenants after their standard-SLA look-alikes (%i tenants, seed %i, freeze share %d)', (size, seed, freezeShare) => {
  const tenants = generateFleet(size, seed, { asOf, freezeShare });
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const plan = buildPlan({ tenants, feature, asOf, config: size < 1000 ? { maxWaveSize: 25 } : {} });
  const all = members(plan, byId);
  fleets.push({ plan, all });

  it('starts a premium tenant only once a standard-SLA tenant sharing its configuration and stratum has been monitored', () => {
    // Per look-alike key, when the first standard-SLA (or internal) tenant exercising it has been
    // monitored, in whatever wave a freeze left it (a catch-up wave too).
    const shownAt = new Map<string, number>();
    for (const { wave, tenant } of all) {
      if (premium(tenant)) continue;
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
    expect(checked).toBeGreaterThan(size / 50);
  });

  it('says why a premium tenant waits for a later stage, naming a standard-SLA tenant monitored before it starts', () => {
    const raised = raisedOf(all);
    const byMember = new Map(all.map((x) => [x.member.tenantId, x]));
    for (const { member, tenant, wave } of raised) {
      expect(premium(tenant)).toBe(true);
      const [, stage, lookAlike] = /waits for the (\w+) stage, where standard-SLA tenant (\S+) exercises/.exec(member.reason)!;
      expect(wave.stage).toBe(stage);
      expect(premium(byId.get(lookAlike)!)).toBe(false);
      const named = byMember.get(lookAlike);
      if (named && !catchUp(named.wave) && !exempt(member.reason) && !exempt(named.member.reason)) expect(Date.parse(wave.start)).toBeGreaterThanOrEqual(monitoredAt(named.wave));
      // the planned tier rises with the stage, never below what the score says
      expect(['low', 'medium', 'high'].indexOf(member.tier)).toBeGreaterThanOrEqual(['low', 'medium', 'high'].indexOf(plan.profiles.find((p) => p.tenantId === tenant.id)!.scoreTier));
    }
  });

  it('sends premium canaries ahead of the stage\'s other gold and platinum waves, and lets nobody else into them', () => {
    const canaries = canariesOf(plan);
    for (const c of canaries) {
      for (const m of c.members) {
        expect(premium(byId.get(m.tenantId)!)).toBe(true);
        // Picked as a canary, or in place of one a freeze moved out.
        expect(m.reason).toMatch(/premium canary(: | in \S+ in place of \S+, (whose freeze moved it out|which waits for its standard-SLA look-alike): )no tenant planned before it exercises/);
      }
      const laterPremium = plan.waves.filter((w) => w.stage === c.stage && /gold and platinum tenants? of lane/.test(w.reason));
      for (const w of laterPremium) expect(Date.parse(w.start)).toBeGreaterThanOrEqual(monitoredAt(c));
    }
  });

  it('keeps every wave\'s members to what its reason says: standard-SLA rounds without premium tenants, premium rounds without standard ones', () => {
    for (const w of plan.waves) {
      const kinds = new Set(w.members.map((m) => premium(byId.get(m.tenantId)!)));
      if (/gold and platinum tenants? of lane/.test(w.reason)) expect(kinds.has(false)).toBe(false);
      if (/standard-SLA tenants? of lane/.test(w.reason)) expect(kinds.has(true)).toBe(false);
    }
  });

  it('keeps gold and platinum beta volunteers out of the pilot: opting in does not waive the SLA', () => {
    const volunteers = premiumVolunteersOf(all);
    for (const { wave, member } of volunteers) {
      expect(wave.stage).not.toBe('pilot');
      if (member.tier === 'low' && member.reason.includes('opted into beta')) expect(member.reason).toMatch(/opted into beta but (gold|platinum) SLA, so it waits for the low stage's standard-SLA tenants/);
    }
  });
});

// A test of its own rather than an afterAll over counters, so it holds when a run picks tests with -t.
it('finds premium tenants raised to a later stage, premium canaries and premium beta volunteers in the fleets above', () => {
  expect(fleets.flatMap(({ all }) => raisedOf(all)).length).toBeGreaterThan(0);
  expect(fleets.flatMap(({ plan }) => canariesOf(plan)).length).toBeGreaterThan(0);
  expect(fleets.flatMap(({ all }) => premiumVolunteersOf(all)).length).toBeGreaterThan(0);
});

it('treats an internal tenant as ours whatever its SLA: it stays in the pilot rather than wait for a standard-SLA look-alike', () => {
  const tenants = generateFleet(1000, 1000, { asOf });
  const internal = tenants.find((t) => t.internal && t.integrations.some((i) => i.system === 'salesforce'))!;
  // A big gold internal tenant: its score stays low, and customers share its configurations only in later stages.
  const plan = buildPlan({ tenants: tenants.map((t) => (t.id === internal.id ? { ...t, sla: 'gold' as const, users: 20_000 } : t)), feature, asOf });
  expect(plan.profiles.find((p) => p.tenantId === internal.id)!.tier).toBe('low');
  const wave = plan.waves.find((w) => w.members.some((m) => m.tenantId === internal.id))!;
  expect(wave.stage).toBe('pilot');
  expect(wave.members.find((m) => m.tenantId === internal.id)!.reason).toMatch(/^internal tenant, low risk \(score [\d.]+\): pilot$/);
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

it('names a setting whose key itself contains " on " whole in the reasons', () => {
  // The same fleet and feature with the approval_flow setting renamed to 'approve on save'.
  const renamed = (key: string) => (key === 'approval_flow' ? 'approve on save' : key);
  const tenants = generateFleet(1000, 1003, { asOf }).map((t) => ({ ...t, customizations: t.customizations.map((c) => ({ ...c, key: renamed(c.key) })) }));
  const onSave = benchFeature({
    changes: feature.changes.map((c) => ({ ...c, touches: { ...c.touches, settings: c.touches.settings.map(renamed) } })),
  });
  const plan = buildPlan({ tenants, feature: onSave, asOf });
  // What the shield's and the canaries' reasons say a tenant exercises.
  const exercised = plan.waves.flatMap((w) => w.members.flatMap((m) => [...m.reason.matchAll(/exercises (.*?)(?:: a fault there|, so it goes in a small canary)/g)].map((x) => x[1])))
    .filter((what) => what.includes('setting:approve'));
  expect(exercised.length).toBeGreaterThan(0);
  for (const what of exercised) expect(what).toMatch(/setting:approve on save(, [^;]+)? on (small|mid-size|large|simple|complex) tenants/);
});

it.each([1000, 1003])('replaces a premium canary a freeze moves out with a tenant exercising what it was picked for (seed %i)', (seed) => {
  const tenants = generateFleet(1000, seed, { asOf });
  const plan = buildPlan({ tenants, feature, asOf });
  const wave = plan.waves.find((w) => w.reason.startsWith('premium canar'))!;
  const canary = wave.members[0].tenantId;
  const frozen = tenants.map((t) => (t.id === canary
    ? { ...t, freezeWindows: [...t.freezeWindows, { start: wave.start, end: new Date(Date.parse(wave.end) + 86_400_000).toISOString(), reason: 'quarter close' }] }
    : t));
  const after = buildPlan({ tenants: frozen, feature, asOf });
  const canaries = after.waves.filter((w) => w.stage === wave.stage && w.reason.startsWith('premium canar'));
  const substitute = canaries.flatMap((w) => w.members).find((m) => m.reason.includes(`in place of ${canary}, whose freeze moved it out`));
  expect(substitute).toBeDefined();
  // It is a gold or platinum tenant that shares a look-alike with the canary it replaces.
  const byId = new Map(frozen.map((t) => [t.id, t]));
  expect(premium(byId.get(substitute!.tenantId)!)).toBe(true);
  const shared = keysOf(byId.get(substitute!.tenantId)!).filter((k) => keysOf(byId.get(canary)!).includes(k));
  expect(shared.length).toBeGreaterThan(0);
  expect(canaries.flatMap((w) => w.members).some((m) => m.tenantId === canary)).toBe(false);
});

it('moves a gold or platinum tenant after its only standard-SLA look-alikes when a freeze sends them to a catch-up wave', () => {
  const tenants = generateFleet(1000, 1000, { asOf });
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const all = members(buildPlan({ tenants, feature, asOf }), byId);
  // A premium lane tenant and one of its keys whose standard-SLA look-alikes are all in its own
  // stage: the fewest such look-alikes, so freezing them changes little else.
  const lookAlikes = (key: string) => all.filter(({ tenant }) => !premium(tenant) && keysOf(tenant).includes(key));
  const options = all.filter(({ wave, tenant }) => premium(tenant) && /gold and platinum tenants? of lane/.test(wave.reason))
    .flatMap((p) => keysOf(p.tenant).map((key) => ({ p, key, standard: lookAlikes(key) })))
    .filter(({ p, standard }) => standard.length > 0 && standard.every(({ wave }) => wave.stage === p.wave.stage))
    .sort((a, b) => a.standard.length - b.standard.length);
  const { p, key, standard } = options[0];
  const frozen = new Map(standard.map(({ tenant, wave }) => [tenant.id, { start: wave.start, end: new Date(Date.parse(wave.end) + 86_400_000).toISOString(), reason: 'quarter close' }]));
  const after = buildPlan({ tenants: tenants.map((t) => (frozen.has(t.id) ? { ...t, freezeWindows: [...t.freezeWindows, frozen.get(t.id)!] } : t)), feature, asOf });
  const moved = members(after, byId);
  expect(moved.filter(({ tenant }) => frozen.has(tenant.id)).some(({ wave }) => catchUp(wave))).toBe(true);
  const shown = Math.min(...moved.filter(({ tenant }) => !premium(tenant) && keysOf(tenant).includes(key)).map(({ wave }) => monitoredAt(wave)));
  const premiumNow = moved.find(({ tenant }) => tenant.id === p.tenant.id)!;
  expect(Date.parse(premiumNow.wave.start)).toBeGreaterThanOrEqual(shown);
  expect(premiumNow.member.reason).toMatch(/moved out of \S+ \([^)]*\): standard-SLA tenant \S+, the look-alike it waits for on .+, is not monitored by then \(a freeze moved it to a later wave or delayed its wave\), so this (gold|platinum) SLA tenant goes after it/);
});

// When a freeze empties a canary wave, the first substitute times the wave again: the reason a
// later canary left must still be the freeze it had at the wave's first start, not a look-alike.
it('says a canary a freeze moved out left for its freeze, even after the first substitute retimed the emptied canary wave', () => {
  const tenants = generateFleet(300, 5, { asOf });
  const plan = buildPlan({ tenants, feature, asOf });
  const wave = plan.waves.find((w) => w.reason.startsWith('premium canar') && w.members.length >= 2)!;
  const ids = new Set(wave.members.map((m) => m.tenantId));
  const frozen = tenants.map((t) => (ids.has(t.id) ? { ...t, freezeWindows: [...t.freezeWindows, { start: wave.start, end: wave.end, reason: 'quarter close' }] } : t));
  const all = buildPlan({ tenants: frozen, feature, asOf }).waves.flatMap((w) => w.members);
  for (const m of all.filter((x) => ids.has(x.tenantId))) expect(m.reason).toMatch(new RegExp(`moved out of \\S+ \\((as timed then, )?monitoring window ${wave.start} – ${wave.end}\\): freeze "quarter close"`));
  const said = all.flatMap((m) => { const x = /in place of (\S+), (whose freeze moved it out|which waits for its standard-SLA look-alike)/.exec(m.reason); return x && ids.has(x[1]) ? [x[2]] : []; });
  expect(said.length).toBeGreaterThan(0);
  expect(said).toEqual(said.map(() => 'whose freeze moved it out'));
});
