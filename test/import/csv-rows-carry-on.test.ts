import { readFileSync } from 'node:fs';
import { MAX_BAD_RECORDS } from '../../shared/import/csv-rows';
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
    expect(r.errors[0].message).toBe('line 3: 5 cells where the header has 4 columns: put double quotes around values that contain commas; the row\'s values are checked once its cells match the header');
    expect(r.errors[1].message).toBe('line 4: 3 cells where the header has 4 columns: leave an empty cell between commas for each missing value; the row\'s values are checked once its cells match the header');
    expect(r.errors[1].expected).toBe('4 cells, one per header column');
  });

  it('is skipped in skip-invalid mode, the good rows kept', () => {
    const r = csv(text, 'skip-invalid');
    expect(r.ok).toBe(true);
    expect(r.tenants.map((t) => t.id)).toEqual(['fine-co']);
    expect(r.skipped.map((s) => s.line)).toEqual([3, 4, 5, 6]);
  });
});

describe('a CSV record with a misplaced double quote', () => {
  const header = readFileSync('examples/fleet.csv', 'utf8').split('\n')[0];
  const row = (id: string, name: string, renewal = '') => `${id},${name},10,us,America/Chicago,en,false,false,,,standard,1000,${renewal},90,,false,false,,,,,0.004,60`;

  it('is one problem on its line, and the other rows are still read and checked', () => {
    const text = [header, 'x1,Too Few,10,us', row('x3', 'Bad Date', '2027-13-45'), row('x9', 'Bad "quote'), row('x10', 'Fine Co'), row('x11', 'Late Date', '2027-02-30')].join('\n');
    const r = csv(text);
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([[2, '(row)'], [3, 'contract.renewalDate'], [4, '(row)'], [6, 'contract.renewalDate']]);
    expect(r.errors[2]).toMatchObject({
      column: 'name',
      message: 'line 4, column name: a double quote inside an unquoted value (Bad "quote): quote the whole value and double the inner quote ("Bad ""quote")',
    });
  });

  it('is skipped in skip-invalid mode, the good rows after it kept', () => {
    const r = csv([header, row('x9', 'Bad "quote'), row('x10', 'Fine Co')].join('\n'), 'skip-invalid');
    expect(r.ok).toBe(true);
    expect(r.tenants.map((t) => t.id)).toEqual(['x10']);
    expect(r.skipped.map((s) => s.line)).toEqual([2]);
  });

  it('text after a closing quote: said on its line, the rows after it still read', () => {
    const r = csv(['id,name,users', 'a,"Acme" Corp,10', 'b,B,lots', 'c,C,3'].join('\n'));
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([[2, '(row)'], [3, 'users']]);
    expect(r.errors[0].message).toMatch(/^line 2, column name: text after the closing double quote of a quoted value: put the whole value inside the quotes/);
  });

  it('a quote never closed: said on the line it opens, not at the end of the file, and the lines after it read as rows', () => {
    const r = csv(['id,name,users', 'a,"Acme Corp,10', 'b,B,lots', 'c,C,3', 'd,D,4'].join('\n'));
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([[2, '(row)'], [3, 'users']]);
    expect(r.errors[0].message).toMatch(/^line 2: a double quote opens a quoted value that is not closed on this line: close it/);
    // Closed by a later row's quote, csv-parse notices only there: still said on the line it opens.
    const later = csv(['id,name,users', 'a,"Acme Corp,10', 'b,B,lots', 'c,"C, Inc",3'].join('\n'));
    expect(later.errors.map((e) => [e.line, e.field])).toEqual([[2, '(row)'], [3, 'users']]);
  });

  it('keeps line numbers right past values spanning lines, comments and blank lines', () => {
    const r = csv(['id,name,users,renewalDate', 'a,"Two', 'Lines",10,', '# a comment', '', 'b,Bad "q,5,', 'c,C,6,2027-13-01'].join('\n'));
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([[6, '(row)'], [7, 'contract.renewalDate']]);
  });

  it('a header that cannot be read is the one problem', () => {
    const r = csv(['id,"name" x,users', 'a,A,1'].join('\n'));
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([[1, '(row)']]);
  });

  it(`after ${MAX_BAD_RECORDS} of them the rest is not read, and the file is not used even in skip-invalid mode`, () => {
    const bad = Array.from({ length: MAX_BAD_RECORDS + 5 }, (_, i) => `t${i},Bad "q${i},1`);
    const r = csv(['id,name,users', 'a,A,1', ...bad].join('\n'), 'skip-invalid');
    expect(r.ok).toBe(false);
    expect(r.errors).toHaveLength(MAX_BAD_RECORDS + 1);
    expect(r.errors.at(-1)).toMatchObject({ line: MAX_BAD_RECORDS + 2, field: '(file)' });
    expect(r.errors.at(-1)?.message).toMatch(/^line 102: 100 records with misplaced double quotes, so the lines after it were not read/);
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
