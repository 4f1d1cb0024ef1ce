/**
 * `asOf` means the same on the API as `--as-of` on the CLI: a date (midnight UTC) or a date-time
 * with Z or an offset. A date alone used to be a 400 "Invalid ISO datetime" on the API while the
 * CLI planned with it.
 */
import { main } from '../../cli/main';
import { example, startApi, type ApiHarness } from './support';

let api: ApiHarness;
const FEATURE = 'smart-approval-routing';

async function cliPlan(asOf: string) {
  let out = '';
  let err = '';
  const code = await main(['plan', '--tenants', 'examples/fleet.yaml', '--feature', 'examples/feature-smart-routing.yaml', '--as-of', asOf, '--format', 'json'],
    { now: () => new Date('2026-12-01T00:00:00Z'), stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
  return { code, out, err };
}

beforeAll(async () => {
  api = await startApi();
  expect((await api.call('POST', '/api/v1/tenants/import', { body: example('fleet.yaml'), headers: { 'Content-Type': 'application/yaml' } })).status).toBe(200);
  expect((await api.call('POST', '/api/v1/features', { body: example('feature-smart-routing.yaml'), headers: { 'Content-Type': 'application/yaml' } })).status).toBe(201);
});
afterAll(() => api.close());

describe('asOf: the same forms on the API as on the CLI', () => {
  it('plans as of a date, as the CLI does with --as-of', async () => {
    const cli = await cliPlan('2026-12-04');
    expect(cli.code).toBe(0);
    const res = await api.call('POST', '/api/v1/plans/preview', { body: { featureKey: FEATURE, asOf: '2026-12-04' } });
    expect(res.status).toBe(200);
    expect(res.data.asOf).toBe('2026-12-04');
    expect(res.data.waves).toEqual(JSON.parse(cli.out).waves);
    // A date after the feature's deadline is read as a date: the deadline has passed (422), not a 400.
    const late = await api.call('POST', '/api/v1/plans/preview', { body: { featureKey: FEATURE, asOf: '2030-01-01' } });
    expect(late.status).toBe(422);
    expect(late.data.error).toBe('invalid-feature');
    expect((await api.call('POST', '/api/v1/plans/preview', { body: { featureKey: FEATURE, asOf: '2026-12-04T17:00:00+08:00' } })).status).toBe(200);
  });

  it.each([
    ['2026-12-04T08:00:00', 'add Z (UTC) or the offset, e.g. 2026-12-04T08:00:00Z'],
    ['2026-02-30', 'expected a real calendar date (that month has fewer days)'],
    ['next tuesday', 'expected an ISO-8601 date (2026-12-04, midnight UTC) or date-time with Z or an offset'],
  ])('refuses %s with the same reason on the API (400, body.asOf) and the CLI (exit 2)', async (asOf, reason) => {
    for (const path of ['/api/v1/plans/preview', '/api/v1/rollouts']) {
      const res = await api.call('POST', path, { token: api.token.pm, body: { featureKey: FEATURE, asOf } });
      expect(res.status).toBe(400);
      expect(res.data.error).toBe('validation-failed');
      expect(res.data.issues).toEqual([{ path: 'body.asOf', message: expect.stringContaining(reason) }]);
    }
    const cli = await cliPlan(asOf);
    expect(cli.code).toBe(2);
    expect(cli.err).toContain(`--as-of "${asOf}": `);
    expect(cli.err).toContain(reason);
  });
});
