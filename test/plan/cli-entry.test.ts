import { mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
// Plain CommonJS, which bin/ringmaster.js loads before any compiler.
const { compiledEntry } = require('../../bin/entry') as { compiledEntry: (root: string) => string | undefined };
const { build } = require('../../bin/build') as { build: (root: string, compile: () => boolean) => 'built' | 'failed' | 'changed' };

const write = (root: string, file: string, text = '') => {
  const p = join(root, file);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
};

/** A checkout with these sources, each with its text. */
function checkout(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ringmaster-entry-'));
  for (const [file, text] of Object.entries(files)) write(root, file, text);
  return root;
}

/** `npm run build` with a compiler that emits a .js file per source folder given and runs `during` while it runs. */
function built(root: string, emits: string[], during: () => void = () => {}, ok = true): void {
  build(root, () => {
    during();
    for (const f of emits) write(root, f, '// compiled');
    return ok;
  });
}

const sources = { 'cli/main.ts': 'main', 'shared/plan/build.ts': 'plan', 'test/plan/cli.test.ts': 'test', 'shared/README.md': 'readme' };
const emits = ['dist/cli/main.js', 'dist/shared/plan/build.js'];
const compiled = (root: string) => join(root, 'dist', 'cli', 'main.js');

describe('which CLI bin/ringmaster.js runs', () => {
  it('runs the sources in a checkout without a build', () => {
    expect(compiledEntry(checkout(sources))).toBeUndefined();
  });

  it('runs the build of the sources there are', () => {
    const root = checkout(sources);
    built(root, emits);
    expect(compiledEntry(root)).toBe(compiled(root));
  });

  it.each([
    ['a source edited after the build, deep in a folder', (root: string) => write(root, 'shared/plan/build.ts', 'plan, edited')],
    ['a source added to a compiled folder', (root: string) => write(root, 'shared/plan/extra.ts', 'extra')],
    ['a source deleted', (root: string) => rmSync(join(root, 'shared/plan/build.ts'))],
    ['a compiler config changed', (root: string) => write(root, 'tsconfig.json', '{"compilerOptions":{"target":"ES2020"}}')],
    // cp -p, rsync -a, tar and clock skew keep or give a time before the build's
    ['a source copied in with a modification time before the build', (root: string) => {
      const p = write(root, 'shared/plan/build.ts', 'plan, edited elsewhere');
      const before = new Date(Date.now() - 3_600_000);
      utimesSync(p, before, before);
    }],
  ])('runs the sources after %s', (_why, change) => {
    const root = checkout(sources);
    built(root, emits);
    change(root);
    expect(compiledEntry(root)).toBeUndefined();
  });

  it('runs the sources when one was edited while the compiler ran (after it had read them)', () => {
    const root = checkout(sources);
    built(root, emits, () => write(root, 'cli/main.ts', 'main, saved during the build'));
    expect(compiledEntry(root)).toBeUndefined();
  });

  it('runs the sources when one was edited while the compiler ran and then changed back', () => {
    // the compiler may have read the edited text: only a build no save overlapped is recorded
    const root = checkout(sources);
    built(root, emits, () => write(root, 'cli/main.ts', 'main, saved during the build'));
    write(root, 'cli/main.ts', 'main');
    expect(compiledEntry(root)).toBeUndefined();
  });

  it('runs the sources when the build failed, even where an earlier build succeeded', () => {
    const root = checkout(sources);
    built(root, emits);
    write(root, 'shared/plan/build.ts', 'plan, edited');
    built(root, emits, () => {}, false);
    expect(compiledEntry(root)).toBeUndefined();
  });

  it('follows a symlinked source folder', () => {
    const root = checkout(sources);
    const elsewhere = checkout({ 'zones.ts': 'zones' });
    symlinkSync(elsewhere, join(root, 'shared', 'linked'));
    built(root, emits);
    expect(compiledEntry(root)).toBe(compiled(root));
    write(elsewhere, 'zones.ts', 'zones, edited');
    expect(compiledEntry(root)).toBeUndefined();
  });

  it.each([
    ['a source in a folder the build did not compile', 'test/plan/cli.test.ts'],
    ['a file that is not TypeScript', 'shared/README.md'],
  ])('still runs the build after a change to %s', (_why, file) => {
    const root = checkout(sources);
    built(root, emits);
    write(root, file, 'edited');
    expect(compiledEntry(root)).toBe(compiled(root));
  });
});

describe('bin/ringmaster.js piped into a reader that stops early', () => {
  it('exits 0 without a stack trace when the pipe closes (`ringmaster plan ... | head`)', async () => {
    const { spawn } = await import('node:child_process');
    const root = join(__dirname, '..', '..');
    const child = spawn(process.execPath, [join(root, 'bin', 'ringmaster.js'), 'plan', '--tenants', 'examples/fleet.yaml', '--feature', 'examples/feature-smart-routing.yaml', '--as-of', '2026-12-04T08:00:00Z'], { cwd: root });
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    // Read the first chunk, then close our end, as head does after its lines.
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(err).not.toMatch(/EPIPE|Unhandled 'error' event/);
    expect(code).toBe(0);
  }, 60_000);
});
