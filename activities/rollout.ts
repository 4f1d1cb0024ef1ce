/**
 * The rollout's activities: every decision the workflow acts on (plan, readiness, verdicts,
 * reports) is made here, by the pure functions in shared/, so its result is recorded in
 * history and a later change to the rules cannot break the replay of a running rollout.
 * Large data (tenants, full plan, reports) stays in the store; the workflow gets summaries.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { Context } from '@temporalio/activity';
import type { Feature } from '../shared/model/feature';
import type { Plan } from '../shared/model/plan';
import { AuditEntry, WaveOutcome, type PlanSummary, type RolloutSpec, type WaveSummary } from '../shared/model/rollout';
import type { Tenant } from '../shared/model/tenant';
import { buildPlan } from '../shared/plan/build';
import { PlanConfigOverrides } from '../shared/plan/config';
import { formatPath } from '../shared/import/errors';
import { knownSystems } from '../shared/notices/systems';
import { checkReadiness as readinessFor, firstSentNotices } from '../shared/readiness/checklist';
import { evaluateSamples, waveVerdict, type TenantVerdict } from '../shared/monitoring/decision';
import { withNoticeReview } from '../shared/monitoring/durations';
import type { FlagProvider, MetricsProvider, Notice, RolloutStore } from './ports';
import { InvalidStoredFeaturesError, InvalidStoredTenantsError } from './store/records';

/** Recent samples per tenant of a wave, stored as report `wave:<id>:monitor`. */
const MonitorState = z.object({
  samples: z.record(z.string(), z.array(z.object({ sampleNo: z.number(), requests: z.number(), errors: z.number(), errorRate: z.number(), at: z.string() }))),
});
/** Parsed plans each worker keeps (rollouts running at once on one worker). */
const PLAN_CACHE_SIZE = 8;
/** Enough samples for any consecutive-breach rule. */
const MONITOR_KEEP = 5;

export interface PeopleMessage {
  subject: string;
  text: string;
  severity: 'info' | 'warning' | 'critical';
}

export interface RolloutDeps {
  store: RolloutStore;
  flags: FlagProvider;
  metrics: MetricsProvider;
  /** Writes (and, where configured, delivers) the notice for one tenant of a wave. */
  notices: {
    prepare(args: { rolloutId: string; tenant: Tenant; feature: Feature; wave: WaveSummary; allSystemsKnown: string[] }): Promise<Notice>;
    /**
     * Review time the plan leaves customer success before the notice lead counts, where neither the
     * feature nor the rollout sets `durations.noticeReviewSeconds`: none when notices go out as prepared.
     */
    reviewSeconds?: number;
  };
  notifier: { notify(message: PeopleMessage & { rolloutId?: string }): Promise<void> };
  reports: {
    health(args: { rolloutId: string; plan: Plan; outcomes: WaveOutcome[]; startedAt: string }): Promise<{ summary: string }>;
    retrospective(args: { rolloutId: string; plan: Plan; outcomes: WaveOutcome[]; audit: AuditEntry[] }): Promise<{ summary: string; adjustments: number }>;
  };
  /** Clock for activities (readiness "now"); injectable for tests. */
  now?: () => Date;
}

/** Thrown for input a retry cannot fix; the workflow's retry policy does not retry it. */
export function inputError(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: 'RolloutInputError', message, nonRetryable: true });
}

/** A tenant's notice for a wave as the wave sees it: whether the tenant has been told, and when. */
export interface NoticeState { tenantId: string; noticeId: string; source: Notice['source']; status: Notice['status']; sentAt?: string; createdAt: string }

export type PlanRolloutInput = Pick<RolloutSpec, 'rolloutId' | 'featureKey' | 'tenantIds' | 'calendar' | 'durations' | 'haltShare' | 'planConfig'> & { asOf: string };

export function createRolloutActivities(deps: RolloutDeps) {
  const now = deps.now ?? (() => new Date());

  // A rollout's plan is written once, before any wave reads it; every wave activity needs it,
  // and at 10,000 tenants it is megabytes of JSON, so each worker keeps the latest few parsed.
  const plans = new Map<string, Plan>();
  async function loadPlan(rolloutId: string): Promise<Plan> {
    const cached = plans.get(rolloutId);
    if (cached) return cached;
    const plan = await deps.store.getPlan(rolloutId);
    if (!plan) throw inputError(`no stored plan for rollout ${rolloutId}`);
    plans.set(rolloutId, plan);
    if (plans.size > PLAN_CACHE_SIZE) plans.delete(plans.keys().next().value!);
    return plan;
  }
  /**
   * What writing a notice needs beyond the tenant: the feature and every system the fleet knows
   * (for the fact check), each read once per activity and only when a notice is written.
   */
  function noticeContext(plan: Plan): { feature: () => Promise<Feature>; systems: () => Promise<string[]> } {
    let feature: Promise<Feature> | undefined;
    let systems: Promise<string[]> | undefined;
    return {
      feature: () => (feature ??= loadFeature(plan.feature.key)),
      // A stored tenant that no longer validates adds no systems; its own readiness says why it is no-go.
      systems: () => (systems ??= deps.store.readTenants().then((r) => knownSystems(r.tenants))),
    };
  }

  async function noticesFor(rolloutId: string, planned: Plan['waves'][number], tenantIds: string[], ctx: ReturnType<typeof noticeContext>): Promise<NoticeState[]> {
    const existing = new Map((await deps.store.listNotices({ rolloutId, waveId: planned.id })).map((n) => [n.tenantId, n]));
    const missing = tenantIds.filter((id) => !existing.has(id));
    if (missing.length > 0) {
      const feature = await ctx.feature();
      const wave = summariseWave(planned);
      const allSystemsKnown = await ctx.systems();
      // No notice for a stored tenant that no longer validates: readiness makes it no-go with the fix.
      for (const tenant of (await deps.store.readTenants(missing)).tenants) {
        existing.set(tenant.id, await deps.notices.prepare({ rolloutId, tenant, feature, wave, allSystemsKnown }));
        Context.current().heartbeat(tenant.id);
      }
    }
    return tenantIds.flatMap((id) => {
      const n = existing.get(id);
      return n ? [{ tenantId: id, noticeId: n.id, source: n.source, status: n.status, ...(n.sentAt ? { sentAt: n.sentAt } : {}), createdAt: n.createdAt }] : [];
    });
  }

  async function loadFeature(key: string): Promise<Feature> {
    const { features: [feature], invalid } = await deps.store.readFeatures([key]);
    // Not retried: only a PUT of the feature helps, and the error says which fields and how.
    if (invalid.length > 0) throw inputError(new InvalidStoredFeaturesError(invalid).message);
    if (!feature) throw inputError(`unknown feature '${key}': create it before starting a rollout`);
    return feature;
  }

  /** Stored outcomes of the waves that ran, in plan order. */
  async function waveOutcomes(rolloutId: string): Promise<WaveOutcome[]> {
    return storedWaveOutcomes(deps.store, rolloutId, (await loadPlan(rolloutId)).waves.map((w) => w.id));
  }

  return {
    /** Scores every tenant and builds the plan; stores it whole and returns what the workflow needs. */
    async planRollout(input: PlanRolloutInput): Promise<PlanSummary> {
      const stored = await loadFeature(input.featureKey);
      const feature = withNoticeReview({ ...stored, durations: { ...stored.durations, ...input.durations } }, deps.notices.reviewSeconds);
      const { tenants, invalid } = await deps.store.readTenants(input.tenantIds);
      // Not retried: only a fix to the stored tenant helps, and the error says which and how.
      if (invalid.length > 0) throw inputError(new InvalidStoredTenantsError(invalid).message);
      if (input.tenantIds) {
        const missing = input.tenantIds.filter((id) => !tenants.some((t) => t.id === id));
        if (missing.length) throw inputError(`unknown tenant(s): ${missing.join(', ')}`);
      }
      if (tenants.length === 0) throw inputError('no tenants to roll out to: import tenants first');
      const adjustments = await deps.store.getRiskAdjustments(tenants.map((t) => t.id));
      const planConfig = PlanConfigOverrides.safeParse(input.planConfig ?? {});
      if (!planConfig.success) throw inputError(`invalid plan config: ${planConfig.error.issues.map((i) => `${formatPath(i.path) || '(config)'}: ${i.message}`).join('; ')}`);
      const plan = buildPlan({
        tenants, feature, asOf: input.asOf, adjustments,
        config: {
          ...planConfig.data,
          calendar: input.calendar,
          ...(input.haltShare !== undefined ? { haltShare: { pilot: input.haltShare, low: input.haltShare, medium: input.haltShare, high: input.haltShare } } : {}),
        },
      });
      await deps.store.putPlan(input.rolloutId, plan);
      plans.delete(input.rolloutId);
      return summarisePlan(input.rolloutId, plan);
    },

    /** A wave's details and members (plus tenants carried over from an earlier wave) with thresholds. */
    async loadWave(input: { rolloutId: string; waveId: string; carried: string[] }) {
      const plan = await loadPlan(input.rolloutId);
      const wave = plan.waves.find((w) => w.id === input.waveId);
      if (!wave) throw inputError(`wave ${input.waveId} is not in the plan of rollout ${input.rolloutId}`);
      const everyone = new Map(plan.waves.flatMap((w) => w.members).map((m) => [m.tenantId, m]));
      const carried = input.carried.map((id) => everyone.get(id)).filter((m) => m !== undefined);
      const members = [...wave.members, ...carried.filter((c) => !wave.members.some((m) => m.tenantId === c.tenantId))]
        .map((m) => ({ tenantId: m.tenantId, tier: m.tier, reason: m.reason }));
      return { wave: summariseWave(wave), members };
    },

    /**
     * Each tenant's notice for the wave, written (and delivered, where configured) unless the
     * tenant already has one: a retry, or the wave after the rollout prepared them all, must not
     * reset a sent notice to a draft or tell the tenant twice.
     */
    async prepareNotices(input: { rolloutId: string; waveId: string; tenantIds: string[] }): Promise<NoticeState[]> {
      const plan = await loadPlan(input.rolloutId);
      return noticesFor(input.rolloutId, plan.waves.find((w) => w.id === input.waveId)!, input.tenantIds, noticeContext(plan));
    },

    /**
     * Every planned tenant's notice, when the rollout starts: a wave's workflow starts only once
     * the waves before it have ended, often later than its tenants must be told, and customer
     * success needs the time to review drafts before each tenant's latest send.
     */
    async prepareRolloutNotices(input: { rolloutId: string; skip?: string[] }): Promise<{ waves: number; tenants: number; sent: number; drafts: number }> {
      const plan = await loadPlan(input.rolloutId);
      const counts = { waves: plan.waves.length, tenants: 0, sent: 0, drafts: 0 };
      const ctx = noticeContext(plan);
      const skip = new Set(input.skip);
      for (const wave of plan.waves) {
        const told = wave.members.map((m) => m.tenantId).filter((id) => !skip.has(id));
        for (const n of await noticesFor(input.rolloutId, wave, told, ctx)) {
          counts.tenants++;
          if (n.status === 'sent') counts.sent++;
          else counts.drafts++;
        }
      }
      return counts;
    },

    async checkReadiness(input: { rolloutId: string; waveId: string; tenantIds: string[] }) {
      const plan = await loadPlan(input.rolloutId);
      const feature = await loadFeature(plan.feature.key);
      const wave = plan.waves.find((w) => w.id === input.waveId)!;
      const { tenants, invalid } = await deps.store.readTenants(input.tenantIds);
      // A tenant told of this rollout for an earlier wave (carried over since) had that much more
      // time to prepare: its first sent notice counts. A draft tells nobody.
      // Asked per tenant (indexed, a tenant has few notices), not for the whole rollout per batch.
      const told = new Map<string, string>();
      for (const id of input.tenantIds) firstSentNotices(await deps.store.listNotices({ rolloutId: input.rolloutId, tenantId: id }), told);
      // The wave runs now (or at its planned start, if that is later): approvals and earlier
      // waves may have moved it, and freeze collisions must be judged on the real window.
      const start = Math.max(Date.parse(wave.start), now().getTime());
      const window = { id: wave.id, start: new Date(start).toISOString(), end: new Date(start + Date.parse(wave.end) - Date.parse(wave.start)).toISOString() };
      const checked = new Map(tenants.map((tenant) => {
        const r = readinessFor(tenant, feature, window, {
          asOf: now().toISOString(), noticeSentAt: told.get(tenant.id), noticeLeadSeconds: plan.noticeLeadSeconds, healthFloor: plan.healthFloor,
        });
        return [tenant.id, { tenantId: r.tenantId, verdict: r.verdict, summary: r.summary }];
      }));
      // A tenant whose stored record no longer validates (saved before a stricter check), or that
      // left the registry since planning, cannot be checked: no-go, with the reason and the fix.
      for (const bad of invalid) {
        checked.set(bad.id, {
          tenantId: bad.id, verdict: 'no-go' as const,
          summary: `${bad.id} in ${wave.id}: no-go (its stored record no longer validates: ${bad.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}; ${bad.fix})`,
        });
      }
      for (const id of input.tenantIds) {
        if (!checked.has(id)) checked.set(id, { tenantId: id, verdict: 'no-go' as const, summary: `${id} in ${wave.id}: no-go (the tenant is no longer in the registry; import it again to include it)` });
      }
      // In tenant id order, as the store returns them.
      return [...checked.values()].sort((a, b) => (a.tenantId < b.tenantId ? -1 : a.tenantId > b.tenantId ? 1 : 0));
    },

    /** Idempotent per rollout + tenant + action: a retry or a restarted worker never double-applies. */
    async setFlags(input: { rolloutId: string; featureKey: string; tenantIds: string[]; enabled: boolean; actor: string; reason: string }) {
      const action = input.enabled ? 'enable' : 'disable';
      const results: { tenantId: string; applied: boolean }[] = [];
      for (const tenantId of input.tenantIds) {
        const r = await deps.flags.apply({
          featureKey: input.featureKey, tenantId, enabled: input.enabled, rolloutId: input.rolloutId,
          actor: input.actor, reason: input.reason, idempotencyKey: `${input.rolloutId}:${tenantId}:${action}`,
        });
        results.push({ tenantId, applied: r.applied });
        Context.current().heartbeat(tenantId);
      }
      return results;
    },

    /**
     * One monitoring sample of a wave: per-tenant counts from the metrics provider, the decision
     * tree's verdict on the tenant's recent samples (kept in the store, so history carries no
     * sample series), and the halt judgement over the wave's automatically managed members
     * (advisory and manual tenants have their own human path; tenants already rolled back count
     * as breaching). Only the verdicts that call for action come back.
     */
    async sampleWave(input: { rolloutId: string; waveId: string; featureKey: string; tenantIds: string[]; windowSeconds: number; sampleNo: number; rolledBack: string[]; haltShare: number }) {
      const plan = await loadPlan(input.rolloutId);
      const thresholds = new Map(plan.waves.flatMap((w) => w.members).map((m) => [m.tenantId, m.thresholds]));
      const kind = `wave:${input.waveId}:monitor` as const;
      const state = MonitorState.parse((await deps.store.getReport(input.rolloutId, kind)) ?? { samples: {} });
      const samples = await deps.metrics.sample({ featureKey: input.featureKey, tenantIds: input.tenantIds, windowSeconds: input.windowSeconds });
      const byTenant = new Map(samples.map((s) => [s.tenantId, s]));
      const verdicts: TenantVerdict[] = [];
      for (const tenantId of input.tenantIds) {
        const t = thresholds.get(tenantId);
        if (!t) throw inputError(`tenant ${tenantId} has no thresholds in the plan of rollout ${input.rolloutId}`);
        const s = byTenant.get(tenantId);
        // Keyed by sample number, so a retried activity does not count one sample twice.
        const recent = (state.samples[tenantId] ?? []).filter((x) => x.sampleNo !== input.sampleNo);
        if (s) recent.push({ sampleNo: input.sampleNo, requests: s.requests, errors: s.errors, errorRate: s.errorRate, at: s.at });
        state.samples[tenantId] = recent.slice(-MONITOR_KEEP);
        verdicts.push(evaluateSamples(t, state.samples[tenantId]));
        Context.current().heartbeat(tenantId);
      }
      await deps.store.putReport(input.rolloutId, kind, state);
      const earlier: TenantVerdict[] = input.rolledBack
        .filter((id) => !input.tenantIds.includes(id))
        .map((tenantId) => ({ tenantId, state: 'breach', action: 'none', mode: 'automatic', reason: 'rolled back earlier in this wave' }));
      const halt = waveVerdict([...verdicts, ...earlier], input.haltShare);
      const count = (state: TenantVerdict['state']) => verdicts.filter((v) => v.state === state).length;
      return {
        breaches: verdicts.filter((v) => v.state === 'breach'),
        halt,
        counts: { healthy: count('healthy'), warning: count('warning'), insufficientData: count('insufficient-data'), breach: count('breach') },
      };
    },

    async notifyPeople(message: PeopleMessage) {
      await deps.notifier.notify(message);
    },

    /** The wave's full outcome goes to the store; the workflow keeps only the compact result. */
    async recordWaveOutcome(input: { rolloutId: string; outcome: WaveOutcome }) {
      await deps.store.putReport(input.rolloutId, `wave:${input.outcome.waveId}`, input.outcome);
    },

    /** After a continue-as-new the rollout reads its plan summary back instead of carrying it. */
    async loadPlanSummary(input: { rolloutId: string }): Promise<PlanSummary> {
      return summarisePlan(input.rolloutId, await loadPlan(input.rolloutId));
    },

    /** Audit entries of a finished run, so no run carries the whole trail. */
    async recordAudit(input: { rolloutId: string; segment: number; entries: AuditEntry[] }) {
      await deps.store.putReport(input.rolloutId, `audit:${input.segment}`, input.entries);
    },

    /**
     * Saga compensation in batches: the tenants this rollout enabled that still have the
     * feature, newest first (latest wave first, last enabled first), up to `limit` per call.
     */
    async compensateRollout(input: { rolloutId: string; featureKey: string; reason: string; limit: number }) {
      const outcomes = await waveOutcomes(input.rolloutId);
      const newestFirst = outcomes.sort((a, b) => a.endedAt.localeCompare(b.endedAt)).reverse()
        .flatMap((o) => [...o.enabledOrder].reverse().map((tenantId) => ({ tenantId, waveId: o.waveId })));
      const rolledBack: { tenantId: string; waveId: string }[] = [];
      for (const m of newestFirst) {
        if (rolledBack.length >= input.limit) break;
        if (!(await deps.flags.isEnabled(input.featureKey, m.tenantId))) continue;
        await deps.flags.apply({
          featureKey: input.featureKey, tenantId: m.tenantId, enabled: false, rolloutId: input.rolloutId, actor: 'rollout',
          reason: input.reason, idempotencyKey: `${input.rolloutId}:${m.tenantId}:disable`,
        });
        rolledBack.push(m);
        Context.current().heartbeat(m.tenantId);
      }
      return rolledBack;
    },

    /** A person's rollback of one tenant: done here if its wave is over, else the wave does it. */
    async rollbackTenantNow(input: { rolloutId: string; featureKey: string; tenantId: string; runningWaves: string[]; carriedInto?: string; actor: string; reason: string }) {
      const plan = await loadPlan(input.rolloutId);
      const planned = plan.waves.find((w) => w.members.some((m) => m.tenantId === input.tenantId))?.id;
      // A tenant a readiness no-go carried over belongs to the later wave of its lane while that runs.
      const holder = input.carriedInto ?? planned;
      const running = input.runningWaves.find((id) => id === holder);
      if (running) return { action: 'forward' as const, waveId: running };
      if (!(await deps.flags.isEnabled(input.featureKey, input.tenantId))) return { action: 'not-enabled' as const, waveId: planned };
      await deps.flags.apply({
        featureKey: input.featureKey, tenantId: input.tenantId, enabled: false, rolloutId: input.rolloutId, actor: input.actor,
        reason: input.reason, idempotencyKey: `${input.rolloutId}:${input.tenantId}:disable`,
      });
      return { action: 'rolled-back' as const, waveId: planned };
    },

    async healthReport(input: { rolloutId: string; startedAt: string }) {
      const plan = await loadPlan(input.rolloutId);
      return deps.reports.health({ rolloutId: input.rolloutId, plan, outcomes: await waveOutcomes(input.rolloutId), startedAt: input.startedAt });
    },

    /** `audit` is the rollout's own entries of the current run; the rest of the trail is in the store. */
    async retrospective(input: { rolloutId: string; audit: AuditEntry[]; auditSegments: number }) {
      const plan = await loadPlan(input.rolloutId);
      const audit = await fullAudit(deps.store, input.rolloutId, input.auditSegments, input.audit);
      return deps.reports.retrospective({ rolloutId: input.rolloutId, plan, outcomes: await waveOutcomes(input.rolloutId), audit });
    },
  };
}

export type RolloutActivities = ReturnType<typeof createRolloutActivities>;

/** The stored outcomes of those of `waveIds` that have run, in that order. */
export async function storedWaveOutcomes(store: Pick<RolloutStore, 'getReport'>, rolloutId: string, waveIds: string[]): Promise<WaveOutcome[]> {
  const out: WaveOutcome[] = [];
  for (const id of waveIds) {
    const raw = await store.getReport(rolloutId, `wave:${id}`);
    if (raw !== undefined) out.push(WaveOutcome.parse(raw));
  }
  return out;
}

/**
 * The whole audit trail of a rollout, oldest first: the rollout's own entries of earlier runs
 * (`audit:<n>`) and of the current run (`live`), and each finished wave's entries, stored with
 * its outcome.
 */
export async function fullAudit(store: Pick<RolloutStore, 'getReport' | 'getPlan'>, rolloutId: string, segments: number, live: AuditEntry[]): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (let i = 0; i < segments; i++) out.push(...AuditEntry.array().parse((await store.getReport(rolloutId, `audit:${i}`)) ?? []));
  const waveIds = ((await store.getPlan(rolloutId))?.waves ?? []).map((w) => w.id);
  for (const o of await storedWaveOutcomes(store, rolloutId, waveIds)) out.push(...o.audit);
  out.push(...live);
  // `live` may repeat entries of waves that finished in the current run: keep each once.
  const seen = new Set<string>();
  return out.filter((e) => {
    const key = JSON.stringify([e.at, e.actor, e.action, e.waveId, e.tenantId, e.detail]);
    return !seen.has(key) && (seen.add(key), true);
  }).sort((a, b) => a.at.localeCompare(b.at));
}

function summariseWave(w: Plan['waves'][number]): WaveSummary {
  return {
    id: w.id, index: w.index, name: w.name, stage: w.stage, lane: w.lane, memberCount: w.members.length,
    approval: w.approval, fourEyes: w.fourEyes, manualCheckpoint: w.manualCheckpoint, plannedStart: w.start, plannedEnd: w.end,
    monitoringWindowSeconds: w.monitoringWindowSeconds, sampleIntervalSeconds: w.sampleIntervalSeconds, soakSeconds: w.soakSeconds, haltShare: w.haltShare,
  };
}

function summarisePlan(rolloutId: string, plan: Plan): PlanSummary {
  return {
    rolloutId, featureKey: plan.feature.key, featureName: plan.feature.name, featureRisk: plan.feature.risk, reversible: plan.feature.reversible,
    waves: plan.waves.map((w) => ({ id: w.id, index: w.index, stage: w.stage, lane: w.lane, memberCount: w.members.length, plannedStart: w.start, plannedEnd: w.end })),
    tenantCount: plan.profiles.length, holdCount: plan.holds.length, warnings: plan.warnings,
    noticeLeadSeconds: plan.noticeLeadSeconds, ...(plan.noticeReviewSeconds ? { noticeReviewSeconds: plan.noticeReviewSeconds } : {}),
    healthWindowSeconds: plan.healthWindowSeconds, decisionTimeoutSeconds: plan.decisionTimeoutSeconds,
    plannedEnd: plan.timeline.end,
  };
}
