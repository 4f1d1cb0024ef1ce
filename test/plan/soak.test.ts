/**
 * Every wave of a plan says why it soaks as long as it does (`soakReason`), and the reason agrees
 * with the soak the timeline gave it: the stage's full soak (wave risk stage × feature risk, or the
 * feature's override) for the last wave of each lane of a stage, 0 s for the waves before it.
 */
import { buildPlan } from '../../shared/plan/build';
import { renderPlan } from '../../shared/plan/render';
import { explainSoak } from '../../shared/monitoring/durations';
import { Plan, type Wave } from '../../shared/model/plan';
import { benchFeature, generateFleet } from '../../bench/fleet-gen';

const asOf = '2026-03-02T08:00:00Z';
const tenants = generateFleet(600, 1003, { asOf });

function check(waves: Wave[]): void {
  for (const w of waves) {
    expect(w.soakReason).toEqual(expect.any(String));
    const later = waves.some((x) => x.stage === w.stage && x.lane === w.lane && Date.parse(x.start) > Date.parse(w.start));
    if (w.soakSeconds === 0) {
      expect(w.soakReason).toMatch(/^0 s: /);
      if (w.lane.startsWith('catch-up')) expect(w.soakReason).toContain(`a later catch-up wave of the ${w.stage} stage follows`);
      else if (later) expect(w.soakReason).toContain(`the next wave of lane ${w.lane} in the ${w.stage} stage follows once this one is monitored`);
      else expect(w.soakReason).toContain(`the ${w.stage} stage's other lanes start after this wave is monitored`);
    } else {
      // Only the last wave of its lane in its stage soaks, for the stage's whole soak.
      expect(later).toBe(false);
      expect(w.soakReason).toMatch(/^\d/);
      expect(w.soakReason).toContain(w.lane.startsWith('catch-up') ? `the last catch-up wave of the ${w.stage} stage` : `the last wave of lane ${w.lane} in the ${w.stage} stage, so it soaks in full`);
    }
  }
}

describe('soakReason: why each wave soaks as long as it does', () => {
  it('names the stage and feature risk the full soak comes from, and whether the wave is its lane\'s last', () => {
    const feature = benchFeature();
    const plan = buildPlan({ tenants, feature, asOf });
    check(plan.waves);
    const low = explainSoak('low', feature);
    const soaked = plan.waves.find((w) => w.stage === 'low' && w.soakSeconds > 0 && !w.lane.startsWith('catch-up'))!;
    expect(soaked.soakSeconds).toBe(low.seconds);
    expect(soaked.soakReason).toBe(`${low.reason}; the last wave of lane ${soaked.lane} in the low stage, so it soaks in full before the medium stage starts`);
    expect(soaked.soakReason).toMatch(/for a low wave × [\d.]+ for \w+ feature risk/);
    const leading = plan.waves.find((w) => w.stage === 'low' && w.soakSeconds === 0 && w.lane === 'main')!;
    expect(leading.soakReason).toMatch(/lane's last wave soaks \d+ h \(24 h for a low wave × [\d.]+ for \w+ feature risk\) before the medium stage starts$/);
    const last = plan.waves.filter((w) => w.stage === 'high' && w.soakSeconds > 0 && !w.lane.startsWith('catch-up'));
    expect(last.length).toBeGreaterThan(0);
    for (const w of last) expect(w.soakReason).toMatch(/before the health window \(no later stage follows\)$/);
    expect(plan.waves.some((w) => w.lane.startsWith('catch-up'))).toBe(true);
    expect(Plan.parse(plan)).toEqual(plan);
  });

  it('says when the feature overrides the soak, including a soak of 0 s for every wave', () => {
    const overridden = buildPlan({ tenants, feature: benchFeature({ durations: { soakSeconds: 3 } }), asOf });
    check(overridden.waves);
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
