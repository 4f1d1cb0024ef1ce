import { evaluateSamples, waveVerdict, TenantVerdict, type MonitoringSample } from '../../shared/monitoring/decision';
import type { TenantThresholds, DecisionMode } from '../../shared/model/plan';

const thresholds = (decisionMode: DecisionMode, consecutiveBreaches = 3): TenantThresholds => ({
  tenantId: 'acme', baselineErrorRate: 0.005, warningErrorRate: 0.015, criticalErrorRate: 0.025,
  minRequests: 100, consecutiveBreaches, decisionMode, reason: 'test',
});
/** [requests, error rate] per sample, one minute apart. */
const series = (...points: [number, number][]): MonitoringSample[] => points.map(([requests, errorRate], i) => ({
  requests, errors: Math.round(requests * errorRate), errorRate, at: new Date(Date.UTC(2026, 2, 2, 10, i)).toISOString(),
}));

describe('evaluateSamples', () => {
  test.each([
    ['no samples', 'automatic', [], 'insufficient-data', 'none'],
    ['a 20 % blip on 10 requests is noise', 'automatic', series([10, 0.2], [12, 0.25]), 'insufficient-data', 'none'],
    ['healthy', 'automatic', series([500, 0.004], [500, 0.006]), 'healthy', 'none'],
    ['above warning', 'automatic', series([500, 0.004], [500, 0.018]), 'warning', 'none'],
    ['critical but not yet in a row', 'automatic', series([500, 0.03], [500, 0.004], [500, 0.03], [500, 0.03]), 'warning', 'none'],
    ['three in a row, automatic → rollback', 'automatic', series([500, 0.004], [500, 0.03], [500, 0.04], [500, 0.05]), 'breach', 'rollback'],
    ['three in a row, advisory → ask', 'advisory', series([500, 0.03], [500, 0.04], [500, 0.05]), 'breach', 'ask'],
    ['three in a row, manual → pause', 'manual', series([500, 0.03], [500, 0.04], [500, 0.05]), 'breach', 'pause'],
    ['small samples in between do not break the streak', 'automatic', series([500, 0.03], [8, 0], [500, 0.03], [9, 0], [500, 0.025]), 'breach', 'rollback'],
    ['recovered after breaching', 'automatic', series([500, 0.03], [500, 0.03], [500, 0.004]), 'healthy', 'none'],
  ] as const)('%s', (_name, mode, samples, state, action) => {
    const v = evaluateSamples(thresholds(mode), [...samples]);
    expect(TenantVerdict.parse(v)).toEqual(v);
    expect([v.state, v.action, v.mode]).toEqual([state, action, mode]);
  });

  test('samples are read in time order whatever order they arrive in', () => {
    const recovered = series([500, 0.03], [500, 0.03], [500, 0.004]);
    const worsening = series([500, 0.004], [500, 0.03], [500, 0.03]);
    expect(evaluateSamples(thresholds('automatic', 2), [...recovered].reverse()).state).toBe('healthy');
    expect(evaluateSamples(thresholds('automatic', 2), [...worsening].reverse()).state).toBe('breach');
  });

  test('the consecutive count comes from the thresholds', () => {
    const samples = series([500, 0.004], [500, 0.03], [500, 0.03]);
    expect(evaluateSamples(thresholds('automatic', 2), samples).state).toBe('breach');
    expect(evaluateSamples(thresholds('automatic', 3), samples).state).toBe('warning');
  });

  test('reasons say what was seen and what happens', () => {
    const say = (mode: DecisionMode, samples: MonitoringSample[]) => evaluateSamples(thresholds(mode), samples).reason;
    expect(say('automatic', [])).toBe('no samples yet');
    expect(say('automatic', series([10, 0.2], [42, 0]))).toBe('none of 2 samples reached 100 requests (largest 42)');
    expect(say('automatic', series([500, 0.03], [1200, 0.041], [800, 0.05]))).toBe('3 consecutive samples at or above critical 2.50 % (latest 5.00 % on 800 requests); automatic mode rolls the tenant back');
    expect(say('advisory', series([500, 0.03], [500, 0.03], [500, 0.03]))).toMatch(/advisory mode asks the approvers, rollback by default at the deadline$/);
    expect(say('manual', series([500, 0.03], [500, 0.03], [500, 0.03]))).toMatch(/manual mode pauses the rollout for a person to roll back by hand$/);
    expect(say('automatic', series([500, 0.004], [500, 0.03]))).toBe('latest 3.00 % on 500 requests is at or above critical 2.50 %, 1 of 3 consecutive samples needed');
    expect(say('automatic', series([500, 0.018]))).toBe('latest 1.80 % on 500 requests is at or above warning 1.50 %, below critical 2.50 %');
    expect(evaluateSamples(thresholds('automatic'), series([500, 0.018])).latestErrorRate).toBe(0.018);
  });
});

describe('waveVerdict', () => {
  const verdict = (tenantId: string, state: TenantVerdict['state']): TenantVerdict => ({ tenantId, state, action: 'none', mode: 'automatic', reason: '' });
  test.each([
    [[], 0.3, false],
    [[verdict('a', 'healthy'), verdict('b', 'warning')], 0, false],
    [[verdict('a', 'breach'), verdict('b', 'healthy'), verdict('c', 'healthy'), verdict('d', 'healthy')], 0.3, false],
    [[verdict('a', 'breach'), verdict('b', 'breach'), verdict('c', 'healthy'), verdict('d', 'insufficient-data')], 0.5, true],
    [[verdict('a', 'breach')], 1, true],
  ] as const)('%#: halt %s', (verdicts, share, halt) => {
    expect(waveVerdict([...verdicts], share).halt).toBe(halt);
  });

  test('advisory and manual members count in the size of the wave, not as breaching', () => {
    const member = (tenantId: string, state: TenantVerdict['state'], mode: TenantVerdict['mode']): TenantVerdict => ({ tenantId, state, action: 'none', mode, reason: '' });
    // One advisory member rolled back (passed as an automatic breach) in a wave of five: 20 %.
    const wave = [verdict('rolled', 'breach'), member('b', 'breach', 'advisory'), member('c', 'healthy', 'advisory'), member('d', 'breach', 'manual'), member('e', 'healthy', 'advisory')];
    expect(waveVerdict(wave, 0.3)).toEqual({ halt: false, reason: '1 of 5 tenants breaching (20 %) < halt share 30 %: rolled' });
    expect(waveVerdict(wave, 0.2).halt).toBe(true);
    expect(waveVerdict(wave.slice(1), 0).halt).toBe(false);
  });

  test('the reason names the breaching tenants', () => {
    expect(waveVerdict([verdict('acme', 'breach'), verdict('globex', 'breach'), verdict('initech', 'healthy')], 0.5).reason)
      .toBe('2 of 3 tenants breaching (67 %) ≥ halt share 50 %, halt the wave: acme, globex');
    expect(waveVerdict([verdict('acme', 'breach'), verdict('b', 'healthy'), verdict('c', 'healthy'), verdict('d', 'healthy')], 0.3).reason)
      .toBe('1 of 4 tenants breaching (25 %) < halt share 30 %: acme');
  });
});
