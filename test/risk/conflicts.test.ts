import { conflictKeys, violations } from '../../shared/risk/conflicts';
import { defaultRiskConfig } from '../../shared/risk/config';
import { acme, euretail, firstbank, mercy, smallco, tenant } from './fixtures';

describe('never-together rules', () => {
  test.each([
    [acme, ['anchor']],
    [firstbank, ['anchor', 'highly-regulated']],
    [mercy, ['highly-regulated']],
    [euretail, []], // GDPR alone is not highly regulated
    [smallco, []],
    [tenant({ id: 'agency', regulated: { industry: 'other', regimes: ['FedRAMP'] } }), ['highly-regulated']],
    [tenant({ id: 'city', regulated: { industry: 'public-sector' } }), ['highly-regulated']],
  ])('%#: rules the tenant falls under', (t, rules) => {
    expect(conflictKeys(t).map((k) => k.rule)).toEqual(rules);
  });

  test('each key carries its description and limit', () => {
    expect(conflictKeys(acme)).toEqual([{ rule: 'anchor', description: 'at most one anchor account per wave', maxPerWave: 1 }]);
  });

  test('a wave breaks a rule only when more members fall under it than allowed', () => {
    expect(violations([acme, smallco, mercy])).toEqual([]);
    expect(violations([acme, firstbank, mercy, smallco])).toEqual([
      { rule: 'anchor', tenants: ['acme', 'firstbank'] },
      { rule: 'highly-regulated', tenants: ['firstbank', 'mercy'] },
    ]);
  });

  test('rules are configurable', () => {
    const config = {
      ...defaultRiskConfig,
      neverTogether: [{ id: 'escalated', description: 'at most two escalated accounts per wave', maxPerWave: 2, match: { executiveEscalation: true } }],
    };
    const escalated = (id: string) => tenant({ id, strategic: { executiveEscalation: true } });
    expect(conflictKeys(acme, config)).toEqual([]);
    expect(violations([mercy, escalated('a')], config)).toEqual([]);
    expect(violations([mercy, escalated('a'), escalated('b')], config)).toEqual([{ rule: 'escalated', tenants: ['mercy', 'a', 'b'] }]);
  });
});
