import { Feature } from '../model/feature';
import { issuesToErrors, formatPath, type ImportError } from './errors';
import { parseJsonSource } from './json-source';
import { parseYamlSource } from './yaml-source';

export type ParseFeatureResult = { ok: true; feature: Feature } | { ok: false; errors: ImportError[] };

/** A feature description from YAML or JSON (by extension, else by content), validated with line numbers. */
export function parseFeature(text: string, opts: { filename?: string } = {}): ParseFeatureResult {
  const json = opts.filename ? /\.json$/i.test(opts.filename) : /^\s*[{[]/.test(text);
  const source = json ? parseJsonSource(text) : parseYamlSource(text);
  if (!source.ok) return source;
  const parsed = Feature.safeParse(source.doc.value);
  if (parsed.success) return { ok: true, feature: parsed.data };
  const locate = (path: readonly PropertyKey[]) => {
    const line = source.doc.lineOf(path);
    return { line, label: `line ${line}${path.length ? `, field ${formatPath(path)}` : ''}` };
  };
  return { ok: false, errors: issuesToErrors(parsed.error.issues, source.doc.value, locate) };
}
