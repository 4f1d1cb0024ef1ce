import { readFileSync } from 'node:fs';
import { buildPlan } from '../../shared/plan/build';
import { parseTenants } from '../../shared/import/tenants';
import { parseFeature } from '../../shared/import/feature';
import { benchFeature, generateFleet } from '../../bench/fleet-gen';
import type { Plan } from '../../shared/model/plan';

// The reviewer's reproduction: a freeze moves the low stage's first coverage pick out of w2a.
const asOf = '2026-12-04T00:00:00Z';
const parsed = parseTenants(readFileSync('examples/fleet.yaml', 'utf8'), { filename: 'fleet.yaml', asOf });
const feature = parseFeature(readFileSync('examples/feature-smart-routing.yaml', 'utf8'), { filename: 'feature-smart-routing.yaml' });
if (!parsed.ok || !feature.ok) throw new Error('examples do not parse');
const example = buildPlan({ tenants: parsed.tenants, feature: feature.feature, asOf });
const wave = (plan: Plan, id: string) => plan.waves.find((w) => w.id === id)!;

const fleetAsOf = '2026-03-02T08:00:00Z';
const generated = [0.08, 0.3].flatMap((freezeShare) => {
  const tenants = generateFleet(1_000, 7, { asOf: fleetAsOf, freezeShare });
  return [{}, { calendar: 'continuous' as const }, { lanes: { enabled: false } }]
    .map((config) => buildPlan({ tenants, feature: benchFeature(), asOf: fleetAsOf, config }));
});

describe('growth sub-wave reasons', () => {
  const picks = 'pulled forward to exercise each touched configuration';

  it('say they hold coverage picks only where a coverage pick is', () => {
    expect(wave(example, 'w2a').reason).not.toContain(picks);
    expect(wave(example, 'w2b').reason).toContain(`holds 2 of the low-stakes tenants ${picks}`);
    expect(wave(example, 'w2c').reason).not.toContain(picks);
    let checked = 0;
    for (const plan of [example, ...generated]) {
      for (const w of plan.waves.filter((x) => x.reason.startsWith('growth sub-wave'))) {
        const held = w.members.filter((m) => m.reason.includes('pulled forward to exercise')).length;
        if (held === 0) expect(w.reason).not.toContain(picks);
        else expect(w.reason).toContain(`holds ${held === 1 ? 'one' : held} of the low-stakes tenants ${picks}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('call every growth sub-wave after a stage\'s first its next growth step, after the one before', () => {
    expect(wave(example, 'w2a').reason).toBe('growth sub-wave of 1 (at most 1): the low stage starts small so a fault shows on few tenants');
    expect(wave(example, 'w2b').reason).toMatch(/^growth sub-wave of 10 \(at most 10\): the low stage's next growth step, after 1 tenant in w2a; /);
    expect(wave(example, 'w2c').reason).toBe('growth sub-wave of 12 (at most 100): the low stage\'s next growth step, after 10 tenants in w2b');
    for (const plan of generated) {
      for (const stage of ['low', 'medium', 'high']) {
        const growth = plan.waves.filter((w) => w.stage === stage && w.reason.startsWith('growth sub-wave'));
        growth.forEach((w, i) => {
          if (i === 0) expect(w.reason).toContain('starts small');
          else expect(w.reason).toContain(`the ${stage} stage's next growth step, after ${growth[i - 1].members.length} tenant${growth[i - 1].members.length === 1 ? '' : 's'} in ${growth[i - 1].id}`);
        });
      }
    }
  });
});
