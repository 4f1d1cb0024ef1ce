/**
 * One rollout of one feature across the fleet: plan (in an activity) → optional plan approval →
 * waves as child workflows, lanes in parallel → health window → health report → retrospective.
 * Controls (pause, resume, abort, exclude, rollback) arrive as signals and reach running waves.
 */
import {
  CancellationScope, condition, executeChild, getExternalWorkflowHandle, isCancellation,
  setHandler, upsertSearchAttributes, workflowInfo, ParentClosePolicy, ChildWorkflowCancellationType,
} from '@temporalio/workflow';
import type {
  AuditEntry, PendingDecision, PlanSummary, RolloutPhase, RolloutSpec, TenantOutcome, WaveOutcome, WavePhase, WaveSummary,
} from '../shared/model/rollout';
import { RolloutFeature, RolloutStatus as RolloutStatusKey, RolloutWave } from '../shared/temporal/search-attributes';
import {
  abortSignal, approvePlanUpdate, auditQuery, decisionRoles, excludeTenantSignal, pauseSignal, planQuery, rejectPlanUpdate,
  resumeSignal, rollbackTenantSignal, statusQuery, waveAwaitingSignal, waveControlSignal, waveWorkflowId,
  type DecisionInput, type DecisionReceipt,
} from './messages';
import { acts, batches, iso } from './activities';
import { waveWorkflow, type WaveInput } from './wave';

/** Defaults for what the spec leaves out; the spec's zod schema fills these for API callers. */
const DEFAULT_REMINDER_SECONDS = 4 * 3600;

export async function rolloutWorkflow(spec: RolloutSpec): Promise<{ phase: RolloutPhase; summary: string }> {
  const startedAt = iso();
  const { rolloutId } = spec;
  let phase: RolloutPhase = 'PLANNING';
  let paused = false;
  let pauseReason: string | undefined;
  let aborted = false;
  let plan: PlanSummary | undefined;
  let planDecision: { approve: boolean; by: string; comment?: string } | undefined;
  const audit: AuditEntry[] = [];
  const tenants = new Map<string, TenantOutcome>();
  const waves = new Map<string, { phase: WavePhase; stopReason?: string }>();
  const outcomes: WaveOutcome[] = [];
  const running = new Set<string>();
  const finished = new Set<string>();
  const awaiting = new Set<string>();
  const excluded = new Map<string, { tenantId: string; state: 'excluded' | 'held'; reason: string }>();
  const rollbackQueue: { tenantId: string; actor: string; reason: string }[] = [];
  let planPending: PendingDecision | undefined;

  const record = (actor: string, action: string, detail: string, extra: Partial<AuditEntry> = {}) => {
    audit.push({ at: iso(), actor, action, detail, ...extra });
  };
  const effectivePhase = (): RolloutPhase => (paused && phase === 'RUNNING' ? 'PAUSED' : awaiting.size > 0 && phase === 'RUNNING' ? 'AWAITING_APPROVAL' : phase);
  let publishedStatus = '';
  let publishedWave = -1;
  const publish = () => {
    const status = effectivePhase();
    const waveIndex = Math.max(0, ...[...running].map((id) => plan?.waves.find((w) => w.id === id)?.index ?? 0));
    if (status === publishedStatus && waveIndex === publishedWave) return;
    publishedStatus = status;
    publishedWave = waveIndex;
    upsertSearchAttributes([
      { key: RolloutFeature, value: spec.featureKey },
      { key: RolloutStatusKey, value: status },
      { key: RolloutWave, value: waveIndex },
    ]);
  };
  const setPhase = (p: RolloutPhase) => {
    phase = p;
    publish();
  };
  const forward = async (kind: 'pause' | 'resume' | 'abort' | 'exclude' | 'rollback', actor: string, reason: string, tenantId?: string) => {
    for (const waveId of running) {
      await getExternalWorkflowHandle(waveWorkflowId(rolloutId, waveId)).signal(waveControlSignal, { kind, actor, reason, tenantId });
    }
  };

  setHandler(statusQuery, () => {
    const all = [...tenants.values()];
    const count = (s: TenantOutcome['state']) => all.filter((t) => t.state === s).length;
    return {
      rolloutId, featureKey: spec.featureKey, phase: effectivePhase(), paused, pauseReason, startedBy: spec.startedBy.id,
      currentWaves: [...running].map((waveId) => ({ waveId, workflowId: waveWorkflowId(rolloutId, waveId) })),
      waves: (plan?.waves ?? []).map((w) => ({ waveId: w.id, ...(waves.get(w.id) ?? { phase: 'scheduled' as const }) })),
      tenants: all,
      pendingDecisions: planPending ? [planPending] : [],
      counts: { enabled: count('enabled'), rolledBack: count('rolled-back'), deferred: count('deferred'), held: count('held'), excluded: count('excluded') },
    };
  });
  setHandler(planQuery, () => plan);
  setHandler(auditQuery, () => audit);

  const validatePlanDecision = (d: DecisionInput) => {
    if (!planPending) throw new Error(`the plan is not awaiting approval (rollout is ${effectivePhase()})`);
    if (!(decisionRoles.plan as readonly string[]).includes(d.actor.role)) throw new Error(`role '${d.actor.role}' cannot approve a plan; allowed: ${decisionRoles.plan.join(', ')}`);
  };
  for (const [update, approve] of [[approvePlanUpdate, true], [rejectPlanUpdate, false]] as const) {
    setHandler(update, (d): DecisionReceipt => {
      planDecision = { approve, by: d.actor.id, comment: d.comment };
      record(`user:${d.actor.id}`, approve ? 'plan:approve' : 'plan:reject', d.comment ?? '');
      planPending = undefined;
      return { decisionId: `${rolloutId}:plan`, accepted: true, by: d.actor.id, at: iso(), outcome: approve ? 'plan approved' : 'plan rejected' };
    }, { validator: validatePlanDecision });
  }

  setHandler(pauseSignal, (c) => {
    if (paused) return;
    paused = true;
    pauseReason = c.reason;
    record(c.actor.role === 'system' ? 'rollout' : `user:${c.actor.id}`, 'pause', c.reason);
    publish();
    void forward('pause', c.actor.id, c.reason);
  });
  setHandler(resumeSignal, (c) => {
    if (!paused) return;
    paused = false;
    pauseReason = undefined;
    if (phase === 'HALTED') phase = 'RUNNING';
    record(`user:${c.actor.id}`, 'resume', c.reason);
    publish();
    void forward('resume', c.actor.id, c.reason);
  });
  setHandler(abortSignal, (c) => {
    if (aborted) return;
    aborted = true;
    record(`user:${c.actor.id}`, 'abort', c.reason);
    void forward('abort', c.actor.id, c.reason);
  });
  setHandler(excludeTenantSignal, (c) => {
    const state = c.mode === 'hold' ? 'held' : 'excluded';
    const reason = `${state} by ${c.actor.id}: ${c.reason}`;
    excluded.set(c.tenantId, { tenantId: c.tenantId, state, reason });
    if (tenants.get(c.tenantId)?.state !== 'enabled') tenants.set(c.tenantId, { tenantId: c.tenantId, state, reason });
    record(`user:${c.actor.id}`, c.mode, c.reason, { tenantId: c.tenantId });
    void forward('exclude', c.actor.id, reason, c.tenantId);
  });
  setHandler(rollbackTenantSignal, (c) => {
    record(`user:${c.actor.id}`, 'rollback-request', c.reason, { tenantId: c.tenantId });
    if (tenants.get(c.tenantId)?.state === 'enabled') rollbackQueue.push({ tenantId: c.tenantId, actor: c.actor.id, reason: c.reason });
    else void forward('rollback', c.actor.id, c.reason, c.tenantId);
  });
  setHandler(waveAwaitingSignal, ({ waveId, waiting }) => {
    if (waiting) awaiting.add(waveId);
    else awaiting.delete(waveId);
    publish();
  });

  const rollBackEnabled = async (ids: string[], actor: string, reason: string) => {
    for (const chunk of batches(ids)) {
      await acts.setFlags.executeWithOptions(
        { startToCloseTimeout: '1 minute', retry: { maximumAttempts: 10 }, summary: `roll back ${chunk.length} tenant(s): ${reason}`.slice(0, 200) },
        [{ rolloutId, featureKey: spec.featureKey, tenantIds: chunk, enabled: false, actor, reason }],
      );
      for (const id of chunk) {
        tenants.set(id, { ...tenants.get(id)!, state: 'rolled-back', reason, rolledBackAt: iso() });
        record(actor, 'rollback', reason, { tenantId: id });
      }
    }
  };
  /** Saga compensation: every tenant this rollout enabled, newest first. */
  const compensateAll = async (reason: string) => {
    const newestFirst = outcomes.flatMap((o) => o.enabledOrder).reverse().filter((id) => tenants.get(id)?.state === 'enabled');
    if (newestFirst.length) await rollBackEnabled(newestFirst, 'rollout', `compensation: ${reason}`);
  };

  let controlsDone = false;
  const processControls = async () => {
    while (!controlsDone) {
      await condition(() => rollbackQueue.length > 0 || controlsDone);
      while (rollbackQueue.length) {
        const r = rollbackQueue.shift()!;
        await rollBackEnabled([r.tenantId], `user:${r.actor}`, `manual rollback: ${r.reason}`);
      }
    }
  };

  const absorb = (o: WaveOutcome) => {
    outcomes.push(o);
    waves.set(o.waveId, { phase: o.phase, stopReason: o.stopReason });
    for (const t of o.tenants) tenants.set(t.tenantId, t);
    audit.push(...o.audit);
  };

  const runLane = async (laneWaves: WaveSummary[], stopAll: (reason: string, phase: RolloutPhase) => void) => {
    let carried: { tenantId: string; reason: string }[] = [];
    for (let i = 0; i < laneWaves.length; i++) {
      const wave = laneWaves[i];
      const gates = wave.lane === 'main' ? [] : plan!.waves.filter((w) => w.lane === 'main' && w.index < wave.index).map((w) => w.id);
      await condition(() => ((!paused && gates.every((id) => finished.has(id))) || aborted || stopped));
      if (aborted || stopped) return;
      const input: WaveInput = {
        rolloutId, featureKey: spec.featureKey, wave, startedBy: spec.startedBy, carried,
        excluded: [...excluded.values()], paused,
        noticeLeadSeconds: plan!.noticeLeadSeconds, decisionTimeoutSeconds: plan!.decisionTimeoutSeconds,
        reminderIntervalSeconds: spec.reminderIntervalSeconds ?? Math.min(DEFAULT_REMINDER_SECONDS, plan!.decisionTimeoutSeconds),
        onDecisionTimeout: spec.onDecisionTimeout, reversible: plan!.reversible,
      };
      running.add(wave.id);
      waves.set(wave.id, { phase: 'waiting-for-start' });
      publish();
      const o = await executeChild(waveWorkflow, {
        workflowId: waveWorkflowId(rolloutId, wave.id),
        args: [input],
        staticSummary: `Wave ${wave.id} of ${rolloutId}: ${wave.name} (${wave.memberCount} tenant(s))`,
        parentClosePolicy: ParentClosePolicy.TERMINATE,
        cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
      });
      running.delete(wave.id);
      awaiting.delete(wave.id);
      finished.add(wave.id);
      absorb(o);
      publish();
      // Tenants that were not ready get the next wave of their lane; after the last one, a hold.
      carried = o.deferred;
      if (i === laneWaves.length - 1) {
        for (const d of carried) {
          tenants.set(d.tenantId, { tenantId: d.tenantId, state: 'held', reason: `${d.reason}; no later wave in lane ${wave.lane}` });
        }
      }
      if (o.phase === 'rejected') stopAll(o.stopReason ?? `wave ${wave.id} rejected`, 'REJECTED');
      if (o.phase === 'halted') {
        // Halt: the other lanes pause too; a person resumes (continue) or aborts (roll back all).
        phase = 'HALTED';
        paused = true;
        pauseReason = o.stopReason;
        publish();
        await forward('pause', 'rollout', o.stopReason ?? 'halted');
        await condition(() => !paused || aborted);
        if (!aborted) phase = 'RUNNING';
      }
    }
  };

  let stopped = false;
  let summary = '';
  const controls = processControls();
  try {
    setPhase('PLANNING');
    plan = await acts.planRollout.executeWithOptions(
      { startToCloseTimeout: '5 minutes', retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['RolloutInputError'] }, summary: `score tenants and plan waves for ${spec.featureKey}` },
      [{ rolloutId, featureKey: spec.featureKey, tenantIds: spec.tenantIds, asOf: spec.asOf ?? startedAt, calendar: spec.calendar, durations: spec.durations, haltShare: spec.haltShare }],
    );
    record('rollout', 'planned', `${plan.waves.length} wave(s), ${plan.tenantCount} tenant(s), ${plan.holdCount} on hold${plan.warnings.length ? `; warnings: ${plan.warnings.join(' | ')}` : ''}`);

    if (spec.requirePlanApproval) {
      setPhase('AWAITING_APPROVAL');
      const deadline = new Date(Date.now() + plan.decisionTimeoutSeconds * 1000).toISOString();
      planPending = {
        id: `${rolloutId}:plan`, kind: 'plan', workflowId: workflowInfo().workflowId, question: `Approve the plan for ${plan.featureName} (${plan.waves.length} waves)?`,
        raisedAt: iso(), deadline, defaultAction: spec.onDecisionTimeout === 'hold' ? 'reject the plan' : 'keep waiting (paused)', fourEyes: false,
      };
      for (;;) {
        const decided = await condition(() => planDecision !== undefined || aborted, Math.max(0, Date.parse(planPending!.deadline) - Date.now()), { summary: 'waiting for plan approval' });
        if (decided) break;
        await acts.notifyPeople({ subject: `Plan approval overdue for rollout ${rolloutId}`, text: planPending!.question, severity: 'warning' });
        if (spec.onDecisionTimeout === 'hold') {
          planDecision = { approve: false, by: 'rollout', comment: `no approval before ${planPending!.deadline}` };
          record('rollout', 'decision-expired', `plan not approved before ${planPending!.deadline}; rollout stops`);
          planPending = undefined;
          break;
        }
        planPending = { ...planPending!, deadline: new Date(Date.now() + plan.decisionTimeoutSeconds * 1000).toISOString() };
      }
      if (aborted || !planDecision?.approve) {
        setPhase(aborted ? 'ABORTED' : 'REJECTED');
        return { phase, summary: aborted ? 'aborted before any wave' : `plan rejected by ${planDecision?.by}` };
      }
    }

    setPhase('RUNNING');
    const lanes = new Map<string, WaveSummary[]>();
    for (const w of [...plan.waves].sort((a, b) => a.index - b.index)) lanes.set(w.lane, [...(lanes.get(w.lane) ?? []), w]);
    const stopAll = (reason: string, p: RolloutPhase) => {
      stopped = true;
      summary = reason;
      setPhase(p);
      void forward('pause', 'rollout', reason);
    };
    // Every lane runs its waves in order and lanes run side by side; a wave outside the main lane
    // also waits for every main-lane wave planned before it, so parallel lanes never overtake the
    // stage gates even when approvals delay the main lane.
    await Promise.all([...lanes.values()].map((laneWaves) => runLane(laneWaves, stopAll)));

    if (aborted) {
      setPhase('ABORTING');
      await compensateAll('rollout aborted');
      setPhase('ABORTED');
      return { phase, summary: 'aborted; every enabled tenant rolled back, newest first' };
    }
    if (stopped) return { phase, summary };

    setPhase('HEALTH_WINDOW');
    await condition(() => aborted, plan.healthWindowSeconds * 1000, { summary: 'health window after the last wave' });
    if (aborted) {
      setPhase('ABORTING');
      await compensateAll('rollout aborted during the health window');
      setPhase('ABORTED');
      return { phase, summary: 'aborted during the health window; every enabled tenant rolled back' };
    }
    setPhase('REPORTING');
    const health = await acts.healthReport.executeWithOptions({ startToCloseTimeout: '5 minutes', summary: 'health report' }, [{ rolloutId, outcomes, startedAt }]);
    const retro = await acts.retrospective.executeWithOptions({ startToCloseTimeout: '5 minutes', summary: 'retrospective and risk-profile updates' }, [{ rolloutId, outcomes, audit }]);
    record('rollout', 'reports', `${health.summary}; ${retro.summary}`);
    setPhase('COMPLETED');
    return { phase, summary: `${health.summary}; ${retro.summary}` };
  } catch (err) {
    if (isCancellation(err)) {
      await CancellationScope.nonCancellable(async () => {
        setPhase('ABORTING');
        await compensateAll('rollout cancelled');
        setPhase('ABORTED');
      });
    }
    throw err;
  } finally {
    controlsDone = true;
    await CancellationScope.nonCancellable(() => controls);
  }
}
