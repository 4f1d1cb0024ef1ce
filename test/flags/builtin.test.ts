import { BuiltinFlagProvider } from '../../activities/flags/builtin';
import type { FlagChange } from '../../activities/ports';
import { StoreInputError } from '../../activities/store/records';
import { openSqliteStore, type SqliteStore } from '../../activities/store/sqlite';
import { smartExport } from '../store/fixtures';

const enableLotus: FlagChange = {
  featureKey: 'smart-export', tenantId: 'lotus-retail', enabled: true, rolloutId: 'r-7',
  actor: 'rollout:r-7', reason: 'wave w2 approved by eng-lead:ana', idempotencyKey: 'r-7:lotus-retail:enable',
};

let store: SqliteStore;
let flags: BuiltinFlagProvider;
let clock: Date;
beforeEach(() => {
  clock = new Date('2026-12-10T09:00:00Z');
  store = openSqliteStore(':memory:', { now: () => clock });
  flags = new BuiltinFlagProvider(store);
});
afterEach(() => store.close());

describe('BuiltinFlagProvider', () => {
  it('applies a change once: the same idempotency key again changes nothing and adds no history', async () => {
    expect(await flags.apply(enableLotus)).toEqual({ applied: true });
    clock = new Date('2026-12-10T09:05:00Z');
    // A retried activity that somehow carries a different payload still must not act twice.
    expect(await flags.apply({ ...enableLotus, enabled: false, reason: 'retry' })).toEqual({ applied: false });

    expect(await flags.isEnabled('smart-export', 'lotus-retail')).toBe(true);
    expect(await flags.history('smart-export', 'lotus-retail')).toEqual([{ ...enableLotus, at: '2026-12-10T09:00:00.000Z' }]);
  });

  it('keeps who changed a tenant, in which rollout, why, and what it was before', async () => {
    await flags.apply(enableLotus);
    clock = new Date('2026-12-10T11:30:00Z');
    await flags.apply({ ...enableLotus, enabled: false, actor: 'rollout:r-7', reason: 'automatic rollback: error rate 8.1% over critical 2.0%', idempotencyKey: 'r-7:lotus-retail:rollback' });
    await flags.apply({ ...enableLotus, tenantId: 'fabrikam', idempotencyKey: 'r-7:fabrikam:enable' });

    expect((await flags.history('smart-export', 'lotus-retail')).map((h) => [h.enabled, h.previous, h.reason, h.at])).toEqual([
      [true, undefined, 'wave w2 approved by eng-lead:ana', '2026-12-10T09:00:00.000Z'],
      [false, true, 'automatic rollback: error rate 8.1% over critical 2.0%', '2026-12-10T11:30:00.000Z'],
    ]);
    expect((await flags.history('smart-export')).map((h) => h.tenantId)).toEqual(['lotus-retail', 'lotus-retail', 'fabrikam']);
    expect(await flags.isEnabled('smart-export', 'lotus-retail')).toBe(false);
  });

  it.each<[string, ('feature' | 'enable')[], string, object | undefined]>([
    ['a flag nobody has heard of', [], 'audit-log-v2', undefined],
    ['a known feature the tenant was never enabled for', ['feature'], 'smart-export', { value: false, reason: 'DEFAULT', variant: 'off' }],
    ['a tenant a rollout enabled', ['feature', 'enable'], 'smart-export', { value: true, reason: 'TARGETING_MATCH', variant: 'on' }],
    ['a flag known only from an applied change', ['enable'], 'smart-export', { value: true, reason: 'TARGETING_MATCH', variant: 'on' }],
  ])('evaluates %s', async (_case, setup, key, expected) => {
    if (setup.includes('feature')) await store.putFeature(smartExport);
    if (setup.includes('enable')) await flags.apply(enableLotus);
    const evaluation = await flags.evaluate(key, 'lotus-retail');
    if (expected === undefined) expect(evaluation).toBeUndefined();
    else expect(evaluation).toMatchObject({ key, ...expected });
  });

  it('explains each evaluation in words and lists every known flag for a tenant', async () => {
    await store.putFeature({ ...smartExport, key: 'audit-log-v2', name: 'Audit log v2' });
    await flags.apply(enableLotus);
    const all = await flags.evaluateAll('lotus-retail');
    expect(all.map((e) => [e.key, e.value, e.metadata.explanation])).toEqual([
      ['audit-log-v2', false, 'audit-log-v2 has not been enabled for tenant lotus-retail; off by default'],
      ['smart-export', true, 'enabled for tenant lotus-retail by rollout:r-7 at 2026-12-10T09:00:00.000Z: wave w2 approved by eng-lead:ana'],
    ]);
    expect(all[1].metadata.rolloutId).toBe('r-7');
  });

  it('rejects a change without a reason, naming the field', async () => {
    await expect(flags.apply({ ...enableLotus, reason: '' })).rejects.toThrow(StoreInputError);
    await expect(flags.apply({ ...enableLotus, reason: '' })).rejects.toThrow(/flag change is invalid: reason: /);
  });
});
