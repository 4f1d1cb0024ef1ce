import { importError, showValue, type ImportError, type Location } from './errors';
import type { RowDraft } from './import-result';
import { setPath } from './record-path';
import { recognisers, regionWordOf, type CellContext } from './table-cells';
import { slugFromName } from './tenant-id';
import { defaultPlace, hasChinese, normalizePunctuation, regionWords } from './words';

/** First-cell words of a markdown header row ("| Name | Users | ... |"), which is skipped. */
const headerNames = new Set(['name', 'tenant', 'customer', 'company', '名称', '租户', '客户', '公司', '客户名称', '租户名称']);

const cellExamples = recognisers.map((r) => r.example).join(', ');

/** Region of a row that names only a time zone: the region whose default zone it is, else by continent. */
function regionOfZone(zone: string, fallback: string): string {
  const known = Object.values(regionWords).find((p) => p.timeZone === zone);
  const byArea: Record<string, string> = { America: 'us', Europe: 'eu', Asia: 'apac', Australia: 'au' };
  return known?.region ?? byArea[zone.split('/')[0]] ?? fallback;
}

function splitCells(line: string): string[] {
  const trimmed = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return trimmed.split('|').map((c) => c.trim());
}

function tableRow(source: string, line: number, ctx: CellContext): RowDraft | undefined {
  const text = normalizePunctuation(source);
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#') || /^\|?[\s:|-]*-{3,}[\s:|-]*$/.test(trimmed)) return undefined;
  const cells = splitCells(text);
  if (headerNames.has(cells[0].toLowerCase())) return undefined;
  // The same cells as the PM typed them (punctuation maps one character to one, so they line
  // up): the name keeps its full-width （） and messages quote what is in the file.
  const typed = splitCells(source.replace(/｜/g, '|'));

  const locale = hasChinese(source) ? 'zh-CN' : 'en';
  const input: Record<string, unknown> = { name: typed[0], locale };
  const errors: ImportError[] = [];
  const cellOfKey = new Map<string, number>();
  const at = (cellIndex: number): Location => ({ line, column: `cell ${cellIndex + 1}`, label: `line ${line}, cell ${cellIndex + 1} (${showValue(typed[cellIndex])})` });
  const locate = (path: readonly PropertyKey[]): Location => {
    const key = ['contract', 'strategic', 'regulated', 'baseline'].includes(String(path[0])) && path.length > 1 ? `${String(path[0])}.${String(path[1])}` : String(path[0]);
    const cell = cellOfKey.get(key) ?? cellOfKey.get(String(path[0])) ?? (['id', 'name', 'locale'].includes(key) ? 0 : undefined);
    return cell === undefined ? { line, label: `line ${line}` } : at(cell);
  };

  if (cells[0] === '' || recognisers.some((r) => r.read(cells[0], cells[0].toLowerCase(), ctx))) {
    errors.push(importError(at(0), 'name', 'the first cell must be the tenant name', { expected: 'the tenant name, then cells such as "2000 users"', value: typed[0] }));
  }
  cells.slice(1).forEach((cell, offset) => {
    const index = offset + 1;
    if (cell === '') return;
    const lower = cell.toLowerCase();
    const found = recognisers.map((r) => r.read(cell, lower, ctx)).find((r) => r !== undefined);
    if (!found) {
      errors.push(importError(at(index), `cell ${index + 1}`, `not recognised; expected a cell such as ${cellExamples}`, { expected: cellExamples, value: typed[index] }));
      return;
    }
    const earlier = cellOfKey.get(found.key);
    const append = 'set' in found && found.append;
    if (earlier !== undefined && !append) {
      errors.push(importError(at(index), found.key, `repeats ${found.key} already given in cell ${earlier + 1} (${showValue(typed[earlier])}); expected it once per row`, { value: typed[index] }));
      return;
    }
    if ('problem' in found) {
      errors.push(importError(at(index), found.key, `${found.problem}; expected ${found.expected}`, { expected: found.expected, value: typed[index] }));
      return;
    }
    if (earlier === undefined) cellOfKey.set(found.key, index);
    for (const [path, value] of found.set) {
      const before = path.reduce<unknown>((obj, seg) => (obj as Record<string, unknown> | undefined)?.[seg], input);
      setPath(input, path, append && Array.isArray(before) ? [...before, ...(value as unknown[])] : value);
    }
  });

  if (!cellOfKey.has('users')) {
    errors.push(importError({ line, label: `line ${line}` }, 'users', 'no users cell; expected a cell such as "2000 users" / "2000用户"', { expected: 'a users cell' }));
  }
  const place = defaultPlace[locale];
  const zone = typeof input.timeZone === 'string' ? input.timeZone : undefined;
  const regionCell = cellOfKey.get('region');
  const named = regionCell === undefined ? undefined : regionWords[regionWordOf(cells[regionCell].toLowerCase()).word];
  input.timeZone ??= named?.timeZone ?? place.timeZone;
  input.region ??= zone ? regionOfZone(zone, place.region) : place.region;
  // From the name as normalised, as it always was, so a re-import keeps the ids it gave.
  input.id ??= slugFromName(cells[0]);
  return { line, input, errors, locate };
}

/** The pipe table PMs write, one tenant per line, English or Chinese. */
export function tableRows(text: string, ctx: CellContext): RowDraft[] {
  return text.split(/\r?\n/).flatMap((source, index) => tableRow(source, index + 1, ctx) ?? []);
}
