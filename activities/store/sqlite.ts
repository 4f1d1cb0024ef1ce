/**
 * The embedded store: one SQLite file (WAL, so the API and the worker can share it), documents
 * as JSON columns checked against the zod schemas on write and on read, and a transaction
 * around every write that touches more than one row.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { Feature } from '../../shared/model/feature';
import { Tenant } from '../../shared/model/tenant';
import { Plan, RiskAdjustment, RiskProfile } from '../../shared/model/plan';
import type { FlagChange, Notice, ReportKind } from '../ports';
import { migrate } from './migrations';
import {
  decodeDocument, decodeFeatureRow, decodeRows, decodeTenantRow, decodeValue, FlagChangeInput, InvalidStoredFeaturesError, InvalidStoredTenantsError, NoticeRecord,
  NoticeStateError, parseInput, TokenRole, type DecodedRow, type InvalidStoredTenant,
} from './records';
import type { AppStore, FlagHistoryEntry, FlagState, NoticeEdit, RiskProfileRecord, StoredFeatures, StoredTenants, TenantFilter, TenantListing, TenantPage, TokenInfo } from './types';

export interface SqliteStoreOptions {
  /** Clock for timestamps the store sets itself (tests pin it). */
  now?: () => Date;
}

interface FlagStateRow { feature_key: string; tenant_id: string; enabled: 0 | 1; rollout_id: string; actor: string; reason: string; changed_at: string }
interface FlagHistoryRow extends Omit<FlagStateRow, 'changed_at'> { idempotency_key: string; previous: 0 | 1 | null; at: string }
interface ProfileRow { tenant_id: string; rollout_id: string; at: string; doc: string }
interface TokenRow { id: string; name: string; role: string; created_at: string; revoked_at: string | null }

const AnyJson = z.unknown();

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function toFlagState(r: FlagStateRow): FlagState {
  return { featureKey: r.feature_key, tenantId: r.tenant_id, enabled: r.enabled === 1, rolloutId: r.rollout_id, actor: r.actor, reason: r.reason, changedAt: r.changed_at };
}

function toHistoryEntry(r: FlagHistoryRow): FlagHistoryEntry {
  return {
    featureKey: r.feature_key, tenantId: r.tenant_id, enabled: r.enabled === 1, rolloutId: r.rollout_id, actor: r.actor, reason: r.reason,
    idempotencyKey: r.idempotency_key, at: r.at, ...(r.previous === null ? {} : { previous: r.previous === 1 }),
  };
}

function toTokenInfo(r: TokenRow): TokenInfo {
  return { id: r.id, name: r.name, role: decodeValue(TokenRole, r.role, { table: 'api_tokens', row: r.id }), createdAt: r.created_at, ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}) };
}

export class SqliteStore implements AppStore {
  private readonly now: () => Date;

  constructor(readonly db: Database.Database, options: SqliteStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** Prepared once per SQL text: preparing is the costly part of a small query. */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  private toProfileRecord(r: ProfileRow): RiskProfileRecord {
    return { rolloutId: r.rollout_id, at: r.at, profile: decodeDocument(RiskProfile, r.doc, { table: 'risk_profiles', row: `${r.tenant_id}/${r.rollout_id}` }) };
  }

  // Tenants and their risk-profile history

  async putTenants(tenants: Tenant[]): Promise<void> {
    const rows = tenants.map((t, i) => parseInput(Tenant, t, `tenant #${i + 1}${typeof t?.id === 'string' ? ` (${t.id})` : ''}`));
    const at = this.stamp();
    const upsert = this.sql(`INSERT INTO tenants (id, name, region, doc, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, region = excluded.region, doc = excluded.doc, updated_at = excluded.updated_at`);
    this.db.transaction(() => {
      for (const t of rows) upsert.run(t.id, t.name, t.region, JSON.stringify(t), at);
    })();
  }

  async getTenants(ids?: string[]): Promise<Tenant[]> {
    const { tenants, invalid } = await this.readTenants(ids);
    if (invalid.length > 0) throw new InvalidStoredTenantsError(invalid);
    return tenants;
  }

  async readTenants(ids?: string[]): Promise<StoredTenants> {
    const rows = (ids === undefined
      ? this.sql('SELECT id, doc FROM tenants ORDER BY id').all()
      : this.sql('SELECT id, doc FROM tenants WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(JSON.stringify(ids))) as { id: string; doc: string }[];
    const { valid, invalid } = decodeRows(rows, (r) => decodeTenantRow(Tenant, r));
    return { tenants: valid, invalid };
  }

  async getStoredTenantDocument(id: string): Promise<unknown> {
    return this.storedDocument(this.sql('SELECT doc FROM tenants WHERE id = ?').pluck().get(id) as string | undefined);
  }

  /** A stored document as it is (parsed JSON, or the text when it is not JSON), to show what to fix. */
  private storedDocument(doc: string | undefined): unknown {
    if (doc === undefined) return undefined;
    try {
      return JSON.parse(doc);
    } catch {
      return doc;
    }
  }

  async deleteTenant(id: string): Promise<boolean> {
    // Flag history and notices stay: they are the audit trail of rollouts that already happened.
    return this.db.transaction(() => {
      this.sql('DELETE FROM risk_profiles WHERE tenant_id = ?').run(id);
      this.sql('DELETE FROM risk_adjustments WHERE tenant_id = ?').run(id);
      return this.sql('DELETE FROM tenants WHERE id = ?').run(id).changes > 0;
    })();
  }

  async listTenants(filter: TenantFilter = {}): Promise<TenantPage> {
    const rows = this.sql(`
      SELECT t.id, t.doc, p.tenant_id, p.rollout_id, p.at, p.doc AS profile
      FROM tenants t
      LEFT JOIN risk_profiles p ON p.seq = (SELECT MAX(seq) FROM risk_profiles r WHERE r.tenant_id = t.id)
      WHERE (@region IS NULL OR t.region = @region)
        AND (@tier IS NULL OR p.tier = @tier)
        AND (@q IS NULL OR instr(lower(t.id), @q) > 0 OR instr(lower(t.name), @q) > 0)
      ORDER BY t.id LIMIT @limit OFFSET @offset`).all({
      region: filter.region ?? null,
      tier: filter.tier ?? null,
      q: filter.q ? filter.q.toLowerCase() : null,
      limit: filter.limit ?? -1,
      offset: filter.offset ?? 0,
    }) as ({ id: string; doc: string } & ({ tenant_id: string; rollout_id: string; at: string; profile: string } | { tenant_id: null }))[];
    const { valid, invalid } = decodeRows(rows, (r): DecodedRow<TenantListing, InvalidStoredTenant> => {
      const decoded = decodeTenantRow(Tenant, r);
      if (!decoded.ok) return decoded;
      return { ok: true, value: {
        tenant: decoded.value,
        ...(r.tenant_id === null ? {} : { latest: this.toProfileRecord({ tenant_id: r.tenant_id, rollout_id: r.rollout_id, at: r.at, doc: r.profile }) }),
      } };
    });
    return { tenants: valid, invalid };
  }

  async putRiskProfiles(rolloutId: string, profiles: RiskProfile[], at: string = this.stamp()): Promise<void> {
    const rows = profiles.map((p, i) => parseInput(RiskProfile, p, `risk profile #${i + 1}${typeof p?.tenantId === 'string' ? ` (${p.tenantId})` : ''}`));
    // Delete-then-insert gives a re-scored profile a new sequence number, so it becomes the latest.
    const drop = this.sql('DELETE FROM risk_profiles WHERE tenant_id = ? AND rollout_id = ?');
    const insert = this.sql('INSERT INTO risk_profiles (tenant_id, rollout_id, tier, score, doc, at) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const p of rows) {
        drop.run(p.tenantId, rolloutId);
        insert.run(p.tenantId, rolloutId, p.tier, p.score, JSON.stringify(p), at);
      }
    })();
  }

  async getRiskProfileHistory(tenantId: string): Promise<RiskProfileRecord[]> {
    const rows = this.sql('SELECT tenant_id, rollout_id, at, doc FROM risk_profiles WHERE tenant_id = ? ORDER BY seq DESC').all(tenantId) as ProfileRow[];
    return rows.map((r) => this.toProfileRecord(r));
  }

  async addRiskAdjustments(adjustments: RiskAdjustment[]): Promise<void> {
    const rows = adjustments.map((a, i) => parseInput(RiskAdjustment, a, `risk adjustment #${i + 1}`));
    // A retried retrospective proposes the same lessons again; it must not count them twice.
    const upsert = this.sql(`INSERT INTO risk_adjustments (tenant_id, rollout_id, reason, doc) VALUES (?, ?, ?, ?)
      ON CONFLICT (tenant_id, rollout_id, reason) DO UPDATE SET doc = excluded.doc`);
    this.db.transaction(() => {
      for (const a of rows) upsert.run(a.tenantId, a.rolloutId, a.reason, JSON.stringify(a));
    })();
  }

  async getRiskAdjustments(tenantIds?: string[]): Promise<RiskAdjustment[]> {
    const rows = (tenantIds === undefined
      ? this.sql('SELECT seq, doc FROM risk_adjustments ORDER BY seq').all()
      : this.sql('SELECT seq, doc FROM risk_adjustments WHERE tenant_id IN (SELECT value FROM json_each(?)) ORDER BY seq').all(JSON.stringify(tenantIds))) as { seq: number; doc: string }[];
    return rows.map((r) => decodeDocument(RiskAdjustment, r.doc, { table: 'risk_adjustments', row: String(r.seq) }));
  }

  // Features, plans, reports

  async putFeature(feature: Feature): Promise<void> {
    const f = parseInput(Feature, feature, `feature${typeof feature?.key === 'string' ? ` '${feature.key}'` : ''}`);
    this.sql(`INSERT INTO features (key, doc, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`).run(f.key, JSON.stringify(f), this.stamp());
  }

  async getFeature(key: string): Promise<Feature | undefined> {
    const { features, invalid } = await this.readFeatures([key]);
    if (invalid.length > 0) throw new InvalidStoredFeaturesError(invalid);
    return features[0];
  }

  async listFeatures(): Promise<Feature[]> {
    const { features, invalid } = await this.readFeatures();
    if (invalid.length > 0) throw new InvalidStoredFeaturesError(invalid);
    return features;
  }

  async readFeatures(keys?: string[]): Promise<StoredFeatures> {
    const rows = (keys === undefined
      ? this.sql('SELECT key, doc FROM features ORDER BY key').all()
      : this.sql('SELECT key, doc FROM features WHERE key IN (SELECT value FROM json_each(?)) ORDER BY key').all(JSON.stringify(keys))) as { key: string; doc: string }[];
    const { valid, invalid } = decodeRows(rows, (r) => decodeFeatureRow(Feature, r));
    return { features: valid, invalid };
  }

  async getStoredFeatureDocument(key: string): Promise<unknown> {
    return this.storedDocument(this.sql('SELECT doc FROM features WHERE key = ?').pluck().get(key) as string | undefined);
  }

  async putPlan(rolloutId: string, plan: Plan): Promise<void> {
    const p = parseInput(Plan, plan, `plan of rollout '${rolloutId}'`);
    this.sql(`INSERT INTO plans (rollout_id, doc, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (rollout_id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`).run(rolloutId, JSON.stringify(p), this.stamp());
  }

  async getPlan(rolloutId: string): Promise<Plan | undefined> {
    const row = this.sql('SELECT doc FROM plans WHERE rollout_id = ?').get(rolloutId) as { doc: string } | undefined;
    return row && decodeDocument(Plan, row.doc, { table: 'plans', row: rolloutId });
  }

  async putReport(rolloutId: string, kind: ReportKind, report: unknown): Promise<void> {
    this.sql(`INSERT INTO reports (rollout_id, kind, doc, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (rollout_id, kind) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`).run(rolloutId, kind, JSON.stringify(report), this.stamp());
  }

  async getReport(rolloutId: string, kind: ReportKind): Promise<unknown | undefined> {
    const row = this.sql('SELECT doc FROM reports WHERE rollout_id = ? AND kind = ?').get(rolloutId, kind) as { doc: string } | undefined;
    return row && decodeDocument(AnyJson, row.doc, { table: 'reports', row: `${rolloutId}/${kind}` });
  }

  // Notices and their review

  async putNotice(notice: Notice): Promise<void> {
    const n = parseInput(NoticeRecord, notice, `notice '${notice?.id}'`);
    this.db.transaction(() => {
      const existing = this.sql('SELECT status FROM notices WHERE id = ?').pluck().get(n.id) as string | undefined;
      // A regenerated notice (retried activity, restarted worker) never overwrites one a person
      // already approved or that went out.
      if (existing === 'approved' || existing === 'sent') return;
      this.writeNotice(n);
    })();
  }

  private writeNotice(n: NoticeRecord): void {
    this.sql(`INSERT INTO notices (id, rollout_id, wave_id, tenant_id, status, doc) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET rollout_id = excluded.rollout_id, wave_id = excluded.wave_id, tenant_id = excluded.tenant_id,
        status = excluded.status, doc = excluded.doc`).run(n.id, n.rolloutId, n.waveId, n.tenantId, n.status, JSON.stringify(n));
  }

  async getNotice(id: string): Promise<NoticeRecord | undefined> {
    const row = this.sql('SELECT doc FROM notices WHERE id = ?').get(id) as { doc: string } | undefined;
    return row && decodeDocument(NoticeRecord, row.doc, { table: 'notices', row: id });
  }

  async listNotices(filter: { rolloutId?: string; tenantId?: string; waveId?: string } = {}): Promise<NoticeRecord[]> {
    const rows = this.sql(`SELECT id, doc FROM notices
      WHERE (@rolloutId IS NULL OR rollout_id = @rolloutId) AND (@tenantId IS NULL OR tenant_id = @tenantId) AND (@waveId IS NULL OR wave_id = @waveId)
      ORDER BY rollout_id, wave_id, tenant_id, id`).all({ rolloutId: filter.rolloutId ?? null, tenantId: filter.tenantId ?? null, waveId: filter.waveId ?? null }) as { id: string; doc: string }[];
    return rows.map((r) => decodeDocument(NoticeRecord, r.doc, { table: 'notices', row: r.id }));
  }

  /** Reads, changes and writes one notice in one transaction; undefined when it does not exist. */
  private reviseNotice(id: string, revise: (n: NoticeRecord) => NoticeRecord): NoticeRecord | undefined {
    return this.db.transaction(() => {
      const row = this.sql('SELECT doc FROM notices WHERE id = ?').get(id) as { doc: string } | undefined;
      if (!row) return undefined;
      const next = parseInput(NoticeRecord, revise(decodeDocument(NoticeRecord, row.doc, { table: 'notices', row: id })), `notice '${id}'`);
      this.writeNotice(next);
      return next;
    })();
  }

  async editNotice(id: string, edit: NoticeEdit): Promise<NoticeRecord | undefined> {
    const at = this.stamp();
    return this.reviseNotice(id, (n) => {
      if (n.status === 'sent') throw new NoticeStateError(`notice '${id}' was already sent on ${n.sentAt}; it can no longer be edited`);
      const { approvedBy: _by, approvedAt: _at, ...rest } = n;
      return {
        ...rest,
        subject: edit.subject ?? n.subject,
        markdown: edit.markdown ?? n.markdown,
        text: edit.text ?? n.text,
        status: 'draft',
        editedBy: edit.by,
        editedAt: at,
        updatedAt: at,
      };
    });
  }

  async approveNotice(id: string, approval: { by: string; at?: string }): Promise<NoticeRecord | undefined> {
    const at = approval.at ?? this.stamp();
    return this.reviseNotice(id, (n) => {
      if (n.status === 'sent') throw new NoticeStateError(`notice '${id}' was already sent on ${n.sentAt}; there is nothing left to approve`);
      return { ...n, status: 'approved', approvedBy: approval.by, approvedAt: at, updatedAt: at };
    });
  }

  async markNoticeSent(id: string, sent: { at?: string; via?: string }): Promise<NoticeRecord | undefined> {
    const at = sent.at ?? this.stamp();
    return this.reviseNotice(id, (n) => (n.status === 'sent' ? n : {
      ...n, status: 'sent', sentAt: at, ...(sent.via ? { sentVia: sent.via } : {}), updatedAt: at,
    }));
  }

  // API tokens

  async createToken(input: { name: string; role: TokenRole }): Promise<{ token: string; id: string }> {
    const { name, role } = parseInput(z.strictObject({ name: z.string().trim().min(1), role: TokenRole }), input, 'token');
    const token = `rm_${randomBytes(32).toString('base64url')}`;
    const id = `tok_${randomBytes(6).toString('hex')}`;
    this.sql('INSERT INTO api_tokens (id, name, role, sha256, created_at) VALUES (?, ?, ?, ?, ?)').run(id, name, role, sha256(token), this.stamp());
    return { token, id };
  }

  async verifyToken(token: string): Promise<{ id: string; name: string; role: TokenRole } | undefined> {
    const row = this.sql('SELECT id, name, role, created_at, revoked_at FROM api_tokens WHERE sha256 = ? AND revoked_at IS NULL').get(sha256(token)) as TokenRow | undefined;
    if (!row) return undefined;
    const { id, name, role } = toTokenInfo(row);
    return { id, name, role };
  }

  async listTokens(): Promise<TokenInfo[]> {
    const rows = this.sql('SELECT id, name, role, created_at, revoked_at FROM api_tokens ORDER BY created_at, id').all() as TokenRow[];
    return rows.map(toTokenInfo);
  }

  async revokeToken(id: string): Promise<boolean> {
    return this.sql('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(this.stamp(), id).changes > 0;
  }

  // Flag state and history

  async applyFlagChange(change: FlagChange): Promise<{ applied: boolean }> {
    const c = parseInput(FlagChangeInput, change, 'flag change');
    const at = this.stamp();
    return this.db.transaction(() => {
      if (this.sql('SELECT 1 FROM flag_history WHERE idempotency_key = ?').get(c.idempotencyKey) !== undefined) return { applied: false };
      const previous = this.sql('SELECT enabled FROM flag_state WHERE feature_key = ? AND tenant_id = ?').pluck().get(c.featureKey, c.tenantId) as 0 | 1 | undefined;
      const enabled = c.enabled ? 1 : 0;
      this.sql(`INSERT INTO flag_history (idempotency_key, feature_key, tenant_id, enabled, previous, rollout_id, actor, reason, at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(c.idempotencyKey, c.featureKey, c.tenantId, enabled, previous ?? null, c.rolloutId, c.actor, c.reason, at);
      this.sql(`INSERT INTO flag_state (feature_key, tenant_id, enabled, rollout_id, actor, reason, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (feature_key, tenant_id) DO UPDATE SET enabled = excluded.enabled, rollout_id = excluded.rollout_id, actor = excluded.actor,
          reason = excluded.reason, changed_at = excluded.changed_at`).run(c.featureKey, c.tenantId, enabled, c.rolloutId, c.actor, c.reason, at);
      return { applied: true };
    }).immediate();
  }

  async hasFlagChange(idempotencyKey: string): Promise<boolean> {
    return this.sql('SELECT 1 FROM flag_history WHERE idempotency_key = ?').get(idempotencyKey) !== undefined;
  }

  async getFlagState(featureKey: string, tenantId: string): Promise<FlagState | undefined> {
    const row = this.sql('SELECT * FROM flag_state WHERE feature_key = ? AND tenant_id = ?').get(featureKey, tenantId) as FlagStateRow | undefined;
    return row && toFlagState(row);
  }

  async listFlagStates(tenantId: string): Promise<FlagState[]> {
    const rows = this.sql('SELECT * FROM flag_state WHERE tenant_id = ? ORDER BY feature_key').all(tenantId) as FlagStateRow[];
    return rows.map(toFlagState);
  }

  async flagHistory(featureKey: string, tenantId?: string): Promise<FlagHistoryEntry[]> {
    const rows = this.sql(`SELECT * FROM flag_history WHERE feature_key = @featureKey AND (@tenantId IS NULL OR tenant_id = @tenantId) ORDER BY seq`)
      .all({ featureKey, tenantId: tenantId ?? null }) as FlagHistoryRow[];
    return rows.map(toHistoryEntry);
  }

  async knownFlagKeys(): Promise<string[]> {
    return this.sql('SELECT key FROM features UNION SELECT DISTINCT feature_key FROM flag_state ORDER BY 1').pluck().all() as string[];
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** Opens (creating if needed) the store in `file`, or an in-memory one for ':memory:', and migrates it. */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // The API and the worker write the same file; wait for the other's lock instead of failing.
  db.pragma('busy_timeout = 5000');
  migrate(db, undefined, options.now);
  return new SqliteStore(db, options);
}
