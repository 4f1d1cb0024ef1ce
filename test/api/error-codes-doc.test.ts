import fs from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('docs/API.md error table', () => {
  it('lists every status and error code the API answers with', () => {
    const thrown = new Set<string>();
    for (const file of sources(path.join(root, 'api'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/new ApiError\((\d{3}), '([a-z-]+)'/g)) thrown.add(`${m[1]} ${m[2]}`);
    }
    const md = fs.readFileSync(path.join(root, 'docs', 'API.md'), 'utf8');
    const documented = new Set<string>();
    for (const row of md.matchAll(/^\| (\d{3}) \| (.+?) \|/gm)) {
      for (const code of row[2].matchAll(/`([a-z-]+)`/g)) documented.add(`${row[1]} ${code[1]}`);
    }
    expect(thrown.size).toBeGreaterThan(10);
    expect([...thrown].filter((c) => !documented.has(c)).sort()).toEqual([]);
  });
});
