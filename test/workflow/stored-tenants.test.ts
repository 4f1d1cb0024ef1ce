/**
 * Rollouts over stored tenants that no longer validate (saved before a stricter check): planning
 * fails at once with the tenant, field and fix rather than retrying, and a tenant whose record
 * goes bad after planning (an upgrade mid-rollout) is no-go with the same words, not a stuck wave.
 */
import { startHarness, type Harness } from '../support/rollout-harness';
import { inputFailureOnFirstAttempt } from '../support/failures';
import { approveAll, pending } from '../support/approvals';
import { feature, fastDurations, smallFleet } from '../support/fleet';
import { approvePlanUpdate, auditQuery } from '../../workflows/messages';

/** What an older Ringmaster saved: a freeze window that ends before it starts. */
function saveReversedFreeze(h: Harness, tenantId: string): void {
  const doc = JSON.parse(h.store.db.prepare('SELECT doc FROM tenants WHERE id = ?').pluck().get(tenantId) as string);
  doc.freezeWindows = [{ start: '2027-01-05T00:00:00Z', end: '2026-12-20T00:00:00Z', reason: 'year-end close' }];
  h.store.db.prepare('UPDATE tenants SET doc = ? WHERE id = ?').run(JSON.stringify(doc), tenantId);
}

const problem = "freezeWindows[0].end: expected a freeze window that ends after it starts (start/end swapped?); re-import tenant acorn-dental with corrected data (POST /api/v1/tenants/import), or PATCH /api/v1/tenants/acorn-dental with a corrected `freezeWindows`";

describe('rollouts over stored tenants that no longer validate', () => {
  const harnesses: Harness[] = [];
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  test.concurrent('planning fails on its first attempt, naming the tenant, the field and the fix', async () => {
    const h = await startHarness(smallFleet(), feature({ durations: fastDurations }));
    harnesses.push(h);
    saveReversedFreeze(h, 'acorn-dental');
    const handle = await h.start({});
    const cause = await inputFailureOnFirstAttempt(handle);
    expect(cause.message).toContain(`stored tenant acorn-dental no longer validates: ${problem}`);
  });

  test.concurrent('a tenant whose record goes bad after planning is no-go with the reason and the fix; the rest roll out', async () => {
    const h = await startHarness(smallFleet(), feature({ durations: fastDurations }));
    harnesses.push(h);
    const handle = await h.start({ requirePlanApproval: true });
    await h.waitFor('plan approval', async () => (await pending(h, handle.workflowId)).find((d) => d.kind === 'plan'));
    saveReversedFreeze(h, 'acorn-dental');
    await handle.executeUpdate(approvePlanUpdate, { args: [{ actor: { id: 'pat', role: 'pm' }, comment: 'ok' }] });
    await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    const noGo = (await handle.query(auditQuery)).filter((a) => a.action === 'readiness-no-go' && a.tenantId === 'acorn-dental');
    expect(noGo.length).toBeGreaterThan(0);
    expect(noGo[0].detail).toBe(`acorn-dental in ${noGo[0].waveId}: no-go (its stored record no longer validates: ${problem}; DELETE /api/v1/tenants/acorn-dental removes it)`);
    const status = await h.status(handle.workflowId);
    expect(status.tenants.find((t) => t.tenantId === 'acorn-dental')).toMatchObject({ state: 'held' });
    expect(await h.flags.history('smart-routing', 'acorn-dental')).toEqual([]);
    expect(status.counts.enabled).toBe(smallFleet().length - 1);
    // It was not told of a rollout it cannot join; everyone else was.
    expect((await h.store.listNotices({ rolloutId: handle.workflowId })).map((n) => n.tenantId)).not.toContain('acorn-dental');
  });
});
