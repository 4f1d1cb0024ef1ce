import { WorkflowUpdateFailedError } from '@temporalio/client';
import { startHarness, type Harness } from '../support/rollout-harness';
import { approveAll, pending, sleep, waitForPhase } from '../support/approvals';
import { feature, fastDurations, smallFleet, tenant } from '../support/fleet';
import {
  abortSignal, approvePlanUpdate, approveTenantUpdate, excludeTenantSignal, approveWaveUpdate, auditQuery, decideRollbackUpdate, rejectPlanUpdate, rejectWaveUpdate, resumeSignal, pauseSignal,
  rollbackTenantSignal, waveWorkflowId,
} from '../../workflows/messages';
import type { Actor } from '../../shared/model/rollout';
import { buildPlan } from '../../shared/plan/build';
import { fullAudit } from '../../activities/rollout';

const ann: Actor = { id: 'ann', role: 'approver' };
const pat: Actor = { id: 'pat', role: 'pm' };
const sam: Actor = { id: 'sam', role: 'sre' };

/** A fleet with one wave per stage: pilot, low, medium (checkpoint), high (per-tenant, four-eyes). */
const fleet = () => [
  ...smallFleet().filter((t) => t.id !== 'acorn-dental'),
  tenant({ id: 'meridian-clinics', users: 1500, sla: 'gold', health: 62,
    integrations: [{ kind: 'crm', system: 'salesforce', version: '51.0' }, { kind: 'sso', system: 'okta' }, { kind: 'chat', system: 'slack' }],
    customizations: [{ kind: 'setting', key: 'approval_flow' }, { kind: 'script', key: 'triage' }],
    openTickets: [{ id: 'T-12', severity: 'P3', opened: '2026-11-30T10:00:00Z', subject: 'Slow sync' }] }),
];

async function updateError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
    return String((err as WorkflowUpdateFailedError).cause?.message);
  }
  throw new Error('the update was accepted, expected a validator rejection');
}

describe('rolloutWorkflow on a real Temporal server', () => {
  const harnesses: Harness[] = [];
  const harness = async (f = feature({ durations: fastDurations })) => {
    const h = await startHarness(fleet(), f);
    harnesses.push(h);
    return h;
  };
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  test.concurrent('happy path: four stages, every decision approved, every tenant enabled once', async () => {
    const h = await harness();
    const handle = await h.start({});
    const decided = await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    const status = await h.status(handle.workflowId);
    const stages = (await h.store.getPlan(handle.workflowId))!.waves.map((w) => w.stage);
    expect(new Set(stages)).toEqual(new Set(['pilot', 'low', 'medium', 'high']));
    expect(status.counts.enabled).toBe(fleet().length);
    expect(decided).toEqual(expect.arrayContaining([expect.stringMatching(/:checkpoint$/), expect.stringMatching(/:tenant:northwind-bank$/)]));
    for (const t of fleet()) {
      const history = await h.flags.history('smart-routing', t.id);
      expect(history.filter((e) => e.rolloutId === handle.workflowId && e.enabled)).toHaveLength(1);
    }
    const audit = await handle.query(auditQuery);
    expect(audit.filter((a) => a.actor === 'user:ann').length).toBeGreaterThanOrEqual(stages.length);
    expect((await h.store.listNotices({ rolloutId: handle.workflowId })).map((n) => n.tenantId).sort()).toEqual(fleet().map((t) => t.id).sort());
    const desc = await handle.describe();
    expect(desc.searchAttributes.RolloutStatus).toEqual(['COMPLETED']);
    expect(desc.searchAttributes.RolloutFeature).toEqual(['smart-routing']);
  });

  test.concurrent('a long history continues as new between waves and the rollout still finishes whole', async () => {
    const h = await harness();
    const handle = await h.start({ continueAsNewAfterEvents: 20 });
    const firstRun = (await handle.describe()).runId;
    await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    expect((await h.client.workflow.getHandle(handle.workflowId, firstRun).describe()).status.name).toBe('CONTINUED_AS_NEW');
    const status = await h.status(handle.workflowId);
    expect(status.auditSegments).toBeGreaterThanOrEqual(1);
    expect(status.counts.enabled).toBe(fleet().length);
    for (const t of fleet()) expect(await h.flags.isEnabled('smart-routing', t.id)).toBe(true);
    // The whole trail survives the runs: stored segments plus the current run's entries.
    const trail = await fullAudit(h.store, handle.workflowId, status.auditSegments, await handle.query(auditQuery));
    const plan = (await h.store.getPlan(handle.workflowId))!;
    for (const w of plan.waves) expect(trail.some((a) => a.waveId === w.id && a.actor === 'user:ann')).toBe(true);
    expect(trail[0].action).toBe('planned');
  });

  test.concurrent('plan approval first; excluded and held tenants stay out of every later wave', async () => {
    const h = await harness();
    const handle = await h.start({ requirePlanApproval: true });
    const planDecision = await h.waitFor('plan approval', async () => (await pending(h, handle.workflowId)).find((d) => d.kind === 'plan'));
    expect(await updateError(handle.executeUpdate(approvePlanUpdate, { args: [{ actor: { id: 'vic', role: 'viewer' } }] }))).toMatch(/role 'viewer' cannot approve a plan/);
    await handle.signal(excludeTenantSignal, { actor: sam, tenantId: 'meridian-clinics', mode: 'exclude', reason: 'customer asked to wait' });
    await handle.signal(excludeTenantSignal, { actor: sam, tenantId: 'northwind-bank', mode: 'hold', reason: 'quarter-end close' });
    await handle.executeUpdate(approvePlanUpdate, { args: [{ actor: pat, comment: 'plan reviewed with CS' }] });
    expect(planDecision.workflowId).toBe(handle.workflowId);
    await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    const status = await h.status(handle.workflowId);
    expect(status.tenants.find((t) => t.tenantId === 'meridian-clinics')).toMatchObject({ state: 'excluded', reason: expect.stringMatching(/customer asked to wait/) });
    expect(status.tenants.find((t) => t.tenantId === 'northwind-bank')).toMatchObject({ state: 'held', reason: expect.stringMatching(/quarter-end close/) });
    expect(await h.flags.isEnabled('smart-routing', 'meridian-clinics')).toBe(false);
    expect(await h.flags.isEnabled('smart-routing', 'northwind-bank')).toBe(false);
    expect(status.counts).toMatchObject({ enabled: fleet().length - 2, excluded: 1, held: 1 });
    expect((await handle.query(auditQuery)).map((a) => a.action)).toEqual(expect.arrayContaining(['plan:approve', 'exclude', 'hold']));
  });

  test.concurrent('a rejected wave stops the rollout before anything is enabled', async () => {
    const h = await harness();
    const handle = await h.start({});
    const go = await h.waitFor('w1 go decision', async () => (await pending(h, handle.workflowId)).find((d) => d.kind === 'wave-go'));
    const desc = await h.waitFor('AWAITING_APPROVAL search attribute', async () => {
      const d = await handle.describe();
      return d.searchAttributes.RolloutStatus?.[0] === 'AWAITING_APPROVAL' && d;
    });
    expect(desc.searchAttributes.RolloutWave).toEqual([1]);
    await h.client.workflow.getHandle(go.workflowId).executeUpdate(rejectWaveUpdate, { args: [{ actor: ann, waveId: go.waveId!, comment: 'release notes missing' }] });
    const result = await handle.result();
    expect(result.phase).toBe('REJECTED');
    expect(result.summary).toMatch(/rejected by ann: release notes missing/);
    const status = await h.status(handle.workflowId);
    expect(status.counts.enabled).toBe(0);
    expect(status.waves.filter((w) => w.phase !== 'scheduled').map((w) => w.waveId)).toEqual([go.waveId]);
  });

  test.concurrent('a breaching tenant is rolled back automatically; the rest of its wave continues', async () => {
    // Four look-alikes: the first goes alone (the low stage's first growth step), the next three share one.
    const extra = ['fernwood-books', 'gable-games', 'hollis-bakery', 'ivy-florists'].map((id) => tenant({ id, integrations: [{ kind: 'chat', system: 'slack' }] }));
    const f = feature({ durations: { ...fastDurations, monitoringWindowSeconds: 5 } });
    const tenants = [...fleet(), ...extra];
    const shared = buildPlan({ tenants, feature: f, asOf: new Date().toISOString(), config: { calendar: 'continuous' } }).waves.find((w) => w.members.length >= 3)!;
    const faulty = shared.members[0].tenantId;
    const h = await startHarness(tenants, f);
    harnesses.push(h);
    h.fleet.faults.set(faulty, 0.2);
    const handle = await h.start({ haltShare: 0.6 });
    await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    const status = await h.status(handle.workflowId);
    expect(status.tenants.find((t) => t.tenantId === faulty)).toMatchObject({ state: 'rolled-back', reason: expect.stringMatching(new RegExp(`automatic rollback: ${faulty}`)) });
    expect(status.counts.enabled).toBe(tenants.length - 1);
    expect(await h.flags.isEnabled('smart-routing', faulty)).toBe(false);
    for (const m of shared.members.slice(1)) expect(await h.flags.isEnabled('smart-routing', m.tenantId)).toBe(true);
  });

  test.concurrent('advisory: an answered decision keeps the tenant on; an unanswered one rolls back at its deadline', async () => {
    const answered = await harness();
    const expired = await harness(feature({ durations: { ...fastDurations, monitoringWindowSeconds: 4, decisionTimeoutSeconds: 6 } }));
    for (const h of [answered, expired]) h.fleet.faults.set('northwind-bank', 0.2);
    const a = await answered.start({});
    const e = await expired.start({ reminderIntervalSeconds: 2 });
    const approving = [approveAll(answered, a), approveAll(expired, e)];
    const advisory = await answered.waitFor('advisory decision', async () => (await pending(answered, a.workflowId)).find((d) => d.kind === 'advisory-rollback'), 200_000);
    expect(advisory).toMatchObject({ tenantId: 'northwind-bank', defaultAction: 'roll back at the deadline' });
    await answered.client.workflow.getHandle(advisory.workflowId).executeUpdate(decideRollbackUpdate, { args: [{ actor: sam, decisionId: advisory.id, rollback: false, comment: 'known noisy batch job' }] });
    await Promise.all(approving);
    expect((await a.result()).phase).toBe('COMPLETED');
    expect((await e.result()).phase).toBe('COMPLETED');
    expect(await answered.flags.isEnabled('smart-routing', 'northwind-bank')).toBe(true);
    expect((await answered.status(a.workflowId)).tenants.find((t) => t.tenantId === 'northwind-bank')).toBeUndefined();
    const expiredState = (await expired.status(e.workflowId)).tenants.find((t) => t.tenantId === 'northwind-bank');
    expect(expiredState).toMatchObject({ state: 'rolled-back', reason: expect.stringMatching(/by default at deadline/) });
    expect(expired.messages.some((m) => /Advisory rollback for northwind-bank/.test(m.subject))).toBe(true);
    const audit = await e.query(auditQuery);
    expect(audit.some((x) => x.action === 'decision-expired' && x.tenantId === 'northwind-bank')).toBe(true);
  });

  test.concurrent('manual: a breach on a non-reversible change pauses the rollout until a person resumes it', async () => {
    const h = await harness(feature({ durations: fastDurations, rollback: { complexity: 'complex', how: 'restore the ledger snapshot', reversible: false } }));
    h.fleet.faults.set('bluebird-labs', 0.2);
    const handle = await h.start({});
    const approving = approveAll(h, handle);
    const paused = await waitForPhase(h, handle.workflowId, 'PAUSED', 200_000);
    expect(paused.pauseReason).toMatch(/manual rollback needed for bluebird-labs/);
    expect(h.messages.some((m) => m.severity === 'critical' && /bluebird-labs needs a manual rollback/.test(m.subject))).toBe(true);
    await sleep(1500);
    expect((await h.status(handle.workflowId)).phase).toBe('PAUSED');
    expect(await h.flags.isEnabled('smart-routing', 'bluebird-labs')).toBe(true);
    await handle.signal(pauseSignal, { actor: sam, reason: 'pausing for the investigation' });
    await handle.signal(rollbackTenantSignal, { actor: sam, tenantId: 'bluebird-labs', reason: 'ledger restored by hand; flag off' });
    await handle.signal(resumeSignal, { actor: sam, reason: 'investigated' });
    await handle.signal(resumeSignal, { actor: sam, reason: 'investigated (again)' });
    await approving;
    expect((await handle.result()).phase).toBe('COMPLETED');
    expect(await h.flags.isEnabled('smart-routing', 'bluebird-labs')).toBe(false);
    const audit = await handle.query(auditQuery);
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(['manual-pause', 'pause', 'resume']));
    // Controls that changed nothing are on the trail too, with who asked and why.
    expect(audit.find((x) => x.action === 'pause-skipped')).toMatchObject({ actor: 'user:sam', detail: expect.stringMatching(/^already paused \(manual rollback needed for bluebird-labs.*\): pausing for the investigation$/) });
    expect(audit.find((x) => x.action === 'resume-skipped')).toMatchObject({ actor: 'user:sam', detail: 'the rollout is not paused: investigated (again)' });
  });

  test.concurrent('plans with the plan config of its spec', async () => {
    const h = await harness();
    const handle = await h.start({ planConfig: { haltShare: { low: 0.4 } } });
    const plan = await h.waitFor('the stored plan', async () => h.store.getPlan(handle.workflowId), 60_000);
    // Only the low stage's halt share changed; the rest keeps its defaults (pilot 0.5, high 0).
    expect(plan.waves.map((w) => [w.stage, w.haltShare])).toEqual(expect.arrayContaining([['low', 0.4], ['pilot', 0.5], ['high', 0]]));
    await handle.signal(abortSignal, { actor: sam, reason: 'only the plan was under test' });
    expect((await handle.result()).phase).toBe('ABORTED');
  });

  test.concurrent('abort mid-rollout rolls back every enabled tenant, newest first', async () => {
    const h = await harness();
    const handle = await h.start({});
    // Approve everything up to the high-risk wave's per-tenant review, and abort there.
    const approving = approveAll(h, handle, ann, [], (d) => d.kind === 'tenant-go');
    await h.waitFor('high-risk wave review', async () => (await pending(h, handle.workflowId)).some((d) => d.kind === 'tenant-go'), 200_000);
    expect((await h.status(handle.workflowId)).counts.enabled).toBe(fleet().length - 1);
    await handle.signal(abortSignal, { actor: sam, reason: 'customer escalation' });
    const result = await handle.result();
    await approving;
    expect(result.phase).toBe('ABORTED');
    const enabledEver: { tenantId: string; at: string }[] = [];
    const disabled: { tenantId: string; at: string }[] = [];
    for (const t of fleet()) {
      for (const e of await h.flags.history('smart-routing', t.id)) (e.enabled ? enabledEver : disabled).push({ tenantId: t.id, at: e.at });
      expect(await h.flags.isEnabled('smart-routing', t.id)).toBe(false);
    }
    expect(disabled.map((d) => d.tenantId).sort()).toEqual(enabledEver.map((e) => e.tenantId).sort());
    // Newest first: the compensation walks the waves backwards.
    const waveOf = new Map((await h.store.getPlan(handle.workflowId))!.waves.flatMap((w) => w.members.map((m) => [m.tenantId, w.index] as const)));
    const order = (await handle.query(auditQuery)).filter((a) => a.action === 'rollback').map((a) => waveOf.get(a.tenantId!)!);
    expect(order).toHaveLength(enabledEver.length);
    expect(order).toEqual([...order].sort((a, b) => b - a));
    expect(new Set(order).size).toBeGreaterThan(1);
  });

  test.concurrent('a wave whose breaching share reaches its halt share halts the rollout; later waves wait until a person acts', async () => {
    const h = await harness(feature({ durations: { ...fastDurations, monitoringWindowSeconds: 5 } }));
    // bluebird-labs is the only member of its pilot wave (halt share 0.5): its breach is the whole wave.
    h.fleet.faults.set('bluebird-labs', 0.2);
    const handle = await h.start({});
    const approving = approveAll(h, handle);
    const halted = await waitForPhase(h, handle.workflowId, 'HALTED', 200_000);
    expect(halted.paused).toBe(true);
    expect(halted.pauseReason).toMatch(/^wave w1b halted the rollout: 1 of 1 tenant breaching \(100 %\) ≥ halt share 50 %, halt the wave: bluebird-labs/);
    expect(halted.waves.find((w) => w.waveId === 'w1b')!.phase).toBe('halted');
    expect(halted.waves.filter((w) => w.phase === 'scheduled').map((w) => w.waveId)).toEqual(['w2', 'w3', 'w4']);
    expect(h.messages.some((m) => m.severity === 'critical' && m.subject === `Rollout ${handle.workflowId} halted in wave w1b`)).toBe(true);
    expect(await h.flags.isEnabled('smart-routing', 'bluebird-labs')).toBe(false);
    expect(await h.flags.isEnabled('smart-routing', 'ringmaster-internal')).toBe(true);
    expect(await h.flags.history('smart-routing', 'harbor-freight-co')).toEqual([]);
    await handle.signal(abortSignal, { actor: sam, reason: 'halted on the pilot; investigate first' });
    expect((await handle.result()).phase).toBe('ABORTED');
    await approving;
    for (const t of fleet()) expect(await h.flags.isEnabled('smart-routing', t.id)).toBe(false);
    expect((await handle.query(auditQuery)).some((a) => a.action === 'halt' && a.waveId === 'w1b')).toBe(true);
  });

  test.concurrent('onDecisionTimeout hold: an unanswered go is reminded of, then holds the wave\'s tenants; nobody is enabled', async () => {
    const h = await harness(feature({ durations: { ...fastDurations, decisionTimeoutSeconds: 2 } }));
    const handle = await h.start({ onDecisionTimeout: 'hold', reminderIntervalSeconds: 1 });
    expect((await handle.result()).phase).toBe('COMPLETED');
    const status = await h.status(handle.workflowId);
    expect(status.counts.enabled).toBe(0);
    for (const t of fleet()) {
      expect(status.tenants.find((x) => x.tenantId === t.id)).toMatchObject({ state: 'held', reason: expect.stringMatching(/no decision before/) });
      expect(await h.flags.history('smart-routing', t.id)).toEqual([]);
    }
    const audit = await handle.query(auditQuery);
    expect(audit.filter((a) => a.action === 'decision-expired').every((a) => /default applied: hold$/.test(a.detail))).toBe(true);
    // One go per wave-approved wave, one per tenant of the per-tenant high wave.
    expect(audit.filter((a) => a.action === 'decision-expired').map((a) => a.tenantId ?? a.waveId)).toEqual(['w1a', 'w1b', 'w2', 'w3', 'northwind-bank']);
    expect(audit.some((a) => a.actor.startsWith('user:'))).toBe(false);
    // Reminded before the deadline passed, once a second.
    expect(h.messages.some((m) => m.severity === 'warning' && m.subject === `Reminder: 1 decision(s) waiting on rollout ${handle.workflowId}, wave w1a`)).toBe(true);
  });

  test.concurrent('onDecisionTimeout proceed-low-risk: unanswered pilot and low waves go ahead, medium and high ones are held', async () => {
    const h = await harness(feature({ durations: { ...fastDurations, decisionTimeoutSeconds: 2 } }));
    const handle = await h.start({ onDecisionTimeout: 'proceed-low-risk' });
    expect((await handle.result()).phase).toBe('COMPLETED');
    const plan = (await h.store.getPlan(handle.workflowId))!;
    const stageOf = new Map(plan.waves.flatMap((w) => w.members.map((m) => [m.tenantId, w.stage] as const)));
    const status = await h.status(handle.workflowId);
    for (const t of fleet()) {
      const lowRisk = ['pilot', 'low'].includes(stageOf.get(t.id)!);
      expect({ tenant: t.id, enabled: await h.flags.isEnabled('smart-routing', t.id) }).toEqual({ tenant: t.id, enabled: lowRisk });
      if (!lowRisk) expect(status.tenants.find((x) => x.tenantId === t.id)).toMatchObject({ state: 'held' });
    }
    expect(status.counts.enabled).toBe(fleet().filter((t) => ['pilot', 'low'].includes(stageOf.get(t.id)!)).length);
    const expired = (await handle.query(auditQuery)).filter((a) => a.action === 'decision-expired');
    expect(expired.filter((a) => /proceed \(low-risk wave\)$/.test(a.detail)).map((a) => a.waveId)).toEqual(['w1a', 'w1b', 'w2']);
    expect(expired.filter((a) => /default applied: hold$/.test(a.detail)).map((a) => a.waveId)).toEqual(['w3', 'w4']);
  });

  test.concurrent('a tenant readiness says no-go for is carried to the lane\'s next waves, and held after the last', async () => {
    // No admin or technical contact: readiness fails it in every wave, whatever else it is.
    const tenants = [...fleet(), tenant({ id: 'acorn-dental', integrations: [{ kind: 'chat', system: 'slack' }], contacts: [] })];
    const h = await startHarness(tenants, feature({ durations: fastDurations }));
    harnesses.push(h);
    const handle = await h.start({});
    await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    const plan = (await h.store.getPlan(handle.workflowId))!;
    const first = plan.waves.find((w) => w.members.some((m) => m.tenantId === 'acorn-dental'))!;
    const fromThere = plan.waves.filter((w) => w.lane === first.lane && w.index >= first.index).map((w) => w.id);
    expect(fromThere.length).toBeGreaterThan(1);
    const noGo = (await handle.query(auditQuery)).filter((a) => a.action === 'readiness-no-go' && a.tenantId === 'acorn-dental');
    expect(noGo.map((a) => a.waveId)).toEqual(fromThere);
    expect(noGo[0].detail).toMatch(/contact-present fail/);
    const status = await h.status(handle.workflowId);
    expect(status.tenants.find((t) => t.tenantId === 'acorn-dental')).toMatchObject({
      state: 'held', reason: expect.stringMatching(new RegExp(`^readiness no-go in wave ${fromThere.at(-1)}: .*; no later wave in lane ${first.lane}$`)),
    });
    expect(await h.flags.history('smart-routing', 'acorn-dental')).toEqual([]);
    expect(status.counts.enabled).toBe(fleet().length);
  });

  test.concurrent('a rejected plan ends the rollout before any wave starts', async () => {
    const h = await harness();
    const handle = await h.start({ requirePlanApproval: true });
    await h.waitFor('plan approval', async () => (await pending(h, handle.workflowId)).find((d) => d.kind === 'plan'));
    await handle.executeUpdate(rejectPlanUpdate, { args: [{ actor: ann, comment: 'not before the freeze' }] });
    expect(await handle.result()).toEqual({ phase: 'REJECTED', summary: 'plan rejected by ann' });
    const status = await h.status(handle.workflowId);
    expect(status.waves.every((w) => w.phase === 'scheduled')).toBe(true);
    for (const t of fleet()) expect(await h.flags.history('smart-routing', t.id)).toEqual([]);
    expect((await handle.query(auditQuery)).map((a) => a.action)).toEqual(['planned', 'plan:reject']);
  });

  test.concurrent('cancelling the rollout rolls back every tenant it enabled', async () => {
    const h = await harness();
    const handle = await h.start({});
    const approve = async (waveId: string) => {
      await h.waitFor(`go for ${waveId}`, async () => (await h.waveStatus(handle.workflowId, waveId)).pendingDecisions.length > 0, 200_000);
      await h.client.workflow.getHandle(waveWorkflowId(handle.workflowId, waveId)).executeUpdate(approveWaveUpdate, { args: [{ actor: ann, waveId }] });
    };
    await approve('w1a');
    await approve('w1b');
    // The low wave waits for its go while both pilot tenants have the feature.
    await h.waitFor('w2 awaiting its go', async () => (await h.waveStatus(handle.workflowId, 'w2')).pendingDecisions.length > 0, 200_000);
    expect(await h.flags.isEnabled('smart-routing', 'ringmaster-internal')).toBe(true);
    expect(await h.flags.isEnabled('smart-routing', 'bluebird-labs')).toBe(true);
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    expect((await handle.describe()).status.name).toBe('CANCELLED');
    for (const id of ['ringmaster-internal', 'bluebird-labs']) {
      expect(await h.flags.isEnabled('smart-routing', id)).toBe(false);
      expect((await h.flags.history('smart-routing', id)).at(-1)).toMatchObject({ enabled: false, reason: 'compensation: rollout cancelled' });
    }
  });

  test.concurrent('validators: four-eyes, wrong wave, wrong role, decided twice', async () => {
    const h = await harness();
    const handle = await h.start({});
    const go = await h.waitFor('w1 go', async () => (await pending(h, handle.workflowId)).find((d) => d.kind === 'wave-go'));
    const w1 = h.client.workflow.getHandle(go.workflowId);
    expect(await updateError(w1.executeUpdate(approveWaveUpdate, { args: [{ actor: ann, waveId: 'w9' }] }))).toMatch(new RegExp(`this is wave ${go.waveId}; the update named wave w9`));
    expect(await updateError(w1.executeUpdate(approveWaveUpdate, { args: [{ actor: { id: 'vic', role: 'viewer' }, waveId: go.waveId! }] }))).toMatch(/role 'viewer' cannot decide/);
    // A pm may not approve waves: the refusal is checked, not swallowed.
    expect(await updateError(w1.executeUpdate(approveWaveUpdate, { args: [{ actor: pat, waveId: go.waveId! }] }))).toMatch(/role 'pm' cannot decide wave/);
    await w1.executeUpdate(approveWaveUpdate, { args: [{ actor: ann, waveId: go.waveId! }] });
    expect(await updateError(w1.executeUpdate(approveWaveUpdate, { args: [{ actor: ann, waveId: go.waveId! }] }))).toMatch(/not awaiting a decision/);
    // Let ann approve up to the high-risk wave, where the starter may not approve.
    const patAsApprover: Actor = { id: 'pat', role: 'approver' };
    const approving = approveAll(h, handle, ann, [], (d) => d.kind === 'tenant-go');
    const tenantGo = await h.waitFor('high-risk tenant go', async () => (await pending(h, handle.workflowId)).find((d) => d.kind === 'tenant-go'), 200_000);
    expect(tenantGo.fourEyes).toBe(true);
    const highWave = h.client.workflow.getHandle(waveWorkflowId(handle.workflowId, tenantGo.waveId!));
    expect(await updateError(highWave.executeUpdate(approveTenantUpdate, {
      args: [{ actor: patAsApprover, waveId: tenantGo.waveId!, tenantId: tenantGo.tenantId! }],
    }))).toMatch(/four-eyes: pat started this rollout/);
    await highWave.executeUpdate(approveTenantUpdate, { args: [{ actor: ann, waveId: tenantGo.waveId!, tenantId: tenantGo.tenantId! }] });
    await approving;
    expect((await handle.result()).phase).toBe('COMPLETED');
  });
});
