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
 * growth sub-waves standard-SLA first); and again when growth sub-waves a freeze left short
 * started taking their size back from the growth sub-waves after them (tenants exercising what
 * the moved-out ones did first).
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
  ['example fleet, smart routing', () => ({ tenants: fleet, feature: smart, asOf }), 'fcc22487902f03ae8450a4b8f8e302d9cabc864c1f7913995a75dbbd04a2015e'],
  ['example fleet, ledger migration', () => ({ tenants: fleet, feature: ledger, asOf }), '0bcbf8b7e2e83c65a2d0ffcf178ead8ea9a14e72777afc139c17cec8823cb026'],
  ['generated 2k fleet, bench feature', () => ({ tenants: generated, feature: benchFeature(), asOf: fleetAsOf }), '0f11264ac7179f4deee93e6ee4349ac090e5438376aaa11d134f1faadb839c16'],
  ['generated 2k fleet, ledger migration', () => ({ tenants: generated, feature: ledger, asOf: fleetAsOf }), 'c19a720eb04a352a9643811173c84aac7dd25db40e0eb2d8a30702f59a01c237'],
  ['generated 2k fleet, deadline, moderate rollback, no lanes', () => ({
    tenants: generated,
    feature: benchFeature({ deadline: '2026-04-01T00:00:00Z', rollback: { complexity: 'moderate', how: 'flag off, then replay the queue', reversible: true } }),
    asOf: fleetAsOf,
    config: { lanes: { enabled: false, key: 'region' } },
  }), '94e20cd37037a21f5ff16e4e8981ec505752af679ba680037f65bddd6c595735'],
  ['generated 2k fleet, seconds-long waves, time-zone lanes, lessons', () => ({
    tenants: generated,
    feature: benchFeature({ durations: { monitoringWindowSeconds: 5, soakSeconds: 3, sampleIntervalSeconds: 1, noticeLeadSeconds: 0 } }),
    asOf: fleetAsOf,
    config: { lanes: { enabled: true, key: 'timeZone' } },
    adjustments: generated.slice(0, 50).map((t, i) => ({ tenantId: t.id, points: (i % 7) * 5 - 10, reason: `lesson ${i}`, rolloutId: 'r-1', at: fleetAsOf })),
  }), '25e645229d60480181916cd6b395353c5effc694489d92f6b891ad0c60f57385'],
];

describe('plan JSON stays byte-identical', () => {
  it.each(cases)('%s', (_, input, digest) => {
    const json = JSON.stringify(buildPlan(input()));
    expect(createHash('sha256').update(json).digest('hex')).toBe(digest);
  });
});
