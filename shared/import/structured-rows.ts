import { formatPath, type ImportError } from './errors';
import type { RowDraft } from './import-result';
import type { SourceDocument } from './source-document';

/** JSON / YAML: a list of tenants, or `{ tenants: [...] }`; each element becomes one row. */
export function structuredRows(doc: SourceDocument): { ok: true; rows: RowDraft[] } | { ok: false; errors: ImportError[] } {
  const wrapped = doc.value !== null && typeof doc.value === 'object' && !Array.isArray(doc.value) && Array.isArray((doc.value as { tenants?: unknown }).tenants);
  const prefix: PropertyKey[] = wrapped ? ['tenants'] : [];
  const list = wrapped ? (doc.value as { tenants: unknown[] }).tenants : doc.value;
  if (!Array.isArray(list)) {
    const line = doc.lineOf([]);
    const expected = 'a list of tenants, or an object with a "tenants" list';
    return { ok: false, errors: [{ line, field: '(file)', message: `line ${line}: expected ${expected}`, expected }] };
  }
  const rows = list.map((input, index): RowDraft => {
    const base = [...prefix, index];
    const id = (input as { id?: unknown } | null)?.id;
    const who = typeof id === 'string' ? `tenant "${id}"` : `tenant #${index + 1}`;
    return {
      // Asked only for a message: finding a line can cost a pass over the whole file (JSON).
      get line() { return doc.lineOf(base); },
      input,
      errors: [],
      locate: (path) => {
        const line = doc.lineOf([...base, ...path]);
        return { line, label: `line ${line}, ${who}${path.length ? `, field ${formatPath(path)}` : ''}` };
      },
    };
  });
  return { ok: true, rows };
}
