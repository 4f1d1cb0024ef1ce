#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `ringmaster` works from a checkout without a build.
require('tsx/cjs');
const { main } = require('../cli/main.ts');

main(process.argv.slice(2), { now: () => new Date(), stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) })
  .then((code) => { process.exitCode = code; });
