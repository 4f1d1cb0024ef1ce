import fc from 'fast-check';
import { buildPlan } from '../../shared/plan/build';
import { defaultPlanConfig } from '../../shared/plan/config';
import { Plan } from '../../shared/model/plan';
import { violations } from '../../shared/risk/conflicts';
import { soakSeconds } from '../../shared/monitoring/thresholds';
import { benchFeature, generateFleet } from '../../bench/fleet-gen';

const asOf = '2026-03-02T08:00:00Z';
const rank = { low: 0, medium: 1, high: 2 } as const;
const rankOfStage = { pilot: 0, low: 1, medium: 2, high: 3 } as const;
const catchUp = (lane: string) => lane === 'catch-up' || lane.startsWith('catch-up/');

type Params = { seed: number; size: number; freezeShare: number; calendar: 'auto' | 'business' | 'continuous'; lanes: boolean; seconds: boolean; deadlineDays: number | undefined };
const fleetArb: fc.Arbitrary<Params> = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  size: fc.integer({ min: 0, max: 150 }),
  freezeShare: fc.constantFrom(0, 0.1, 0.6),
  calendar: fc.constantFrom('auto', 'business', 'continuous') as fc.Arbitrary<'auto' | 'business' | 'continuous'>,
  lanes: fc.boolean(),
  seconds: fc.boolean(),
  // Freezes fall in the first weeks: a deadline soon after leaves some of them no slot before it.
  deadlineDays: fc.constantFrom(undefined, 10, 14),
});

function planFor(p: Params) {
  const tenants = generateFleet(p.size, p.seed, { asOf, freezeShare: p.freezeShare });
  const feature = benchFeature({
    ...(p.seconds ? { durations: { monitoringWindowSeconds: 5, soakSeconds: 3, sampleIntervalSeconds: 1, noticeLeadSeconds: 0 } } : {}),
    ...(p.deadlineDays !== undefined ? { deadline: new Date(Date.parse(asOf) + p.deadlineDays * 86_400_000).toISOString() } : {}),
  });
  const plan = buildPlan({ tenants, feature, asOf, config: { calendar: p.calendar, lanes: { enabled: p.lanes, key: 'region' }, maxWaveSize: 25 } });
  return { tenants, feature, plan };
}

describe('buildPlan on generated fleets', () => {
  it('keeps every invariant a reviewer relies on', () => {
    fc.assert(fc.property(fleetArb, (p) => {
      const { tenants, feature, plan } = planFor(p);
      expect(Plan.safeParse(plan).success).toBe(true);
      const byId = new Map(tenants.map((t) => [t.id, t]));

      // each tenant exactly once, in a wave or on hold
      const placed = [...plan.waves.flatMap((w) => w.members.map((m) => m.tenantId)), ...plan.holds.map((h) => h.tenantId)];
      expect([...placed].sort()).toEqual(tenants.map((t) => t.id).sort());

      // holds never scheduled, and every hold and member says why
      for (const h of plan.holds) expect(h.reasons.length).toBeGreaterThan(0);
      for (const w of plan.waves) for (const m of w.members) expect(m.reason.length).toBeGreaterThan(0);
      const profiledHolds = plan.profiles.filter((pr) => pr.tier === 'hold').map((pr) => pr.tenantId);
      const held = new Set(plan.holds.map((h) => h.tenantId));
      for (const id of profiledHolds) expect(held.has(id)).toBe(true);
      // and every held tenant's profile says so, with the same reasons (the timeline's holds too)
      const profileOf = new Map(plan.profiles.map((pr) => [pr.tenantId, pr]));
      for (const h of plan.holds) {
        expect(profileOf.get(h.tenantId)!.tier).toBe('hold');
        expect(profileOf.get(h.tenantId)!.holds).toEqual(h.reasons);
      }
      expect(profiledHolds.length).toBe(plan.holds.length);

      // no never-together rule broken in any wave
      for (const w of plan.waves) expect(violations(w.members.map((m) => byId.get(m.tenantId)!))).toEqual([]);

      // internal / beta first: pilot waves come before all others and hold only internal or beta tenants
      const firstOther = plan.waves.findIndex((w) => w.stage !== 'pilot');
      plan.waves.forEach((w, i) => {
        if (w.stage !== 'pilot') return;
        if (firstOther >= 0) expect(i).toBeLessThan(firstOther);
        for (const m of w.members) expect(byId.get(m.tenantId)!.internal || byId.get(m.tenantId)!.betaOptIn).toBe(true);
      });

      // tiers never decrease from wave to wave
      for (let i = 1; i < plan.waves.length; i++) {
        const before = Math.max(...plan.waves[i - 1].members.map((m) => rank[m.tier]));
        const after = Math.min(...plan.waves[i].members.map((m) => rank[m.tier]));
        expect(after).toBeGreaterThanOrEqual(before);
      }

      // freeze windows never overlapped by a member's wave
      for (const w of plan.waves) {
        const [s, e] = [Date.parse(w.start), Date.parse(w.end)];
        for (const m of w.members) {
          for (const f of byId.get(m.tenantId)!.freezeWindows) expect(Date.parse(f.start) < e && s < Date.parse(f.end)).toBe(false);
        }
      }

      // every wave of a stage has been monitored and soaked before the next stage starts
      // (for the stage's own soak, and the stage's waves end no earlier, so the last stage soaks too)
      const regular = plan.waves.filter((w) => !catchUp(w.lane));
      for (const w of regular) {
        const soaked = Date.parse(w.start) + (w.monitoringWindowSeconds + soakSeconds(w.stage, feature)) * 1000;
        for (const next of regular.filter((x) => rankOfStage[x.stage] > rankOfStage[w.stage])) expect(Date.parse(next.start)).toBeGreaterThanOrEqual(soaked);
        expect(Math.max(...regular.filter((x) => x.stage === w.stage).map((x) => Date.parse(x.end)))).toBeGreaterThanOrEqual(soaked);
      }

      // a catch-up wave starts only once every other wave of its stage has been monitored (it
      // holds tenants of the stage's tier; the stage's soak is the gate before the next stage)
      for (const w of plan.waves.filter((x) => catchUp(x.lane))) {
        for (const x of regular.filter((r) => r.stage === w.stage)) expect(Date.parse(w.start)).toBeGreaterThanOrEqual(Date.parse(x.start) + x.monitoringWindowSeconds * 1000);
      }

      // a stage with growth sub-waves starts with the smallest: a freeze that moves its tenants
      // out does not leave the next, bigger one to go first
      for (const stage of ['low', 'medium', 'high'] as const) {
        const waves = plan.waves.filter((w) => w.stage === stage && !catchUp(w.lane));
        if (!waves.some((w) => w.reason.startsWith('growth sub-wave'))) continue;
        expect(waves[0].reason).toMatch(/^growth sub-wave/);
        expect(waves[0].members.length).toBeLessThanOrEqual(Math.min(defaultPlanConfig.growth[stage][0], stage === 'high' ? defaultPlanConfig.maxHighWaveSize : 25));
      }

      // parallel lanes never make the calendar longer than running the same waves one by one
      expect(plan.timeline.sequentialSeconds).toBeGreaterThanOrEqual(plan.timeline.totalSeconds);

      // waves of a lane run one after another; a stage starts after the earlier stages' waves
      // (catch-up waves for freeze-moved tenants run in their own lane and gate nothing; a lane
      // split off the main lane by a never-together rule runs beside the main wave it left)
      for (let i = 1; i < plan.waves.length; i++) {
        const w = plan.waves[i];
        const base = w.lane.startsWith(`${w.stage}/`)
          ? plan.waves.slice(0, i).filter((x) => x.lane === 'main' && x.stage === w.stage).at(-1)
          : undefined;
        const earlier = plan.waves.slice(0, i).filter((x) => x !== base && (x.lane === w.lane
          || (!catchUp(w.lane) && !catchUp(x.lane) && (x.stage !== w.stage || x.lane === 'main'))));
        for (const x of earlier) expect(Date.parse(w.start)).toBeGreaterThanOrEqual(Date.parse(x.end));
      }
    }), { numRuns: 60 });
  });

  it('gives the same plan for the same input, whatever the tenant order', () => {
    fc.assert(fc.property(fleetArb, fc.integer(), (p, shuffleSeed) => {
      const { tenants, feature, plan } = planFor(p);
      const shuffled = [...tenants].sort((a, b) => ((hash(a.id, shuffleSeed) - hash(b.id, shuffleSeed)) || (a.id < b.id ? -1 : 1)));
      const config = { calendar: p.calendar, lanes: { enabled: p.lanes, key: 'region' as const }, maxWaveSize: 25 };
      expect(JSON.stringify(buildPlan({ tenants: shuffled, feature, asOf, config }))).toBe(JSON.stringify(plan));
    }), { numRuns: 25 });
  });
});

function hash(s: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}
