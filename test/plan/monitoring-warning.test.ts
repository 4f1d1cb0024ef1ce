import { readFileSync } from 'node:fs';
import { buildPlan } from '../../shared/plan/build';
import { parseTenants } from '../../shared/import/tenants';
import { parseFeature } from '../../shared/import/feature';

/**
 * A wave takes window ÷ interval samples; standard and gold tenants act after 3 consecutive
 * critical samples, platinum after 2. Durations compressed below that leave breaches unacted on,
 * and the plan must say so rather than show thresholds that can never fire.
 */
describe('a monitoring window too short for the decision tree', () => {
  const asOf = '2026-12-04T08:00:00Z';
  const tenants = parseTenants(readFileSync('examples/fleet.yaml', 'utf8'), { filename: 'fleet.yaml', asOf }).tenants;
  const parsed = parseFeature(readFileSync('examples/feature-smart-routing.yaml', 'utf8'), { filename: 'f.yaml' });
  if (!parsed.ok) throw new Error('example feature');
  const plan = (durations: Record<string, number>) => buildPlan({ tenants, feature: { ...parsed.feature, durations: { ...parsed.feature.durations, ...durations } }, asOf });

  it('is a warning naming the waves, the samples and the fix', () => {
    const warnings = plan({ monitoringWindowSeconds: 20, sampleIntervalSeconds: 10 }).warnings;
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^monitoring takes 2 samples per wave \(20 s window ÷ 10 s interval\) in w1a, w1b, .* but \d+ tenants need up to 3 consecutive critical samples before the decision tree acts: a breach there is never rolled back, asked about or paused for; make the monitoring window at least 30 s or the sample interval at most 6 s$/);
  });

  it('enough samples (the default 12 h every 15 min, or 3 of 1 s) warn of nothing', () => {
    expect(plan({}).warnings).toEqual([]);
    expect(plan({ monitoringWindowSeconds: 3, sampleIntervalSeconds: 1 }).warnings).toEqual([]);
  });
});
