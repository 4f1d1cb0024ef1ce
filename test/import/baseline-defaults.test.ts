import { parseTenants } from '../../shared/import/tenants';
import { Tenant } from '../../shared/model/tenant';
import { thresholdMemo, thresholdsFor } from '../../shared/monitoring/thresholds';
import { approvalRouting } from '../risk/fixtures';

const asOf = '2026-12-04T08:00:00Z';

describe('a baseline not given is the default, and says so', () => {
  it('a pipe-table row has no baseline: both fields are assumed', () => {
    const r = parseTenants('Acme Corp | 2000 users | health: good', { filename: 'fleet.txt', asOf });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.tenants[0].baseline).toEqual({ errorRate: 0.005, requestsPerMinute: 100, assumed: ['errorRate', 'requestsPerMinute'] });
  });

  it('a CSV row names only the fields it left empty', () => {
    const r = parseTenants('name,users,baselineErrorRate,requestsPerMinute\nA,10,0.4%,\nB,10,,250\nC,10,0.5%,100\n', { filename: 'fleet.csv', asOf });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.tenants.map((t) => t.baseline)).toEqual([
      { errorRate: 0.004, requestsPerMinute: 100, assumed: ['requestsPerMinute'] },
      { errorRate: 0.005, requestsPerMinute: 250, assumed: ['errorRate'] },
      { errorRate: 0.005, requestsPerMinute: 100 },
    ]);
  });

  it('a stored tenant keeps what was assumed; one stored before `assumed` existed still parses', () => {
    const stored = JSON.parse(JSON.stringify(Tenant.parse({ id: 'a', name: 'A', users: 1 })));
    expect(Tenant.parse(stored).baseline.assumed).toEqual(['errorRate', 'requestsPerMinute']);
    const older = { ...stored, baseline: { errorRate: 0.005, requestsPerMinute: 100 } };
    expect(Tenant.parse(older).baseline).toEqual({ errorRate: 0.005, requestsPerMinute: 100 });
    // Given a real error rate, a stored tenant's `assumed` no longer names it.
    expect(Tenant.parse({ ...stored, baseline: { ...stored.baseline, errorRate: 0.002 } }).baseline.assumed).toEqual(['requestsPerMinute']);
  });
});

describe('an imported tenant\'s thresholds say which baseline was assumed, and where to record it', () => {
  const feature = approvalRouting;
  function thresholds(text: string, filename: string) {
    const r = parseTenants(text, { filename, asOf });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const memo = thresholdMemo(feature);
    return r.tenants.map((t) => thresholdsFor(t, feature, 'low', undefined, memo));
  }

  it('a pipe-table row: both, with the ways the pipe table cannot offer', () => {
    const [a, b] = thresholds('Acme Corp | 2000 users | health: good\nBeta Inc | 300 users | health: good', 'fleet.txt');
    expect([a.baselineAssumed, a.trafficAssumed]).toEqual([true, true]);
    expect(a.reason).toContain('(baseline.errorRate and baseline.requestsPerMinute in JSON or YAML, CSV columns baselineErrorRate and requestsPerMinute, or PATCH /api/v1/tenants/{id} with the whole baseline; the pipe table has no columns for them)');
    // One string for both tenants, not one each.
    expect(b.reason).toBe(a.reason);
  });

  it('a CSV row with an error rate but no traffic: the traffic, however ample the default', () => {
    const [a] = thresholds('name,users,baselineErrorRate,requestsPerMinute\nA,10,0.4%,\n', 'fleet.csv');
    expect([a.baselineAssumed, a.trafficAssumed]).toEqual([undefined, true]);
    expect(a.reason).toMatch(/^no traffic baseline on record: assumed 100 requests\/min \(the default\)/);
  });

  it('a CSV row with both: neither', () => {
    const [a] = thresholds('name,users,baselineErrorRate,requestsPerMinute\nA,10,0.4%,5000\n', 'fleet.csv');
    expect([a.baselineAssumed, a.trafficAssumed]).toEqual([undefined, undefined]);
    expect(a.reason).toMatch(/^standard SLA: /);
  });
});
