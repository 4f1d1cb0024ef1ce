import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rolloutDepsFromEnv } from '../../workers/deps';
import { feature, tenant } from '../support/fleet';

const wave = { id: 'w1', name: 'pilot', stage: 'pilot', lane: 'main', plannedStart: '2026-12-07T09:00:00Z', plannedEnd: '2026-12-07T21:00:00Z', monitoringWindowSeconds: 3600 };

describe('auto-sent notices', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringmaster-deps-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a delivery that fails leaves no draft behind, so the retry delivers it', async () => {
    // The notice directory is a file: the file delivery cannot write into it.
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, '');
    const env = { RINGMASTER_DB_FILE: join(dir, 'store.sqlite'), RINGMASTER_NOTICE_AUTOSEND: 'true', RINGMASTER_DELIVERY: 'file', RINGMASTER_METRICS_DB: join(dir, 'metrics.sqlite') };
    const failing = rolloutDepsFromEnv({ ...env, RINGMASTER_NOTICE_DIR: blocked });
    const args = { rolloutId: 'r1', tenant: tenant({ id: 'acorn-dental' }), feature: feature(), wave: wave as never, allSystemsKnown: [] };
    await expect(failing.notices.prepare(args)).rejects.toThrow();
    // The activity skips a tenant that already has a notice for the wave: a draft left here would never go out.
    expect(await failing.store.listNotices({ rolloutId: 'r1', waveId: 'w1' })).toEqual([]);
    await failing.close();

    const working = rolloutDepsFromEnv({ ...env, RINGMASTER_NOTICE_DIR: join(dir, 'notices') });
    const sent = await working.notices.prepare(args);
    expect(sent.status).toBe('sent');
    const [stored] = await working.store.listNotices({ rolloutId: 'r1', waveId: 'w1' });
    expect(stored).toMatchObject({ status: 'sent', sentVia: 'file' });
    expect(stored.sentAt).toBeDefined();
    await working.close();
  });
});

describe('notice review time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringmaster-review-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { RINGMASTER_DB_FILE: join(dir, 'store.sqlite'), RINGMASTER_METRICS_DB: join(dir, 'metrics.sqlite'), RINGMASTER_NOTICE_DIR: join(dir, 'notices') };

  it.each([
    ['drafts wait a day for customer success by default', {}, 24 * 3600],
    ['RINGMASTER_NOTICE_REVIEW_HOURS sets it', { RINGMASTER_NOTICE_REVIEW_HOURS: '4.5' }, 4.5 * 3600],
    ['auto-sent notices need none', { RINGMASTER_NOTICE_AUTOSEND: 'true', RINGMASTER_NOTICE_REVIEW_HOURS: '8' }, 0],
  ])('%s', async (_, extra, seconds) => {
    const deps = rolloutDepsFromEnv({ ...env, ...extra });
    expect(deps.notices.reviewSeconds).toBe(seconds);
    await deps.close();
  });

  it('a value that is not a number of hours is refused by name', () => {
    expect(() => rolloutDepsFromEnv({ ...env, RINGMASTER_NOTICE_REVIEW_HOURS: 'a day' })).toThrow(/notice configuration: RINGMASTER_NOTICE_REVIEW_HOURS: must be a number of hours/);
    expect(() => rolloutDepsFromEnv({ ...env, RINGMASTER_NOTICE_REVIEW_HOURS: '-1' })).toThrow(/RINGMASTER_NOTICE_REVIEW_HOURS/);
  });
});
