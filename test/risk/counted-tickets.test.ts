import { parseTenants } from '../../shared/import/tenants';
import { checkReadiness } from '../../shared/readiness/checklist';
import { holdReasons } from '../../shared/risk/holds';
import { scoreTenant } from '../../shared/risk/score';
import { approvalRouting } from './fixtures';

/**
 * A pipe-table cell such as "1 P1 ticket" only counts tickets: the importer has no ticket id and
 * no opening date, so a hold or readiness item must not quote its placeholders ("P1-1", the
 * import's date) as if they were the ticket's.
 */
describe('tickets a table row only counts', () => {
  const asOf = '2026-12-04';
  const parsed = parseTenants('己公司 | 300用户 | id: ji | 1个P1工单 | 2个P2工单 | 健康：良好\nReal Co | 50 users | id: real | 1 P2 ticket', { filename: 'fleet.txt', asOf });
  const [ji, real] = parsed.tenants;
  const wave = { id: 'w1', start: '2026-12-10T09:00:00Z', end: '2026-12-10T21:00:00Z' };

  it('imports as counted', () => {
    expect(parsed.errors).toEqual([]);
    expect(ji.openTickets.map((t) => [t.severity, t.counted])).toEqual([['P1', true], ['P2', true], ['P2', true]]);
  });

  it('hold reason says they were counted, without an invented id or opening date', () => {
    expect(holdReasons(ji, approvalRouting, { asOf })).toEqual([{
      rule: 'open-p1',
      reason: 'an open P1 ticket counted in the tenant table (no ticket id or opening date given)',
      release: 'close the P1 ticket and update the tenant\'s row, or get CS lead sign-off',
    }]);
  });

  it('readiness evidence says so too', () => {
    const r = checkReadiness(ji, approvalRouting, wave, { asOf, noticeLeadSeconds: 0 });
    expect(r.items.find((i) => i.check === 'instability-tickets')).toEqual({
      check: 'instability-tickets', status: 'fail',
      evidence: '1 P1 counted in the tenant table (no ticket id or opening date given); 2 P2 counted in the tenant table (no ticket id or opening date given)',
    });
    expect(checkReadiness(real, approvalRouting, wave, { asOf, noticeLeadSeconds: 0 }).items.find((i) => i.check === 'instability-tickets')?.status).toBe('review');
  });

  it('the score summary names no placeholder ids', () => {
    const reason = scoreTenant(ji, approvalRouting, { asOf }).factors.find((f) => f.factor === 'tickets')?.reason;
    expect(reason).toBe('1 P1, 2 P2 open (counted in the tenant table)');
  });
});
