import type { z } from 'zod';

/** One problem in an imported file, precise enough to fix it without reading code. */
export interface ImportError {
  line: number;
  /** CSV column name or table cell ("cell 3"), when the format has columns. */
  column?: string;
  /** Path of the offending field in the record, e.g. `integrations[1].kind`; `(file)` for whole-file problems. */
  field: string;
  /** Full sentence: where, what was found, what was expected. */
  message: string;
  expected?: string;
  value?: string;
}

export type PathSegment = string | number;

/** Where a field lives in the source, and how to name that place in a message. */
export interface Location {
  line: number;
  column?: string;
  /** e.g. `line 7, cell 3 ("4 integrations (CRM, SSO)")` or `line 12, integrations[1].kind`. */
  label: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, seg) => (typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${String(seg)}` : String(seg)), '');
}

export function showValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function importError(where: Location, field: string, problem: string, extra: { expected?: string; value?: string } = {}): ImportError {
  return { line: where.line, ...(where.column ? { column: where.column } : {}), field, message: `${where.label}: ${problem}`, ...extra };
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = root;
  for (const seg of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[seg];
  }
  return at;
}

const typeWords: Record<string, string> = {
  number: 'a number', string: 'text', boolean: 'true or false', array: 'a list', object: 'an object (key: value fields)', int: 'a whole number',
};

/** What the schema wanted, in words ("one of: standard, gold, platinum, or an object (key: value fields)"). */
export function expectationOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return typeWords[issue.expected] ?? issue.expected;
    case 'invalid_value':
      return `one of: ${issue.values.map(String).join(', ')}`;
    case 'invalid_union':
      return issue.errors.map((branch) => (branch[0] ? expectationOf(branch[0]) : 'another shape')).join(', or ');
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'non-empty text' : `text of at least ${issue.minimum} characters`;
      if (issue.origin === 'array') return issue.message && !issue.message.startsWith('Too small') ? issue.message : `at least ${issue.minimum} item(s)`;
      return issue.inclusive === false ? `a number above ${issue.minimum}` : `a number of at least ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'array') return `at most ${issue.maximum} item(s)`;
      return issue.inclusive === false ? `a number below ${issue.maximum}` : `a number of at most ${issue.maximum}`;
    case 'invalid_format':
      if (issue.format === 'email') return 'an e-mail address such as jane@example.com';
      return issue.message.startsWith('Invalid') ? `text in ${issue.format} format` : issue.message;
    case 'unrecognized_keys':
      return 'only the documented fields (names are case-sensitive)';
    default:
      return issue.message.replace(/^expected /, '');
  }
}

/**
 * Turns zod issues on one record into import errors. `locate` maps a field path (relative to the
 * record) to its place in the source file.
 */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[], record: unknown, locate: (path: readonly PropertyKey[]) => Location): ImportError[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const path = [...issue.path, key];
        return importError(locate(path), formatPath(path), `unknown field "${key}"; expected ${expectationOf(issue)}`, { expected: expectationOf(issue) });
      });
    }
    const value = valueAt(record, issue.path);
    const expected = expectationOf(issue);
    // YAML reads `version: 52.0` as the number 52; say how to keep it text.
    const hint = issue.code === 'invalid_type' && issue.expected === 'string' && typeof value === 'number' ? ' (put it in quotes so it stays text)' : '';
    // A rule's own sentence ("factor weights must sum to 100 (these sum to 125)") says what is
    // wrong by itself: "expected factor weights must sum ..., got {...}" would garble it.
    const ownSentence = issue.code === 'custom' && /\bmust\b/.test(issue.message);
    const problem = value === undefined ? `required field is missing; expected ${expected}`
      : ownSentence ? issue.message : `expected ${expected}, got ${showValue(value)}${hint}`;
    return [importError(locate(issue.path), formatPath(issue.path), problem, { expected, ...(value === undefined ? {} : { value: showValue(value) }) })];
  });
}
