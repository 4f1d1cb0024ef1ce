import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildPlan, type PlanInput } from '../../shared/plan/build';
import { parseTenants } from '../../shared/import/tenants';
import { parseFeature } from '../../shared/import/feature';
import { benchFeature, generateFleet } from '../../bench/fleet-gen';

/**
 * Speed work on the planner (memoised thresholds, shared reason strings, precomputed touched
 * configurations) must not change a byte of the plan. These digests are the JSON of the plans
 * as built before that work; a change in behaviour or wording shows up here and must be
 * deliberate (update the digest in the same commit as the wording, and say why).
 * Regenerated on purpose with rule-split sub-waves in side-by-side lanes, no soak between
 * sub-waves of a stage, and gold/platinum lane waves after the stage's standard-SLA ones; and
 * again with gold/platinum tenants behind their standard-SLA look-alikes (shield, premium canaries,
 * growth sub-waves standard-SLA first).
 */
const asOf = '2026-12-04T08:00:00Z';
const fleetAsOf = '2026-03-02T08:00:00Z';

function example(file: string) {
  const r = parseTenants(readFileSync(`examples/${file}`, 'utf8'), { filename: file, asOf });
  if (!r.ok) throw new Error(`examples/${file}: ${JSON.stringify(r.errors)}`);
  return r.tenants;
}
function feature(file: string) {
  const r = parseFeature(readFileSync(`examples/${file}`, 'utf8'), { filename: file });
  if (!r.ok) throw new Error(`examples/${file}: ${JSON.stringify(r.errors)}`);
  return r.feature;
}

const fleet = example('fleet.yaml');
const smart = feature('feature-smart-routing.yaml');
const ledger = feature('feature-ledger-migration.yaml');
const generated = generateFleet(2_000, 7, { asOf: fleetAsOf });

const cases: [string, () => PlanInput, string][] = [
  ['example fleet, smart routing', () => ({ tenants: fleet, feature: smart, asOf }), '207663a5a3d93e68afe98a961c9896aecadd1ae5c247a2964e39b556b006aebb'],
  ['example fleet, ledger migration', () => ({ tenants: fleet, feature: ledger, asOf }), '334fc8cc7bbe9c17528fe085d1692c8cbdce8922b385b84de77bd4d35e80f6de'],
  ['generated 2k fleet, bench feature', () => ({ tenants: generated, feature: benchFeature(), asOf: fleetAsOf }), '05c73e095302ef8ea95a69369b3412202c94154aa984cf26b4e54336334adbf6'],
  ['generated 2k fleet, ledger migration', () => ({ tenants: generated, feature: ledger, asOf: fleetAsOf }), '69d4ac6955b8dc763be517f01b60d309728edd83909e6ba7b56f35061e0f41f9'],
  ['generated 2k fleet, deadline, moderate rollback, no lanes', () => ({
    tenants: generated,
    feature: benchFeature({ deadline: '2026-04-01T00:00:00Z', rollback: { complexity: 'moderate', how: 'flag off, then replay the queue', reversible: true } }),
    asOf: fleetAsOf,
    config: { lanes: { enabled: false, key: 'region' } },
  }), '17766163ef2865dd996c0c93eb3afb1b88a8ba60c09d31612f209d5f1d4602ca'],
  ['generated 2k fleet, seconds-long waves, time-zone lanes, lessons', () => ({
    tenants: generated,
    feature: benchFeature({ durations: { monitoringWindowSeconds: 5, soakSeconds: 3, sampleIntervalSeconds: 1, noticeLeadSeconds: 0 } }),
    asOf: fleetAsOf,
    config: { lanes: { enabled: true, key: 'timeZone' } },
    adjustments: generated.slice(0, 50).map((t, i) => ({ tenantId: t.id, points: (i % 7) * 5 - 10, reason: `lesson ${i}`, rolloutId: 'r-1', at: fleetAsOf })),
  }), 'e92e6f5bb7c8006f45e8edecd4b2953701b9ac4085ab3b1861185290c69768f8'],
];

describe('plan JSON stays byte-identical', () => {
  it.each(cases)('%s', (_, input, digest) => {
    const json = JSON.stringify(buildPlan(input()));
    expect(createHash('sha256').update(json).digest('hex')).toBe(digest);
  });
});
