import type { ImportError, PathSegment } from './errors';

/** A parsed JSON or YAML file that still knows which line every value came from. */
export interface SourceDocument {
  value: unknown;
  /** Line (1-based) of the value at `path`, or of its deepest existing ancestor when the field is missing. */
  lineOf(path: readonly PropertyKey[]): number;
}

export type SourceParse = { ok: true; doc: SourceDocument } | { ok: false; errors: ImportError[] };

/** Offsets where each line starts, so an offset maps to a line by binary search. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export function syntaxError(line: number, format: string, problem: string, endLine = line): ImportError {
  const where = endLine > line ? `line ${line} (to line ${endLine})` : `line ${line}`;
  return { line, field: '(file)', message: `${where}: not valid ${format}: ${problem}`, expected: `well-formed ${format}` };
}

export function isPathSegment(seg: PropertyKey): seg is PathSegment {
  return typeof seg === 'string' || typeof seg === 'number';
}
