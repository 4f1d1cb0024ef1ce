// Which CLI entry point bin/ringmaster.js runs. Plain CommonJS, so it loads before any compiler.
const fs = require('node:fs');
const path = require('node:path');

function newestSource(dir) {
  let newest = 0;
  let entries;
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return 0; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * dist/cli/main.js when `npm run build` made it after the last change to any source, else
 * undefined: a checkout without a build, or one edited or pulled since, runs its sources instead,
 * so the CLI never runs stale code.
 */
function compiledEntry(root) {
  const built = path.join(root, 'dist', 'cli', 'main.js');
  let builtAt;
  try { builtAt = fs.statSync(built).mtimeMs; } catch { return undefined; }
  // The build holds a folder per source folder it compiled (tsconfig.build.json and what those import).
  for (const dir of fs.readdirSync(path.join(root, 'dist'))) if (newestSource(path.join(root, dir)) > builtAt) return undefined;
  return built;
}

module.exports = { compiledEntry };
