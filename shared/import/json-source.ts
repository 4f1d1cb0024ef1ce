import { lineAt, lineStarts, syntaxError, type SourceDocument, type SourceParse } from './source-document';

/**
 * JSON.parse keeps no positions, so this small recursive-descent reader builds the value and
 * remembers where each array element and object field starts; errors name the line.
 */
interface Node {
  offset: number;
  children?: Map<string | number, Node>;
}

class JsonSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

function read(text: string): { value: unknown; root: Node } {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (what: string): never => {
    const found = i >= text.length ? 'the end of the file' : JSON.stringify(text[i]);
    throw new JsonSyntaxError(i, `expected ${what}, found ${found}`);
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail('a closing quote before the end of the line');
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail('a closing quote');
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      throw new JsonSyntaxError(start, 'invalid escape sequence in a string');
    }
  };
  const readValue = (): { value: unknown; node: Node } => {
    ws();
    const node: Node = { offset: i };
    const c = text[i];
    if (c === '{') {
      i++;
      const value: Record<string, unknown> = {};
      node.children = new Map();
      ws();
      if (text[i] === '}') {
        i++;
        return { value, node };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a field name in double quotes');
        const keyOffset = i;
        const key = readString();
        ws();
        if (text[i] !== ':') fail('":" after the field name');
        i++;
        const child = readValue();
        // Defined, not assigned: a "__proto__" field stays a field (which validation rejects).
        Object.defineProperty(value, key, { value: child.value, enumerable: true, writable: true, configurable: true });
        node.children.set(key, { ...child.node, offset: keyOffset });
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return { value, node };
        } else fail('"," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const value: unknown[] = [];
      node.children = new Map();
      ws();
      if (text[i] === ']') {
        i++;
        return { value, node };
      }
      for (;;) {
        const child = readValue();
        node.children.set(value.length, child.node);
        value.push(child.value);
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return { value, node };
        } else fail('"," or "]"');
      }
    }
    if (c === '"') return { value: readString(), node };
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!literal) fail('a value (object, list, text in double quotes, number, true, false or null)');
    i += literal![0].length;
    return { value: JSON.parse(literal![0]), node };
  };
  const { value, node } = readValue();
  ws();
  if (i < text.length) fail('the end of the file after the top-level value');
  return { value, root: node };
}

/**
 * The value comes from JSON.parse, which is several times faster than the reader above and keeps
 * no garbage per value (a 100,000-tenant file: under 1 s and about 240 MB instead of 7 s and
 * 800 MB). Positions are only needed for the lines in error messages, so the reader runs once, the
 * first time a line is asked for; a file JSON.parse rejects is read by it too, for a message that
 * says what was expected where.
 */
export function parseJsonSource(text: string): SourceParse {
  let value: unknown;
  let root: Node | undefined;
  try {
    value = JSON.parse(text);
  } catch {
    try {
      ({ value, root } = read(text));
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      return { ok: false, errors: [syntaxError(lineAt(lineStarts(text), e.offset), 'JSON', e.message)] };
    }
  }
  let starts: number[] | undefined;
  const lineOf = (path: readonly PropertyKey[]): number => {
    root ??= read(text).root;
    starts ??= lineStarts(text);
    let node = root;
    for (const seg of path) {
      const next = node.children?.get(seg as string | number);
      if (!next) break;
      node = next;
    }
    return lineAt(starts, node.offset);
  };
  const doc: SourceDocument = { value, lineOf };
  return { ok: true, doc };
}
