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
  ['example fleet, smart routing', () => ({ tenants: fleet, feature: smart, asOf }), '99ff44246f22a1c47ce98b28f91f1219895d71dc5b880da818d57fbb7ff859c6'],
  ['example fleet, ledger migration', () => ({ tenants: fleet, feature: ledger, asOf }), '5a6bdc70bc2d5758fe51812a37642e494b77017ce66e3586e5617044b3a0ea5b'],
  ['generated 2k fleet, bench feature', () => ({ tenants: generated, feature: benchFeature(), asOf: fleetAsOf }), 'e7289c90acbff8ee03641f9c10b2bc70cecbfbdf1bfbbf8690e1f2e0ac568961'],
  ['generated 2k fleet, ledger migration', () => ({ tenants: generated, feature: ledger, asOf: fleetAsOf }), '41c8f264979e6fef682689b598bf88d6dac1b94ebffc0eca623a0677379993d1'],
  ['generated 2k fleet, deadline, moderate rollback, no lanes', () => ({
    tenants: generated,
    feature: benchFeature({ deadline: '2026-04-01T00:00:00Z', rollback: { complexity: 'moderate', how: 'flag off, then replay the queue', reversible: true } }),
    asOf: fleetAsOf,
    config: { lanes: { enabled: false, key: 'region' } },
  }), '868d772ea14122a45472ee4e337eb30663e15a114fc47b2f9c5b5ddeb7b41b36'],
  ['generated 2k fleet, seconds-long waves, time-zone lanes, lessons', () => ({
    tenants: generated,
    feature: benchFeature({ durations: { monitoringWindowSeconds: 5, soakSeconds: 3, sampleIntervalSeconds: 1, noticeLeadSeconds: 0 } }),
    asOf: fleetAsOf,
    config: { lanes: { enabled: true, key: 'timeZone' } },
    adjustments: generated.slice(0, 50).map((t, i) => ({ tenantId: t.id, points: (i % 7) * 5 - 10, reason: `lesson ${i}`, rolloutId: 'r-1', at: fleetAsOf })),
  }), '01989b56ae54e75ee9baa58877d054d83a400a3fe8b00848660bfdc2738b49b0'],
];

describe('plan JSON stays byte-identical', () => {
  it.each(cases)('%s', (_, input, digest) => {
    const json = JSON.stringify(buildPlan(input()));
    expect(createHash('sha256').update(json).digest('hex')).toBe(digest);
  });
});
