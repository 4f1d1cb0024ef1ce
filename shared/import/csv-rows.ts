import { parse, CsvError } from 'csv-parse/sync';
import { SlaTierName } from '../model/tenant';
import { importError, showValue, type ImportError, type Location } from './errors';
import { finishRows, type RowDraft } from './import-result';
import { setPath } from './record-path';
import { slugFromName } from './tenant-id';
import { readContacts, readCustomizations, readFreezeWindows, readIntegrations, readTickets, readWords, type CellRead } from './list-cells';

type Reader = (text: string) => CellRead<unknown>;

/** Keeps text that is not a plain number/boolean as written, so the schema names the column and the bad value. */
const numberCell: Reader = (text) => ({ ok: true, value: /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text });
const percentOrNumber: Reader = (text) => {
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  return pct ? { ok: true, value: Number(pct[1]) / 100 } : numberCell(text);
};
const booleanCell: Reader = (text) => {
  const word = text.toLowerCase();
  if (['true', 'yes', 'y', '1'].includes(word)) return { ok: true, value: true };
  if (['false', 'no', 'n', '0'].includes(word)) return { ok: true, value: false };
  return { ok: true, value: text };
};
const textCell: Reader = (text) => ({ ok: true, value: text });
const slaTiers: readonly string[] = SlaTierName.options;
// Said here rather than by the schema, whose other choice, an object of key: value fields, a CSV
// cell cannot hold.
const slaCell: Reader = (text) => {
  const uptime = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text);
  if (uptime) return { ok: true, value: { uptimePercent: Number(uptime[1]) } };
  const tier = text.toLowerCase();
  return slaTiers.includes(tier) ? { ok: true, value: tier } : { ok: false, problem: 'not a known SLA', expected: `${slaTiers.slice(0, -1).join(', ')} or ${slaTiers.at(-1)}, or an uptime such as 99.95` };
};

/** CSV column → where it lands in the tenant record and how its cell is read. */
export const csvColumns: Record<string, { path: string[]; read: Reader }> = {
  id: { path: ['id'], read: textCell },
  name: { path: ['name'], read: textCell },
  users: { path: ['users'], read: numberCell },
  region: { path: ['region'], read: textCell },
  timeZone: { path: ['timeZone'], read: textCell },
  locale: { path: ['locale'], read: textCell },
  internal: { path: ['internal'], read: booleanCell },
  betaOptIn: { path: ['betaOptIn'], read: booleanCell },
  integrations: { path: ['integrations'], read: readIntegrations },
  customizations: { path: ['customizations'], read: readCustomizations },
  sla: { path: ['sla'], read: slaCell },
  arr: { path: ['contract', 'arr'], read: numberCell },
  renewalDate: { path: ['contract', 'renewalDate'], read: textCell },
  health: { path: ['health'], read: numberCell },
  tickets: { path: ['openTickets'], read: readTickets },
  anchor: { path: ['strategic', 'anchor'], read: booleanCell },
  executiveEscalation: { path: ['strategic', 'executiveEscalation'], read: booleanCell },
  industry: { path: ['regulated', 'industry'], read: textCell },
  regimes: { path: ['regulated', 'regimes'], read: readWords },
  freezeWindows: { path: ['freezeWindows'], read: readFreezeWindows },
  contacts: { path: ['contacts'], read: readContacts },
  baselineErrorRate: { path: ['baseline', 'errorRate'], read: percentOrNumber },
  requestsPerMinute: { path: ['baseline', 'requestsPerMinute'], read: numberCell },
};

const required = ['name', 'users'];

function columnOf(path: readonly PropertyKey[]): string | undefined {
  let best: { name: string; depth: number } | undefined;
  for (const [name, spec] of Object.entries(csvColumns)) {
    if (spec.path.every((seg, i) => path[i] === seg) && (!best || spec.path.length > best.depth)) best = { name, depth: spec.path.length };
  }
  return best?.name;
}

interface ParsedRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

/** CSV with a header row naming the columns above; empty cells take the schema's defaults. */
export function csvRows(text: string): { ok: true; rows: RowDraft[] } | { ok: false; errors: ImportError[] } {
  let records: ParsedRecord[];
  try {
    // Records as lists, of any length: a row with too few or too many cells is reported on its own
    // line below, and the rows after it are still read and checked (csv-parse would stop there).
    records = parse(text, {
      relax_column_count: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      comment: '#',
      comment_no_infix: true,
    }) as unknown as ParsedRecord[];
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const line = (e as CsvError & { lines?: number }).lines ?? 1;
    return { ok: false, errors: [{ line, field: '(file)', message: `line ${line}: not valid CSV: ${e.message}`, expected: 'well-formed CSV with the same number of cells on every line' }] };
  }
  const header = records.length > 0 ? records[0].record.map((n) => n.trim()) : [];
  records = records.slice(1);
  const known = Object.keys(csvColumns);
  const missing = required.filter((name) => !header.includes(name));
  const headerErrors: ImportError[] = [
    ...header.filter((name) => !(name in csvColumns)).map((name) =>
      importError({ line: 1, column: name, label: `line 1, column "${name}"` }, name, `unknown column; expected one of: ${known.join(', ')}`, { expected: known.join(', '), value: name })),
    ...missing.map((name) =>
      importError({ line: 1, label: 'line 1 (header)' }, name, `required column "${name}" is missing`, { expected: `a "${name}" column` })),
  ];

  const rows = records.map(({ record: cells, raw, info }): RowDraft => {
    const spannedLines = raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '').split('\n').length - 1;
    const line = info.lines - spannedLines;
    const input: Record<string, unknown> = {};
    const errors: ImportError[] = [];
    if (cells.length !== header.length) {
      // Which cell belongs to which column is not known (a value with an unquoted comma shifts the
      // rest), so its cells are not checked against the columns: that would report the shift.
      const expected = `${header.length} cells, one per header column`;
      const where = { line, label: `line ${line}` };
      const hint = cells.length > header.length ? 'a value containing a comma needs double quotes' : 'leave an empty cell between commas, not out';
      errors.push(importError(where, '(row)', `${cells.length} ${cells.length === 1 ? 'cell' : 'cells'} where the header has ${header.length} columns (${hint}); its cells are checked once the count matches; expected ${expected}`, { expected, value: String(cells.length) }));
      return { line, input, errors, locate: () => where, unchecked: true };
    }
    const record: Record<string, string> = {};
    header.forEach((name, i) => { record[name] = cells[i]; });
    const locate = (path: readonly PropertyKey[]): Location => {
      const column = columnOf(path);
      return column
        ? { line, column, label: `line ${line}, column ${column} (${showValue(record[column] ?? '')})` }
        : { line, label: `line ${line}` };
    };
    for (const [column, cell] of Object.entries(record)) {
      const spec = csvColumns[column];
      // An unknown column is reported once, in the header.
      if (cell === '' || !spec) continue;
      const read = spec.read(cell);
      if (read.ok) setPath(input, spec.path, read.value);
      else errors.push(importError(locate(spec.path), spec.path.join('.'), `${read.problem}; expected ${read.expected}`, { expected: read.expected, value: cell }));
    }
    if (input.id === undefined && typeof input.name === 'string') input.id = slugFromName(input.name);
    return { line, input, errors, locate };
  });
  if (headerErrors.length === 0) return { ok: true, rows };
  // The rows are checked with the known columns too, so their problems show now rather than once
  // the header is fixed. A missing required column is said once, in the header: not again as a
  // missing field on every row, nor as the missing id a missing name leaves.
  const leftOut = (e: ImportError) => (missing.includes(e.field) || (e.field === 'id' && missing.includes('name'))) && e.message.endsWith(`: required field is missing; expected ${e.expected}`);
  const rowErrors = rows.length === 0 ? [] : finishRows(rows, 'csv', 'all-or-nothing').errors.filter((e) => !leftOut(e));
  return { ok: false, errors: [...headerErrors, ...rowErrors] };
}
