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
  ['example fleet, smart routing', () => ({ tenants: fleet, feature: smart, asOf }), '77a98f03fab127e6fad2987ae11c4c0de91ea8db3d4209ffd95ff72eeba4777f'],
  ['example fleet, ledger migration', () => ({ tenants: fleet, feature: ledger, asOf }), '5f076ac9c111c6ff86590316a0b040b3fd3a6475ae101ad2f684400b803d4d42'],
  ['generated 2k fleet, bench feature', () => ({ tenants: generated, feature: benchFeature(), asOf: fleetAsOf }), '3a8e4366f4702c0baf9f8b408794940b5bdf32be620916013f5b6ce7ec02c98b'],
  ['generated 2k fleet, ledger migration', () => ({ tenants: generated, feature: ledger, asOf: fleetAsOf }), '46f3d35cfe32aa9957ac6e35570c2cd240d53475453545aa2ab328056fc4f87b'],
  ['generated 2k fleet, deadline, moderate rollback, no lanes', () => ({
    tenants: generated,
    feature: benchFeature({ deadline: '2026-04-01T00:00:00Z', rollback: { complexity: 'moderate', how: 'flag off, then replay the queue', reversible: true } }),
    asOf: fleetAsOf,
    config: { lanes: { enabled: false, key: 'region' } },
  }), '9303beb1a216860de0b676e61410e6a8282caac5d239bcad03b073f0df8394b0'],
  ['generated 2k fleet, seconds-long waves, time-zone lanes, lessons', () => ({
    tenants: generated,
    feature: benchFeature({ durations: { monitoringWindowSeconds: 5, soakSeconds: 3, sampleIntervalSeconds: 1, noticeLeadSeconds: 0 } }),
    asOf: fleetAsOf,
    config: { lanes: { enabled: true, key: 'timeZone' } },
    adjustments: generated.slice(0, 50).map((t, i) => ({ tenantId: t.id, points: (i % 7) * 5 - 10, reason: `lesson ${i}`, rolloutId: 'r-1', at: fleetAsOf })),
  }), 'a71efbe6c1b095e7e57dcb17f6423e1180ff3ddaed29959b21a9b817089520ef'],
];

describe('plan JSON stays byte-identical', () => {
  it.each(cases)('%s', (_, input, digest) => {
    const json = JSON.stringify(buildPlan(input()));
    expect(createHash('sha256').update(json).digest('hex')).toBe(digest);
  });
});
