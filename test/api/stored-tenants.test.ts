/**
 * Tenants saved before a stricter check (an impossible date, a freeze window that ends before it
 * starts) are in the store file as an older Ringmaster wrote them. The API never answers 500 for
 * them: the list shows them under `invalid`, everything that needs them answers 409
 * stored-tenant-invalid naming the tenant, the field path, the problem and the fix, and a PATCH
 * of the named fields repairs them.
 */
import Database from 'better-sqlite3';
import { example, startApi, type ApiHarness } from './support';

let api: ApiHarness;
const FEATURE = 'smart-approval-routing';
const BAD = 'first-harbor-bank';
const freezeFix = `re-import tenant ${BAD} with corrected data (POST /api/v1/tenants/import), or PATCH /api/v1/tenants/${BAD} with a corrected \`contract\`, \`freezeWindows\`; DELETE /api/v1/tenants/${BAD} removes it`;

beforeAll(async () => {
  api = await startApi();
  expect((await api.call('POST', '/api/v1/tenants/import', { body: example('fleet.yaml'), headers: { 'Content-Type': 'application/yaml' } })).status).toBe(200);
  expect((await api.call('POST', '/api/v1/features', { body: example('feature-smart-routing.yaml'), headers: { 'Content-Type': 'application/yaml' } })).status).toBe(201);
  // A second connection to the store's file, as the older Ringmaster that saved the record.
  const old = new Database(api.dbFile);
  const doc = JSON.parse(old.prepare('SELECT doc FROM tenants WHERE id = ?').pluck().get(BAD) as string);
  doc.freezeWindows = [{ start: '2027-01-08T23:59:59Z', end: '2026-12-21T00:00:00Z', reason: 'year-end close' }];
  doc.contract = { ...doc.contract, renewalDate: '2026-02-30' };
  old.prepare('UPDATE tenants SET doc = ? WHERE id = ?').run(JSON.stringify(doc), BAD);
  old.close();
});
afterAll(() => api.close());

const problem = {
  id: BAD,
  issues: [
    { path: 'contract.renewalDate', message: 'expected a real calendar date (that month has fewer days)' },
    { path: 'freezeWindows[0].end', message: 'expected a freeze window that ends after it starts (start/end swapped?)' },
  ],
  fix: freezeFix,
};

function expect409(res: { status: number; data: Record<string, unknown> }) {
  expect(res.status).toBe(409);
  expect(res.data).toMatchObject({
    error: 'stored-tenant-invalid',
    message: `stored tenant ${BAD} no longer validates: contract.renewalDate: expected a real calendar date (that month has fewer days); freezeWindows[0].end: expected a freeze window that ends after it starts (start/end swapped?); ${freezeFix}`,
    issues: [
      { path: 'contract.renewalDate', message: `tenant ${BAD}: expected a real calendar date (that month has fewer days)` },
      { path: 'freezeWindows[0].end', message: `tenant ${BAD}: expected a freeze window that ends after it starts (start/end swapped?)` },
    ],
    invalidTenants: [problem],
  });
  expect(JSON.stringify(res.data)).not.toMatch(/at .*\.ts:\d+/);
}

describe('stored tenants that no longer validate', () => {
  it('lists the valid tenants and reports the invalid one with its fields and fix', async () => {
    const res = await api.call('GET', '/api/v1/tenants', { token: api.token.viewer });
    expect(res.status).toBe(200);
    expect(res.data.count).toBe(56);
    expect(res.data.tenants.map((l: { tenant: { id: string } }) => l.tenant.id)).not.toContain(BAD);
    expect(res.data.invalid).toEqual([problem]);
    const filtered = await api.call('GET', '/api/v1/tenants?q=kestrel', { token: api.token.viewer });
    expect(filtered.data).toMatchObject({ count: 1, invalid: [] });
  });

  it('answers 409 for the tenant itself, with the stored document to fix', async () => {
    const res = await api.call('GET', `/api/v1/tenants/${BAD}`, { token: api.token.viewer });
    expect409(res);
    expect(res.data.stored).toMatchObject({ id: BAD, contract: { renewalDate: '2026-02-30' } });
    expect((await api.call('GET', `/api/v1/tenants/${BAD}/notices`, { token: api.token.viewer })).status).toBe(200);
  });

  it('refuses a plan preview and a rollout that include it with the same 409, and plans without it', async () => {
    expect409(await api.call('POST', '/api/v1/plans/preview', { body: { featureKey: FEATURE } }));
    expect409(await api.call('POST', '/api/v1/plans/preview', { body: { featureKey: FEATURE, tenantIds: [BAD, 'kestrel-analytics'] } }));
    expect409(await api.call('POST', '/api/v1/rollouts', { token: api.token.pm, body: { featureKey: FEATURE, rolloutId: 'stored-invalid-1' } }));
    // Nothing was started.
    expect((await api.call('GET', '/api/v1/rollouts/stored-invalid-1', { token: api.token.viewer })).status).toBe(404);
    const without = await api.call('POST', '/api/v1/plans/preview', { body: { featureKey: FEATURE, tenantIds: ['kestrel-analytics', 'rm-staging'] } });
    expect(without.status).toBe(200);
  });

  it('repairs the tenant by PATCH: a patch that leaves a bad stored field names it, one that fixes both saves', async () => {
    const partial = await api.call('PATCH', `/api/v1/tenants/${BAD}`, { body: { freezeWindows: [{ start: '2026-12-21T00:00:00Z', end: '2027-01-08T23:59:59Z', reason: 'year-end close' }] } });
    expect(partial.status).toBe(400);
    expect(partial.data).toMatchObject({
      error: 'validation-failed',
      issues: [{ path: 'contract.renewalDate', message: "the stored tenant's contract.renewalDate is invalid too: expected a real calendar date (that month has fewer days); send a corrected contract in the same patch" }],
    });
    const fixed = await api.call('PATCH', `/api/v1/tenants/${BAD}`, {
      body: {
        freezeWindows: [{ start: '2026-12-21T00:00:00Z', end: '2027-01-08T23:59:59Z', reason: 'year-end close' }],
        contract: { arr: 730000, renewalDate: '2027-02-28' },
      },
    });
    expect(fixed.status).toBe(200);
    expect(fixed.data.contract.renewalDate).toBe('2027-02-28');
    const list = await api.call('GET', '/api/v1/tenants', { token: api.token.viewer });
    expect(list.data).toMatchObject({ count: 57, invalid: [] });
    expect((await api.call('GET', `/api/v1/tenants/${BAD}`, { token: api.token.viewer })).status).toBe(200);
  });
});
