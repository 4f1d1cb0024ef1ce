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

/** A record csv-parse could not read (a stray or unclosed double quote), said on the line it starts. */
interface BadRecord {
  line: number;
  column?: string;
  message: string;
  expected: string;
}

const parseOptions = {
  relax_column_count: true,
  info: true,
  raw: true,
  skip_empty_lines: true,
  trim: true,
  comment: '#',
  comment_no_infix: true,
} as const;

/** A line csv-parse skips between records: blank, or a comment. */
function skippedLine(text: string): boolean {
  const t = text.trim();
  return t === '' || t.startsWith('#');
}

/**
 * After this many records csv-parse could not read, the rest of the file is not read: each one
 * means reading the rest of the file again, and a file with so many is malformed throughout
 * (another delimiter or quoting scheme) rather than broken here and there.
 */
export const MAX_BAD_RECORDS = 100;

/** Lines of a text by number, found by scanning forward from the last one asked for. */
class Lines {
  private line = 1;
  private at = 0;
  constructor(readonly text: string) {}
  /** Where line `n` (1-based, at or after the last one asked for) starts, or -1 past the end. */
  start(n: number): number {
    while (this.line < n && this.at >= 0) {
      const nl = this.text.indexOf('\n', this.at);
      this.at = nl < 0 ? -1 : nl + 1;
      this.line++;
    }
    return this.at;
  }
  /** Line `n`'s text, without its line break; undefined past the end. */
  get(n: number): string | undefined {
    const at = this.start(n);
    if (at < 0) return undefined;
    const nl = this.text.indexOf('\n', at);
    return this.text.slice(at, nl < 0 ? undefined : nl);
  }
}

/**
 * The file's records, each with its line numbers in the whole file, and the records csv-parse
 * could not read, each on its own line. csv-parse stops at the first malformed record (and with
 * `skip_records_with_error` an unclosed quote still swallows every line after it, and a closing
 * quote followed by text the rest of the file), so a record it cannot read is reported on the line
 * it starts, and reading resumes on the next line: the rows after it are still read and checked.
 * `stoppedAt` is the line reading stopped at after MAX_BAD_RECORDS of them.
 */
function readRecords(text: string): { records: ParsedRecord[]; bad: BadRecord[]; header?: string[]; stoppedAt?: number } {
  // Most files are well-formed: read in one go, without a callback per record (on_record costs a
  // record-info object each), and again record by record only when that fails.
  try {
    const all = parse(text, { ...parseOptions, bom: true }) as unknown as ParsedRecord[];
    return all.length === 0 ? { records: [], bad: [] } : { records: all.slice(1), bad: [], header: all[0].record.map((n) => n.trim()) };
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
  }
  const lines = new Lines(text);
  const records: ParsedRecord[] = [];
  const bad: BadRecord[] = [];
  let header: string[] | undefined;
  // The text still to read starts at line `from` (1-based) of the file.
  let from = 1;
  for (;;) {
    const offset = from - 1;
    const begin = from === 1 ? 0 : lines.start(from);
    if (begin < 0) break;
    // The last line of the file a record read so far ends on.
    let end = offset;
    try {
      parse(begin === 0 ? text : text.slice(begin), {
        ...parseOptions,
        bom: from === 1,
        // With `info` and `raw`, csv-parse hands each record over as { record, raw, info }.
        on_record: (r) => {
          const parsed = r as unknown as ParsedRecord;
          const read = offset === 0 ? parsed : { ...parsed, info: { lines: parsed.info.lines + offset } };
          if (header === undefined) header = read.record.map((n) => n.trim());
          else records.push(read);
          end = read.info.lines;
          return null;
        },
      });
      break;
    } catch (e) {
      if (!(e instanceof CsvError)) throw e;
      let line = end + 1;
      let lineText = lines.get(line);
      while (lineText !== undefined && skippedLine(lineText) && lines.get(line + 1) !== undefined) lineText = lines.get(++line);
      bad.push(badRecord(e, line, lineText ?? '', (e as CsvError & { lines?: number }).lines, offset, header));
      // A header it could not read leaves no columns to read the rows by.
      if (header === undefined) break;
      if (bad.length >= MAX_BAD_RECORDS) return { records, bad, header, stoppedAt: line };
      from = line + 1;
    }
  }
  return { records, bad, header };
}

/** What is wrong with a record csv-parse could not read, and how to fix it, in plain words. */
function badRecord(e: CsvError, line: number, text: string, errorLine: number | undefined, offset: number, header?: string[]): BadRecord {
  const cell = (e as CsvError & { column?: unknown }).column;
  const column = typeof cell === 'number' && header?.[cell] !== undefined ? header[cell] : undefined;
  const where = column ? `line ${line}, column ${column}` : `line ${line}`;
  const sameLine = errorLine === undefined || errorLine + offset === line;
  if (e.code === 'INVALID_OPENING_QUOTE' && sameLine) {
    // The value up to the quote, as csv-parse says it, and the rest of the cell from the line.
    const before = /value is ("(?:[^"\\]|\\.)*")/.exec(e.message);
    const start = before ? text.indexOf(`${JSON.parse(before[1]) as string}"`) : -1;
    const value = start < 0 ? undefined : text.slice(start).split(',')[0].trim();
    const example = value ? `"${value.replaceAll('"', '""')}"` : '"Bad ""quote"';
    return {
      line, ...(column ? { column } : {}),
      message: `${where}: a double quote inside an unquoted value${value ? ` (${value})` : ''}: quote the whole value and double the inner quote (${example})`,
      expected: 'a value with a double quote in it quoted as a whole, the inner quote doubled',
    };
  }
  if ((e.code === 'CSV_INVALID_CLOSING_QUOTE' || e.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') && sameLine) {
    return {
      line, ...(column ? { column } : {}),
      message: `${where}: text after the closing double quote of a quoted value: put the whole value inside the quotes and double any quote that is part of it ("""Bad"" quote")`,
      expected: 'a quoted value that ends at its closing quote',
    };
  }
  if (e.code === 'CSV_QUOTE_NOT_CLOSED' || e.code === 'CSV_INVALID_CLOSING_QUOTE' || e.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE') {
    // The quote ran on past this line: csv-parse noticed only where it ended, or at the end of the file.
    return {
      line,
      message: `line ${line}: a double quote opens a quoted value that is not closed on this line: close it with another double quote, or double a quote that is part of the value ("Bad ""quote"); the lines after it are read as rows of their own`,
      expected: 'every quoted value closed on the line it starts',
    };
  }
  return { line, message: `line ${line}: not valid CSV: ${e.message}`, expected: 'well-formed CSV' };
}

/** CSV with a header row naming the columns above; empty cells take the schema's defaults. */
export function csvRows(text: string): { ok: true; rows: RowDraft[] } | { ok: false; errors: ImportError[] } {
  const { records, bad, header: read, stoppedAt } = readRecords(text);
  const badErrors = (b: BadRecord): ImportError => ({ line: b.line, ...(b.column ? { column: b.column } : {}), field: '(row)', message: b.message, expected: b.expected });
  // Without a header no row can be read: the header's own problem is all there is to say.
  if (read === undefined && bad.length > 0) return { ok: false, errors: bad.map(badErrors) };
  const header = read ?? [];
  const known = Object.keys(csvColumns);
  const missing = required.filter((name) => !header.includes(name));
  const headerErrors: ImportError[] = [
    ...header.filter((name) => !(name in csvColumns)).map((name) =>
      importError({ line: 1, column: name, label: `line 1, column "${name}"` }, name, `unknown column; expected one of: ${known.join(', ')}`, { expected: known.join(', '), value: name })),
    ...missing.map((name) =>
      importError({ line: 1, label: 'line 1 (header)' }, name, `required column "${name}" is missing`, { expected: `a "${name}" column` })),
  ];

  const readRows = records.map(({ record: cells, raw, info }): RowDraft => {
    const spannedLines = raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '').split('\n').length - 1;
    const line = info.lines - spannedLines;
    const input: Record<string, unknown> = {};
    const errors: ImportError[] = [];
    if (cells.length !== header.length) {
      // Which cell belongs to which column is not known (a value with an unquoted comma shifts the
      // rest), so its cells are not checked against the columns: that would report the shift.
      const expected = `${header.length} cells, one per header column`;
      const where = { line, label: `line ${line}` };
      const hint = cells.length > header.length ? 'put double quotes around values that contain commas' : 'leave an empty cell between commas for each missing value';
      errors.push(importError(where, '(row)', `${cells.length} ${cells.length === 1 ? 'cell' : 'cells'} where the header has ${header.length} columns: ${hint}; the row's values are checked once its cells match the header`, { expected, value: String(cells.length) }));
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
  // A record csv-parse could not read is a row of its own, in line order with the others, so
  // skip-invalid mode skips it and lists it with the rest.
  const rows = bad.length === 0 ? readRows : [...readRows, ...bad.map((b): RowDraft => {
    const where = { line: b.line, label: `line ${b.line}` };
    return { line: b.line, input: {}, errors: [badErrors(b)], locate: () => where, unchecked: true };
  })].sort((a, b) => a.line - b.line);
  // Reading stopped early: the rows read are checked, but the file cannot be used, even in skip-invalid mode.
  const stopped: ImportError[] = stoppedAt === undefined ? [] : [{
    line: stoppedAt, field: '(file)', expected: 'well-formed CSV',
    message: `line ${stoppedAt}: ${MAX_BAD_RECORDS} records with misplaced double quotes, so the lines after it were not read: check that the file is comma-separated, with values that contain commas, quotes or line breaks in double quotes and their inner quotes doubled`,
  }];
  if (headerErrors.length === 0 && stopped.length === 0) return { ok: true, rows };
  // The rows are checked with the known columns too, so their problems show now rather than once
  // the header is fixed. A missing required column is said once, in the header: not again as a
  // missing field on every row, nor as the missing id a missing name leaves.
  const leftOut = (e: ImportError) => (missing.includes(e.field) || (e.field === 'id' && missing.includes('name'))) && e.message.endsWith(`: required field is missing; expected ${e.expected}`);
  const rowErrors = rows.length === 0 ? [] : finishRows(rows, 'csv', 'all-or-nothing').errors.filter((e) => !leftOut(e));
  return { ok: false, errors: [...headerErrors, ...rowErrors, ...stopped] };
}
