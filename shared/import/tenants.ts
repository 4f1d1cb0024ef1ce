import { csvRows } from './csv-rows';
import { detectFormat } from './detect-format';
import { fileFailure, finishRows, type ImportFormat, type ImportMode, type ImportResult, type RowDraft } from './import-result';
import { parseJsonSource } from './json-source';
import type { ImportError } from './errors';
import { structuredRows } from './structured-rows';
import { tableRows } from './table-rows';
import { parseYamlSource } from './yaml-source';

export type { ImportError } from './errors';
export type { ImportFormat, ImportMode, ImportResult, SkippedRow } from './import-result';

export interface ParseTenantsOptions {
  format?: ImportFormat;
  filename?: string;
  /** "Today" for relative phrases such as "renewal in 60 days" (ISO date or date-time). */
  asOf: string;
  mode?: ImportMode;
}

type Rows = { ok: true; rows: RowDraft[] } | { ok: false; errors: ImportError[] };

function readRows(text: string, format: ImportFormat, asOf: Date): Rows {
  switch (format) {
    case 'csv':
      return csvRows(text);
    case 'table':
      return { ok: true, rows: tableRows(text, { asOf }) };
    case 'json':
    case 'yaml': {
      const source = format === 'json' ? parseJsonSource(text) : parseYamlSource(text);
      return source.ok ? structuredRows(source.doc) : source;
    }
  }
}

/** Reads a tenant file in any supported format into validated tenants, or says exactly what is wrong where. */
export function parseTenants(text: string, opts: ParseTenantsOptions): ImportResult {
  const format = opts.format ?? detectFormat(text, opts.filename);
  const asOf = new Date(opts.asOf);
  if (Number.isNaN(asOf.getTime())) {
    return fileFailure(format, [{ line: 0, field: 'asOf', message: `asOf ${JSON.stringify(opts.asOf)} is not a date; expected an ISO date such as 2026-12-04`, expected: 'an ISO date', value: opts.asOf }]);
  }
  const read = readRows(text, format, asOf);
  return read.ok ? finishRows(read.rows, format, opts.mode ?? 'all-or-nothing') : fileFailure(format, read.errors);
}
