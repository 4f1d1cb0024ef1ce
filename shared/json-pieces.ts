/**
 * `JSON.stringify(value, null, 2)` in pieces: the top-level object's fields, and one piece per
 * element of a field that is a list. Joined, the pieces are that text exactly; written one by one,
 * a 100,000-tenant plan is never one string (its 265 MB of JSON took 460 MB as a string, two bytes
 * a character, and 800 MB more encoded whole for the write).
 */
export function* jsonPieces(value: unknown): Generator<string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    const text = JSON.stringify(value, null, 2);
    if (text !== undefined) yield text;
    return;
  }
  let first = true;
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    const opening = `${first ? '{\n' : ',\n'}  ${JSON.stringify(key)}: `;
    if (Array.isArray(field) && field.length > 0 && typeof (field as { toJSON?: unknown }).toJSON !== 'function') {
      yield `${opening}[\n`;
      // An element JSON has no text for (a function, a symbol, undefined) is null in a list, as JSON.stringify writes it.
      for (let i = 0; i < field.length; i++) yield `    ${indented(JSON.stringify(field[i], null, 2) ?? 'null', '    ')}${i < field.length - 1 ? ',' : ''}\n`;
      yield '  ]';
    } else {
      const text = JSON.stringify(field, null, 2);
      // A field JSON has no text for is left out, as JSON.stringify leaves it.
      if (text === undefined) continue;
      yield `${opening}${indented(text, '  ')}`;
    }
    first = false;
  }
  yield first ? '{}' : '\n}';
}

/** A JSON text one level deeper: JSON strings hold no raw line breaks, so every one starts a line. */
function indented(text: string, by: string): string {
  return text.includes('\n') ? text.replaceAll('\n', `\n${by}`) : text;
}
