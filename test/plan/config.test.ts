import { defaultPlanConfig, PlanConfigOverrides, withCalendarAndLanes } from '../../shared/plan/config';

// The README promises: objects merge over the defaults key by key, lists and single values
// replace them, and the merged result is validated whole. The CLI and API tests reach this only
// through whole plans; here each rule is pinned to literal values.
const parse = (given: unknown) => PlanConfigOverrides.safeParse(given);
const ok = (given: unknown) => {
  const r = parse(given);
  if (!r.success) throw new Error(JSON.stringify(r.error.issues));
  return r.data;
};
const paths = (given: unknown) => {
  const r = parse(given);
  if (r.success) throw new Error('expected the config to be refused');
  return r.error.issues.map((i) => i.path.join('.'));
};

describe('PlanConfigOverrides', () => {
  it('changes nothing for an empty file, null or {}', () => {
    for (const given of [undefined, null, {}]) expect(ok(given)).toEqual(defaultPlanConfig);
  });

  it('merges a nested object key by key, keeping the siblings it does not name', () => {
    const c = ok({ risk: { holds: { healthFloor: 20 } }, haltShare: { low: 0.4 } });
    expect(c.risk.holds).toEqual({ openP1: true, healthFloor: 20, renewalWithinDays: 30, incompatibleVersion: true, freezeCoversHorizon: true });
    expect(c.haltShare).toEqual({ pilot: 0.5, low: 0.4, medium: 0.1, high: 0 });
    expect(c.risk.weights).toEqual(defaultPlanConfig.risk.weights);
    expect(c.maxWaveSize).toBe(200);
  });

  it('replaces a list whole rather than merging it item by item', () => {
    expect(ok({ growth: { low: [2] } }).growth).toEqual({ low: [2], medium: [3], high: [1] });
    const rule = { id: 'escalated', description: 'at most one escalated account per wave', maxPerWave: 1, match: { executiveEscalation: true } };
    expect(ok({ risk: { neverTogether: [rule] } }).risk.neverTogether).toEqual([rule]);
    expect(ok({ risk: { neverTogether: [] } }).risk.neverTogether).toEqual([]);
  });

  it('validates the merged config: a field that is fine alone can clash with a default', () => {
    // toHour 8 is a valid hour, but before the default fromHour 9.
    expect(paths({ startWindow: { toHour: 8 } })).toEqual(['startWindow.toHour']);
    expect(paths({ risk: { weights: { sla: 40 } } })).toEqual(['risk.weights']);
  });

  it('refuses unknown fields at any depth, and __proto__ as a field, without touching any prototype', () => {
    expect(paths({ waveSize: 10 })).toEqual(['']);
    expect(paths({ lanes: { shards: 2 } })).toEqual(['lanes']);
    expect(paths(JSON.parse('{"__proto__": {"maxWaveSize": 5}}'))).toEqual(['']);
    expect(({} as { maxWaveSize?: number }).maxWaveSize).toBeUndefined();
    expect(defaultPlanConfig.maxWaveSize).toBe(200);
  });

  it('does not change the defaults it merges over', () => {
    ok({ growth: { low: [7] }, risk: { holds: { healthFloor: 1 } } });
    expect(defaultPlanConfig.growth.low).toEqual([1, 10, 100]);
    expect(defaultPlanConfig.risk.holds.healthFloor).toBe(40);
  });
});

describe('withCalendarAndLanes', () => {
  const byTimeZone = ok({ calendar: 'continuous', lanes: { key: 'timeZone' } });

  it('lets a caller\'s calendar and lanes choice win, keeping the lane key', () => {
    expect(withCalendarAndLanes(byTimeZone, { calendar: 'business', lanes: false })).toMatchObject({ calendar: 'business', lanes: { enabled: false, key: 'timeZone' } });
  });

  it('keeps the config\'s own values where the caller chose nothing', () => {
    expect(withCalendarAndLanes(byTimeZone, {})).toEqual(byTimeZone);
  });
});
