import { tenantTouches, touchedConfigs } from '../../shared/risk/touch';
import { compareVersions } from '../../shared/risk/version';
import { acme, approvalRouting, euretail, feature, mercy, smallco } from './fixtures';

describe('touchedConfigs / tenantTouches', () => {
  test('canonical keys, kinds then systems then settings, without duplicates', () => {
    const f = feature({
      changes: [
        ...approvalRouting.changes,
        { area: 'config', description: 'Slack digest', touches: { integrationKinds: ['chat', 'crm'], systems: ['Slack'], settings: [] } },
      ],
    });
    expect(touchedConfigs(f)).toEqual(['kind:chat', 'kind:crm', 'system:salesforce', 'system:slack', 'setting:approval_flow']);
  });

  test.each([
    [acme, ['kind:crm', 'system:salesforce', 'system:slack', 'setting:approval_flow']],
    [smallco, ['system:slack']],
    [mercy, ['kind:crm', 'system:salesforce']],
    [euretail, []],
  ])('%#: what the tenant exercises', (t, keys) => {
    expect(tenantTouches(t, approvalRouting)).toEqual(keys);
  });
});

describe('compareVersions', () => {
  test.each([
    ['52.0', '50.0', 1], ['9.1', '52', -1], ['2.10', '2.9', 1], ['1.0', '1', 0], ['v3.2.1', '3.2', 1], ['7.5-beta', '7.5', 0], ['latest', '1.0', undefined],
  ] as const)('%s vs %s → %s', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});
