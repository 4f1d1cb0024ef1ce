import { parseTenants } from '../../shared/import/tenants';
import { Tenant } from '../../shared/model/tenant';

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
