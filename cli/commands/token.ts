/**
 * `ringmaster token`: API tokens, made directly in the store (the API cannot hand out the first
 * token: every API call needs one). Only the token's hash is stored; it is printed once.
 */
import { storeFromEnv } from '../../activities/store';
import { TokenRole } from '../../activities/store/records';
import type { AppStore } from '../../activities/store/types';
import { parseFlags, UsageError } from '../args';

export const tokenUsage = `Usage: ringmaster token create --name NAME --role admin|pm|approver|sre|viewer
       ringmaster token list
       ringmaster token revoke ID

Creates, lists and revokes API tokens in the store at $RINGMASTER_DB_FILE (default
.data/ringmaster.sqlite). "create" prints the token once on standard output, so
TOKEN=$(ringmaster token create --name alice --role pm) keeps it; the store keeps only its hash.
The name is who the API says acted: it appears in every decision and audit entry.`;

type Io = { stdout: (s: string) => void; stderr: (s: string) => void };

async function withStore<T>(fn: (store: AppStore) => Promise<T>): Promise<T> {
  const store = storeFromEnv(process.env);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function runToken(argv: string[], io: Io): Promise<number> {
  const [action, ...rest] = argv;
  if (!action || action === '--help' || action === '-h') { io.stdout(`${tokenUsage}\n`); return action ? 0 : 2; }
  switch (action) {
    case 'create': {
      const flags = parseFlags(rest, { name: 'value', role: 'value' }, tokenUsage);
      const name = flags.name;
      if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/.test(name)) {
        throw new UsageError('--name is required: letters, digits, dot, dash, underscore or @ (it names the actor in audit trails)', tokenUsage);
      }
      const role = TokenRole.safeParse(flags.role);
      if (!role.success) throw new UsageError(`--role must be one of ${TokenRole.options.join(', ')}${flags.role ? `, not "${String(flags.role)}"` : ''}`, tokenUsage);
      const created = await withStore((store) => store.createToken({ name, role: role.data }));
      io.stderr(`token ${created.id} for ${name} (${role.data}); it is shown only now:\n`);
      io.stdout(`${created.token}\n`);
      return 0;
    }
    case 'list': {
      parseFlags(rest, {}, tokenUsage);
      const tokens = await withStore((store) => store.listTokens());
      if (tokens.length === 0) io.stdout('no tokens; create one with `ringmaster token create --name NAME --role ROLE`\n');
      for (const t of tokens) io.stdout(`${t.id}  ${t.name.padEnd(20)} ${t.role.padEnd(9)} created ${t.createdAt}${t.revokedAt ? `  REVOKED ${t.revokedAt}` : ''}\n`);
      return 0;
    }
    case 'revoke': {
      const [id, ...extra] = rest;
      if (!id || extra.length > 0) throw new UsageError('revoke takes exactly one token id (see `ringmaster token list`)', tokenUsage);
      const revoked = await withStore((store) => store.revokeToken(id));
      if (!revoked) throw new UsageError(`no active token with id ${id}`);
      io.stdout(`revoked ${id}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown token action "${action}"`, tokenUsage);
  }
}
