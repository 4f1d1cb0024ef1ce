import { buildPlan } from '../../shared/plan/build';
import type { Wave } from '../../shared/model/plan';
import type { Tenant } from '../../shared/model/tenant';
import { benchFeature, generateFleet } from '../../bench/fleet-gen';

const asOf = '2026-03-02T08:00:00Z';
const tenants = generateFleet(600, 1003, { asOf });
const byId = new Map(tenants.map((t) => [t.id, t]));
const premium = (t: Tenant) => t.sla === 'gold' || t.sla === 'platinum';
const t = (s: string) => Date.parse(s);
const laneWaves = (waves: Wave[]) => waves.filter((w) => w.stage !== 'pilot' && w.lane !== 'main' && !w.lane.startsWith('catch-up'));

describe('lanes and rounds inside a stage', () => {
  const plan = buildPlan({ tenants, feature: benchFeature(), asOf });

  it('runs a sub-wave split off by a never-together rule side by side with the wave it was split from', () => {
    const split = plan.waves.filter((w) => /\/highly-regulated-\d+$/.test(w.lane));
    expect(split.length).toBeGreaterThan(0);
    for (const w of split) {
      const base = plan.waves.filter((b) => b.stage === w.stage && b.index < w.index && b.lane === w.lane.slice(0, w.lane.lastIndexOf('/'))).at(-1);
      if (!base) continue;
      // side by side: the split wave starts before the wave it was split from has ended
      expect(t(w.start)).toBeLessThan(t(base.end));
      expect(w.reason).toContain('side by side');
    }
  });

  it('starts gold and platinum lane waves only once every standard-SLA lane wave of the stage has been monitored', () => {
    let checked = 0;
    for (const stage of ['low', 'medium', 'high'] as const) {
      const waves = laneWaves(plan.waves.filter((w) => w.stage === stage));
      const standard = waves.filter((w) => w.members.every((m) => !premium(byId.get(m.tenantId)!)));
      const gold = waves.filter((w) => w.members.every((m) => premium(byId.get(m.tenantId)!)));
      if (standard.length === 0 || gold.length === 0) continue;
      const monitored = Math.max(...standard.map((w) => t(w.start) + w.monitoringWindowSeconds * 1000));
      for (const w of gold) {
        expect(t(w.start)).toBeGreaterThanOrEqual(monitored);
        for (const m of w.members) expect(m.reason).toContain('waits until the stage\'s standard-SLA waves and premium canaries have been monitored');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('keeps every rule-split wave one after another without lanes', () => {
    const flat = buildPlan({ tenants, feature: benchFeature(), asOf, config: { lanes: { enabled: false, key: 'region' } } });
    expect(new Set(flat.waves.map((w) => w.lane))).toEqual(new Set(['main', ...flat.waves.some((w) => w.lane === 'catch-up') ? ['catch-up'] : []]));
  });

  it('lets the next sub-wave of a stage start when the previous monitoring window ends, and soaks the last in full', () => {
    const main = plan.waves.filter((w) => w.stage === 'low' && w.lane === 'main');
    expect(main.length).toBeGreaterThan(1);
    for (const w of main) expect(w.soakSeconds).toBe(0);
    const last = laneWaves(plan.waves.filter((w) => w.stage === 'low')).filter((w, i, all) => !all.slice(i + 1).some((x) => x.lane === w.lane));
    for (const w of last) expect(w.soakSeconds).toBeGreaterThan(0);
  });
});
