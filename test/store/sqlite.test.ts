import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Tenant } from '../../shared/model/tenant';
import type { Plan } from '../../shared/model/plan';
import { migrate, MIGRATIONS } from '../../activities/store/migrations';
import { InvalidStoredFeaturesError, InvalidStoredTenantsError, NoticeStateError, StoreDataError, StoreInputError } from '../../activities/store/records';
import { openSqliteStore, type SqliteStore } from '../../activities/store/sqlite';
import { PREVIEW } from '../../activities/store/types';
import { fabrikam, lotus, northwind, notice, profile, smartExport } from './fixtures';

const plan: Plan = {
  feature: { key: 'smart-export', name: 'Smart export', risk: 'medium', reversible: true },
  asOf: '2026-12-01T00:00:00.000Z',
  profiles: [profile('northwind-health', 'Northwind Health', 71, 'high')],
  holds: [], waves: [], conflicts: [], coverage: [],
  noticeLeadSeconds: 86400, healthWindowSeconds: 172800, decisionTimeoutSeconds: 3600,
  timeline: { start: '2026-12-02T00:00:00.000Z', end: '2026-12-20T00:00:00.000Z', totalSeconds: 1555200, sequentialSeconds: 1555200 },
  warnings: [],
};

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ringmaster-store-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite store: durability and migrations', () => {
  it('keeps tenants, features, plans, notices, tokens and flags across a reopen', async () => {
    const file = join(dir, 'nested', 'ringmaster.sqlite');
    const first = openSqliteStore(file);
    await first.putTenants([northwind, lotus]);
    await first.putFeature(smartExport);
    await first.putPlan('r-smart-export-1', plan);
    await first.putNotice(notice('n-1', 'lotus-retail'));
    await first.putReport('r-smart-export-1', 'health', { tenants: 2, outliers: ['lotus-retail'] });
    const { token } = await first.createToken({ name: 'ci', role: 'pm' });
    await first.applyFlagChange({ featureKey: 'smart-export', tenantId: 'lotus-retail', enabled: true, rolloutId: 'r-smart-export-1', actor: 'rollout:r-smart-export-1', reason: 'wave w2 go', idempotencyKey: 'r-smart-export-1:lotus-retail:enable' });
    await first.close();

    const second = openSqliteStore(file);
    expect((await second.getTenants()).map((t) => t.name)).toEqual(['Lotus Retail 莲花', 'Northwind Health']);
    expect(await second.getFeature('smart-export')).toEqual(smartExport);
    expect(await second.getPlan('r-smart-export-1')).toEqual(plan);
    expect((await second.getNotice('n-1'))?.tenantId).toBe('lotus-retail');
    expect(await second.getReport('r-smart-export-1', 'health')).toEqual({ tenants: 2, outliers: ['lotus-retail'] });
    expect((await second.verifyToken(token))?.role).toBe('pm');
    expect((await second.getFlagState('smart-export', 'lotus-retail'))?.enabled).toBe(true);
    await second.close();
  });

  it('applies each migration once and leaves a reopened file alone', async () => {
    const file = join(dir, 'ringmaster.sqlite');
    const clock = (iso: string) => () => new Date(iso);
    await openSqliteStore(file, { now: clock('2026-12-01T08:00:00Z') }).close();
    await openSqliteStore(file, { now: clock('2026-12-05T08:00:00Z') }).close();

    const db = new Database(file);
    const versions = db.prepare('SELECT version, applied_at FROM schema_version ORDER BY version').all();
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version, applied_at: '2026-12-01T08:00:00.000Z' })));
    expect(migrate(db)).toEqual([]);
    db.close();
  });

  it('rolls a failing migration back completely, so the next open can try again', () => {
    const db = new Database(':memory:');
    const broken = [...MIGRATIONS, { version: 99, name: 'half-done', sql: 'CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);' }];
    expect(() => migrate(db, broken)).toThrow(/no such table/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    expect(db.prepare('SELECT MAX(version) FROM schema_version').pluck().get()).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    db.close();
  });

  it('refuses a file written by a newer schema with a plain explanation', () => {
    const file = join(dir, 'future.sqlite');
    const writer = openSqliteStore(file);
    writer.db.prepare("INSERT INTO schema_version VALUES (1000, 'from the future', '2030-01-01')").run();
    writer.db.close();
    expect(() => openSqliteStore(file)).toThrow(`the database is at schema version 1000 but this Ringmaster only knows versions up to ${MIGRATIONS.length}`);
  });
});

describe('SQLite store: documents are checked on read and write', () => {
  let store: SqliteStore;
  beforeEach(async () => { store = openSqliteStore(':memory:'); await store.putTenants([northwind, fabrikam]); });
  afterEach(() => store.close());

  it.each([
    ['broken JSON', '{"id": "fabrikam", "name": ', /stored tenant fabrikam no longer validates: \(root\): the stored document is not valid JSON/],
    ['a field of the wrong type', JSON.stringify({ ...fabrikam, health: 'fine' }), /stored tenant fabrikam no longer validates: health: /],
    ['a nested field out of range', JSON.stringify({ ...fabrikam, baseline: { errorRate: 3, requestsPerMinute: 10 } }), /stored tenant fabrikam no longer validates: baseline\.errorRate: .*PATCH \/api\/v1\/tenants\/fabrikam with a corrected `baseline`/],
  ])('names the tenant, field and fix for %s', async (_case, doc, message) => {
    store.db.prepare('UPDATE tenants SET doc = ? WHERE id = ?').run(doc, 'fabrikam');
    await expect(store.getTenants()).rejects.toThrow(StoreDataError);
    await expect(store.getTenants(['fabrikam'])).rejects.toThrow(message);
    expect((await store.getTenants(['northwind-health']))[0].name).toBe('Northwind Health');
  });

  it('reports tenants saved before a stricter check, in a store file, by id, field path, problem and fix', async () => {
    const file = join(dir, 'old.sqlite');
    const writer = openSqliteStore(file);
    await writer.putTenants([northwind, fabrikam, lotus]);
    // As an older Ringmaster wrote them: an impossible renewal date, a freeze window that ends before it starts.
    writer.db.prepare('UPDATE tenants SET doc = ? WHERE id = ?').run(JSON.stringify({ ...fabrikam, contract: { renewalDate: '2026-02-30' } }), 'fabrikam');
    writer.db.prepare('UPDATE tenants SET doc = ? WHERE id = ?').run(JSON.stringify({ ...lotus, freezeWindows: [{ start: '2027-01-05', end: '2026-12-20', reason: 'year-end close' }] }), 'lotus-retail');
    await writer.close();

    const reader = openSqliteStore(file);
    const fabrikamProblem = {
      id: 'fabrikam',
      issues: [{ path: 'contract.renewalDate', message: 'expected a real calendar date (that month has fewer days)' }],
      fix: 're-import tenant fabrikam with corrected data (POST /api/v1/tenants/import), or PATCH /api/v1/tenants/fabrikam with a corrected `contract`; DELETE /api/v1/tenants/fabrikam removes it',
    };
    const lotusProblem = {
      id: 'lotus-retail',
      issues: [{ path: 'freezeWindows[0].end', message: 'expected a freeze window that ends after it starts (start/end swapped?)' }],
      fix: expect.stringContaining('PATCH /api/v1/tenants/lotus-retail with a corrected `freezeWindows`'),
    };
    // Readable: the good tenants, and every bad one with what is wrong.
    expect(await reader.readTenants()).toEqual({ tenants: [northwind], invalid: [fabrikamProblem, lotusProblem] });
    const page = await reader.listTenants();
    expect(page.tenants.map((l) => l.tenant.id)).toEqual(['northwind-health']);
    expect(page.invalid.map((t) => t.id)).toEqual(['fabrikam', 'lotus-retail']);
    // Strict: one error that names every bad tenant, so a plan never silently leaves one out.
    const failure = await reader.getTenants().then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(InvalidStoredTenantsError);
    expect(failure).toBeInstanceOf(StoreDataError);
    expect((failure as InvalidStoredTenantsError).invalid).toEqual([fabrikamProblem, lotusProblem]);
    expect((failure as Error).message).toBe(
      'stored tenant fabrikam no longer validates: contract.renewalDate: expected a real calendar date (that month has fewer days) (and 1 more tenant); '
      + fabrikamProblem.fix,
    );
    expect(await reader.getTenants(['northwind-health'])).toEqual([northwind]);
    expect(await reader.getStoredTenantDocument('fabrikam')).toMatchObject({ contract: { renewalDate: '2026-02-30' } });
    expect(await reader.getStoredTenantDocument('nobody')).toBeUndefined();

    // Re-importing the tenant repairs it.
    await reader.putTenants([fabrikam]);
    expect((await reader.readTenants()).invalid.map((t) => t.id)).toEqual(['lotus-retail']);
    await reader.close();
  });

  it('rejects an invalid tenant before writing anything, naming its position and field', async () => {
    const bad = { ...lotus, id: 'Lotus Retail' } as Tenant;
    await expect(store.putTenants([lotus, bad])).rejects.toThrow(StoreInputError);
    await expect(store.putTenants([lotus, bad])).rejects.toThrow(/tenant #2 \(Lotus Retail\) is invalid: id: lower-case letters/);
    expect((await store.getTenants()).map((t) => t.id)).toEqual(['fabrikam', 'northwind-health']);
  });

  it('writes 10,000 tenants in one transaction: a failure on the last row leaves none of them', async () => {
    const fleet = Array.from({ length: 10_000 }, (_, i) => Tenant.parse({ id: `tenant-${String(i).padStart(5, '0')}`, name: `Tenant ${i}`, users: 50 + i }));
    const fresh = openSqliteStore(':memory:');
    fresh.db.exec("CREATE TRIGGER refuse_last BEFORE INSERT ON tenants WHEN NEW.id = 'tenant-09999' BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END");
    // Read the message rather than use rejects.toThrow: better-sqlite3's native addon is loaded once
    // per process, so under Jest its SqliteError can come from another test file's realm.
    const failure = await fresh.putTenants(fleet).then(() => undefined, (e: { message?: string }) => e);
    expect(failure?.message).toBe('disk full (simulated)');
    expect(await fresh.getTenants()).toEqual([]);

    fresh.db.exec('DROP TRIGGER refuse_last');
    await fresh.putTenants(fleet);
    expect(await fresh.getTenants()).toHaveLength(10_000);
    await fresh.close();
  });
});

describe('SQLite store: tenants and risk-profile history', () => {
  let store: SqliteStore;
  beforeEach(async () => { store = openSqliteStore(':memory:'); await store.putTenants([northwind, lotus, fabrikam]); });
  afterEach(() => store.close());

  it('keeps one preview per tenant and one profile per rollout, newest first', async () => {
    await store.putRiskProfiles(PREVIEW, [profile('fabrikam', 'Fabrikam Manufacturing', 40, 'medium')], '2026-12-01T10:00:00Z');
    await store.putRiskProfiles('r-1', [profile('fabrikam', 'Fabrikam Manufacturing', 42, 'medium')], '2026-12-02T10:00:00Z');
    await store.putRiskProfiles(PREVIEW, [profile('fabrikam', 'Fabrikam Manufacturing', 55, 'high')], '2026-12-03T10:00:00Z');
    await store.putRiskProfiles('r-1', [profile('fabrikam', 'Fabrikam Manufacturing', 43, 'medium')], '2026-12-04T10:00:00Z');

    const history = await store.getRiskProfileHistory('fabrikam');
    expect(history.map((h) => [h.rolloutId, h.profile.score, h.at])).toEqual([
      ['r-1', 43, '2026-12-04T10:00:00Z'],
      [PREVIEW, 55, '2026-12-03T10:00:00Z'],
    ]);
  });

  it('filters the tenant list by latest tier, region and a name search', async () => {
    await store.putRiskProfiles('r-1', [
      profile('northwind-health', 'Northwind Health', 78, 'high'),
      profile('lotus-retail', 'Lotus Retail 莲花', 12, 'low'),
      profile('fabrikam', 'Fabrikam Manufacturing', 80, 'high'),
    ]);
    await store.putRiskProfiles('r-2', [profile('fabrikam', 'Fabrikam Manufacturing', 90, 'hold')]);

    const ids = async (filter: Parameters<SqliteStore['listTenants']>[0]) => (await store.listTenants(filter)).tenants.map((l) => l.tenant.id);
    expect(await ids({ tier: 'high' })).toEqual(['northwind-health']);
    expect(await ids({ tier: 'hold' })).toEqual(['fabrikam']);
    expect(await ids({ region: 'apac' })).toEqual(['lotus-retail']);
    expect(await ids({ q: 'HEALTH' })).toEqual(['northwind-health']);
    expect(await ids({ q: '莲花' })).toEqual(['lotus-retail']);
    expect(await ids({ limit: 2, offset: 1 })).toEqual(['lotus-retail', 'northwind-health']);

    const { tenants: [fab] } = await store.listTenants({ q: 'fabrikam' });
    expect(fab.latest).toMatchObject({ rolloutId: 'r-2', profile: { tier: 'hold', holds: [{ release: 'close ticket T-1 (P1)' }] } });
  });

  it('deletes a tenant with its profiles and adjustments, and says when there was nothing to delete', async () => {
    await store.putRiskProfiles('r-1', [profile('lotus-retail', 'Lotus Retail 莲花', 12, 'low')]);
    await store.addRiskAdjustments([{ tenantId: 'lotus-retail', points: 8, reason: 'caused the r-1 rollback (slack connector timeouts)', rolloutId: 'r-1', at: '2026-12-09T00:00:00Z' }]);
    expect(await store.deleteTenant('lotus-retail')).toBe(true);
    expect(await store.deleteTenant('lotus-retail')).toBe(false);
    expect(await store.getRiskProfileHistory('lotus-retail')).toEqual([]);
    expect(await store.getRiskAdjustments(['lotus-retail'])).toEqual([]);
    expect((await store.listTenants()).tenants.map((l) => l.tenant.id)).toEqual(['fabrikam', 'northwind-health']);
  });

  it('counts a retried retrospective lesson once', async () => {
    const lesson = { tenantId: 'fabrikam', points: 10, reason: 'sap connector 2.3 errored at 8% in r-1', rolloutId: 'r-1', at: '2026-12-09T00:00:00Z' };
    await store.addRiskAdjustments([lesson]);
    await store.addRiskAdjustments([{ ...lesson, points: 12 }]);
    await store.addRiskAdjustments([{ ...lesson, rolloutId: 'r-2' }]);
    expect((await store.getRiskAdjustments(['fabrikam'])).map((a) => [a.rolloutId, a.points])).toEqual([['r-1', 12], ['r-2', 10]]);
  });

  it('reports a feature saved before a stricter check by key, field path, problem and fix', async () => {
    await store.putFeature({ ...smartExport, key: 'audit-log-v2', name: 'Audit log v2' });
    await store.putFeature(smartExport);
    // As an older Ringmaster wrote it: an earliestStart after the deadline.
    store.db.prepare('UPDATE features SET doc = ? WHERE key = ?').run(JSON.stringify({ ...smartExport, earliestStart: '2027-01-10T00:00:00Z', deadline: '2026-12-20T00:00:00Z' }), 'smart-export');
    const problem = {
      key: 'smart-export',
      issues: [{ path: 'deadline', message: 'expected a deadline after earliestStart (earliestStart/deadline swapped?)' }],
      fix: 'PUT /api/v1/features/smart-export again (the whole description, YAML or JSON) with a corrected `deadline`',
    };
    expect((await store.readFeatures()).invalid).toEqual([problem]);
    expect((await store.readFeatures()).features.map((f) => f.key)).toEqual(['audit-log-v2']);
    expect(await store.readFeatures(['smart-export'])).toEqual({ features: [], invalid: [problem] });
    const failure = await store.getFeature('smart-export').then(() => undefined, (e: unknown) => e);
    expect(failure).toBeInstanceOf(InvalidStoredFeaturesError);
    expect(failure).toBeInstanceOf(StoreDataError);
    expect((failure as Error).message).toBe(`stored feature smart-export no longer validates: deadline: expected a deadline after earliestStart (earliestStart/deadline swapped?); ${problem.fix}`);
    expect((await store.getFeature('audit-log-v2'))?.name).toBe('Audit log v2');
    expect(await store.getStoredFeatureDocument('smart-export')).toMatchObject({ earliestStart: '2027-01-10T00:00:00Z' });
  });

  it('lists features by key', async () => {
    await store.putFeature({ ...smartExport, key: 'audit-log-v2', name: 'Audit log v2' });
    await store.putFeature(smartExport);
    expect((await store.listFeatures()).map((f) => f.key)).toEqual(['audit-log-v2', 'smart-export']);
  });
});

describe('SQLite store: notice review', () => {
  let store: SqliteStore;
  beforeEach(() => { store = openSqliteStore(':memory:', { now: () => new Date('2026-12-02T15:00:00Z') }); });
  afterEach(() => store.close());

  it('takes a notice from draft through edit, approval and sending', async () => {
    await store.putNotice(notice('n-1', 'northwind-health'));
    await store.approveNotice('n-1', { by: 'cs:maria' });
    const edited = await store.editNotice('n-1', { text: 'Smart export arrives on 12 December for your Salesforce sync.', by: 'cs:maria' });
    expect(edited).toMatchObject({ status: 'draft', editedBy: 'cs:maria', editedAt: '2026-12-02T15:00:00.000Z', subject: 'Smart export arrives on 12 December' });
    expect(edited).not.toHaveProperty('approvedBy');

    expect(await store.approveNotice('n-1', { by: 'cs:lee', at: '2026-12-02T16:00:00Z' })).toMatchObject({ status: 'approved', approvedBy: 'cs:lee', approvedAt: '2026-12-02T16:00:00Z' });
    const sent = await store.markNoticeSent('n-1', { via: 'smtp', at: '2026-12-03T08:00:00Z' });
    expect(sent).toMatchObject({ status: 'sent', sentAt: '2026-12-03T08:00:00Z', sentVia: 'smtp', approvedBy: 'cs:lee' });
    expect(await store.markNoticeSent('n-1', { via: 'slack', at: '2026-12-04T08:00:00Z' })).toEqual(sent);
  });

  it('refuses to edit or approve a sent notice, and reports unknown notices as missing', async () => {
    await store.putNotice(notice('n-2', 'fabrikam', { status: 'sent' }));
    await expect(store.editNotice('n-2', { text: 'late change', by: 'cs:maria' })).rejects.toThrow(NoticeStateError);
    await expect(store.approveNotice('n-2', { by: 'cs:lee' })).rejects.toThrow(/already sent/);
    expect(await store.editNotice('n-404', { text: 'x', by: 'cs:maria' })).toBeUndefined();
  });

  it('does not let a regenerated notice overwrite an approved one', async () => {
    await store.putNotice(notice('n-3', 'fabrikam'));
    await store.approveNotice('n-3', { by: 'cs:lee' });
    await store.putNotice(notice('n-3', 'fabrikam', { text: 'regenerated by a retried activity' }));
    expect(await store.getNotice('n-3')).toMatchObject({ status: 'approved', text: 'Smart export arrives.' });

    await store.putNotice(notice('n-4', 'lotus-retail'));
    await store.putNotice(notice('n-4', 'lotus-retail', { text: 'regenerated draft', source: 'llm' }));
    expect(await store.getNotice('n-4')).toMatchObject({ status: 'draft', text: 'regenerated draft', source: 'llm' });
    expect((await store.listNotices({ rolloutId: 'r-smart-export-1' })).map((n) => n.id)).toEqual(['n-3', 'n-4']);
    expect((await store.listNotices({ tenantId: 'lotus-retail' })).map((n) => n.id)).toEqual(['n-4']);
  });
});

describe('SQLite store: API tokens', () => {
  let store: SqliteStore;
  beforeEach(() => { store = openSqliteStore(':memory:'); });
  afterEach(() => store.close());

  it('stores only the SHA-256 of a token and stops accepting it once revoked', async () => {
    const { token, id } = await store.createToken({ name: 'release-bot', role: 'approver' });
    const other = await store.createToken({ name: 'dashboard', role: 'viewer' });
    expect(JSON.stringify(store.db.prepare('SELECT * FROM api_tokens').all())).not.toContain(token);

    expect(await store.verifyToken(token)).toEqual({ id, name: 'release-bot', role: 'approver' });
    expect(await store.verifyToken(`${token}x`)).toBeUndefined();
    expect(await store.revokeToken(id)).toBe(true);
    expect(await store.revokeToken(id)).toBe(false);
    expect(await store.verifyToken(token)).toBeUndefined();
    expect((await store.verifyToken(other.token))?.name).toBe('dashboard');
    expect((await store.listTokens()).map((t) => [t.name, t.revokedAt !== undefined])).toEqual(expect.arrayContaining([['release-bot', true], ['dashboard', false]]));
  });

  it('rejects a token with an unknown role', async () => {
    await expect(store.createToken({ name: 'x', role: 'root' as 'admin' })).rejects.toThrow(/token is invalid: role: /);
  });
});
