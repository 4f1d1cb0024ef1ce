import type { z } from 'zod';
import { issuesToErrors, formatPath, type ImportError } from './errors';
import { parseJsonSource } from './json-source';
import { parseYamlSource } from './yaml-source';

export type ParseDocumentResult<T> = { ok: true; value: T } | { ok: false; errors: ImportError[] };

/**
 * One YAML or JSON document (by extension, else by content) validated against `schema`, every
 * problem with its line and field: a feature description, a plan config.
 */
export function parseDocument<T>(schema: z.ZodType<T>, text: string, opts: { filename?: string } = {}): ParseDocumentResult<T> {
  const json = opts.filename ? /\.json$/i.test(opts.filename) : /^\s*[{[]/.test(text);
  const source = json ? parseJsonSource(text) : parseYamlSource(text);
  if (!source.ok) return source;
  const parsed = schema.safeParse(source.doc.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const locate = (path: readonly PropertyKey[]) => {
    const line = source.doc.lineOf(path);
    return { line, label: `line ${line}${path.length ? `, field ${formatPath(path)}` : ''}` };
  };
  return { ok: false, errors: issuesToErrors(parsed.error.issues, source.doc.value, locate) };
}
