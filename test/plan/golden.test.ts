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
 * sub-waves of a stage, and gold/platinum lane waves after the stage's standard-SLA ones.
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
  ['example fleet, smart routing', () => ({ tenants: fleet, feature: smart, asOf }), '458781c95cbe48e099cc8da9e757fe2f0109109e725dd3df43798e5ff9e36656'],
  ['example fleet, ledger migration', () => ({ tenants: fleet, feature: ledger, asOf }), 'f16fd062fa699bbda10ff7db2091754cd7fe327703675450a1b017caa76c25ae'],
  ['generated 2k fleet, bench feature', () => ({ tenants: generated, feature: benchFeature(), asOf: fleetAsOf }), 'ccdae397b6a22a94642aa511861df374a162e723676414d466409baf975d6155'],
  ['generated 2k fleet, ledger migration', () => ({ tenants: generated, feature: ledger, asOf: fleetAsOf }), '5aaba16e208cadee98e913d81b3edd9a577cc6892a4d2aea72eb75c62fff1ce0'],
  ['generated 2k fleet, deadline, moderate rollback, no lanes', () => ({
    tenants: generated,
    feature: benchFeature({ deadline: '2026-04-01T00:00:00Z', rollback: { complexity: 'moderate', how: 'flag off, then replay the queue', reversible: true } }),
    asOf: fleetAsOf,
    config: { lanes: { enabled: false, key: 'region' } },
  }), 'd91433150daa5367ba6a0b5884b028a7b16ec4faa8ff60bc1fa926d3c34f494c'],
  ['generated 2k fleet, seconds-long waves, time-zone lanes, lessons', () => ({
    tenants: generated,
    feature: benchFeature({ durations: { monitoringWindowSeconds: 5, soakSeconds: 3, sampleIntervalSeconds: 1, noticeLeadSeconds: 0 } }),
    asOf: fleetAsOf,
    config: { lanes: { enabled: true, key: 'timeZone' } },
    adjustments: generated.slice(0, 50).map((t, i) => ({ tenantId: t.id, points: (i % 7) * 5 - 10, reason: `lesson ${i}`, rolloutId: 'r-1', at: fleetAsOf })),
  }), '3d3686bf3a1367e3a22b8ca2cbe211f944074ce337c4f29adee2ff6695841171'],
];

describe('plan JSON stays byte-identical', () => {
  it.each(cases)('%s', (_, input, digest) => {
    const json = JSON.stringify(buildPlan(input()));
    expect(createHash('sha256').update(json).digest('hex')).toBe(digest);
  });
});
