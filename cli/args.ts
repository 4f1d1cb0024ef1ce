import { readFileSync } from 'node:fs';
/** A bad command line or input file: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string, readonly usage?: string) {
    super(message);
  }
}

/**
 * The API could not be reached, or answered that it (or Temporal behind it) is unavailable: the
 * command and its input may be fine, so try again once it is up. Exit code 3.
 */
export class UnavailableError extends Error {}

export type Flags = Record<string, string | true>;

/** `--name value`, `--name=value` and bare `--flag`; anything else is a usage error. */
export function parseFlags(argv: string[], known: Record<string, 'value' | 'flag'>, usage: string): Flags {
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unexpected argument "${arg}"`, usage);
    const [, name, inline] = m;
    const kind = known[name];
    if (!kind) throw new UsageError(`unknown option --${name}`, usage);
    if (kind === 'flag') { flags[name] = true; continue; }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`, usage);
    flags[name] = value;
  }
  return flags;
}

/** A file the command was pointed at, or a usage error naming what it is and why it cannot be read. */
export function readInput(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
