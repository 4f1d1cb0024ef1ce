import { z } from 'zod';
import { RiskAdjustment, type Plan, type Wave, type WaveMember } from '../model/plan';
import { WavePhase, type AuditEntry, type WaveOutcome } from '../model/rollout';
import { duration, firstOf, pct, plural } from '../risk/format';
import { DecisionFact, decisionsFromAudit } from './decisions';
import { cell } from './format';
import type { HealthReport, TenantHealth } from './health';
import { median } from './stats';

/**
 * The retrospective: facts first (plan vs actual per wave, rollbacks and their causes, decisions
 * and their latency, predicted tier vs what happened), then 3–5 recommendations that each cite the
 * facts they come from, and the risk-profile lessons the next plan's scoring applies.
 */

/** Planned against actual timing, for a wave and for the whole rollout. */
const PlanVsActual = z.strictObject({
  plannedStart: z.string(),
  plannedEnd: z.string(),
  plannedSeconds: z.number(),
  actualStart: z.string().optional(),
  actualEnd: z.string().optional(),
  actualSeconds: z.number().optional(),
  /** actual − planned duration; positive = took longer. */
  deltaSeconds: z.number().optional(),
});

export const WaveFact = z.strictObject({
  waveId: z.string(),
  name: z.string(),
  stage: z.string(),
  ...PlanVsActual.shape,
  /** Seconds the wave waited for people (decision latency inside the wave). */
  waitingSeconds: z.number(),
  phase: z.union([WavePhase, z.literal('not-run')]),
  enabled: z.number(),
  rolledBack: z.number(),
  deferred: z.number(),
  stopReason: z.string().optional(),
  reason: z.string(),
});
export type WaveFact = z.infer<typeof WaveFact>;

export const RollbackFact = z.strictObject({
  tenantId: z.string(),
  tenantName: z.string(),
  waveId: z.string(),
  stage: z.string(),
  predictedTier: z.string(),
  score: z.number().optional(),
  rolledBackAt: z.string().optional(),
  /** The workflow's own reason for the rollback (decision tree verdict or the person's reason). */
  cause: z.string(),
  /** Who rolled back: 'rollout' (automatic) or 'user:<id>'. */
  by: z.string().optional(),
  criticalErrorRate: z.number().optional(),
  /** Touched configurations the tenant exercised: where the fault most likely lives. */
  covers: z.array(z.string()),
  /** Undone because the whole rollout was aborted, not because of this tenant: no lesson about it. */
  compensation: z.boolean(),
});
export type RollbackFact = z.infer<typeof RollbackFact>;

export const TierFact = z.strictObject({
  tenantId: z.string(),
  tenantName: z.string(),
  predictedTier: z.enum(['low', 'medium', 'high']),
  score: z.number().optional(),
  observed: z.enum(['rolled-back', 'incident', 'clean', 'no-data']),
  verdict: z.enum(['under-estimated', 'confirmed', 'possibly over-estimated', 'unknown']),
  /** What was observed, in plain words. */
  evidence: z.string(),
  reason: z.string(),
});
export type TierFact = z.infer<typeof TierFact>;

export const Recommendation = z.strictObject({
  /** Which rule produced it, so a reader (and a test) can tell recommendations apart. */
  rule: z.enum(['rollback-follow-up', 'cover-earlier', 'stopped-wave', 'rescore', 'decisions', 'outreach', 'schedule', 'deferred', 'data-gaps', 'coverage-gaps', 'over-estimated', 'tiers-held', 'coverage-held']),
  text: z.string(),
  /** The facts it rests on, as written in the fact sections. */
  facts: z.array(z.string()).min(1),
});
export type Recommendation = z.infer<typeof Recommendation>;

export const Retrospective = z.strictObject({
  rolloutId: z.string(),
  featureKey: z.string(),
  featureName: z.string(),
  asOf: z.string(),
  /** One line for the workflow history and the rollout's audit trail. */
  summary: z.string(),
  timeline: z.strictObject({
    ...PlanVsActual.shape,
    reason: z.string(),
  }),
  waves: z.array(WaveFact),
  rollbacks: z.array(RollbackFact),
  decisions: z.array(DecisionFact),
  decisionLatency: z.strictObject({
    count: z.number(),
    medianSeconds: z.number().optional(),
    maxSeconds: z.number().optional(),
    expired: z.number(),
    open: z.number(),
    timeoutSeconds: z.number(),
    reason: z.string(),
  }),
  tiers: z.array(TierFact),
  recommendations: z.array(Recommendation).min(3).max(5),
  riskAdjustments: z.array(RiskAdjustment),
  /** Added by the reports activity: the prose version, and which path wrote it. */
  narrative: z.strictObject({
    text: z.string(),
    source: z.enum(['template', 'llm']),
    fallbackReason: z.string().optional(),
  }).optional(),
});
export type Retrospective = z.infer<typeof Retrospective>;

export const RetrospectiveOptions = z.strictObject({
  /** History points for a rollback, by the tier the tenant was predicted at: a surprise teaches more. */
  rollbackPoints: z.strictObject({ low: z.number(), medium: z.number(), high: z.number() }).default({ low: 20, medium: 15, high: 10 }),
  /** Points for an incident (new P1/P2 ticket, errors above warning) at a tier that did not expect it. */
  incidentPoints: z.number().default(5),
  /** Points taken from a high-tier tenant on its second clean rollout. */
  cleanHighPoints: z.number().default(-10),
  /** A wave over or under plan by less than this share is on schedule. */
  scheduleTolerance: z.number().min(0).default(0.1),
  /** Decisions slower than this share of the decision timeout are worth a recommendation. */
  slowDecisionShare: z.number().min(0).max(1).default(0.5),
});
export type RetrospectiveOptions = z.infer<typeof RetrospectiveOptions>;

export interface RetrospectiveInput {
  rolloutId: string;
  plan: Plan;
  outcomes: WaveOutcome[];
  health: HealthReport;
  audit: AuditEntry[];
  asOf: string;
  /** Lessons already stored for these tenants: a high-tier tenant's second clean run lowers its score. */
  priorAdjustments?: RiskAdjustment[];
  options?: z.input<typeof RetrospectiveOptions>;
}

type Rule = Recommendation['rule'];
type Candidate = Recommendation & { priority: number };

export function buildRetrospective(input: RetrospectiveInput): Retrospective {
  const options = RetrospectiveOptions.parse(input.options ?? {});
  const { plan, health } = input;
  const audit = [...input.audit, ...input.outcomes.flatMap((o) => o.audit)];
  const unique = [...new Map(audit.map((a) => [`${a.at}|${a.action}|${a.waveId}|${a.tenantId}|${a.detail}`, a])).values()];
  const decisions = decisionsFromAudit(unique);
  const outcomes = new Map(input.outcomes.map((o) => [o.waveId, o]));
  const members = new Map(plan.waves.flatMap((w) => w.members.map((m) => [m.tenantId, { wave: w, member: m }] as const)));
  const profiles = new Map(plan.profiles.map((p) => [p.tenantId, p]));

  const waves = plan.waves.map((w) => waveFact(w, outcomes.get(w.id), decisions));
  const timeline = timelineFact(plan, input.outcomes);
  const rollbacks = rollbackFacts(input.outcomes, members, profiles, unique);
  const tiers = tierFacts(input.outcomes, members, profiles, rollbacks, health);
  const decisionLatency = latencyFact(decisions, plan.decisionTimeoutSeconds);
  const riskAdjustments = adjustments(input, rollbacks, tiers, members, options);
  const recommendations = recommend({ plan, waves, timeline, rollbacks, tiers, decisions, decisionLatency, health, riskAdjustments, members, options });

  const under = tiers.filter((t) => t.verdict === 'under-estimated').length;
  const summary = `retrospective: ${timeline.reason}; ${plural(rollbacks.length, 'rollback')}; ${plural(decisions.length, 'decision')}`
    + `${decisionLatency.medianSeconds !== undefined ? ` (median ${duration(decisionLatency.medianSeconds)})` : ''}; `
    + `${under} tier${under === 1 ? '' : 's'} under-estimated; ${plural(riskAdjustments.length, 'risk-profile update')} proposed`;
  return Retrospective.parse({
    rolloutId: input.rolloutId,
    featureKey: plan.feature.key,
    featureName: plan.feature.name,
    asOf: input.asOf,
    summary,
    timeline,
    waves,
    rollbacks,
    decisions,
    decisionLatency,
    tiers,
    recommendations,
    riskAdjustments,
  });
}

function seconds(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 1000);
}

function signed(s: number): string {
  return s === 0 ? 'on time' : `${s > 0 ? '+' : '−'}${duration(Math.abs(s))}`;
}

function waveFact(w: Wave, o: WaveOutcome | undefined, decisions: DecisionFact[]): WaveFact {
  const plannedSeconds = seconds(w.start, w.end);
  const base = { waveId: w.id, name: w.name, stage: w.stage, plannedStart: w.start, plannedEnd: w.end, plannedSeconds };
  if (!o) return { ...base, waitingSeconds: 0, phase: 'not-run', enabled: 0, rolledBack: 0, deferred: 0, reason: `${w.id} did not run (planned ${duration(plannedSeconds)})` };
  const actualSeconds = seconds(o.startedAt, o.endedAt);
  const deltaSeconds = actualSeconds - plannedSeconds;
  const waitingSeconds = decisions.filter((d) => d.waveId === w.id).reduce((sum, d) => sum + (d.latencySeconds ?? 0), 0);
  const count = (state: string) => o.tenants.filter((t) => t.state === state).length;
  const late = seconds(w.start, o.startedAt);
  const reason = `${w.id} (${w.stage}): planned ${duration(plannedSeconds)}, took ${duration(actualSeconds)} (${signed(deltaSeconds)})`
    + `${late !== 0 ? `, started ${signed(late)} against plan` : ''}${waitingSeconds > 0 ? `, ${duration(waitingSeconds)} of it waiting for decisions` : ''}`
    + `${o.stopReason ? `; stopped: ${o.stopReason}` : ''}`;
  return {
    ...base,
    actualStart: o.startedAt,
    actualEnd: o.endedAt,
    actualSeconds,
    deltaSeconds,
    waitingSeconds,
    phase: o.phase,
    enabled: count('enabled'),
    rolledBack: count('rolled-back'),
    deferred: o.deferred.length,
    stopReason: o.stopReason,
    reason,
  };
}

function timelineFact(plan: Plan, outcomes: WaveOutcome[]): Retrospective['timeline'] {
  const plannedSeconds = seconds(plan.timeline.start, plan.timeline.end);
  const base = { plannedStart: plan.timeline.start, plannedEnd: plan.timeline.end, plannedSeconds };
  if (outcomes.length === 0) return { ...base, reason: `no wave ran (planned ${duration(plannedSeconds)})` };
  const actualStart = outcomes.map((o) => o.startedAt).reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
  const actualEnd = outcomes.map((o) => o.endedAt).reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
  const actualSeconds = seconds(actualStart, actualEnd);
  const deltaSeconds = actualSeconds - plannedSeconds;
  return { ...base, actualStart, actualEnd, actualSeconds, deltaSeconds, reason: `planned ${duration(plannedSeconds)}, took ${duration(actualSeconds)} (${signed(deltaSeconds)})` };
}

type Members = Map<string, { wave: Wave; member: WaveMember }>;
type Profiles = Map<string, Plan['profiles'][number]>;

function rollbackFacts(outcomes: WaveOutcome[], members: Members, profiles: Profiles, audit: AuditEntry[]): RollbackFact[] {
  const abortedAt = audit.find((a) => a.action === 'abort')?.at;
  return outcomes.flatMap((o) => o.tenants.filter((t) => t.state === 'rolled-back').map((t) => {
    const placed = members.get(t.tenantId);
    const by = audit.filter((a) => a.action === 'rollback' && a.tenantId === t.tenantId).map((a) => a.actor)[0];
    return {
      tenantId: t.tenantId,
      tenantName: placed?.member.tenantName ?? profiles.get(t.tenantId)?.tenantName ?? t.tenantId,
      waveId: o.waveId,
      stage: placed?.wave.stage ?? 'unknown',
      predictedTier: placed?.member.tier ?? profiles.get(t.tenantId)?.scoreTier ?? 'unknown',
      score: profiles.get(t.tenantId)?.score,
      rolledBackAt: t.rolledBackAt,
      cause: t.reason,
      by,
      criticalErrorRate: placed?.member.thresholds.criticalErrorRate,
      covers: placed?.member.covers ?? [],
      compensation: abortedAt !== undefined && t.rolledBackAt !== undefined && Date.parse(t.rolledBackAt) >= Date.parse(abortedAt),
    };
  }));
}

function observedOf(h: TenantHealth | undefined, member: WaveMember): { observed: TierFact['observed']; what: string } {
  if (!h || h.errors.requests === undefined) return { observed: 'no-data', what: 'no metrics after enable' };
  const incidents = [
    ...h.flags.filter((f) => f.kind !== 'activation').map((f) => f.reason),
    ...(h.errors.enough && (h.errors.errorRate ?? 0) >= member.thresholds.warningErrorRate && !h.flags.some((f) => f.kind === 'errors')
      ? [`error rate ${pct(h.errors.errorRate ?? 0)} at or above warning ${pct(member.thresholds.warningErrorRate)}`] : []),
  ];
  if (incidents.length > 0) return { observed: 'incident', what: incidents.join('; ') };
  return { observed: 'clean', what: `no incident (${h.errors.reason}; ${h.tickets.reason})` };
}

const verdicts: Record<TierFact['predictedTier'], Record<Exclude<TierFact['observed'], 'no-data'>, TierFact['verdict']>> = {
  low: { 'rolled-back': 'under-estimated', incident: 'under-estimated', clean: 'confirmed' },
  medium: { 'rolled-back': 'under-estimated', incident: 'confirmed', clean: 'confirmed' },
  high: { 'rolled-back': 'confirmed', incident: 'confirmed', clean: 'possibly over-estimated' },
};

function tierFacts(outcomes: WaveOutcome[], members: Members, profiles: Profiles, rollbacks: RollbackFact[], health: HealthReport): TierFact[] {
  const healthOf = new Map(health.tenants.map((t) => [t.tenantId, t]));
  const reached = [...new Set(outcomes.flatMap((o) => o.tenants.filter((t) => t.state === 'enabled' || t.state === 'rolled-back').map((t) => t.tenantId)))];
  return reached.flatMap((tenantId) => {
    const placed = members.get(tenantId);
    if (!placed) return [];
    const { member } = placed;
    const rollback = rollbacks.find((r) => r.tenantId === tenantId);
    const { observed, what } = rollback?.compensation ? { observed: 'no-data' as const, what: `rolled back when the rollout was aborted (${rollback.cause})` }
      : rollback ? { observed: 'rolled-back' as const, what: `rolled back in ${rollback.waveId}: ${rollback.cause}` }
        : observedOf(healthOf.get(tenantId), member);
    const verdict = observed === 'no-data' ? 'unknown' : verdicts[member.tier][observed];
    const score = profiles.get(tenantId)?.score;
    return [{
      tenantId,
      tenantName: member.tenantName,
      predictedTier: member.tier,
      score,
      observed,
      verdict,
      evidence: what,
      reason: `predicted ${member.tier}${score !== undefined ? ` (score ${score.toFixed(1)})` : ''}, observed ${what}: ${verdict}`,
    }];
  });
}

function latencyFact(decisions: DecisionFact[], timeoutSeconds: number): Retrospective['decisionLatency'] {
  const timed = decisions.filter((d) => d.outcome !== 'open' && d.latencySeconds !== undefined).map((d) => d.latencySeconds as number);
  const expired = decisions.filter((d) => d.outcome === 'expired').length;
  const open = decisions.filter((d) => d.outcome === 'open').length;
  const medianSeconds = timed.length > 0 ? Math.round(median(timed)) : undefined;
  const maxSeconds = timed.length > 0 ? Math.max(...timed) : undefined;
  const reason = decisions.length === 0
    ? 'no human decisions were needed'
    : `${plural(decisions.length, 'decision')}${medianSeconds !== undefined ? `, median ${duration(medianSeconds)}, longest ${duration(maxSeconds as number)}` : ''} `
      + `against a ${duration(timeoutSeconds)} timeout; ${expired} expired, ${open} still open`;
  return { count: decisions.length, medianSeconds, maxSeconds, expired, open, timeoutSeconds, reason };
}

function adjustments(input: RetrospectiveInput, rollbacks: RollbackFact[], tiers: TierFact[], members: Members, options: RetrospectiveOptions): RiskAdjustment[] {
  const at = input.asOf;
  const rolloutId = input.rolloutId;
  const bound = (p: number) => Math.max(-30, Math.min(30, p));
  const out: RiskAdjustment[] = rollbacks.filter((r) => !r.compensation && members.has(r.tenantId)).map((r) => ({
    tenantId: r.tenantId,
    points: bound(options.rollbackPoints[members.get(r.tenantId)!.member.tier]),
    reason: `rolled back in wave ${r.waveId} (predicted ${r.predictedTier}): ${r.cause}`,
    rolloutId,
    at,
  }));
  for (const t of tiers) {
    if (t.observed === 'incident' && t.verdict === 'under-estimated') {
      out.push({ tenantId: t.tenantId, points: bound(options.incidentPoints), reason: `incident at ${t.predictedTier} tier after enable: ${t.evidence}`, rolloutId, at });
    }
    if (t.verdict === 'possibly over-estimated') {
      const earlier = (input.priorAdjustments ?? []).filter((a) => a.tenantId === t.tenantId && a.rolloutId !== rolloutId && a.points <= 0);
      out.push(earlier.length > 0
        ? { tenantId: t.tenantId, points: bound(options.cleanHighPoints), reason: `clean again at high tier (also clean in rollout ${earlier[earlier.length - 1].rolloutId})`, rolloutId, at }
        : { tenantId: t.tenantId, points: 0, reason: `clean at high tier, first time on record; a second clean rollout lowers the score by ${Math.abs(options.cleanHighPoints)}`, rolloutId, at });
    }
  }
  return out;
}

interface Facts {
  plan: Plan;
  waves: WaveFact[];
  timeline: Retrospective['timeline'];
  rollbacks: RollbackFact[];
  tiers: TierFact[];
  decisions: DecisionFact[];
  decisionLatency: Retrospective['decisionLatency'];
  health: HealthReport;
  riskAdjustments: RiskAdjustment[];
  members: Members;
  options: RetrospectiveOptions;
}

/** Overrun a wave's estimate should absorb: time over plan not spent waiting for people. */
const overrun = (w: WaveFact) => (w.deltaSeconds ?? 0) - w.waitingSeconds;

const names = (list: string[]) => firstOf(list, 3);

/** Each rule reads the facts and proposes at most one recommendation; the highest priorities win. */
const rules: ((f: Facts) => Candidate | undefined)[] = [
  (f) => {
    const r = f.rollbacks.find((x) => !x.compensation && (x.stage === 'pilot' || x.stage === 'low'));
    if (!r) return undefined;
    const index = f.plan.waves.find((w) => w.id === r.waveId)?.index ?? 0;
    const sharing = f.plan.waves.filter((w) => w.index > index).flatMap((w) => w.members).filter((m) => m.covers.some((c) => r.covers.includes(c)));
    const shared = [...new Set(sharing.flatMap((m) => m.covers.filter((c) => r.covers.includes(c))))].join(', ');
    const observed = new Map(f.tiers.map((t) => [t.tenantId, t]));
    const clean = sharing.filter((m) => observed.get(m.tenantId)?.observed === 'clean');
    const hit = sharing.filter((m) => ['rolled-back', 'incident'].includes(observed.get(m.tenantId)?.observed ?? ''));
    const waiting = sharing.filter((m) => !observed.has(m.tenantId));
    const cause = `${r.tenantName} rolled back in ${r.waveId}: ${r.cause}`;
    if (sharing.length === 0) {
      return { rule: 'rollback-follow-up', priority: 100, text: `Diagnose the fault behind ${r.tenantName}'s rollback (${r.covers.join(', ') || 'no touched configuration recorded'}) and re-enable it in a follow-up rollout; no later tenant shares that configuration.`, facts: [cause] };
    }
    const text = hit.length > 0 && hit.length >= clean.length
      ? `Treat ${shared} as the fault's home: ${names(hit.map((m) => m.tenantName))} also had trouble after ${r.tenantName}'s rollback. Fix it before enabling ${waiting.length > 0 ? names(waiting.map((m) => m.tenantName)) : 'the next tenants with it'}.`
      : waiting.length > 0
        ? `Keep ${names(waiting.map((m) => m.tenantName))} off until the fault behind ${r.tenantName}'s rollback is fixed: they share ${shared} and have not had the feature yet.`
        : `Look for what sets ${r.tenantName} apart (connector version, customizations), then re-enable it in a follow-up: ${clean.length} of ${plural(sharing.length, 'later tenant')} with ${shared} ran clean, so the fault is not in ${shared} alone`
          + `${hit.length > 0 ? `; check ${names(hit.map((m) => m.tenantName))} first, ${hit.length === 1 ? 'it' : 'they'} had trouble too` : ''}.`;
    return { rule: 'rollback-follow-up', priority: 100, text, facts: [cause, ...[...hit, ...clean].slice(0, 4).map((m) => `${m.tenantName}: ${observed.get(m.tenantId)!.reason}`)] };
  },
  (f) => {
    const lateBacks = f.rollbacks.filter((r) => !r.compensation && (r.stage === 'medium' || r.stage === 'high'));
    const r = lateBacks[0];
    if (!r) return undefined;
    const uncovered = f.plan.coverage.filter((c) => r.covers.includes(c.config) && c.firstWave === undefined).map((c) => c.config);
    const configs = uncovered.length > 0 ? uncovered : r.covers;
    return {
      rule: 'cover-earlier',
      priority: 95,
      text: `Put a low-risk tenant with ${configs.join(', ') || `${r.tenantName}'s configuration`} into an early wave next time: the fault first showed on ${r.tenantName} (${r.predictedTier}) in ${r.waveId}, a ${r.stage} wave${uncovered.length > 0 ? `, and the plan's early waves did not cover ${uncovered.join(', ')}` : ''}.`,
      facts: [`${r.tenantName} rolled back in ${r.waveId}: ${r.cause}`, ...f.plan.coverage.filter((c) => uncovered.includes(c.config)).map((c) => `coverage ${c.config}: ${c.note}`)],
    };
  },
  (f) => {
    const stopped = f.waves.filter((w) => w.stopReason);
    const notRun = f.waves.filter((w) => w.phase === 'not-run');
    if (stopped.length === 0 && notRun.length === 0) return undefined;
    return {
      rule: 'stopped-wave',
      priority: 90,
      text: `Plan a follow-up rollout for ${notRun.length > 0 ? `the waves that did not run (${notRun.map((w) => w.waveId).join(', ')})` : 'the tenants the stop left out'}`
        + `${stopped[0] ? ` once the cause of the stop in ${stopped[0].waveId} is fixed: ${stopped[0].stopReason}` : ''}.`,
      facts: [...stopped, ...notRun].map((w) => w.reason),
    };
  },
  (f) => {
    const under = f.tiers.filter((t) => t.verdict === 'under-estimated');
    if (under.length === 0) return undefined;
    const pts = (id: string) => f.riskAdjustments.filter((a) => a.tenantId === id).reduce((s, a) => s + a.points, 0);
    return {
      rule: 'rescore',
      priority: 85,
      text: `Apply the proposed risk-profile updates: ${under.map((t) => `${t.tenantName} +${pts(t.tenantId)} points (was ${t.predictedTier}${t.score !== undefined ? `, score ${t.score}` : ''})`).join('; ')}, so the next plan places ${under.length === 1 ? 'it' : 'them'} later and watches ${under.length === 1 ? 'it' : 'them'} closer.`,
      facts: under.map((t) => `${t.tenantName}: ${t.reason}`),
    };
  },
  (f) => {
    const l = f.decisionLatency;
    const slowest = [...f.decisions].filter((d) => d.latencySeconds !== undefined).sort((a, b) => (b.latencySeconds as number) - (a.latencySeconds as number))[0];
    const slow = l.maxSeconds !== undefined && l.maxSeconds >= l.timeoutSeconds * f.options.slowDecisionShare;
    if (l.expired === 0 && !slow) return undefined;
    const expired = f.decisions.filter((d) => d.outcome === 'expired');
    const text = l.expired > 0
      ? `Name a backup approver for ${names([...new Set(expired.map((d) => d.waveId ?? 'the plan'))])}: ${plural(l.expired, 'decision')} expired after the ${duration(l.timeoutSeconds)} timeout and the default applied.`
      : `Book the approvers for the go/no-go ahead of ${slowest.waveId ?? 'the plan'}: the longest decision took ${duration(l.maxSeconds as number)} of the ${duration(l.timeoutSeconds)} timeout ("${slowest.question}").`;
    return { rule: 'decisions', priority: 80, text, facts: [l.reason, ...(slowest ? [slowest.reason] : []), ...expired.slice(0, 2).map((d) => d.reason)] };
  },
  (f) => {
    if (f.health.outreach.length === 0) return undefined;
    return {
      rule: 'outreach',
      priority: 75,
      text: `Customer success to contact ${names(f.health.outreach.map((o) => o.tenantName))} this week: ${f.health.outreach.map((o) => `${o.tenantName} (${o.reasons[0]})`).join('; ')}.`,
      facts: f.health.outreach.map((o) => `${o.tenantName}: ${o.reasons.join('; ')}`),
    };
  },
  (f) => {
    const over = f.waves.filter((w) => w.deltaSeconds !== undefined && w.deltaSeconds - w.waitingSeconds > w.plannedSeconds * f.options.scheduleTolerance)
      .sort((a, b) => overrun(b) - overrun(a));
    const w = over[0];
    if (!w) return undefined;
    return {
      rule: 'schedule',
      priority: 70,
      text: `Lengthen the ${w.stage}-stage wave estimate by ${duration(overrun(w))} (or split the wave): ${w.waveId} ran ${signed(w.deltaSeconds as number)} over its ${duration(w.plannedSeconds)} plan`
        + `${w.waitingSeconds > 0 ? `, ${duration(overrun(w))} of it not explained by waiting for decisions` : ''}.`,
      facts: over.map((x) => x.reason),
    };
  },
  (f) => {
    const deferred = f.waves.filter((w) => w.deferred > 0);
    if (deferred.length === 0) return undefined;
    const total = deferred.reduce((s, w) => s + w.deferred, 0);
    return {
      rule: 'deferred',
      priority: 60,
      text: `Clear the readiness blockers of the ${plural(total, 'deferred tenant')} before the next rollout starts, so they do not slip again.`,
      facts: deferred.map((w) => `${w.waveId}: ${plural(w.deferred, 'tenant')} deferred at readiness`),
    };
  },
  (f) => {
    const gaps = f.health.warnings.filter((w) => w.includes('no metrics sample'));
    if (gaps.length === 0) return undefined;
    return { rule: 'data-gaps', priority: 55, text: `Wire per-tenant metrics for the ${plural(gaps.length, 'tenant')} without data before the next rollout: their activation and errors were not measured.`, facts: gaps };
  },
  (f) => {
    const gaps = f.plan.coverage.filter((c) => c.firstWave === undefined);
    if (gaps.length === 0) return undefined;
    return {
      rule: 'coverage-gaps',
      priority: 50,
      text: `Recruit a low-risk or beta tenant that uses ${names(gaps.map((c) => c.config))}: no early wave exercised ${gaps.length === 1 ? 'it' : 'them'}, so a fault there would first hit a medium or high-risk tenant.`,
      facts: gaps.map((c) => `coverage ${c.config}: ${c.note}`),
    };
  },
  (f) => {
    const over = f.tiers.filter((t) => t.verdict === 'possibly over-estimated');
    if (over.length === 0) return undefined;
    const lowered = f.riskAdjustments.filter((a) => a.points < 0 && over.some((t) => t.tenantId === a.tenantId));
    return {
      rule: 'over-estimated',
      priority: 40,
      text: `Keep ${names(over.map((t) => t.tenantName))} at high risk for now: ${plural(over.length, 'high-tier tenant')} went through cleanly`
        + `${lowered.length > 0 ? `, and ${plural(lowered.length, 'score')} drop${lowered.length === 1 ? 's' : ''} by ${Math.abs(lowered[0].points)} after a second clean rollout` : '; a second clean rollout will lower their scores'}.`,
      facts: over.map((t) => `${t.tenantName}: ${t.reason}`),
    };
  },
  // The last three always hold: a retrospective of a quiet rollout still states what held and why.
  (f) => ({
    rule: 'tiers-held',
    priority: 20,
    text: f.tiers.length === 0
      ? 'Score the tenants again before the next rollout: no tenant was enabled, so no tier could be checked.'
      : `Keep the scoring weights: ${f.tiers.filter((t) => t.verdict === 'confirmed').length} of ${plural(f.tiers.length, 'predicted tier')} matched what happened.`,
    facts: f.tiers.length === 0 ? ['no tenant was enabled'] : f.tiers.slice(0, 5).map((t) => `${t.tenantName}: ${t.reason}`),
  }),
  (f) => {
    const waited = f.waves.reduce((sum, w) => sum + w.waitingSeconds, 0);
    return {
      rule: 'schedule',
      priority: 15,
      text: `Keep the wave durations: ${waited > 0 ? `apart from ${duration(waited)} waiting for decisions, ` : ''}every wave ran within ${Math.round(f.options.scheduleTolerance * 100)} % of its plan (the rollout ${f.timeline.reason}).`,
      facts: [f.timeline.reason, ...f.waves.slice(0, 4).map((w) => w.reason)],
    };
  },
  (f) => ({
    rule: 'coverage-held',
    priority: 10,
    text: `Keep the learning-speed picks: the early waves covered ${plural(f.plan.coverage.filter((c) => c.firstWave !== undefined).length, 'touched configuration')} of ${f.plan.coverage.length}.`,
    facts: f.plan.coverage.length === 0 ? ['the feature touches no specific configuration'] : f.plan.coverage.slice(0, 5).map((c) => `coverage ${c.config}: ${c.note}`),
  }),
];

function recommend(f: Facts): Recommendation[] {
  const candidates = rules.map((r) => r(f)).filter((c): c is Candidate => c !== undefined);
  const picked: Candidate[] = [];
  const seen = new Set<Rule>();
  for (const c of [...candidates].sort((a, b) => b.priority - a.priority)) {
    // A rule speaks once: the quiet "keep the durations" never repeats an overrun finding.
    if (seen.has(c.rule) || picked.length === 5) continue;
    if (c.rule === 'coverage-held' && seen.has('coverage-gaps')) continue;
    if (c.rule === 'tiers-held' && (seen.has('rescore') || seen.has('over-estimated'))) continue;
    seen.add(c.rule);
    picked.push(c);
  }
  return picked.map(({ rule, text, facts }) => ({ rule, text, facts }));
}

export function renderRetrospective(r: Retrospective, format: 'markdown' | 'json'): string {
  if (format === 'json') return JSON.stringify(r, null, 2);
  const lines = [
    `# Retrospective: ${r.featureName} (${r.rolloutId})`,
    '',
    `As of ${r.asOf}. The rollout ${r.timeline.reason}.`,
    '',
    '## Plan vs actual',
    '',
    '| wave | stage | planned | actual | delta | waiting | enabled | rolled back | deferred |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...r.waves.map((w) => `| ${w.waveId} ${cell(w.name)} | ${w.stage} | ${duration(w.plannedSeconds)} | ${w.actualSeconds !== undefined ? duration(w.actualSeconds) : w.phase} | `
      + `${w.deltaSeconds !== undefined ? signed(w.deltaSeconds) : '–'} | ${w.waitingSeconds ? duration(w.waitingSeconds) : '–'} | ${w.enabled} | ${w.rolledBack} | ${w.deferred} |`),
    '',
    '## Rollbacks',
    '',
    ...(r.rollbacks.length === 0 ? ['None.'] : r.rollbacks.map((b) => `- **${b.tenantName}** in ${b.waveId} (${b.stage}, predicted ${b.predictedTier}${b.by ? `, by ${b.by}` : ''}${b.compensation ? ', undone by the abort' : ''}): ${b.cause}`)),
    '',
    '## Decisions',
    '',
    r.decisionLatency.reason + '.',
    ...r.decisions.map((d) => `- ${d.waveId ?? 'plan'}${d.tenantId ? ` / ${d.tenantId}` : ''}: ${d.question} — ${d.reason}`),
    '',
    '## Predicted tier vs observed',
    '',
    ...(r.tiers.length === 0 ? ['No tenant was enabled.'] : r.tiers.map((t) => `- **${t.tenantName}**: ${t.reason}`)),
    '',
    '## Recommendations',
    '',
    ...r.recommendations.map((c, i) => `${i + 1}. ${c.text}\n   - Facts: ${c.facts.join('; ')}`),
    '',
    '## Proposed risk-profile updates',
    '',
    ...(r.riskAdjustments.length === 0 ? ['None.'] : r.riskAdjustments.map((a) => `- ${a.tenantId}: ${a.points >= 0 ? '+' : ''}${a.points} — ${a.reason}`)),
    ...(r.narrative ? [
      '',
      '## Narrative',
      '',
      `_${r.narrative.source === 'llm' ? 'Written by the LLM and fact-checked.' : `From the template${r.narrative.fallbackReason ? ` (LLM text not used: ${r.narrative.fallbackReason})` : ''}.`}_`,
      '',
      r.narrative.text,
    ] : []),
  ];
  return `${lines.join('\n')}\n`;
}
