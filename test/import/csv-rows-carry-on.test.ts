import { parseTenants } from '../../shared/import/tenants';
import { asOfProblem } from '../../shared/model/as-of';

const asOf = '2026-12-04T08:00:00Z';
const csv = (text: string, mode?: 'skip-invalid') => parseTenants(text, { filename: 'fleet.csv', asOf, ...(mode ? { mode } : {}) });

describe('a CSV row with the wrong number of cells', () => {
  const text = [
    'id,name,users,renewalDate',
    'fine-co,Fine Co,10,2027-01-15',
    'comma-co,Comma, Inc,5,2027-02-01', // an unquoted comma: one cell too many
    'short-co,Short Co,7', // a cell left out
    'later-co,Later Co,lots,2027-03-01', // a bad cell after them
    'last-co,Last Co,3,2027-13-45',
  ].join('\n');

  it('is reported on its line, and the rows after it are still read and checked', () => {
    const r = csv(text);
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([[3, '(row)'], [4, '(row)'], [5, 'users'], [6, 'contract.renewalDate']]);
    expect(r.errors[0].message).toBe('line 3: 5 cells where the header has 4 columns (a value containing a comma needs double quotes); its cells are checked once the count matches; expected 4 cells, one per header column');
    expect(r.errors[1].message).toMatch(/^line 4: 3 cells where the header has 4 columns \(leave an empty cell between commas, not out\)/);
  });

  it('is skipped in skip-invalid mode, the good rows kept', () => {
    const r = csv(text, 'skip-invalid');
    expect(r.ok).toBe(true);
    expect(r.tenants.map((t) => t.id)).toEqual(['fine-co']);
    expect(r.skipped.map((s) => s.line)).toEqual([3, 4, 5, 6]);
  });
});

describe('a date with a month that does not exist', () => {
  it('is one error, saying the month does not exist (not that the month has fewer days)', () => {
    const r = csv('name,users,renewalDate\nA,10,2027-13-45\n');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 2, column: 'renewalDate', field: 'contract.renewalDate', expected: 'a real calendar date (there is no month 13; months run 01–12)' });
    expect(r.errors[0].message).not.toMatch(/fewer days|ISO-8601/);
  });

  it('a day past the month end, a day 00 and a text that is no date each give one error of their own', () => {
    const r = csv('name,users,renewalDate\nA,10,2026-02-30\nB,10,2026-03-00\nC,10,next spring\n');
    expect(r.errors.map((e) => e.expected)).toEqual([
      'a real calendar date (that month has fewer days)',
      'a real calendar date (there is no day 00)',
      'an ISO-8601 date or date-time',
    ]);
  });

  it('as a freeze window end, is one error and no end-before-start error', () => {
    const r = csv('name,users,freezeWindows\nA,10,2026-12-20/2027-13-05:year-end close\n');
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].expected).toBe('a real calendar date (there is no month 13; months run 01–12)');
  });

  it('as asOf, says the month does not exist', () => {
    expect(asOfProblem('2027-13-45')).toBe('expected a real calendar date (there is no month 13; months run 01–12)');
  });
});
