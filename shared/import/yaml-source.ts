import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { syntaxError, type SourceParse } from './source-document';

function rangeStart(node: unknown): number | undefined {
  return (node as YamlNode | null)?.range?.[0];
}

export function parseYamlSource(text: string): SourceParse {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => syntaxError(lineCounter.linePos(e.pos[0]).line, 'YAML', e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), lineCounter.linePos(e.pos[1]).line)),
    };
  }
  const lineOf = (path: readonly PropertyKey[]): number => {
    let node: unknown = doc.contents;
    let offset = rangeStart(node) ?? 0;
    for (const seg of path) {
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        // A key whose value is empty has no value range; the key still names the line.
        offset = rangeStart(pair.key) ?? offset;
        next = pair.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
        if (next === undefined) break;
      } else break;
      offset = rangeStart(next) ?? offset;
      node = next;
    }
    return lineCounter.linePos(offset).line;
  };
  return { ok: true, doc: { value: doc.toJS({ maxAliasCount: 1000 }), lineOf } };
}
