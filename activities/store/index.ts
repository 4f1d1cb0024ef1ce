/**
 * Opens the app store the environment points at. Only SQLite exists today; a PostgreSQL store
 * would be chosen here, behind the same AppStore interface.
 */
import { openSqliteStore } from './sqlite';
import type { AppStore } from './types';

export const DEFAULT_DB_FILE = '.data/ringmaster.sqlite';

export function storeFromEnv(env: NodeJS.ProcessEnv): AppStore {
  return openSqliteStore(env.RINGMASTER_DB_FILE || DEFAULT_DB_FILE);
}
