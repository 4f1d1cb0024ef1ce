import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
// Plain CommonJS, which bin/ringmaster.js loads before any compiler.
const { compiledEntry } = require('../../bin/entry') as { compiledEntry: (root: string) => string | undefined };

/** A checkout with these files, each modified at the given minute. */
function checkout(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'ringmaster-entry-'));
  for (const [file, minute] of Object.entries(files)) {
    const p = join(root, file);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, '');
    const at = new Date(Date.UTC(2026, 11, 4, 10, minute));
    utimesSync(p, at, at);
  }
  return root;
}

describe('which CLI bin/ringmaster.js runs', () => {
  it.each([
    ['a checkout without a build runs the sources', { 'cli/main.ts': 0, 'shared/plan/build.ts': 0 }, false],
    ['a build newer than every source runs compiled', { 'cli/main.ts': 0, 'shared/plan/build.ts': 1, 'dist/cli/main.js': 5, 'dist/shared/plan/build.js': 5 }, true],
    ['a source edited after the build, deep in a folder, runs the sources', { 'cli/main.ts': 0, 'shared/plan/build.ts': 9, 'dist/cli/main.js': 5, 'dist/shared/plan/build.js': 5 }, false],
    ['a newer source in a folder the build did not compile does not matter', { 'cli/main.ts': 0, 'test/plan/cli.test.ts': 9, 'dist/cli/main.js': 5 }, true],
    ['a newer file that is not TypeScript does not matter', { 'cli/main.ts': 0, 'shared/README.md': 9, 'dist/cli/main.js': 5, 'dist/shared/x.js': 5 }, true],
  ])('%s', (_why, files, compiled) => {
    const root = checkout(files);
    expect(compiledEntry(root)).toBe(compiled ? join(root, 'dist', 'cli', 'main.js') : undefined);
  });
});
