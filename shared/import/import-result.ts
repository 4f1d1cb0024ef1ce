import { Tenant } from '../model/tenant';
import { importError, issuesToErrors, type ImportError, type Location } from './errors';

export type ImportFormat = 'csv' | 'json' | 'yaml' | 'table';
export type ImportMode = 'all-or-nothing' | 'skip-invalid';

export interface SkippedRow {
  line: number;
  id?: string;
  reason: string;
}

/**
 * `ok` says whether `tenants` is the result to use: in all-or-nothing mode only when nothing was
 * wrong; in skip-invalid mode unless the file itself could not be read. `errors` always lists
 * every problem, including those of skipped rows.
 */
export interface ImportResult {
  ok: boolean;
  tenants: Tenant[];
  errors: ImportError[];
  skipped: SkippedRow[];
  format: string;
}

/** One tenant record as a format reader produced it, before schema validation. */
export interface RowDraft {
  line: number;
  input: unknown;
  /** Problems the reader already found in cells it could not turn into fields. */
  errors: ImportError[];
  locate(path: readonly PropertyKey[]): Location;
  /**
   * The reader could not tell which value is which field (a CSV row with the wrong number of
   * cells): its errors say why, and the record is not checked against the schema, which would
   * only report the fields it could not fill.
   */
  unchecked?: boolean;
}

export function fileFailure(format: string, errors: ImportError[]): ImportResult {
  return { ok: false, tenants: [], errors, skipped: [], format };
}

function draftId(input: unknown): string | undefined {
  const id = (input as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** Validates every row, finds duplicate ids, and applies the mode. Nothing is dropped silently. */
export function finishRows(rows: readonly RowDraft[], format: ImportFormat, mode: ImportMode): ImportResult {
  if (rows.length === 0) {
    const error: ImportError = { line: 1, field: '(file)', message: 'line 1: no tenants found; expected at least one tenant record', expected: 'at least one tenant' };
    return fileFailure(format, [error]);
  }
  const checked = rows.map((row) => {
    if (row.unchecked) return { row, errors: row.errors, tenant: undefined };
    const parsed = Tenant.safeParse(row.input);
    if (row.errors.length === 0) {
      return parsed.success
        ? { row, errors: [] as ImportError[], tenant: parsed.data }
        : { row, errors: issuesToErrors(parsed.error.issues, row.input, row.locate), tenant: undefined };
    }
    // A row the reader found problems in is still checked, so one bad cell does not hide another;
    // a field the reader could not read is reported once, by the reader.
    const others = parsed.success ? [] : issuesToErrors(parsed.error.issues, row.input, row.locate).filter((e) => !row.errors.some((r) => r.field === e.field));
    return { row, errors: [...row.errors, ...others], tenant: undefined };
  });
  // The first row of each id; its line is asked for only when the id comes again.
  const firstOfId = new Map<string, RowDraft>();
  for (const entry of checked) {
    const id = entry.tenant?.id ?? draftId(entry.row.input);
    if (id === undefined) continue;
    const first = firstOfId.get(id);
    if (first === undefined) firstOfId.set(id, entry.row);
    else {
      const where = entry.row.locate(['id']);
      entry.errors = [...entry.errors, importError(where, 'id', `duplicate tenant id "${id}" (first used at line ${first.line}); expected each tenant id once`, { expected: 'a unique tenant id', value: id })];
    }
  }
  const errors = checked.flatMap((entry) => entry.errors);
  const good = checked.filter((entry) => entry.errors.length === 0 && entry.tenant).map((entry) => entry.tenant as Tenant);
  if (mode === 'all-or-nothing') {
    return errors.length === 0 ? { ok: true, tenants: good, errors, skipped: [], format } : { ok: false, tenants: [], errors, skipped: [], format };
  }
  const skipped = checked
    .filter((entry) => entry.errors.length > 0)
    .map((entry) => {
      const id = entry.tenant?.id ?? draftId(entry.row.input);
      return { line: entry.row.line, ...(id ? { id } : {}), reason: entry.errors.map((e) => e.message).join('; ') };
    });
  return { ok: true, tenants: good, errors, skipped, format };
}
