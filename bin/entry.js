// Which CLI entry point bin/ringmaster.js runs. Plain CommonJS, so it loads before any compiler.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

/** What `npm run build` (bin/build.js) leaves in dist/ once the compiler succeeded. */
const STAMP = '.sources.json';
/** Files outside the source folders that change what the compiler makes of them. */
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'];

/** Adds the TypeScript files under dir (following symlinks), in name order, path and content. */
function hashTree(hash, root, dir) {
  let entries;
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) { try { isDir = fs.statSync(p).isDirectory(); } catch { continue; } }
    if (isDir) hashTree(hash, root, p);
    else if (e.name.endsWith('.ts')) hash.update(`${path.relative(root, p)}\0`).update(fs.readFileSync(p)).update('\0');
  }
}

function digest(root, folder) {
  const hash = crypto.createHash('sha256');
  hashTree(hash, root, path.join(root, folder));
  return hash.digest('hex');
}

/** The TypeScript files directly in the root, and the compiler configs. */
function rootDigest(root) {
  const hash = crypto.createHash('sha256');
  let names = [];
  try { names = fs.readdirSync(root).filter((n) => n.endsWith('.ts')).sort(); } catch { /* no root */ }
  for (const n of [...names, ...CONFIGS]) {
    let text = '';
    try { text = fs.readFileSync(path.join(root, n)); } catch { /* absent */ }
    hash.update(`${n}\0`).update(text).update('\0');
  }
  return hash.digest('hex');
}

/**
 * The sources as they are now: a digest of the content of every TypeScript file per top-level
 * folder (so an added, deleted or changed file shows, whatever its modification time), and of
 * those in the root with the compiler configs. Taken before the compiler reads them.
 */
function snapshot(root) {
  const folders = {};
  for (const e of fs.readdirSync(root, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'dist') continue;
    let isDir = e.isDirectory();
    if (e.isSymbolicLink()) { try { isDir = fs.statSync(path.join(root, e.name)).isDirectory(); } catch { continue; } }
    if (isDir) folders[e.name] = digest(root, e.name);
  }
  return { root: rootDigest(root), folders };
}

/**
 * Records, once the compiler succeeded, the sources it compiled as they were before it started
 * (`before`, from snapshot): the folders with a counterpart in dist/ (tsconfig.build.json's and
 * what those import).
 */
function writeStamp(root, before) {
  const dist = path.join(root, 'dist');
  const folders = {};
  for (const e of fs.readdirSync(dist, { withFileTypes: true })) if (e.isDirectory() && e.name in before.folders) folders[e.name] = before.folders[e.name];
  fs.writeFileSync(path.join(dist, STAMP), `${JSON.stringify({ root: before.root, folders }, null, 2)}\n`);
}

/** Drops the record of the last build: one that fails or stops half way leaves none. */
function clearStamp(root) {
  fs.rmSync(path.join(root, 'dist', STAMP), { force: true });
}

/**
 * dist/cli/main.js when `npm run build` compiled exactly the sources there are now, else undefined:
 * a checkout without a build, with a build that failed or stopped, or one edited, pulled or
 * copied into since (even during the build, or with older modification times), runs its
 * sources instead, so the CLI never runs stale code.
 */
function compiledEntry(root) {
  const built = path.join(root, 'dist', 'cli', 'main.js');
  let stamp;
  try { stamp = JSON.parse(fs.readFileSync(path.join(root, 'dist', STAMP), 'utf8')); } catch { return undefined; }
  if (!fs.existsSync(built) || !stamp || typeof stamp.folders !== 'object' || !('cli' in stamp.folders)) return undefined;
  if (stamp.root !== rootDigest(root)) return undefined;
  for (const [folder, hash] of Object.entries(stamp.folders)) if (digest(root, folder) !== hash) return undefined;
  return built;
}

module.exports = { compiledEntry, snapshot, writeStamp, clearStamp };
