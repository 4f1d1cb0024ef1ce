import { runPlan, planUsage } from './commands/plan';
import { runRollout, rolloutUsage } from './commands/rollout';
import { runToken, tokenUsage } from './commands/token';
import { UnavailableError, UsageError } from './args';

type Io = { now: () => Date; stdout: (s: string) => void; stderr: (s: string) => void };
type Command = { run: (argv: string[], io: Io) => number | Promise<number>; usage: string; summary: string };

/** Subcommands by name; add one here with its own file under cli/commands/. */
export const commands: Record<string, Command> = {
  plan: { run: runPlan, usage: planUsage, summary: 'score tenants and print the rollout plan for a feature' },
  rollout: { run: runRollout, usage: rolloutUsage, summary: 'start, follow, approve and control rollouts over the API' },
  token: { run: runToken, usage: tokenUsage, summary: 'create, list and revoke API tokens (in the store)' },
};

export function mainUsage(): string {
  return ['Usage: ringmaster <command> [options]', '', 'Commands:', ...Object.entries(commands).map(([n, c]) => `  ${n.padEnd(10)} ${c.summary}`),
    '', 'Run `ringmaster <command> --help` for its options.', '', EXIT_CODES].join('\n');
}

/** Exit codes, as README ("REST API and CLI") documents them. */
export const EXIT_CODES = 'Exit codes: 0 done; 1 unexpected failure (a bug: please report it); 2 bad arguments or input files, or a\nrequest the API refused; 3 the API could not be reached or is unavailable (check RINGMASTER_API_URL and that\nthe API, and Temporal behind it, are running).';

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') { io.stdout(`${mainUsage()}\n`); return name ? 0 : 2; }
  const command = commands[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`, mainUsage());
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`ringmaster: ${e.message}\n${e.usage ? `\n${e.usage}\n` : ''}`);
      return 2;
    }
    if (e instanceof UnavailableError) {
      io.stderr(`ringmaster: ${e.message}\n`);
      return 3;
    }
    io.stderr(`ringmaster: unexpected failure: ${(e as Error).message}\n`);
    return 1;
  }
}

/**
 * `ringmaster plan ... | head` closes the pipe before the plan is written: that is the reader
 * being done, not a failure to print a stack trace for (EPIPE on an unhandled 'error' event).
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(0);
  });
}

if (require.main === module) {
  exitQuietlyOnClosedPipe();
  main(process.argv.slice(2), { now: () => new Date(), stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) })
    .then((code) => { process.exitCode = code; });
}
