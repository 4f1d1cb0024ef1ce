/**
 * One notice, two serialisations: e-mail clients get plain text, review tools and chat get
 * markdown. Building both from one structure keeps them saying the same thing.
 */
export type Inline = string | { strong: string } | { code: string };
export type Line = Inline[];

export type Block =
  | { kind: 'p'; line: Line }
  | { kind: 'h'; text: string }
  | { kind: 'ul'; items: Line[] }
  | { kind: 'ol'; items: Line[] };

function inlineMarkdown(i: Inline): string {
  if (typeof i === 'string') return i;
  return 'strong' in i ? `**${i.strong}**` : `\`${i.code}\``;
}

function inlineText(i: Inline): string {
  if (typeof i === 'string') return i;
  return 'strong' in i ? i.strong : i.code;
}

function serialise(blocks: Block[], inline: (i: Inline) => string, heading: (t: string) => string): string {
  const line = (l: Line) => l.map(inline).join('');
  return blocks.map((b) => {
    switch (b.kind) {
      case 'p': return line(b.line);
      case 'h': return heading(b.text);
      case 'ul': return b.items.map((i) => `- ${line(i)}`).join('\n');
      case 'ol': return b.items.map((i, n) => `${n + 1}. ${line(i)}`).join('\n');
    }
  }).join('\n\n') + '\n';
}

export function toMarkdown(blocks: Block[]): string {
  return serialise(blocks, inlineMarkdown, (t) => `## ${t}`);
}

export function toText(blocks: Block[]): string {
  return serialise(blocks, inlineText, (t) => t);
}
