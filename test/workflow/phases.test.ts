/**
 * Controls and decisions in the phases of a running rollout that other tests pass through
 * quickly: a wave still waiting for its notice lead, a checkpoint wait on a wave with no soak,
 * a plan approval that takes long, an abort while planning, an advisory deadline inside a long
 * monitoring window, controls that arrive while a run stores its audit to continue as new, and
 * per-tenant decisions that expire together, and a rollback asked for before its tenant is enabled.
 */
import { startHarness, type Harness } from '../support/rollout-harness';
import { approveAll, pending, sleep } from '../support/approvals';
import { feature, fastDurations, smallFleet, tenant } from '../support/fleet';
import { abortSignal, approveWaveUpdate, auditQuery, excludeTenantSignal, rejectWaveUpdate, resumeSignal, rollbackTenantSignal } from '../../workflows/messages';
import type { Actor, WaveOutcome } from '../../shared/model/rollout';
import { fullAudit } from '../../activities/rollout';

const ann: Actor = { id: 'ann', role: 'approver' };
const sam: Actor = { id: 'sam', role: 'sre' };

describe('controls and decisions in every phase', () => {
  const harnesses: Harness[] = [];
  const harness = async (durations = fastDurations, tenants = smallFleet()) => {
    const h = await startHarness(tenants, feature({ durations }));
    harnesses.push(h);
    return h;
  };
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  test.concurrent('an exclusion or hold that reaches a wave while it waits for its notice lead keeps its tenant out', async () => {
    const h = await harness();
    // Planned to start 25 s from now: the first wave's child starts at once and waits, before it
    // has read its members, as a Monday wave waits over the weekend.
    const handle = await h.start({ asOf: new Date(Date.now() + 25_000).toISOString() });
    const rolloutId = handle.workflowId;
    await h.waitFor('w1a waiting for its start', async () => {
      const w = await h.waveStatus(rolloutId, 'w1a').catch(() => undefined);
      return w?.phase === 'waiting-for-start' && w.tenants.length === 0;
    });
    await handle.signal(excludeTenantSignal, { actor: sam, tenantId: 'ringmaster-internal', mode: 'hold', reason: 'internal tenant is migrating' });
    await sleep(500);
    expect((await h.waveStatus(rolloutId, 'w1a')).phase).toBe('waiting-for-start');
    await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    expect(await h.flags.history('smart-routing', 'ringmaster-internal')).toEqual([]);
    const outcome = (await h.store.getReport(rolloutId, 'wave:w1a')) as WaveOutcome;
    expect(outcome.tenants.find((t) => t.tenantId === 'ringmaster-internal')).toMatchObject({ state: 'held', reason: expect.stringMatching(/internal tenant is migrating/) });
    expect((await h.status(rolloutId)).tenants.find((t) => t.tenantId === 'ringmaster-internal')).toMatchObject({ state: 'held' });
  }, 180_000);

  test.concurrent('a rollback asked for while a wave awaits its checkpoint is done at once, not after the checkpoint (or never, when it is rejected or the wave has no soak)', async () => {
    const h = await harness();
    const handle = await h.start({});
    const rolloutId = handle.workflowId;
    const plan = await h.waitFor('the plan', () => h.store.getPlan(rolloutId));
    const wave = plan.waves.find((w) => w.manualCheckpoint)!;
    expect(wave).toBeDefined();
    const tenantId = wave.members[0].tenantId;
    const approving = approveAll(h, handle, ann, [], (d) => d.kind === 'wave-checkpoint' && d.waveId === wave.id);
    const checkpoint = await h.waitFor(`checkpoint of ${wave.id}`, async () => (await pending(h, rolloutId)).find((d) => d.kind === 'wave-checkpoint' && d.waveId === wave.id), 200_000);
    expect(await h.flags.isEnabled('smart-routing', tenantId)).toBe(true);
    await handle.signal(rollbackTenantSignal, { actor: sam, tenantId, reason: 'customer asked to turn it off' });
    // Done while the checkpoint still waits: nobody has to answer it first.
    await h.waitFor(`${tenantId} rolled back`, async () => !(await h.flags.isEnabled('smart-routing', tenantId)), 15_000);
    expect((await h.waveStatus(rolloutId, wave.id)).phase).toBe('awaiting-checkpoint');
    await h.client.workflow.getHandle(checkpoint.workflowId).executeUpdate(approveWaveUpdate, { args: [{ actor: ann, waveId: wave.id }] });
    await approving;
    expect((await handle.result()).phase).toBe('COMPLETED');
    const outcome = (await h.store.getReport(rolloutId, `wave:${wave.id}`)) as WaveOutcome;
    expect(outcome.tenants.find((t) => t.tenantId === tenantId)).toMatchObject({ state: 'rolled-back', reason: 'manual rollback: customer asked to turn it off' });
    expect(outcome.audit.filter((a) => a.action === 'rollback')).toEqual([expect.objectContaining({ actor: 'user:sam', tenantId })]);
  }, 240_000);

  test.concurrent('plan approval is reminded of before its deadline, like every other wait for people', async () => {
    const h = await harness({ ...fastDurations, decisionTimeoutSeconds: 30 });
    const handle = await h.start({ requirePlanApproval: true, reminderIntervalSeconds: 1 });
    await h.waitFor('plan approval', async () => (await pending(h, handle.workflowId)).find((d) => d.kind === 'plan'));
    await h.waitFor('a reminder of the plan approval', async () => h.messages.some((m) => m.severity === 'warning' && m.subject === `Reminder: plan approval waiting on rollout ${handle.workflowId}`), 10_000);
    await handle.signal(abortSignal, { actor: sam, reason: 'only the reminder was under test' });
    expect((await handle.result()).phase).toBe('ABORTED');
    expect((await handle.query(auditQuery)).map((a) => a.action)).toEqual(['planned', 'abort']);
  }, 120_000);

  test.concurrent('a wave rejected while other lanes run pauses them; resume lets them finish and the rollout ends rejected', async () => {
    // Low-stage tenants in four regions run in four lanes side by side after a one-tenant sub-wave.
    const tenants = [...smallFleet(), ...['eu', 'apac', 'uk'].flatMap((region) => [1, 2].map((i) => tenant({ id: `${region}-shop-${i}`, region, integrations: [{ kind: 'chat', system: 'slack' }] })))];
    const h = await harness({ ...fastDurations, monitoringWindowSeconds: 4 }, tenants);
    const handle = await h.start({ planConfig: { growth: { low: [1], medium: [1], high: [1] } } });
    const rolloutId = handle.workflowId;
    const plan = await h.waitFor('the plan', () => h.store.getPlan(rolloutId));
    const lanes = plan.waves.filter((w) => w.stage === 'low' && w.lane !== plan.waves.find((x) => x.stage === 'low')!.lane);
    const target = lanes.find((w) => w.lane === 'eu')!;
    expect(new Set(lanes.map((w) => w.lane)).size).toBeGreaterThan(1);
    let closed = false;
    const approving = (async () => {
      while (!closed) {
        for (const d of (await pending(h, rolloutId).catch(() => [])).filter((x) => x.waveId !== target.id && (x.kind === 'wave-go' || x.kind === 'wave-checkpoint'))) {
          await h.client.workflow.getHandle(d.workflowId).executeUpdate(approveWaveUpdate, { args: [{ actor: ann, waveId: d.waveId! }] }).catch(() => undefined);
        }
        await sleep(200);
      }
    })();
    const go = await h.waitFor(`go for ${target.id}`, async () => (await pending(h, rolloutId)).find((d) => d.waveId === target.id && d.kind === 'wave-go'), 200_000);
    await h.waitFor('another lane running', async () => (await h.status(rolloutId)).currentWaves.some((w) => w.waveId !== target.id));
    await h.client.workflow.getHandle(go.workflowId).executeUpdate(rejectWaveUpdate, { args: [{ actor: ann, waveId: target.id, comment: 'EU contract addendum missing' }] });
    await h.waitFor('rejected', async () => (await h.status(rolloutId)).phase === 'REJECTED');
    const status = await h.status(rolloutId);
    expect(status.paused).toBe(true);
    expect(status.pauseReason).toMatch(/rejected by ann: EU contract addendum missing/);
    await handle.signal(resumeSignal, { actor: sam, reason: 'let the running waves finish' });
    try {
      expect(await handle.result()).toMatchObject({ phase: 'REJECTED', summary: expect.stringMatching(/rejected by ann/) });
    } finally {
      closed = true;
      await approving;
    }
    expect((await handle.query(auditQuery)).map((a) => a.action)).toEqual(expect.arrayContaining(['resume']));
    expect((await handle.query(auditQuery)).some((a) => a.action === 'resume-skipped')).toBe(false);
    for (const m of target.members) expect(await h.flags.history('smart-routing', m.tenantId)).toEqual([]);
  }, 240_000);

  test.concurrent('an abort that arrives while the rollout plans ends it before any notice is prepared', async () => {
    const h = await harness();
    // Planning stores the plan, then the rollout prepares notices: the store write waits long
    // enough for the abort to arrive in between.
    const putPlan = h.store.putPlan.bind(h.store);
    h.store.putPlan = async (rolloutId, plan) => { await sleep(3_000); await putPlan(rolloutId, plan); };
    const handle = await h.start({});
    await sleep(1_000);
    await handle.signal(abortSignal, { actor: sam, reason: 'wrong feature' });
    expect(await handle.result()).toMatchObject({ phase: 'ABORTED', summary: expect.stringContaining('no notices were prepared') });
    expect(await h.store.listNotices({ rolloutId: handle.workflowId })).toEqual([]);
    expect(h.messages.filter((m) => /notice/i.test(m.subject))).toEqual([]);
  });

  test.concurrent('an advisory rollback whose deadline passes during a long monitoring window gets its default then, not when the window ends', async () => {
    // 5 s to decide, 40 s of monitoring: the default rollback must come well before the window ends.
    // The platinum anchor alone: one high wave, advisory decisions.
    const h = await harness({ ...fastDurations, monitoringWindowSeconds: 40, sampleIntervalSeconds: 1, decisionTimeoutSeconds: 5 }, smallFleet().filter((t) => t.id === 'northwind-bank'));
    h.fleet.faults.set('northwind-bank', 0.2);
    const handle = await h.start({ reminderIntervalSeconds: 2 });
    const approving = approveAll(h, handle);
    const advisory = await h.waitFor('the advisory decision', async () => (await pending(h, handle.workflowId)).find((d) => d.kind === 'advisory-rollback'), 200_000);
    const rolledBack = await h.waitFor('the default rollback', async () => {
      const history = await h.flags.history('smart-routing', 'northwind-bank');
      return history.find((e) => !e.enabled);
    }, 30_000);
    const deadline = Date.parse(advisory.deadline);
    expect(Date.parse(rolledBack.at)).toBeGreaterThanOrEqual(deadline);
    // A sample later at most (1 s), with room for a loaded box; the window itself ends 40 s after enabling.
    expect(Date.parse(rolledBack.at) - deadline).toBeLessThan(15_000);
    await approving;
    expect((await handle.result()).phase).toBe('COMPLETED');
    const audit = await handle.query(auditQuery);
    expect(audit.filter((a) => a.action === 'decision-expired' && a.tenantId === 'northwind-bank')).toHaveLength(1);
  }, 300_000);

  test.concurrent('a control that arrives while a run stores its audit before continuing as new is kept by the next run', async () => {
    const h = await harness();
    // The first audit segment's write waits: an exclusion and a rollback request arrive meanwhile.
    let signalled: Promise<void> | undefined;
    const putReport = h.store.putReport.bind(h.store);
    h.store.putReport = async (rolloutId, kind, report) => {
      if (kind === 'audit:0' && !signalled) {
        const handle = h.client.workflow.getHandle(rolloutId);
        signalled = (async () => {
          await handle.signal(excludeTenantSignal, { actor: sam, tenantId: 'northwind-bank', mode: 'hold', reason: 'quarter-end close' });
          await handle.signal(rollbackTenantSignal, { actor: sam, tenantId: 'ringmaster-internal', reason: 'internal test done' });
        })();
        await signalled;
        await sleep(500);
      }
      await putReport(rolloutId, kind, report);
    };
    const handle = await h.start({ continueAsNewAfterEvents: 20 });
    await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    expect(signalled).toBeDefined();
    const status = await h.status(handle.workflowId);
    const trail = await fullAudit(h.store, handle.workflowId, status.auditSegments, await handle.query(auditQuery));
    expect(trail.filter((a) => a.action === 'hold' && a.tenantId === 'northwind-bank')).toHaveLength(1);
    expect(trail.filter((a) => a.action === 'rollback-request' && a.tenantId === 'ringmaster-internal')).toHaveLength(1);
    // The rollback asked for then was done, not dropped with the run.
    expect(await h.flags.isEnabled('smart-routing', 'ringmaster-internal')).toBe(false);
    expect(await h.flags.isEnabled('smart-routing', 'northwind-bank')).toBe(false);
  });

  test.concurrent('per-tenant decisions that expire together pause the rollout once: one resume asks them all again', async () => {
    // Two standard-SLA tenants planned high (low tier bounds) in one per-tenant wave.
    const alike = { users: 800, integrations: [{ kind: 'crm' as const, system: 'salesforce', version: '58.0' }, { kind: 'chat' as const, system: 'slack' }], customizations: [{ kind: 'setting' as const, key: 'approval_flow' }] };
    // Long enough for the test to answer the decisions asked again before they expire a second time on a loaded box.
    const h = await harness({ ...fastDurations, decisionTimeoutSeconds: 15 }, [tenant({ id: 'kestrel-logistics', ...alike }), tenant({ id: 'osprey-foods', ...alike })]);
    const handle = await h.start({ onDecisionTimeout: 'pause', reminderIntervalSeconds: 60, planConfig: { risk: { tiers: { medium: 5, high: 10 } }, growth: { high: [] } } });
    const rolloutId = handle.workflowId;
    const paused = () => h.waitFor('the rollout to pause', async () => (await h.status(rolloutId)).phase === 'PAUSED', 60_000);
    await paused();
    const pausedAt = Date.now();
    const plan = (await h.store.getPlan(rolloutId))!;
    expect(plan.waves.map((w) => [w.approval, w.members.length])).toEqual([['per-tenant', 2]]);
    await handle.signal(resumeSignal, { actor: sam, reason: 'back at my desk' });
    // Asked again, both (a new deadline, after the pause), after one resume: the rollout does not
    // pause a second time for the other tenant, which would leave its old deadline standing.
    await h.waitFor('both decisions asked again', async () => {
      const open = (await pending(h, rolloutId)).filter((d) => d.kind === 'tenant-go');
      return open.length === 2 && open.every((d) => Date.parse(d.deadline) > pausedAt);
    }, 30_000);
    expect((await h.status(rolloutId)).phase).not.toBe('PAUSED');
    await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    const audit = await handle.query(auditQuery);
    expect(audit.filter((a) => a.action === 'decision-expired')).toEqual([
      expect.objectContaining({ detail: expect.stringContaining('the rollout pauses until resumed, then asks again') }),
      expect.objectContaining({ detail: expect.stringContaining('asked again after the same pause as the decisions that expired with it') }),
    ]);
  }, 180_000);

  test.concurrent('a rollback asked for while its wave awaits the go keeps the tenant out, instead of enabling it and turning it off again', async () => {
    const h = await harness();
    const handle = await h.start({});
    const rolloutId = handle.workflowId;
    const plan = await h.waitFor('the plan', () => h.store.getPlan(rolloutId));
    const wave = plan.waves.find((w) => w.members.some((m) => m.tenantId === 'acorn-dental'))!;
    // Everything is approved except acorn-dental's wave, until the rollback has been asked for.
    let asked = false;
    const approving = approveAll(h, handle, undefined, [], (d) => d.waveId === wave.id && !asked);
    await h.waitFor(`${wave.id} awaiting its go`, async () => (await pending(h, rolloutId)).some((d) => d.waveId === wave.id));
    await handle.signal(rollbackTenantSignal, { actor: sam, tenantId: 'acorn-dental', reason: 'customer asked to wait' });
    await sleep(1_000);
    asked = true;
    await approving;
    expect((await handle.result()).phase).toBe('COMPLETED');
    expect(await h.flags.history('smart-routing', 'acorn-dental')).toEqual([]);
    const outcome = (await h.store.getReport(rolloutId, `wave:${wave.id}`)) as WaveOutcome;
    expect(outcome.tenants.find((t) => t.tenantId === 'acorn-dental')).toMatchObject({ state: 'excluded', reason: expect.stringContaining('rollback asked for by sam before it was enabled') });
  });
});
