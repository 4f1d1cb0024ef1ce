import { startHarness, type Harness } from '../support/rollout-harness';
import { approveAll, sleep } from '../support/approvals';
import { feature, fastDurations, smallFleet } from '../support/fleet';
import { abortSignal, approvePlanUpdate, auditQuery, excludeTenantSignal } from '../../workflows/messages';
import type { Actor } from '../../shared/model/rollout';

const LEAD = 4;

/** The notices the rollout prepares when it starts, once they are there. */
const preparedNotices = (h: Harness, rolloutId: string) => h.waitFor('the rollout to prepare its notices', async () => {
  const all = await h.store.listNotices({ rolloutId });
  return all.length > 0 && all;
});

describe('notices on a real Temporal server', () => {
  const harnesses: Harness[] = [];
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  test.concurrent('every planned tenant is told when the rollout starts, and no wave enables anyone before that notice is the lead time old', async () => {
    const h = await startHarness(smallFleet(), feature({ durations: { ...fastDurations, noticeLeadSeconds: LEAD } }));
    harnesses.push(h);
    const handle = await h.start({});
    await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    const plan = (await h.store.getPlan(handle.workflowId))!;
    const notices = await h.store.listNotices({ rolloutId: handle.workflowId });
    // One notice per planned tenant, for its planned wave, all sent before the first wave began.
    expect(notices.map((n) => `${n.waveId}:${n.tenantId}`).sort()).toEqual(plan.waves.flatMap((w) => w.members.map((m) => `${w.id}:${m.tenantId}`)).sort());
    expect(notices.every((n) => n.status === 'sent' && n.sentAt)).toBe(true);
    for (const n of notices) {
      const enabled = (await h.flags.history(plan.feature.key, n.tenantId)).filter((e) => e.enabled);
      expect(enabled).toHaveLength(1);
      expect(Date.parse(enabled[0].at) - Date.parse(n.sentAt!)).toBeGreaterThanOrEqual(LEAD * 1000);
    }
    const notable = (await h.status(handle.workflowId)).tenants;
    expect(notable.filter((t) => t.state === 'deferred' || t.state === 'held')).toEqual([]);
  });

  test.concurrent('without auto-send a draft tells nobody: its tenant is not enabled; one customer success sent in time is', async () => {
    const soon = new Date(Date.now() + 12_000).toISOString();
    const h = await startHarness(smallFleet(), feature({ earliestStart: soon, durations: { ...fastDurations, noticeLeadSeconds: LEAD } }), { autoSend: false });
    harnesses.push(h);
    const handle = await h.start({});
    const rolloutId = handle.workflowId;
    const drafts = await preparedNotices(h, rolloutId);
    const plan = (await h.store.getPlan(rolloutId))!;
    const told = plan.waves[0].members[0].tenantId;
    const draftOf = (id: string) => drafts.find((n) => n.tenantId === id)!;
    await h.store.markNoticeSent(draftOf(told).id, { via: 'customer success' });
    expect(drafts.every((n) => n.status === 'draft')).toBe(true);
    // While the first wave waits, its other members say their notice is still a draft.
    const untold = plan.waves[0].members.find((m) => m.tenantId !== told)?.tenantId;
    if (untold) {
      const waiting = await h.waitFor('the first wave to list its members', async () => {
        const w = await h.waveStatus(rolloutId, plan.waves[0].id).catch(() => undefined);
        return w?.tenants.find((t) => t.tenantId === untold && t.reason.includes('is a draft, not sent'));
      });
      expect(waiting.state).toBe('pending');
    }
    await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    const status = await h.status(rolloutId);
    expect(await h.flags.isEnabled(plan.feature.key, told)).toBe(true);
    expect(status.counts.enabled).toBe(1);
    const others = plan.waves.flatMap((w) => w.members.map((m) => m.tenantId)).filter((id) => id !== told);
    for (const id of others) {
      expect(await h.flags.isEnabled(plan.feature.key, id)).toBe(false);
      expect(status.tenants.find((t) => t.tenantId === id)?.reason).toMatch(/no-go \(notice-lead-time fail\)/);
    }
  });

  test.concurrent('without auto-send the worker leaves customer success review time: drafts sent during it give the full lead, and every tenant is enabled', async () => {
    const REVIEW = 6;
    const h = await startHarness(smallFleet(), feature({ durations: { ...fastDurations, noticeLeadSeconds: LEAD } }), { autoSend: false, reviewSeconds: REVIEW });
    harnesses.push(h);
    const handle = await h.start({});
    const rolloutId = handle.workflowId;
    const drafts = await preparedNotices(h, rolloutId);
    const plan = (await h.store.getPlan(rolloutId))!;
    expect(plan.noticeReviewSeconds).toBe(REVIEW);
    expect(Date.parse(plan.timeline.start) - Date.parse(plan.asOf)).toBe((REVIEW + LEAD) * 1000);
    // Customer success reviews for a while, then sends every draft: later than the lead before
    // the first wave's start would allow without review time.
    await sleep(2_000);
    for (const n of drafts) await h.store.markNoticeSent(n.id, { via: 'customer success' });
    await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    const status = await h.status(rolloutId);
    expect(status.tenants.filter((t) => t.state === 'deferred' || t.state === 'held')).toEqual([]);
    const sent = await h.store.listNotices({ rolloutId });
    for (const n of sent) {
      const enabled = (await h.flags.history(plan.feature.key, n.tenantId)).filter((e) => e.enabled);
      expect(enabled).toHaveLength(1);
      expect(Date.parse(enabled[0].at) - Date.parse(n.sentAt!)).toBeGreaterThanOrEqual(LEAD * 1000);
    }
  });

  test.concurrent('tenants excluded or held before the notices go out are not told; a draft says by when it had to be sent, which is not before it was written', async () => {
    const h = await startHarness(smallFleet(), feature({ durations: { ...fastDurations, noticeLeadSeconds: LEAD } }), { autoSend: false });
    harnesses.push(h);
    const handle = await h.start({ requirePlanApproval: true });
    const rolloutId = handle.workflowId;
    const pam: Actor = { id: 'pam', role: 'pm' };
    await h.waitFor('the plan to await approval', async () => (await h.status(rolloutId)).pendingDecisions.length > 0);
    await handle.signal(excludeTenantSignal, { actor: pam, tenantId: 'northwind-bank', mode: 'hold', reason: 'quarter-end close' });
    await handle.signal(excludeTenantSignal, { actor: pam, tenantId: 'acorn-dental', mode: 'exclude', reason: 'customer asked to wait' });
    // Approved after the first wave's planned start has passed: its notices cannot be the lead old by then.
    await sleep((LEAD + 1) * 1000);
    await handle.executeUpdate(approvePlanUpdate, { args: [{ actor: { id: 'ann', role: 'approver' }, comment: 'ok' }] });
    await h.waitFor('the notices to be prepared', async () => (await handle.query(auditQuery)).some((e) => e.action === 'notices'));
    const notices = await h.store.listNotices({ rolloutId });
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.filter((n) => n.tenantId === 'northwind-bank' || n.tenantId === 'acorn-dental')).toEqual([]);

    const plan = (await h.store.getPlan(rolloutId))!;
    const first = plan.waves[0];
    const draft = await h.waitFor('the first wave to list a draft', async () => {
      const w = await h.waveStatus(rolloutId, first.id).catch(() => undefined);
      return w?.tenants.find((t) => t.reason.includes('is a draft'));
    });
    const notice = notices.find((n) => n.tenantId === draft.tenantId)!;
    const by = /sent by ([\dT:.Z-]+)/.exec(draft.reason)?.[1];
    expect(by).toBeDefined();
    expect(Date.parse(by!)).toBeGreaterThanOrEqual(Date.parse(notice.createdAt));
    await handle.signal(abortSignal, { actor: pam, reason: 'test over' });
    await handle.result();
  });
});
