import type { ImportFormat } from './import-result';
import { csvColumns } from './csv-rows';

const byExtension: Record<string, ImportFormat> = { csv: 'csv', json: 'json', yaml: 'yaml', yml: 'yaml', txt: 'table', md: 'table', table: 'table' };

/**
 * Extension first; otherwise the first meaningful line decides: `[`/`{` is JSON, a `|` is the PM
 * table, a comma-separated header of known column names (or with a name column) is CSV, anything else is YAML.
 */
export function detectFormat(text: string, filename?: string): ImportFormat {
  const extension = filename?.split('.').pop()?.toLowerCase();
  if (extension && filename!.includes('.') && byExtension[extension]) return byExtension[extension];
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#')) ?? '';
  if (first.startsWith('[') || first.startsWith('{')) return 'json';
  if (/[|｜]/.test(first)) return 'table';
  const names = first.split(',').map((n) => n.trim());
  if (names.length > 1 && (names.every((n) => n in csvColumns) || names.includes('name'))) return 'csv';
  return 'yaml';
}
