/**
 * One rollout of one feature across the fleet: plan (in an activity) → optional plan approval →
 * waves as child workflows, lanes in parallel → health window → health report → retrospective.
 * Controls (pause, resume, abort, exclude, rollback) arrive as signals and reach running waves.
 * Between waves the rollout continues as a new run once its history is long, carrying only
 * counts and notable tenants: wave outcomes and earlier audit entries live in the store.
 */
import {
  CancellationScope, condition, continueAsNew, log, getExternalWorkflowHandle, isCancellation, patched, startChild,
  setHandler, upsertSearchAttributes, workflowInfo, ParentClosePolicy, ChildWorkflowCancellationType,
} from '@temporalio/workflow';
import type {
  AuditEntry, PendingDecision, PlanSummary, RolloutPhase, RolloutSpec, TenantOutcome, WavePhase, WaveRef, WaveResult,
} from '../shared/model/rollout';
import { RolloutFeature, RolloutStatus as RolloutStatusKey, RolloutWave } from '../shared/temporal/search-attributes';
import {
  abortSignal, approvePlanUpdate, auditQuery, decisionRoles, excludeTenantSignal, pauseSignal, planQuery, rejectPlanUpdate,
  resumeSignal, rollbackTenantSignal, statusQuery, waveAwaitingSignal, waveControlSignal, waveWorkflowId, type WaveControl,
  type DecisionInput, type DecisionReceipt,
} from './messages';
import { acts, BATCH, iso } from './activities';
import { waveWorkflow, type WaveInput } from './wave';

/** Defaults for what the spec leaves out; the spec's zod schema fills these for API callers. */
const DEFAULT_REMINDER_SECONDS = 4 * 3600;

/** What one run hands the next when the rollout continues as new. */
export interface RolloutCarry {
  /** Runs before this one; their audit entries are stored as `audit:<n>`. */
  run: number;
  startedAt: string;
  paused: boolean;
  pauseReason?: string;
  aborted: boolean;
  finished: Record<string, { phase: WavePhase; stopReason?: string }>;
  enabledCount: number;
  notable: TenantOutcome[];
  excluded: { tenantId: string; state: 'excluded' | 'held'; reason: string }[];
  carried: Record<string, { tenantId: string; reason: string }[]>;
  /** When the rollout prepared every planned tenant's notice (absent in runs recorded before it did). */
  noticesAt?: string;
  /** Entries written and rollbacks asked for while the last run stored its audit: this run keeps them. */
  audit?: AuditEntry[];
  rollbackQueue?: { tenantId: string; actor: string; reason: string }[];
}

export async function rolloutWorkflow(spec: RolloutSpec, carry?: RolloutCarry): Promise<{ phase: RolloutPhase; summary: string }> {
  const { rolloutId } = spec;
  const startedAt = carry?.startedAt ?? iso();
  const run = carry?.run ?? 0;
  let phase: RolloutPhase = carry ? 'RUNNING' : 'PLANNING';
  let paused = carry?.paused ?? false;
  let pauseReason = carry?.pauseReason;
  let aborted = carry?.aborted ?? false;
  let stopped = false;
  let draining = false;
  let summary = '';
  let plan: PlanSummary | undefined;
  let planDecision: { approve: boolean; by: string; comment?: string } | undefined;
  let noticesAt = carry?.noticesAt;
  let planPending: PendingDecision | undefined;
  let enabledCount = carry?.enabledCount ?? 0;
  /** Entries the rollout writes itself; stored as `audit:<run>` when it continues as new. */
  const audit: AuditEntry[] = [...(carry?.audit ?? [])];
  /** Wave entries of this run, for the live `audit` query; each wave stored its own with its outcome. */
  const waveAudit: AuditEntry[] = [];
  const notable = new Map((carry?.notable ?? []).map((t) => [t.tenantId, t]));
  const finished = new Map(Object.entries(carry?.finished ?? {}));
  const carried = new Map(Object.entries(carry?.carried ?? {}));
  const excluded = new Map((carry?.excluded ?? []).map((x) => [x.tenantId, x]));
  const running = new Set<string>();
  /** Tenants a readiness no-go carried into a wave now running, and that wave: a rollback goes there. */
  const carriedInto = new Map<string, string>();
  const awaiting = new Set<string>();
  const rollbackQueue: { tenantId: string; actor: string; reason: string }[] = [...(carry?.rollbackQueue ?? [])];

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
  // Controls for a wave whose child is still starting, sent once it has started: a signal before
  // that finds no workflow, and its failure would fail every workflow task of the rollout.
  const starting = new Map<string, WaveControl[]>();
  const forward = async (kind: WaveControl['kind'], actor: string, reason: string, tenantId?: string, only?: string, state?: WaveControl['state']) => {
    for (const waveId of running) {
      if (only && waveId !== only) continue;
      const control: WaveControl = { kind, actor, reason, tenantId, ...(state ? { state } : {}) };
      const queued = starting.get(waveId);
      if (queued) { queued.push(control); continue; }
      await deliver(waveId, control);
    }
  };
  const deliver = async (waveId: string, control: WaveControl) => {
    try {
      await getExternalWorkflowHandle(waveWorkflowId(rolloutId, waveId)).signal(waveControlSignal, control);
    } catch (e) {
      // The wave finished in the meantime: its outcome reaches the rollout all the same.
      log.warn('wave control not delivered: the wave has finished', { waveId, kind: control.kind, error: (e as Error).message });
    }
  };
  const markRolledBack = (tenantId: string, reason: string) => {
    enabledCount = Math.max(0, enabledCount - 1);
    notable.set(tenantId, { tenantId, state: 'rolled-back', reason, rolledBackAt: iso() });
  };

  setHandler(statusQuery, () => {
    const all = [...notable.values()];
    const count = (s: TenantOutcome['state']) => all.filter((t) => t.state === s).length;
    return {
      rolloutId, featureKey: spec.featureKey, phase: effectivePhase(), paused, pauseReason, startedBy: spec.startedBy.id,
      currentWaves: [...running].map((waveId) => ({ waveId, workflowId: waveWorkflowId(rolloutId, waveId) })),
      waves: (plan?.waves ?? []).map((w) => ({
        waveId: w.id,
        ...(finished.get(w.id) ?? { phase: running.has(w.id) ? ('waiting-for-start' as const) : ('scheduled' as const) }),
      })),
      tenants: all,
      auditSegments: run,
      pendingDecisions: planPending ? [planPending] : [],
      counts: { enabled: enabledCount, rolledBack: count('rolled-back'), deferred: count('deferred'), held: count('held'), excluded: count('excluded') },
    };
  });
  setHandler(planQuery, () => plan);
  setHandler(auditQuery, () => [...audit, ...waveAudit].sort((a, b) => a.at.localeCompare(b.at)));

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
    // A control that changes nothing is still someone's request: the audit trail says so.
    if (paused) return record(c.actor.role === 'system' ? 'rollout' : `user:${c.actor.id}`, 'pause-skipped', `already paused (${pauseReason ?? 'no reason given'}): ${c.reason}`);
    paused = true;
    pauseReason = c.reason;
    record(c.actor.role === 'system' ? 'rollout' : `user:${c.actor.id}`, 'pause', c.reason);
    publish();
    void forward('pause', c.actor.id, c.reason);
  });
  setHandler(resumeSignal, (c) => {
    if (!paused) return record(`user:${c.actor.id}`, 'resume-skipped', `the rollout is not paused: ${c.reason}`);
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
    notable.set(c.tenantId, { tenantId: c.tenantId, state, reason });
    record(`user:${c.actor.id}`, c.mode, c.reason, { tenantId: c.tenantId });
    void forward('exclude', c.actor.id, reason, c.tenantId, undefined, state);
  });
  setHandler(rollbackTenantSignal, (c) => {
    record(`user:${c.actor.id}`, 'rollback-request', c.reason, { tenantId: c.tenantId });
    rollbackQueue.push({ tenantId: c.tenantId, actor: c.actor.id, reason: c.reason });
  });
  setHandler(waveAwaitingSignal, ({ waveId, waiting }) => {
    if (waiting) awaiting.add(waveId);
    else awaiting.delete(waveId);
    publish();
  });

  /** Saga compensation: every tenant this rollout enabled that still has the feature, newest first. */
  const compensateAll = async (reason: string) => {
    for (;;) {
      const batch = await acts.compensateRollout.executeWithOptions(
        { startToCloseTimeout: '5 minutes', heartbeatTimeout: '1 minute', summary: `compensation: roll back up to ${BATCH} tenant(s), newest first` },
        [{ rolloutId, featureKey: spec.featureKey, reason: `compensation: ${reason}`, limit: BATCH }],
      );
      if (batch.length === 0) return;
      for (const m of batch) {
        markRolledBack(m.tenantId, `compensation: ${reason}`);
        record('rollout', 'rollback', `compensation: ${reason}`, { tenantId: m.tenantId, waveId: m.waveId });
      }
    }
  };

  let controlsDone = false;
  const processControls = async () => {
    while (!controlsDone) {
      await condition(() => rollbackQueue.length > 0 || controlsDone);
      while (rollbackQueue.length) {
        const r = rollbackQueue.shift()!;
        const reason = `manual rollback: ${r.reason}`;
        const done = await acts.rollbackTenantNow({ rolloutId, featureKey: spec.featureKey, tenantId: r.tenantId, runningWaves: [...running], carriedInto: carriedInto.get(r.tenantId), actor: `user:${r.actor}`, reason });
        if (done.action === 'forward') await forward('rollback', r.actor, r.reason, r.tenantId, done.waveId);
        else if (done.action === 'rolled-back') {
          markRolledBack(r.tenantId, reason);
          record(`user:${r.actor}`, 'rollback', reason, { tenantId: r.tenantId, waveId: done.waveId });
        } else record('rollout', 'rollback-skipped', `${r.tenantId} does not have the feature; nothing to roll back (to keep it from getting it, exclude or hold it)`, { tenantId: r.tenantId });
      }
    }
  };

  // The waves a wave waits for are those planned to end before it starts: a prefix of the waves
  // sorted by planned end. Gating is then one comparison with the length of the finished prefix,
  // which keeps workflow tasks short with hundreds of lanes waiting.
  let byEnd: WaveRef[] = [];
  let finishedByEnd = 0;
  const gateOf = (wave: WaveRef) => {
    const start = Date.parse(wave.plannedStart);
    let lo = 0;
    let hi = byEnd.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Date.parse(byEnd[mid].plannedEnd) <= start) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const advanceFinished = () => {
    while (finishedByEnd < byEnd.length && finished.has(byEnd[finishedByEnd].id)) finishedByEnd++;
  };
  const absorb = (input: WaveInput, o: WaveResult) => {
    finished.set(o.waveId, { phase: o.phase, stopReason: o.stopReason });
    advanceFinished();
    for (const c of input.carried) notable.delete(c.tenantId);
    for (const t of o.notable) notable.set(t.tenantId, t);
    enabledCount += o.enabled;
    waveAudit.push(...o.audit);
  };

  const runLane = async (laneWaves: WaveRef[]) => {
    for (let i = 0; i < laneWaves.length; i++) {
      const wave = laneWaves[i];
      if (finished.has(wave.id)) continue;
      // The plan's timeline is the dependency graph: a wave waits for every wave planned to end
      // before it starts, in any lane, so delays (approvals, pauses) never reorder the stages.
      const gate = gateOf(wave);
      // At most `maxConcurrentWaves` waves in flight: a controlled rollout, and a bounded number
      // of child completions still to come when the rollout drains to continue as new.
      const mayStart = () => !paused && running.size < spec.maxConcurrentWaves && finishedByEnd >= gate;
      // Several lanes can be woken by the same change: the first to run takes the free slot and
      // the others check again.
      do {
        await condition(() => mayStart() || aborted || stopped || draining);
        if (aborted || stopped || draining) return;
      } while (!mayStart());
      const input: WaveInput = {
        rolloutId, featureKey: spec.featureKey, wave, startedBy: spec.startedBy, carried: carried.get(wave.lane) ?? [],
        excluded: [...excluded.values()], paused,
        noticeLeadSeconds: plan!.noticeLeadSeconds, ...(plan!.noticeReviewSeconds ? { noticeReviewSeconds: plan!.noticeReviewSeconds } : {}),
        ...(noticesAt ? { noticesAt } : {}), decisionTimeoutSeconds: plan!.decisionTimeoutSeconds,
        reminderIntervalSeconds: spec.reminderIntervalSeconds ?? Math.min(DEFAULT_REMINDER_SECONDS, plan!.decisionTimeoutSeconds),
        onDecisionTimeout: spec.onDecisionTimeout,
      };
      running.add(wave.id);
      for (const c of input.carried) carriedInto.set(c.tenantId, wave.id);
      starting.set(wave.id, []);
      publish();
      const child = await startChild(waveWorkflow, {
        workflowId: waveWorkflowId(rolloutId, wave.id),
        args: [input],
        staticSummary: `Wave ${wave.id} of ${rolloutId}: ${wave.stage} stage, lane ${wave.lane} (${wave.memberCount} tenant(s))`,
        parentClosePolicy: ParentClosePolicy.TERMINATE,
        cancellationType: ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED,
      });
      const missed = starting.get(wave.id) ?? [];
      starting.delete(wave.id);
      for (const control of missed) await deliver(wave.id, control);
      const o = await child.result();
      running.delete(wave.id);
      for (const c of input.carried) if (carriedInto.get(c.tenantId) === wave.id) carriedInto.delete(c.tenantId);
      awaiting.delete(wave.id);
      absorb(input, o);
      publish();
      // Tenants that were not ready get the next wave of their lane; after the last one, a hold.
      carried.set(wave.lane, o.deferred);
      if (i === laneWaves.length - 1) {
        for (const d of o.deferred) notable.set(d.tenantId, { tenantId: d.tenantId, state: 'held', reason: `${d.reason}; no later wave in lane ${wave.lane}` });
        carried.delete(wave.lane);
      }
      if (o.phase === 'rejected') {
        stopped = true;
        summary = o.stopReason ?? `wave ${wave.id} rejected`;
        // Waves still running in other lanes pause; the rollout is paused too, so a resume lets
        // them finish (it was refused as 'not paused', leaving them and the rollout waiting for
        // ever) and an abort rolls everything back. Rollouts recorded before: unchanged.
        if (running.size > 0 && patched('rejected-pauses-the-rollout')) {
          paused = true;
          pauseReason = summary;
          record('rollout', 'pause', `${summary}: the waves still running (${[...running].join(', ')}) wait for resume (they finish) or abort (every enabled tenant rolled back)`);
        }
        setPhase('REJECTED');
        await forward('pause', 'rollout', summary);
        return;
      }
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
      const info = workflowInfo();
      if (!draining && (info.historyLength >= spec.continueAsNewAfterEvents || info.continueAsNewSuggested)) {
        draining = true;
        log.info('draining to continue as new', { historyLength: info.historyLength, running: running.size });
      }
    }
  };

  // Not cancellable: a cancelled rollout keeps handling rollback requests while it compensates, and
  // the loop's wait must not reject unobserved before the finally below awaits it (an unhandled
  // rejection fails every workflow task, so a cancelled rollout never finished its compensation).
  const controls = CancellationScope.nonCancellable(() => processControls());
  try {
    if (!carry) {
      setPhase('PLANNING');
      plan = await acts.planRollout.executeWithOptions(
        { startToCloseTimeout: '5 minutes', retry: { maximumAttempts: 5, nonRetryableErrorTypes: ['RolloutInputError'] }, summary: `score tenants and plan waves for ${spec.featureKey}` },
        [{ rolloutId, featureKey: spec.featureKey, tenantIds: spec.tenantIds, asOf: spec.asOf ?? startedAt, calendar: spec.calendar, durations: spec.durations, haltShare: spec.haltShare, planConfig: spec.planConfig }],
      );
      record('rollout', 'planned', `${plan.waves.length} wave(s), ${plan.tenantCount} tenant(s), ${plan.holdCount} on hold${plan.warnings.length ? `; warnings: ${plan.warnings.join(' | ')}` : ''}`);
      if (spec.requirePlanApproval) {
        const outcome = await awaitPlanApproval(plan);
        if (outcome) return outcome;
      }
      // Aborted while planning: nobody is told of a rollout that will not happen. Rollouts
      // recorded before this check prepared (and could send) the notices first.
      if (aborted && patched('no-notices-after-abort')) {
        setPhase('ABORTED');
        return { phase, summary: 'aborted before any wave started; no notices were prepared and no tenant was enabled' };
      }
      // Rollouts recorded before notices were prepared up front replay without this step. A notice
      // each (LLM text, SMTP) for a large fleet takes hours: the heartbeat per notice, not the
      // attempt's length, tells a lost worker.
      if (patched('notices-when-planned')) {
        const n = await acts.prepareRolloutNotices.executeWithOptions(
          { startToCloseTimeout: '12 hours', heartbeatTimeout: '2 minutes', retry: { maximumAttempts: 8, nonRetryableErrorTypes: ['RolloutInputError'] }, summary: 'a notice for every planned tenant' },
          // Excluded or held during planning or plan approval: such a tenant is not to be told.
          [{ rolloutId, skip: [...excluded.keys()] }],
        );
        noticesAt = iso();
        record('rollout', 'notices', `${n.tenants} notice(s) for ${n.waves} wave(s): ${n.sent} sent, ${n.drafts} awaiting review and sending`);
      }
    } else {
      plan = await acts.loadPlanSummary.executeWithOptions({ startToCloseTimeout: '1 minute', summary: `continue rollout (run ${run + 1}): read the plan back` }, [{ rolloutId }]);
    }

    setPhase('RUNNING');
    byEnd = [...plan.waves].sort((a, b) => Date.parse(a.plannedEnd) - Date.parse(b.plannedEnd) || a.index - b.index);
    advanceFinished();
    const lanes = new Map<string, WaveRef[]>();
    for (const w of [...plan.waves].sort((a, b) => a.index - b.index)) lanes.set(w.lane, [...(lanes.get(w.lane) ?? []), w]);
    // Every lane runs its waves in order and lanes run side by side, each wave gated on the
    // waves planned to end before it starts.
    await Promise.all([...lanes.values()].map((laneWaves) => runLane(laneWaves)));

    if (draining && !aborted && !stopped && plan.waves.some((w) => !finished.has(w.id))) {
      controlsDone = true;
      await controls;
      const stored = audit.length;
      await acts.recordAudit({ rolloutId, segment: run, entries: audit.slice(0, stored) });
      // Signals handled while the audit was being stored (a pause, an exclusion, a rollback request)
      // go to the next run rather than vanish with this one.
      const late = audit.slice(stored);
      const next: RolloutCarry = {
        run: run + 1, startedAt, paused, pauseReason, aborted,
        finished: Object.fromEntries(finished), enabledCount, notable: [...notable.values()], excluded: [...excluded.values()], carried: Object.fromEntries(carried),
        ...(noticesAt ? { noticesAt } : {}),
        ...(late.length ? { audit: late } : {}),
        ...(rollbackQueue.length ? { rollbackQueue: [...rollbackQueue] } : {}),
      };
      return await continueAsNew<typeof rolloutWorkflow>(spec, next);
    }

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
    const health = await acts.healthReport.executeWithOptions({ startToCloseTimeout: '5 minutes', summary: 'health report' }, [{ rolloutId, startedAt }]);
    const retro = await acts.retrospective.executeWithOptions({ startToCloseTimeout: '5 minutes', summary: 'retrospective and risk-profile updates' }, [{ rolloutId, audit, auditSegments: run }]);
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

  /**
   * What happens when nobody decides on the plan by its deadline, as awaitPlanApproval does it:
   * hold rejects the plan; pause and proceed-low-risk remind people and wait on (nothing pauses).
   */
  function planExpiry(outcome: RolloutSpec['onDecisionTimeout'], timeoutSeconds: number): string {
    return outcome === 'hold'
      ? 'reject the plan: the rollout ends REJECTED'
      : `remind people and keep waiting for approval, ${timeoutSeconds} s more each time (the rollout is not paused; no wave starts before approval)`;
  }

  /** Waits for plan approval; returns the rollout's end when the plan is rejected or aborted. */
  async function awaitPlanApproval(p: PlanSummary): Promise<{ phase: RolloutPhase; summary: string } | undefined> {
    setPhase('AWAITING_APPROVAL');
    const deadline = new Date(Date.now() + p.decisionTimeoutSeconds * 1000).toISOString();
    planPending = {
      id: `${rolloutId}:plan`, kind: 'plan', workflowId: workflowInfo().workflowId, question: `Approve the plan for ${p.featureName} (${p.waves.length} waves)?`,
      raisedAt: iso(), deadline, defaultAction: planExpiry(spec.onDecisionTimeout, p.decisionTimeoutSeconds), fourEyes: false,
    };
    // Reminded of like every other wait for people, and an expiry that keeps waiting is on the
    // trail; rollouts recorded before that waited silently until the deadline.
    const remind = patched('plan-approval-reminders');
    const reminderMs = (spec.reminderIntervalSeconds ?? Math.min(DEFAULT_REMINDER_SECONDS, p.decisionTimeoutSeconds)) * 1000;
    for (;;) {
      const left = Math.max(0, Date.parse(planPending!.deadline) - Date.now());
      const decided = await condition(() => planDecision !== undefined || aborted, remind ? Math.min(left, reminderMs) : left, { summary: 'waiting for plan approval' });
      if (decided) break;
      if (remind && Date.now() < Date.parse(planPending!.deadline)) {
        await acts.notifyPeople({ subject: `Reminder: plan approval waiting on rollout ${rolloutId}`, text: `${planPending!.question} (deadline ${planPending!.deadline}; default: ${planPending!.defaultAction})`, severity: 'warning' });
        continue;
      }
      await acts.notifyPeople({ subject: `Plan approval overdue for rollout ${rolloutId}`, text: planPending!.question, severity: 'warning' });
      if (spec.onDecisionTimeout === 'hold') {
        planDecision = { approve: false, by: 'rollout', comment: `no approval before ${planPending!.deadline}` };
        record('rollout', 'decision-expired', `plan not approved before ${planPending!.deadline}; rollout stops`);
        planPending = undefined;
        break;
      }
      const next = new Date(Date.now() + p.decisionTimeoutSeconds * 1000).toISOString();
      if (remind) record('rollout', 'decision-expired', `plan not approved before ${planPending!.deadline}; the rollout keeps waiting for it, next deadline ${next}`);
      planPending = { ...planPending!, deadline: next };
    }
    if (aborted || !planDecision?.approve) {
      setPhase(aborted ? 'ABORTED' : 'REJECTED');
      return { phase, summary: aborted ? 'aborted before any wave' : `plan rejected by ${planDecision?.by}` };
    }
    return undefined;
  }
}
