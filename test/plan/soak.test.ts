/**
 * Every wave of a plan says why it soaks as long as it does (`soakReason`), and the reason agrees
 * with the soak the timeline gave it: the stage's full soak (wave risk stage × feature risk, or the
 * feature's override) for the last wave of each lane of a stage, 0 s for the waves before it.
 */
import { buildPlan } from '../../shared/plan/build';
import { renderPlan } from '../../shared/plan/render';
import { explainSoak } from '../../shared/monitoring/durations';
import { Plan, type Wave } from '../../shared/model/plan';
import type { Feature } from '../../shared/model/feature';
import { benchFeature, generateFleet } from '../../bench/fleet-gen';

const asOf = '2026-03-02T08:00:00Z';
const tenants = generateFleet(600, 1003, { asOf });

/** Every claim a reason makes, checked against the plan's own times, not against how it was worded. */
function check(waves: Wave[], feature: Feature): void {
  const t = (iso: string) => Date.parse(iso);
  const STAGE_ORDER = ['pilot', 'low', 'medium', 'high'];
  for (const w of waves) {
    expect(w.soakReason).toEqual(expect.any(String));
    const monitored = t(w.start) + w.monitoringWindowSeconds * 1000;
    const sameStage = waves.filter((x) => x !== w && x.stage === w.stage);
    const laterInLane = sameStage.some((x) => x.lane === w.lane && t(x.start) > t(w.start));
    const nextStage = waves.filter((x) => !x.lane.startsWith('catch-up') && STAGE_ORDER.indexOf(x.stage) > STAGE_ORDER.indexOf(w.stage));
    if (w.soakSeconds === 0) {
      expect(w.soakReason).toMatch(/^0 s: /);
      if (w.lane.startsWith('catch-up')) {
        expect(w.soakReason).toContain(`a later catch-up wave of the ${w.stage} stage follows`);
        expect(sameStage.some((x) => x.lane === w.lane && t(x.start) >= monitored)).toBe(true);
      } else if (laterInLane) {
        expect(w.soakReason).toContain(`the next wave of its lane in the ${w.stage} stage follows once this one is monitored`);
      } else {
        // Leads into other lanes or the next round: some wave of the stage starts once it is monitored.
        expect(w.soakReason).toMatch(new RegExp(`^0 s: the ${w.stage} stage's (other lanes|[a-zA-Z -]+) start once this wave`));
        expect(sameStage.some((x) => x.lane !== w.lane && !x.lane.startsWith('catch-up') && t(x.start) >= monitored)).toBe(true);
      }
      // Whatever it leads into, the stage still soaks before the next one.
      if (!w.lane.startsWith('catch-up')) for (const x of nextStage) expect(t(x.start)).toBeGreaterThanOrEqual(monitored + explainSoak(w.stage, feature).seconds * 1000);
    } else {
      expect(laterInLane).toBe(false);
      expect(w.soakReason).toMatch(/^\d/);
      if (w.lane.startsWith('catch-up')) expect(w.soakReason).toContain(`the last catch-up wave of the ${w.stage} stage`);
      else {
        expect(w.soakReason).toMatch(new RegExp(`(the last wave of its lane in the ${w.stage} stage|the last of its lane and soaks in full)`));
        // "soaks in full before the next stage starts" is true of the times.
        for (const x of nextStage) expect(t(x.start)).toBeGreaterThanOrEqual(t(w.end));
      }
    }
  }
}

describe('soakReason: why each wave soaks as long as it does', () => {
  it('names the stage and feature risk the full soak comes from, and whether the wave is its lane\'s last', () => {
    const feature = benchFeature();
    const plan = buildPlan({ tenants, feature, asOf });
    check(plan.waves, feature);
    const low = explainSoak('low', feature);
    const soaked = plan.waves.find((w) => w.stage === 'low' && w.soakSeconds > 0 && !w.lane.startsWith('catch-up'))!;
    expect(soaked.soakSeconds).toBe(low.seconds);
    expect(soaked.soakReason).toBe(`${low.reason}; the last wave of its lane in the low stage's last round (gold and platinum waves), so it soaks in full before the medium stage starts`);
    expect(soaked.soakReason).toMatch(/for a low wave × [\d.]+ for \w+ feature risk/);
    const leading = plan.waves.find((w) => w.stage === 'low' && w.soakSeconds === 0 && w.lane === 'main')!;
    expect(leading.soakReason).toMatch(/the stage's last waves soak \d+ h \(24 h for a low wave × [\d.]+ for \w+ feature risk\) before the medium stage starts$/);
    const last = plan.waves.filter((w) => w.stage === 'high' && w.soakSeconds > 0 && !w.lane.startsWith('catch-up'));
    expect(last.length).toBeGreaterThan(0);
    for (const w of last) expect(w.soakReason).toMatch(/before the health window \(no later stage follows\)$/);
    expect(plan.waves.some((w) => w.lane.startsWith('catch-up'))).toBe(true);
    expect(Plan.parse(plan)).toEqual(plan);
  });

  it.each([[30, 284, 0.6], [150, 142, 0.9]] as const)('says so when freeze moves leave a wave to soak for the waves they emptied (%i tenants, seed %i, freeze share %d)', (size, seed, freezeShare) => {
    const feature = benchFeature();
    const plan = buildPlan({ tenants: generateFleet(size, seed, { asOf, freezeShare }), feature, asOf, config: { calendar: 'continuous', maxWaveSize: 25 } });
    check(plan.waves, feature);
    expect(plan.waves.some((w) => w.soakReason!.includes('freeze moves emptied'))).toBe(true);
  });

  it('says when the feature overrides the soak, including a soak of 0 s for every wave', () => {
    const three = benchFeature({ durations: { soakSeconds: 3 } });
    const overridden = buildPlan({ tenants, feature: three, asOf });
    check(overridden.waves, three);
    expect(overridden.waves.find((w) => w.soakSeconds > 0)!.soakReason).toMatch(/^3 s, set by the feature's duration overrides; /);
    const none = buildPlan({ tenants, feature: benchFeature({ durations: { soakSeconds: 0 } }), asOf });
    for (const w of none.waves) expect(w.soakReason).toBe(`0 s, set by the feature's duration overrides: no wave of the ${w.stage} stage soaks`);
  });

  it('shows each wave\'s reason in the table and markdown, beside the soak', () => {
    const plan = buildPlan({ tenants: tenants.slice(0, 120), feature: benchFeature(), asOf });
    for (const format of ['table', 'markdown'] as const) {
      const text = renderPlan(plan, format);
      expect(text).toContain('why this soak');
      for (const w of plan.waves) expect(text).toContain(w.soakReason!);
    }
    // A plan stored before soakReason existed still reads and renders.
    const old = { ...plan, waves: plan.waves.map(({ soakReason: _r, ...w }) => w) };
    expect(() => renderPlan(Plan.parse(old), 'table')).not.toThrow();
  });
});
