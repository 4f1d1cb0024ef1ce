import path from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from '../dev-server';

export const demoUsage = `usage: npm run demo [-- options]   (or: npx tsx scripts/demo.ts [options])

  --ci              headless Temporal, no waiting for anyone, exit 0 on success and 1 with the
                    reason on failure (also when CI=true)
  --keep            keep Temporal, the worker, the API and the simulator running after the
                    rollout, for browsing; Ctrl-C stops them
  --state-dir DIR   where the demo keeps its state (reset at every start; default .data/demo)
  --out DIR         where the plan, health report and retrospective go (default <state-dir>/out)
  --help            this text
`;

export interface DemoOptions {
  ci: boolean;
  keep: boolean;
  stateDir: string;
  outDir: string;
}

export class DemoUsageError extends Error {}

export function demoOptions(argv: string[], env: NodeJS.ProcessEnv): DemoOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { ci: { type: 'boolean' }, keep: { type: 'boolean' }, 'state-dir': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (err) {
    throw new DemoUsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const ci = values.ci === true || env.CI === 'true';
  if (ci && values.keep) throw new DemoUsageError('--keep waits for Ctrl-C, which a CI run never sends; use one or the other');
  const stateDir = path.resolve(ROOT, values['state-dir'] ?? '.data/demo');
  return { ci, keep: values.keep === true, stateDir, outDir: path.resolve(ROOT, values.out ?? path.join(stateDir, 'out')) };
}
