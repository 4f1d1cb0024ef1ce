import { Feature } from '../model/feature';
import type { ImportError } from './errors';
import { parseDocument } from './document';

export type ParseFeatureResult = { ok: true; feature: Feature } | { ok: false; errors: ImportError[] };

/** A feature description from YAML or JSON (by extension, else by content), validated with line numbers. */
export function parseFeature(text: string, opts: { filename?: string } = {}): ParseFeatureResult {
  const parsed = parseDocument(Feature, text, opts);
  return parsed.ok ? { ok: true, feature: parsed.value } : parsed;
}
