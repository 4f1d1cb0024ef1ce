/**
 * A feature saved before a stricter check (an earliestStart after its deadline) is in the store
 * file as an older Ringmaster wrote it. The API never answers 500 for it: the list shows it under
 * `invalid`, everything that needs it answers 409 stored-feature-invalid naming the key, the field
 * path, the problem and the fix, and a PUT of the corrected description repairs it.
 */
import Database from 'better-sqlite3';
import { example, startApi, type ApiHarness } from './support';

let api: ApiHarness;
const FEATURE = 'smart-approval-routing';
const fix = `PUT /api/v1/features/${FEATURE} again (the whole description, YAML or JSON) with a corrected \`deadline\``;
const problem = {
  key: FEATURE,
  issues: [{ path: 'deadline', message: 'expected a deadline after earliestStart (earliestStart/deadline swapped?)' }],
  fix,
};

beforeAll(async () => {
  api = await startApi();
  expect((await api.call('POST', '/api/v1/tenants/import', { body: example('fleet.yaml'), headers: { 'Content-Type': 'application/yaml' } })).status).toBe(200);
  expect((await api.call('POST', '/api/v1/features', { body: example('feature-smart-routing.yaml'), headers: { 'Content-Type': 'application/yaml' } })).status).toBe(201);
  // A second connection to the store's file, as the older Ringmaster that saved the record.
  const old = new Database(api.dbFile);
  const doc = JSON.parse(old.prepare('SELECT doc FROM features WHERE key = ?').pluck().get(FEATURE) as string);
  doc.earliestStart = '2027-03-01T09:00:00Z';
  old.prepare('UPDATE features SET doc = ? WHERE key = ?').run(JSON.stringify(doc), FEATURE);
  old.close();
});
afterAll(() => api.close());

function expect409(res: { status: number; data: Record<string, unknown> }) {
  expect(res.status).toBe(409);
  expect(res.data).toMatchObject({
    error: 'stored-feature-invalid',
    message: `stored feature ${FEATURE} no longer validates: deadline: expected a deadline after earliestStart (earliestStart/deadline swapped?); ${fix}`,
    issues: [{ path: 'deadline', message: `feature ${FEATURE}: expected a deadline after earliestStart (earliestStart/deadline swapped?)` }],
    invalidFeatures: [problem],
  });
  expect(JSON.stringify(res.data)).not.toMatch(/at .*\.ts:\d+/);
}

describe('stored features that no longer validate', () => {
  it('lists the feature under invalid, with its fields and fix', async () => {
    const res = await api.call('GET', '/api/v1/features', { token: api.token.viewer });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ features: [], invalid: [problem] });
  });

  it('answers 409 for the feature itself, with the stored document to fix', async () => {
    const res = await api.call('GET', `/api/v1/features/${FEATURE}`, { token: api.token.viewer });
    expect409(res);
    expect(res.data.stored).toMatchObject({ key: FEATURE, earliestStart: '2027-03-01T09:00:00Z', deadline: '2027-02-26T00:00:00Z' });
  });

  it('refuses a plan preview and a rollout start with the same 409; POST says it exists', async () => {
    expect409(await api.call('POST', '/api/v1/plans/preview', { body: { featureKey: FEATURE } }));
    expect409(await api.call('POST', '/api/v1/rollouts', { token: api.token.pm, body: { featureKey: FEATURE, rolloutId: 'stored-feature-invalid-1' } }));
    expect((await api.call('GET', '/api/v1/rollouts/stored-feature-invalid-1', { token: api.token.viewer })).status).toBe(404);
    const again = await api.call('POST', '/api/v1/features', { body: example('feature-smart-routing.yaml'), headers: { 'Content-Type': 'application/yaml' } });
    expect(again.status).toBe(409);
    expect(again.data.error).toBe('conflict');
  });

  it('is repaired by a PUT of the corrected description', async () => {
    const put = await api.call('PUT', `/api/v1/features/${FEATURE}`, { body: example('feature-smart-routing.yaml'), headers: { 'Content-Type': 'application/yaml' } });
    expect(put.status).toBe(200);
    expect((await api.call('GET', `/api/v1/features/${FEATURE}`, { token: api.token.viewer })).status).toBe(200);
    const list = await api.call('GET', '/api/v1/features', { token: api.token.viewer });
    expect(list.data.invalid).toEqual([]);
    expect(list.data.features.map((f: { key: string }) => f.key)).toEqual([FEATURE]);
    expect((await api.call('POST', '/api/v1/plans/preview', { body: { featureKey: FEATURE, asOf: '2026-12-01T00:00:00Z' } })).status).toBe(200);
  });
});
