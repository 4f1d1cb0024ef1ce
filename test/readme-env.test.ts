/**
 * Every RINGMASTER_* variable the code reads is in the README, by its full name or as a suffix
 * (`_TIMEOUT_MS`) on a line naming its prefix, as the environment table abbreviates them.
 */
import fs from 'node:fs';
import path from 'node:path';

const readme = fs.readFileSync('README.md', 'utf8').split('\n');
const sources = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
  const p = path.join(dir, e.name);
  return e.isDirectory() ? sources(p) : /\.(ts|js)$/.test(e.name) ? [p] : [];
});
const read = new Set(['activities', 'api', 'workers', 'cli', 'simulator', 'scripts', 'shared', 'bin']
  .flatMap((d) => sources(d))
  .flatMap((f) => fs.readFileSync(f, 'utf8').match(/RINGMASTER_[A-Z0-9_]+/g) ?? []));

function documented(name: string): boolean {
  if (readme.some((l) => l.includes(name))) return true;
  const parts = name.split('_');
  for (let k = 2; k < parts.length; k++) {
    const prefix = parts.slice(0, k).join('_');
    const suffix = `\`_${parts.slice(k).join('_')}\``;
    if (readme.some((l) => l.includes(prefix) && l.includes(suffix))) return true;
  }
  return false;
}

test.each([...read].sort())('%s is documented in the README', (name) => {
  expect(documented(name)).toBe(true);
});
