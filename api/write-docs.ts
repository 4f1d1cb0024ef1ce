/**
 * Writes the generated route table and role matrix into docs/API.md (between the markers), so
 * the reference is regenerated from the code instead of kept in step by hand:
 * `npx tsx api/write-docs.ts`. A test fails when docs/API.md is stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderRouteTable } from './openapi';
import { routes } from './routes';

const BEGIN = '<!-- generated:routes:begin (npx tsx api/write-docs.ts) -->';
const END = '<!-- generated:routes:end -->';

export function spliceRouteTable(markdown: string): string {
  const start = markdown.indexOf(BEGIN);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/API.md lacks the markers ${BEGIN} … ${END}`);
  return `${markdown.slice(0, start + BEGIN.length)}\n${renderRouteTable(routes)}\n${markdown.slice(end)}`;
}

if (require.main === module) {
  const file = path.join(__dirname, '..', 'docs', 'API.md');
  fs.writeFileSync(file, spliceRouteTable(fs.readFileSync(file, 'utf8')));
  console.log(`updated ${file}`);
}
