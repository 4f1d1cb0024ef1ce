import { holdReasons } from '../../shared/risk/holds';
import { defaultRiskConfig } from '../../shared/risk/config';
import { acme, approvalRouting, asOf, feature, globex, tenant } from './fixtures';

const rules = (t: Parameters<typeof holdReasons>[0], horizonEnd = '2026-04-01', f = approvalRouting) =>
  holdReasons(t, f, { asOf, horizonEnd }).map((h) => h.rule);

describe('holdReasons', () => {
  test('a healthy tenant with compatible versions has no holds', () => {
    expect(holdReasons(acme, approvalRouting, { asOf, horizonEnd: '2026-04-01' })).toEqual([]);
  });

  test('every hold says why and what releases it', () => {
    expect(holdReasons(globex, approvalRouting, { asOf, horizonEnd: '2026-04-01' })).toEqual([
      { rule: 'open-p1', reason: 'open P1 ticket T-88 "Sync outage" since 2026-02-27', release: 'close P1 ticket T-88 or get CS lead sign-off' },
      { rule: 'health-floor', reason: 'health 35/100 is below the floor of 40', release: 'raise health to ≥ 40 (now 35) or get CS lead sign-off' },
      { rule: 'incompatible-version', reason: 'salesforce connector 48.0 is older than the 50.0 this feature needs', release: 'upgrade salesforce connector from 48.0 to ≥ 50.0' },
      { rule: 'renewal-soon', reason: 'contract renews on 2026-03-20, in 18 days (within 30)', release: 'wait until the renewal on 2026-03-20 has closed or get account owner sign-off' },
      {
        rule: 'freeze-covers-horizon',
        reason: 'freeze quarter-end close (2026-02-20 – 2026-03-20), ERP migration (2026-03-18 – 2026-04-10) covers the whole rollout horizon 2026-03-02 – 2026-04-01',
        release: 'extend the rollout horizon past 2026-04-10 or get the tenant to lift the freeze',
      },
    ]);
  });

  test.each([
    // health, held?
    [39, true], [40, false], [0, true],
  ])('health %s against the floor of 40 → held %s', (health, held) => {
    expect(rules(tenant({ id: 'h', health })).includes('health-floor')).toBe(held);
  });

  test.each([
    ['48.0', '50.0', true], ['50', '50.0', false], ['50.0.1', '50.0', false], ['9.9', '10.0', true], ['10.1', '9.9', false], ['2.10', '2.9', false],
    // no version known → readiness asks for review instead of holding
    [undefined, '50.0', false],
  ] as const)('salesforce %s vs minimum %s → held %s', (version, minimum, held) => {
    const t = tenant({ id: 'v', integrations: [{ kind: 'crm', system: 'Salesforce', ...(version ? { version } : {}) }] });
    expect(rules(t, '2026-04-01', feature({ compatibility: { salesforce: minimum } })).includes('incompatible-version')).toBe(held);
  });

  test.each([
    ['2026-03-31T00:00:00Z', true], // 29 days
    ['2026-04-01T09:00:00Z', true], // exactly 30 days
    ['2026-04-02T09:00:00Z', false],
    ['2026-02-01T00:00:00Z', false], // already renewed
  ])('renewal on %s → held %s', (renewalDate, held) => {
    expect(rules(tenant({ id: 'r', contract: { renewalDate } })).includes('renewal-soon')).toBe(held);
  });

  test.each([
    ['one freeze covering the horizon', [['2026-03-01', '2026-04-05']], '2026-04-01', true],
    ['two overlapping freezes', [['2026-03-10', '2026-04-05'], ['2026-02-25', '2026-03-12']], '2026-04-01', true],
    ['a gap between freezes leaves room', [['2026-02-25', '2026-03-10'], ['2026-03-11', '2026-04-05']], '2026-04-01', false],
    ['the horizon ends after the freeze', [['2026-03-01', '2026-03-30']], '2026-04-01', false],
  ] as const)('%s → held %s', (_name, windows, horizonEnd, held) => {
    const t = tenant({ id: 'f', freezeWindows: windows.map(([start, end]) => ({ start, end, reason: 'peak season' })) });
    expect(rules(t, horizonEnd).includes('freeze-covers-horizon')).toBe(held);
  });

  test('the horizon starts at the feature\'s earliest start when that is later than now', () => {
    const t = tenant({ id: 'f', freezeWindows: [{ start: '2026-03-10', end: '2026-04-05', reason: 'peak season' }] });
    expect(rules(t, '2026-04-01')).toEqual([]);
    expect(rules(t, '2026-04-01', feature({ earliestStart: '2026-03-15' }))).toEqual(['freeze-covers-horizon']);
  });

  test('without a horizon end or deadline a freeze cannot cover the horizon', () => {
    const t = tenant({ id: 'f', freezeWindows: [{ start: '2026-01-01', end: '2027-01-01', reason: 'migration' }] });
    expect(holdReasons(t, approvalRouting, { asOf })).toEqual([]);
    expect(holdReasons(t, feature({ deadline: '2026-06-01' }), { asOf }).map((h) => h.rule)).toEqual(['freeze-covers-horizon']);
  });

  test('hold rules follow the config', () => {
    const config = { ...defaultRiskConfig, holds: { ...defaultRiskConfig.holds, openP1: false, healthFloor: 30, renewalWithinDays: 10 } };
    expect(holdReasons(globex, approvalRouting, { asOf, horizonEnd: '2026-03-10', config }).map((h) => h.rule)).toEqual(['incompatible-version', 'freeze-covers-horizon']);
  });
});
