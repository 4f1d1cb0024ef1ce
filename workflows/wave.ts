/**
 * One wave of a rollout, as a child workflow so no history grows with the number of tenants:
 * notices → readiness → go/no-go → enable → monitor (decision tree) → checkpoint → soak.
 * Decisions are made in activities (readiness, thresholds, verdicts) and recorded in history.
 */
import { CancellationScope, condition, getExternalWorkflowHandle, isCancellation, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import type {
  Actor, AuditEntry, DecisionTimeoutOutcome, PendingDecision, TenantOutcome, WaveOutcome, WavePhase, WaveRef, WaveResult, WaveSummary,
} from '../shared/model/rollout';
import {
  approveTenantUpdate, approveWaveUpdate, decideRollbackUpdate, decisionRoles, pauseSignal, rejectTenantUpdate,
  rejectWaveUpdate, waveAwaitingSignal, waveControlSignal, waveStatusQuery, type DecisionReceipt, type DecisionInput,
} from './messages';
import { samplesPerWave } from '../shared/monitoring/durations';
import { acts, batches, iso } from './activities';

export interface WaveInput {
  rolloutId: string;
  featureKey: string;
  wave: WaveRef;
  startedBy: Actor;
  /** Tenants deferred from an earlier wave of the same lane, with why. */
  carried: { tenantId: string; reason: string }[];
  excluded: { tenantId: string; state: 'excluded' | 'held'; reason: string }[];
  paused: boolean;
  noticeLeadSeconds: number;
  /** Time customer success has to review and send the drafts before the lead counts (plans without it: none). */
  noticeReviewSeconds?: number;
  /** When the rollout prepared (and, where configured, sent) its tenants' notices. */
  noticesAt?: string;
  decisionTimeoutSeconds: number;
  reminderIntervalSeconds: number;
  onDecisionTimeout: DecisionTimeoutOutcome;
}

interface OpenDecision extends PendingDecision {
  resolved?: { approve: boolean; by: string; at: string; comment?: string; byDefault?: boolean };
}

/** The wave child workflow: runs the wave, stores its full outcome, reports the compact result. */
export async function waveWorkflow(input: WaveInput): Promise<WaveResult> {
  const o = await runWave(input);
  await acts.recordWaveOutcome.executeWithOptions(
    { startToCloseTimeout: '1 minute', summary: `store the outcome of wave ${o.waveId} (${o.tenants.length} tenant(s))` },
    [{ rolloutId: input.rolloutId, outcome: o }],
  );
  return {
    waveId: o.waveId, phase: o.phase, startedAt: o.startedAt, endedAt: o.endedAt,
    enabled: o.tenants.filter((t) => t.state === 'enabled').length,
    notable: o.tenants.filter((t) => t.state !== 'enabled'),
    deferred: o.deferred, audit: o.audit, stopReason: o.stopReason,
  };
}

async function runWave(input: WaveInput): Promise<WaveOutcome> {
  const { rolloutId, featureKey } = input;
  const waveId = input.wave.id;
  /** The wave's details, read from the stored plan by the first activity. */
  let wave!: WaveSummary;
  const workflowId = workflowInfo().workflowId;
  const startedAt = iso();
  let phase: WavePhase = 'scheduled';
  let paused = input.paused;
  let aborted = false;
  let stopReason: string | undefined;
  const tenants = new Map<string, TenantOutcome>();
  const decisions = new Map<string, OpenDecision>();
  const enabledOrder: string[] = [];
  const deferred: { tenantId: string; reason: string }[] = [];
  const audit: AuditEntry[] = [];
  /** Tenants whose breach already paused the rollout once; resuming acknowledges them. */
  const acknowledged = new Set<string>();
  const rollbackRequests: { tenantId: string; actor: string; reason: string }[] = [];
  /**
   * Once tenants are enabled, a person's rollback is done in every wait (paused, checkpoint, advisory
   * answers) and before the wave ends; waves recorded before that did it only between samples and
   * in the soak, so a request during a checkpoint waited for it, and was lost if the wave had no soak.
   */
  const rollbackInEveryWait = patched('rollback-in-every-wait');
  const advisoryInWindow = patched('advisory-deadline-in-window');
  const rollbackDue = () => rollbackInEveryWait && rollbackRequests.length > 0 && enabledOrder.length > 0;
  /** condition(), also doing the rollbacks people ask for meanwhile; true once `done` holds. */
  const waitDoingRollbacks = async (done: () => boolean, ms: number | undefined, summary?: string): Promise<boolean> => {
    const since = Date.now();
    for (;;) {
      const left = ms === undefined ? undefined : Math.max(0, ms - (Date.now() - since));
      const woke = left === undefined
        ? (await condition(() => done() || rollbackDue()), true)
        : await condition(() => done() || rollbackDue(), left, summary ? { summary } : {});
      if (!rollbackDue()) return woke && done();
      await handleRollbackRequests();
      if (done()) return true;
    }
  };

  const record = (actor: string, action: string, detail: string, tenantId?: string) => {
    audit.push({ at: iso(), actor, action, waveId, tenantId, detail });
  };
  const setTenant = (tenantId: string, state: TenantOutcome['state'], reason: string, extra: Partial<TenantOutcome> = {}) => {
    const prev = tenants.get(tenantId);
    tenants.set(tenantId, { ...prev, tenantId, state, reason, ...extra });
  };
  const pendingList = () => [...decisions.values()].filter((d) => !d.resolved).map(({ resolved: _r, ...d }) => d);

  setHandler(waveStatusQuery, () => ({ waveId, workflowId, phase, paused, tenants: [...tenants.values()], pendingDecisions: pendingList() }));

  /**
   * Exclusions and holds that arrive before the wave has read its members (it waits for its notice
   * lead first, which can be days before a catch-up wave or a Monday start): applied to the members.
   */
  const early = new Map<string, { state: 'excluded' | 'held'; reason: string }>();
  setHandler(waveControlSignal, (c) => {
    if (c.kind === 'pause') paused = true;
    else if (c.kind === 'resume') paused = false;
    else if (c.kind === 'abort') aborted = true;
    else if (c.kind === 'exclude' && c.tenantId) {
      const t = tenants.get(c.tenantId);
      const state = c.state ?? 'excluded';
      if (!t) early.set(c.tenantId, { state, reason: c.reason });
      else if (t.state !== 'enabled' && t.state !== 'rolled-back') setTenant(c.tenantId, state, c.reason);
    } else if (c.kind === 'rollback' && c.tenantId) {
      rollbackRequests.push({ tenantId: c.tenantId, actor: c.actor, reason: c.reason });
    }
  });

  // Validators run before anything is written to history: the caller hears why it was refused.
  const validate = (decision: OpenDecision | undefined, what: string, actor: Actor, roles: readonly string[]) => {
    if (!decision || decision.resolved) throw new Error(`${what} is not awaiting a decision (wave ${waveId} is ${phase})`);
    if (!roles.includes(actor.role)) throw new Error(`role '${actor.role}' cannot decide ${what}; allowed: ${roles.join(', ')}`);
    if (decision.fourEyes && actor.id === input.startedBy.id) {
      throw new Error(`four-eyes: ${actor.id} started this rollout and cannot approve ${what}; another approver must decide`);
    }
  };
  const resolve = (decision: OpenDecision, approve: boolean, d: DecisionInput, outcome: string): DecisionReceipt => {
    const at = iso();
    decision.resolved = { approve, by: d.actor.id, at, comment: d.comment };
    record(`user:${d.actor.id}`, `${decision.kind}:${approve ? 'approve' : 'reject'}`, `${outcome}${d.comment ? ` — "${d.comment}"` : ''} (raised ${decision.raisedAt})`, decision.tenantId);
    return { decisionId: decision.id, accepted: true, by: d.actor.id, at, outcome };
  };
  const waveDecision = () => [decisions.get(`${waveId}:go`), decisions.get(`${waveId}:checkpoint`)].find((d) => d && !d.resolved);
  const checkWaveId = (id: string) => {
    if (id !== waveId) throw new Error(`this is wave ${waveId}; the update named wave ${id}`);
  };
  for (const [update, approve] of [[approveWaveUpdate, true], [rejectWaveUpdate, false]] as const) {
    setHandler(update, (d) => resolve(waveDecision()!, approve, d, `wave ${waveId} ${approve ? 'approved' : 'rejected'}`), {
      validator: (d) => { checkWaveId(d.waveId); validate(waveDecision(), `wave ${waveId}`, d.actor, decisionRoles.wave); },
    });
  }
  for (const [update, approve] of [[approveTenantUpdate, true], [rejectTenantUpdate, false]] as const) {
    setHandler(update, (d) => resolve(decisions.get(`${waveId}:tenant:${d.tenantId}`)!, approve, d, `tenant ${d.tenantId} ${approve ? 'approved' : 'rejected'} for wave ${waveId}`), {
      validator: (d) => { checkWaveId(d.waveId); validate(decisions.get(`${waveId}:tenant:${d.tenantId}`), `tenant ${d.tenantId} in wave ${waveId}`, d.actor, decisionRoles.tenant); },
    });
  }
  setHandler(decideRollbackUpdate, (d) => resolve(decisions.get(d.decisionId)!, d.rollback, d, d.rollback ? 'roll back' : 'keep the feature on'), {
    validator: (d) => validate(decisions.get(d.decisionId), `decision ${d.decisionId}`, d.actor, decisionRoles.rollback),
  });

  const raise = (d: Omit<OpenDecision, 'workflowId' | 'raisedAt' | 'deadline'> & { timeoutSeconds?: number }) => {
    const raisedAt = new Date();
    const deadline = new Date(raisedAt.getTime() + (d.timeoutSeconds ?? input.decisionTimeoutSeconds) * 1000).toISOString();
    const { timeoutSeconds: _t, ...rest } = d;
    decisions.set(d.id, { ...rest, workflowId, raisedAt: raisedAt.toISOString(), deadline });
    record('rollout', 'decision-raised', `${d.question} (deadline ${deadline}, default: ${d.defaultAction})`, d.tenantId);
  };

  /** Pausing the rollout from inside a wave goes through the parent, so every lane stops. */
  const pauseRollout = async (reason: string) => {
    paused = true;
    const parent = workflowInfo().parent;
    if (parent) await getExternalWorkflowHandle(parent.workflowId).signal(pauseSignal, { actor: { id: 'rollout', role: 'system' }, reason });
  };
  const waitWhilePaused = async () => {
    if (paused) await waitDoingRollbacks(() => !paused || aborted, undefined);
  };

  /**
   * Waits for the given decisions until their deadline, reminding people meanwhile. At the
   * deadline each unresolved decision gets the outcome the spec chose for expiry.
   */
  /**
   * `onExpiry` is told whether a pause for another decision that expired with this one has just
   * been resumed: one pause then covers them all (a per-tenant wave would otherwise pause once per
   * tenant and need a resume each). Waves recorded before paused once per decision.
   */
  const onePausePerExpiry = patched('one-pause-per-expiry');
  const awaitDecisions = async (ids: string[], onExpiry: (d: OpenDecision, resumed: boolean) => Promise<'retry' | 'done'>) => {
    for (;;) {
      const open = () => ids.map((id) => decisions.get(id)!).filter((d) => !d.resolved);
      if (open().length === 0 || aborted) return;
      const deadline = Math.min(...open().map((d) => Date.parse(d.deadline)));
      const wait = Math.max(0, Math.min(deadline - Date.now(), input.reminderIntervalSeconds * 1000));
      const done = await waitDoingRollbacks(() => open().length === 0 || aborted, wait, `waiting for ${open().length} decision(s) on wave ${waveId}`);
      if (done) continue;
      if (Date.now() < deadline) {
        await acts.notifyPeople({
          subject: `Reminder: ${open().length} decision(s) waiting on rollout ${rolloutId}, wave ${waveId}`,
          text: open().map((d) => `- ${d.question} (deadline ${d.deadline}; default: ${d.defaultAction})`).join('\n'),
          severity: 'warning',
        });
        continue;
      }
      let resumed = false;
      for (const d of open().filter((x) => Date.parse(x.deadline) <= Date.now())) {
        if (d.resolved) continue;
        if ((await onExpiry(d, resumed)) === 'retry') {
          d.deadline = new Date(Date.now() + input.decisionTimeoutSeconds * 1000).toISOString();
          d.raisedAt = iso();
          resumed = onePausePerExpiry;
        }
      }
    }
  };

  const expireGoDecision = async (d: OpenDecision, resumed: boolean): Promise<'retry' | 'done'> => {
    const lowRisk = wave.stage === 'pilot' || wave.stage === 'low';
    const outcome = input.onDecisionTimeout === 'proceed-low-risk' ? (lowRisk ? 'proceed' : 'hold') : input.onDecisionTimeout;
    if (outcome === 'pause' && resumed) {
      record('rollout', 'decision-expired', `${d.question}: nobody decided by ${d.deadline}; asked again after the same pause as the decisions that expired with it`, d.tenantId);
      return 'retry';
    }
    if (outcome === 'pause') {
      record('rollout', 'decision-expired', `${d.question}: nobody decided by ${d.deadline}; the rollout pauses until resumed, then asks again`, d.tenantId);
      await pauseRollout(`decision deadline passed: ${d.question}`);
      await waitWhilePaused();
      return 'retry';
    }
    const approve = outcome === 'proceed';
    d.resolved = { approve, by: 'rollout', at: iso(), byDefault: true };
    record('rollout', 'decision-expired', `${d.question}: nobody decided by ${d.deadline}; default applied: ${approve ? 'proceed (low-risk wave)' : 'hold'}`, d.tenantId);
    return 'done';
  };

  /** Tenants a person rolled back on request (the rollbackTenant control), not for a breach. */
  const onRequest = new Set<string>();
  const rollBack = async (tenantIds: string[], actor: string, reason: string) => {
    const ids = tenantIds.filter((id) => tenants.get(id)?.state === 'enabled');
    for (const chunk of batches(ids)) {
      await acts.setFlags.executeWithOptions(
        { startToCloseTimeout: '1 minute', retry: { maximumAttempts: 10 }, summary: `roll back ${chunk.length} tenant(s): ${reason}`.slice(0, 200) },
        [{ rolloutId, featureKey, tenantIds: chunk, enabled: false, actor, reason }],
      );
      for (const id of chunk) {
        setTenant(id, 'rolled-back', reason, { rolledBackAt: iso() });
        record(actor, 'rollback', reason, id);
      }
    }
  };

  const outcome = (final: WavePhase): WaveOutcome => {
    phase = final;
    return { waveId, phase: final, startedAt, endedAt: iso(), tenants: [...tenants.values()], deferred, enabledOrder, audit, stopReason };
  };

  const sleepUntil = async (at: number, summary: string) => {
    const ms = at - Date.now();
    if (ms > 0) await condition(() => aborted, ms, { summary });
  };

  try {
    // 1. Notices go out the lead time before the wave starts.
    phase = 'waiting-for-start';
    const loaded = await acts.loadWave({ rolloutId, waveId, carried: input.carried.map((c) => c.tenantId) });
    wave = loaded.wave;
    const members = loaded.members;
    const plannedStart = Date.parse(wave.plannedStart);
    // Notices the wave writes itself (carried tenants) are drafts too, so they come a review time earlier.
    const told = (input.noticeLeadSeconds + (input.noticeReviewSeconds ?? 0)) * 1000;
    await sleepUntil(plannedStart - told, `notice lead time before wave ${waveId}`);
    for (const m of members) {
      const carried = input.carried.find((c) => c.tenantId === m.tenantId);
      setTenant(m.tenantId, 'pending', carried ? `carried over: ${carried.reason}` : m.reason);
    }
    for (const x of input.excluded) if (tenants.has(x.tenantId)) setTenant(x.tenantId, x.state, x.reason);
    for (const [tenantId, x] of early) if (tenants.has(tenantId)) setTenant(tenantId, x.state, x.reason);
    const active = () => [...tenants.values()].filter((t) => t.state === 'pending' || t.state === 'notified').map((t) => t.tenantId);
    if (aborted) return finishAborted();

    // The rollout prepared its tenants' notices when it started; tenants carried over from an
    // earlier wave get one for this wave now. A draft has told nobody yet.
    phase = 'notifying';
    // Notices prepared when the rollout started (planning and plan approval took their time) give
    // their review time and full lead only that long after: the wave waits rather than start short.
    const ledAt = input.noticesAt === undefined ? plannedStart : Math.max(plannedStart, Date.parse(input.noticesAt) + told);
    // Readiness judges the lead against when the wave really starts, not the plan's start.
    const latestSend = ledAt - input.noticeLeadSeconds * 1000;
    const unsent = latestSend < Date.now()
      ? `it had to be sent by ${new Date(latestSend).toISOString()}, so the readiness check will find the notice lead short`
      : `the readiness check needs it sent by ${new Date(latestSend).toISOString()}`;
    for (const chunk of batches(active())) {
      const notices = await acts.prepareNotices({ rolloutId, waveId, tenantIds: chunk });
      for (const n of notices) {
        if (n.status === 'sent') setTenant(n.tenantId, 'notified', `notice ${n.noticeId} (${n.source}) sent ${n.sentAt ?? '(time not recorded)'}`);
        else setTenant(n.tenantId, 'pending', `notice ${n.noticeId} (${n.source}) is ${n.status === 'approved' ? 'approved' : 'a draft'}, not sent: ${unsent}`);
      }
    }
    await sleepUntil(ledAt, ledAt > plannedStart ? `wave ${waveId}: notice lead since the notices went out` : `wave ${waveId} planned start`);
    await waitWhilePaused();
    if (aborted) return finishAborted();

    // 2. Readiness: no-go tenants are deferred; needs-review tenants need a person.
    phase = 'readiness';
    const needsReview: string[] = [];
    for (const chunk of batches(active())) {
      const checks = await acts.checkReadiness({ rolloutId, waveId, tenantIds: chunk });
      for (const r of checks) {
        if (r.verdict === 'no-go') {
          setTenant(r.tenantId, 'deferred', `readiness no-go: ${r.summary}`);
          deferred.push({ tenantId: r.tenantId, reason: `readiness no-go in wave ${waveId}: ${r.summary}` });
          record('rollout', 'readiness-no-go', r.summary, r.tenantId);
        } else if (r.verdict === 'needs-review') {
          needsReview.push(r.tenantId);
        }
      }
    }

    // 3. Go / no-go.
    phase = 'awaiting-go';
    const perTenant = wave.approval === 'per-tenant';
    const decisionIds: string[] = [];
    if (!perTenant && active().length > 0) {
      raise({ id: `${waveId}:go`, kind: 'wave-go', waveId, question: `Go for wave ${waveId} (${wave.name}, ${active().length} tenant(s))?`, defaultAction: describeExpiry(input.onDecisionTimeout, wave), fourEyes: wave.fourEyes });
      decisionIds.push(`${waveId}:go`);
    }
    for (const tenantId of perTenant ? active() : needsReview.filter((id) => active().includes(id))) {
      const review = needsReview.includes(tenantId);
      raise({
        id: `${waveId}:tenant:${tenantId}`, kind: 'tenant-go', waveId, tenantId,
        question: `Go for tenant ${tenantId} in wave ${waveId}?${review ? ' Readiness needs review.' : ''}`,
        defaultAction: describeExpiry(input.onDecisionTimeout, wave), fourEyes: wave.fourEyes,
      });
      decisionIds.push(`${waveId}:tenant:${tenantId}`);
    }
    await setRolloutAwaiting(true);
    await awaitDecisions(decisionIds, expireGoDecision);
    await setRolloutAwaiting(false);
    if (aborted) return finishAborted();
    const waveGo = decisions.get(`${waveId}:go`);
    if (waveGo?.resolved && !waveGo.resolved.approve) {
      stopReason = waveGo.resolved.byDefault ? `wave ${waveId} held: no decision before ${waveGo.deadline}` : `wave ${waveId} rejected by ${waveGo.resolved.by}${waveGo.resolved.comment ? `: ${waveGo.resolved.comment}` : ''}`;
      for (const id of active()) setTenant(id, waveGo.resolved.byDefault ? 'held' : 'rejected', stopReason);
      return outcome(waveGo.resolved.byDefault ? 'skipped' : 'rejected');
    }
    for (const id of decisionIds.filter((x) => x.includes(':tenant:'))) {
      const d = decisions.get(id)!;
      if (d.resolved && !d.resolved.approve) setTenant(d.tenantId!, d.resolved.byDefault ? 'held' : 'rejected', d.resolved.byDefault ? `no decision before ${d.deadline}` : `rejected by ${d.resolved.by}${d.resolved.comment ? `: ${d.resolved.comment}` : ''}`);
    }

    // 4. Enable, idempotently per rollout + tenant.
    phase = 'enabling';
    await waitWhilePaused();
    if (aborted) return finishAborted();
    // A rollback asked for before its tenant is enabled keeps the tenant out: enabling it only to
    // turn it off again is not what anyone asked. Waves recorded before enabled, then rolled back.
    if (patched('rollback-before-enable')) keepOutOnRequest();
    for (const chunk of batches(active())) {
      await acts.setFlags.executeWithOptions(
        { startToCloseTimeout: '1 minute', retry: { maximumAttempts: 10 }, summary: `enable ${featureKey} for ${chunk.length} tenant(s) in wave ${waveId}` },
        [{ rolloutId, featureKey, tenantIds: chunk, enabled: true, actor: 'rollout', reason: `wave ${waveId} approved` }],
      );
      for (const id of chunk) {
        setTenant(id, 'enabled', `enabled in wave ${waveId}`, { enabledAt: iso() });
        enabledOrder.push(id);
      }
    }

    // 5. Monitoring: sample every interval for the window and act on the decision tree.
    phase = 'monitoring';
    // Samples and thresholds stay in the store; history records only the verdicts that call for action.
    const samplesPlanned = samplesPerWave(wave);
    for (let n = 0; n < samplesPlanned && !aborted; n++) {
      await condition(() => aborted || rollbackRequests.length > 0, wave.sampleIntervalSeconds * 1000, { summary: `monitoring wave ${waveId}: sample ${n + 1} of ${samplesPlanned}` });
      await handleRollbackRequests();
      await waitWhilePaused();
      if (aborted) break;
      const watched = [...tenants.values()].filter((t) => t.state === 'enabled').map((t) => t.tenantId);
      if (watched.length === 0) break;
      // A person's rollback on request is their call, not a breach: only breaches count towards the halt share.
      const rolledBack = [...tenants.values()].filter((t) => t.state === 'rolled-back' && !onRequest.has(t.tenantId)).map((t) => t.tenantId);
      const sample = await acts.sampleWave.executeWithOptions(
        { startToCloseTimeout: '2 minutes', heartbeatTimeout: '1 minute', summary: `sample ${n + 1} of ${samplesPlanned}: ${watched.length} tenant(s) in wave ${waveId}` },
        [{ rolloutId, waveId, featureKey, tenantIds: watched, windowSeconds: wave.sampleIntervalSeconds, sampleNo: n, rolledBack, haltShare: wave.haltShare }],
      );
      const breaching = sample.breaches.map((verdict) => ({ tenantId: verdict.tenantId, verdict }));
      const toRollBack = breaching.filter((v) => v.verdict.action === 'rollback').map((v) => v.tenantId);
      if (toRollBack.length) {
        await rollBack(toRollBack, 'rollout', `automatic rollback: ${breaching.filter((v) => toRollBack.includes(v.tenantId)).map((v) => `${v.tenantId} ${v.verdict.reason}`).join('; ')}`);
      }
      const wv = sample.halt;
      if (wv.halt) {
        stopReason = `wave ${waveId} halted the rollout: ${wv.reason}`;
        record('rollout', 'halt', wv.reason);
        await acts.notifyPeople({ subject: `Rollout ${rolloutId} halted in wave ${waveId}`, text: wv.reason, severity: 'critical' });
        if (rollbackInEveryWait) await handleRollbackRequests();
        return outcome('halted');
      }
      for (const v of breaching.filter((x) => x.verdict.action === 'ask')) {
        const id = `${waveId}:rollback:${v.tenantId}`;
        if (decisions.has(id)) continue;
        raise({ id, kind: 'advisory-rollback', waveId, tenantId: v.tenantId, question: `Roll back ${v.tenantId}? ${v.verdict.reason}`, defaultAction: 'roll back at the deadline', fourEyes: false });
        await acts.notifyPeople({ subject: `Advisory rollback for ${v.tenantId} (rollout ${rolloutId})`, text: `${v.verdict.reason}\nDecide before ${decisions.get(id)!.deadline}; default: roll back.`, severity: 'warning' });
      }
      for (const v of breaching.filter((x) => x.verdict.action === 'pause' && !acknowledged.has(x.tenantId))) {
        acknowledged.add(v.tenantId);
        const reason = `manual rollback needed for ${v.tenantId}: ${v.verdict.reason}`;
        record('rollout', 'manual-pause', reason, v.tenantId);
        await acts.notifyPeople({ subject: `Rollout ${rolloutId} paused: ${v.tenantId} needs a manual rollback`, text: reason, severity: 'critical' });
        await pauseRollout(reason);
        await waitWhilePaused();
      }
      // An advisory decision whose deadline passed during the window gets its default (roll back)
      // now, not when the window ends hours later. Waves recorded before waited for the window.
      if (advisoryInWindow) for (const d of openAdvisory()) if (Date.parse(d.deadline) <= Date.now()) expireAdvisory(d);
      await applyAdvisoryOutcomes();
    }
    // Advisory decisions raised during the window still get their answer (or default).
    await awaitDecisions(openAdvisory().map((d) => d.id), async (d) => {
      expireAdvisory(d);
      return 'done';
    });
    await applyAdvisoryOutcomes();
    if (aborted) return finishAborted();

    // 6. Manual checkpoint (medium waves), then soak.
    if (wave.manualCheckpoint && enabledOrder.length > 0) {
      phase = 'awaiting-checkpoint';
      raise({ id: `${waveId}:checkpoint`, kind: 'wave-checkpoint', waveId, question: `Monitoring of wave ${waveId} is over: confirm the wave looks healthy?`, defaultAction: 'pause the rollout until someone resumes it, then ask again', fourEyes: wave.fourEyes });
      await setRolloutAwaiting(true);
      await awaitDecisions([`${waveId}:checkpoint`], async (d) => {
        record('rollout', 'decision-expired', `${d.question}: nobody decided by ${d.deadline}; the rollout pauses`);
        await pauseRollout(`checkpoint of wave ${waveId} not confirmed`);
        await waitWhilePaused();
        return 'retry';
      });
      await setRolloutAwaiting(false);
      const cp = decisions.get(`${waveId}:checkpoint`)!;
      if (cp.resolved && !cp.resolved.approve) {
        stopReason = `checkpoint of wave ${waveId} rejected by ${cp.resolved.by}${cp.resolved.comment ? `: ${cp.resolved.comment}` : ''}`;
        if (rollbackInEveryWait) await handleRollbackRequests();
        return outcome('halted');
      }
    }
    phase = 'soaking';
    const soakEnd = Date.now() + wave.soakSeconds * 1000;
    while (Date.now() < soakEnd && !aborted) {
      await condition(() => aborted || rollbackRequests.length > 0, soakEnd - Date.now(), { summary: `soak of wave ${waveId}` });
      await handleRollbackRequests();
    }
    await waitWhilePaused();
    if (aborted) return finishAborted();
    if (rollbackInEveryWait) await handleRollbackRequests();
    return outcome('completed');
  } catch (err) {
    if (isCancellation(err)) {
      // Cancelled with the rollout: compensate what this wave enabled, newest first, then end.
      await CancellationScope.nonCancellable(() => compensate('rollout cancelled'));
    }
    throw err;
  }

  /** Abort: roll back what this wave enabled, newest first, before reporting the outcome. */
  async function finishAborted(): Promise<WaveOutcome> {
    await compensate('rollout aborted');
    return outcome('aborted');
  }

  async function compensate(reason: string) {
    const newestFirst = [...enabledOrder].reverse().filter((id) => tenants.get(id)?.state === 'enabled');
    if (newestFirst.length) await rollBack(newestFirst, 'rollout', `compensation: ${reason}`);
  }

  function keepOutOnRequest() {
    for (const r of rollbackRequests.splice(0)) {
      const state = tenants.get(r.tenantId)?.state;
      if (state === 'pending' || state === 'notified' || state === 'deferred') {
        // A deferred tenant would be carried to a later wave and enabled there.
        const carried = deferred.findIndex((d) => d.tenantId === r.tenantId);
        if (carried >= 0) deferred.splice(carried, 1);
        setTenant(r.tenantId, 'excluded', `rollback asked for by ${r.actor} before it was enabled: kept out of the rollout (${r.reason})`);
        record(`user:${r.actor}`, 'exclude', `rollback asked for before it was enabled, so not enabled: ${r.reason}`, r.tenantId);
      } else if (state === 'enabled') {
        rollbackRequests.push(r);
      } else {
        record('rollout', 'rollback-skipped', `${r.tenantId} is not enabled in wave ${waveId} (${state ?? 'not a member'}); nothing to roll back`, r.tenantId);
      }
    }
  }

  async function handleRollbackRequests() {
    while (rollbackRequests.length) {
      const r = rollbackRequests.shift()!;
      if (tenants.get(r.tenantId)?.state === 'enabled') onRequest.add(r.tenantId);
      await rollBack([r.tenantId], `user:${r.actor}`, `manual rollback: ${r.reason}`);
    }
  }

  function openAdvisory(): OpenDecision[] {
    return [...decisions.values()].filter((d) => d.kind === 'advisory-rollback' && !d.resolved);
  }

  function expireAdvisory(d: OpenDecision) {
    d.resolved = { approve: true, by: 'rollout', at: iso(), byDefault: true };
    record('rollout', 'decision-expired', `${d.question}: nobody decided by ${d.deadline}; default applied: roll back`, d.tenantId);
  }

  async function applyAdvisoryOutcomes() {
    for (const d of decisions.values()) {
      if (d.kind !== 'advisory-rollback' || !d.resolved || !d.tenantId) continue;
      if (d.resolved.approve && tenants.get(d.tenantId)?.state === 'enabled') {
        await rollBack([d.tenantId], d.resolved.byDefault ? 'rollout' : `user:${d.resolved.by}`, `advisory rollback ${d.resolved.byDefault ? 'by default at deadline' : `decided by ${d.resolved.by}`}`);
      } else if (!d.resolved.approve && !acknowledged.has(d.tenantId)) {
        acknowledged.add(d.tenantId);
      }
    }
  }

  /** Tell the parent (and so the search attribute) that people are needed, or no longer. */
  async function setRolloutAwaiting(waiting: boolean) {
    const parent = workflowInfo().parent;
    if (!parent || (waiting && pendingList().length === 0)) return;
    await getExternalWorkflowHandle(parent.workflowId).signal(waveAwaitingSignal, { waveId, waiting });
  }

}

function describeExpiry(outcome: DecisionTimeoutOutcome, wave: WaveSummary): string {
  if (outcome === 'proceed-low-risk') return wave.stage === 'pilot' || wave.stage === 'low' ? 'proceed (low-risk wave)' : 'hold the tenants';
  return outcome === 'hold' ? 'hold the tenants' : 'pause the rollout until someone resumes it, then ask again';
}
