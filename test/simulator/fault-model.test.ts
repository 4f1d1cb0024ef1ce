import { binomial, effectiveErrorRate, Fault, Faults, matchFaults, poisson, seededRng, simulateTick, tenantRng } from '../../simulator/fault-model';
import { byId, salesforceBelow50 } from './fleet';

const legacyApproval: Fault = { kind: 'customization', key: 'legacy-approval-flow', errorRate: 0.05 };

describe('matchFaults', () => {
  it.each([
    ['northwind-bank', [salesforceBelow50], ['salesforce integration 48.0 is below 50.0']],
    ['acme.eu', [salesforceBelow50], []],
    // Salesforce without a known version: the simulator does not guess.
    ['globex-health', [salesforceBelow50], []],
    ['globex-health', [legacyApproval], ['has the script customization legacy-approval-flow']],
    ['acmexeu', [salesforceBelow50, legacyApproval], []],
    ['northwind-bank', [{ ...salesforceBelow50, system: 'SalesForce' }], ['salesforce integration 48.0 is below 50.0']],
    ['northwind-bank', [{ ...salesforceBelow50, below: '48.0' }], []],
  ] as const)('%s with %j -> %j', (tenantId, faults, reasons) => {
    expect(matchFaults(byId(tenantId), faults).map((m) => m.reason)).toEqual(reasons);
  });
});

describe('effectiveErrorRate', () => {
  it.each([
    ['northwind-bank', false, 0.004, 'baseline error rate 0.4 % (feature off)'],
    ['northwind-bank', true, 0.08, 'feature on and salesforce integration 48.0 is below 50.0: errors at 8 %'],
    ['acme.eu', true, 0.006, 'baseline error rate 0.6 % (feature on, no fault applies)'],
    ['globex-health', true, 0.05, 'feature on and has the script customization legacy-approval-flow: errors at 5 %'],
  ] as const)('%s, feature on=%s -> %s', (tenantId, featureOn, rate, reason) => {
    expect(effectiveErrorRate(byId(tenantId), featureOn, [salesforceBelow50, legacyApproval])).toEqual({ errorRate: rate, reason });
  });

  it('takes the worst of several matching faults', () => {
    const mild: Fault = { ...salesforceBelow50, errorRate: 0.02 };
    const severe: Fault = { kind: 'integration-version', system: 'salesforce', below: '49', errorRate: 0.2 };
    expect(effectiveErrorRate(byId('northwind-bank'), true, [mild, severe]).errorRate).toBe(0.2);
  });

  it('never lowers a tenant below its own baseline', () => {
    const harmless: Fault = { ...salesforceBelow50, errorRate: 0.001 };
    expect(effectiveErrorRate(byId('northwind-bank'), true, [harmless]).errorRate).toBe(0.004);
  });
});

describe('Fault schema', () => {
  it('names the field of a bad fault', () => {
    const r = Faults.safeParse([salesforceBelow50, { kind: 'integration-version', system: 'salesforce', below: 'fifty', errorRate: 1.5 }]);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['1.below', '1.errorRate']);
  });

  it('rejects an unknown kind', () => {
    expect(Fault.safeParse({ kind: 'region', region: 'eu', errorRate: 0.1 }).success).toBe(false);
  });
});

describe('seeded traffic', () => {
  const params = (seed: number, featureOn: boolean) => ({ tenant: byId('northwind-bank'), featureOn, faults: [salesforceBelow50], tickMs: 1000, speed: 10, usageShare: 0.3, rng: tenantRng(seed, 'northwind-bank') });
  const run = (seed: number, featureOn: boolean, ticks: number) => {
    const p = params(seed, featureOn);
    return Array.from({ length: ticks }, () => simulateTick(p));
  };

  it('replays exactly for the same seed and differs for another', () => {
    expect(run(7, true, 20)).toEqual(run(7, true, 20));
    expect(run(7, true, 20)).not.toEqual(run(8, true, 20));
  });

  it('gives each tenant its own stream', () => {
    expect(tenantRng(7, 'acme.eu')()).not.toBe(tenantRng(7, 'acmexeu')());
  });

  it.each([
    [true, 0.08, 0.3],
    [false, 0.004, 0],
  ])('feature on=%s: errors near %s, usage share %s, requests near the scaled baseline', (featureOn, errorRate, usageShare) => {
    const ticks = run(42, featureOn, 600);
    const requests = ticks.reduce((s, t) => s + t.requests, 0);
    const errors = ticks.reduce((s, t) => s + t.errors, 0);
    const usage = ticks.reduce((s, t) => s + t.featureUsage, 0);
    // 240 rpm x speed 10 = 40 requests a second, for 600 one-second ticks.
    expect(requests / 600).toBeGreaterThan(38);
    expect(requests / 600).toBeLessThan(42);
    expect(errors / requests).toBeGreaterThan(errorRate * 0.85);
    expect(errors / requests).toBeLessThan(errorRate * 1.15 + 0.001);
    expect(usage / requests).toBeCloseTo(usageShare, 1);
    // Noise: ticks are not all alike.
    expect(new Set(ticks.map((t) => t.requests)).size).toBeGreaterThan(5);
  });
});

describe('draws', () => {
  it.each([0.5, 5, 45, 500, 5000])('poisson mean %s averages to its mean', (mean) => {
    const rng = seededRng(3);
    const n = 2000;
    const avg = Array.from({ length: n }, () => poisson(rng, mean)).reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(avg - mean)).toBeLessThan(4 * Math.sqrt(mean / n));
  });

  it.each([[10, 0.5], [1000, 0.08], [30, 0.02]])('binomial(%s, %s) stays in 0..n and averages to n*p', (n, p) => {
    const rng = seededRng(5);
    const draws = Array.from({ length: 2000 }, () => binomial(rng, n, p));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThanOrEqual(n);
    const avg = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(Math.abs(avg - n * p)).toBeLessThan(4 * Math.sqrt((n * p * (1 - p)) / draws.length));
  });

  it.each([[0, 0.3, 0], [50, 0, 0], [50, 1, 50]])('binomial(%s, %s) is exactly %s', (n, p, k) => {
    expect(binomial(seededRng(1), n, p)).toBe(k);
  });
});
