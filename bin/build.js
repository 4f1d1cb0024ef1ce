#!/usr/bin/env node
// `npm run build`: compiles the CLI (tsconfig.build.json) into dist/ and, only when the compiler
// succeeds, records the sources as they were before it read them, so bin/ringmaster.js runs the
// build only while the sources are still those (bin/entry.js).
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { clearStamp, snapshot, writeStamp } = require('./entry');

/**
 * Runs compile() (true when it succeeded) between two snapshots of the sources, and records them
 * only when they agree: a source saved while the compiler ran may or may not be in its output.
 */
function build(root, compile) {
  clearStamp(root);
  const before = snapshot(root);
  if (!compile()) return 'failed';
  if (JSON.stringify(snapshot(root)) !== JSON.stringify(before)) return 'changed';
  writeStamp(root, before);
  return 'built';
}

module.exports = { build };

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const tsc = require.resolve('typescript/bin/tsc');
  let status = 1;
  const outcome = build(root, () => {
    const run = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
    status = run.status ?? 1;
    return status === 0;
  });
  if (outcome === 'changed') process.stderr.write('build: sources changed while compiling; ringmaster runs them through tsx until the next build\n');
  process.exitCode = outcome === 'built' ? 0 : status || 1;
}
