/**
 * Versioned schema migrations. Each migration runs in one transaction together with its
 * schema_version row, so a crash mid-migration leaves the previous version intact and the
 * next open simply tries again. Append new migrations; never edit one that has shipped.
 */
import type Database from 'better-sqlite3';
import { StoreDataError } from './records';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'tenants, risk profiles, features, plans, notices, reports, risk adjustments, tokens, flags',
    sql: `
      CREATE TABLE tenants (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        region TEXT NOT NULL,
        doc TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX tenants_region ON tenants(region);

      CREATE TABLE risk_profiles (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id TEXT NOT NULL,
        rollout_id TEXT NOT NULL,
        tier TEXT NOT NULL,
        score REAL NOT NULL,
        doc TEXT NOT NULL,
        at TEXT NOT NULL,
        UNIQUE (tenant_id, rollout_id)
      );
      CREATE INDEX risk_profiles_tenant ON risk_profiles(tenant_id, seq);

      CREATE TABLE features (
        key TEXT PRIMARY KEY,
        doc TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE plans (
        rollout_id TEXT PRIMARY KEY,
        doc TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE notices (
        id TEXT PRIMARY KEY,
        rollout_id TEXT NOT NULL,
        wave_id TEXT NOT NULL,
        tenant_id TEXT NOT NULL,
        status TEXT NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX notices_rollout ON notices(rollout_id, wave_id);
      CREATE INDEX notices_tenant ON notices(tenant_id);

      CREATE TABLE reports (
        rollout_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('health', 'retrospective')),
        doc TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (rollout_id, kind)
      );

      CREATE TABLE risk_adjustments (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant_id TEXT NOT NULL,
        rollout_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (tenant_id, rollout_id, reason)
      );
      CREATE INDEX risk_adjustments_tenant ON risk_adjustments(tenant_id);

      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        revoked_at TEXT
      );

      CREATE TABLE flag_state (
        feature_key TEXT NOT NULL,
        tenant_id TEXT NOT NULL,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        rollout_id TEXT NOT NULL,
        actor TEXT NOT NULL,
        reason TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        PRIMARY KEY (feature_key, tenant_id)
      );
      CREATE INDEX flag_state_tenant ON flag_state(tenant_id);

      CREATE TABLE flag_history (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE,
        feature_key TEXT NOT NULL,
        tenant_id TEXT NOT NULL,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        previous INTEGER CHECK (previous IN (0, 1)),
        rollout_id TEXT NOT NULL,
        actor TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
      );
      CREATE INDEX flag_history_feature ON flag_history(feature_key, tenant_id, seq);
    `,
  },
  {
    version: 2,
    name: 'reports also hold wave outcomes (wave:<id>) and audit segments of earlier runs (audit:<n>)',
    // SQLite cannot alter a CHECK constraint: rebuild the table with the wider one.
    sql: `
      CREATE TABLE reports_v2 (
        rollout_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('health', 'retrospective') OR kind GLOB 'wave:?*' OR kind GLOB 'audit:[0-9]*'),
        doc TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (rollout_id, kind)
      );
      INSERT INTO reports_v2 SELECT rollout_id, kind, doc, updated_at FROM reports;
      DROP TABLE reports;
      ALTER TABLE reports_v2 RENAME TO reports;
    `,
  },
];

/** Applies the pending migrations; returns the versions it applied (none on an up-to-date file). */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS, now: () => Date = () => new Date()): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const currentVersion = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_version').pluck();
  const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  const newest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const found = currentVersion.get() as number;
  if (found > newest) {
    throw new StoreDataError(`the database is at schema version ${found} but this Ringmaster only knows versions up to ${newest}; run a newer Ringmaster against it`);
  }
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    // IMMEDIATE takes the write lock before re-reading the version, so an API and a worker
    // opening a fresh file at the same moment cannot both apply the same migration.
    db.transaction(() => {
      if ((currentVersion.get() as number) >= m.version) return;
      db.exec(m.sql);
      record.run(m.version, m.name, now().toISOString());
      applied.push(m.version);
    }).immediate();
  }
  return applied;
}
