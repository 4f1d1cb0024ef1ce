import { z } from 'zod';
import { DurationOverrides } from './feature';
import { Stage } from './plan';

/** Who acts: always the authenticated principal, never a request-body field. */
export const Actor = z.strictObject({
  id: z.string().min(1),
  role: z.enum(['admin', 'pm', 'approver', 'sre', 'viewer', 'system']),
});
export type Actor = z.infer<typeof Actor>;

export const DecisionTimeoutOutcome = z.enum(['hold', 'proceed-low-risk', 'pause']);
export type DecisionTimeoutOutcome = z.infer<typeof DecisionTimeoutOutcome>;

/** Input of rolloutWorkflow. Tenants and the feature are read from the store by id. */
export const RolloutSpec = z.strictObject({
  rolloutId: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]*$/),
  featureKey: z.string().min(1),
  startedBy: Actor,
  /** Restrict the rollout to these tenants; default every tenant in the registry. */
  tenantIds: z.array(z.string()).optional(),
  /** Planning instant; default the workflow's start time. */
  asOf: z.string().optional(),
  requirePlanApproval: z.boolean().default(false),
  /** 'continuous' ignores business hours and weekends (tests, demo, 24/7 fleets). */
  calendar: z.enum(['business', 'continuous']).default('business'),
  /** Override the feature's durations (seconds), e.g. to compress a demo. */
  durations: DurationOverrides.default({}),
  /** What happens when a human decision is not made before its deadline. */
  onDecisionTimeout: DecisionTimeoutOutcome.default('pause'),
  /** Seconds between reminders while a decision waits. */
  reminderIntervalSeconds: z.number().int().positive().optional(),
  /** Share (0..1) of a wave breaching critical thresholds that halts the whole rollout. */
  haltShare: z.number().min(0).max(1).optional(),
  /**
   * Plan config for this rollout (`PlanConfigOverrides`: only what differs from the defaults);
   * `calendar` and `haltShare` above win over it. Kept in the workflow input, so the Temporal UI
   * shows what the plan was built with.
   */
  planConfig: z.record(z.string(), z.unknown()).optional(),
  /**
   * The rollout continues as a new run once its history passes this many events (between
   * waves), so no history grows with the fleet. Lower it only to exercise the mechanism.
   */
  continueAsNewAfterEvents: z.number().int().min(20).default(1500),
  /** Waves running at the same time, across all lanes. */
  maxConcurrentWaves: z.number().int().min(1).max(200).default(20),
});
export type RolloutSpec = z.infer<typeof RolloutSpec>;
export type RolloutSpecInput = z.input<typeof RolloutSpec>;

export const RolloutPhase = z.enum([
  'PLANNING', 'AWAITING_APPROVAL', 'RUNNING', 'PAUSED', 'HALTED', 'HEALTH_WINDOW', 'REPORTING',
  'COMPLETED', 'ABORTING', 'ABORTED', 'REJECTED',
]);
export type RolloutPhase = z.infer<typeof RolloutPhase>;

export const TenantState = z.enum([
  'pending', 'notified', 'deferred', 'held', 'excluded', 'enabled', 'rolled-back', 'rejected',
]);
export type TenantState = z.infer<typeof TenantState>;

export const WavePhase = z.enum([
  'scheduled', 'waiting-for-start', 'notifying', 'readiness', 'awaiting-go', 'enabling', 'monitoring',
  'awaiting-checkpoint', 'soaking', 'completed', 'rejected', 'skipped', 'halted', 'aborted',
]);
export type WavePhase = z.infer<typeof WavePhase>;

export const PendingDecision = z.strictObject({
  id: z.string(),
  kind: z.enum(['plan', 'wave-go', 'wave-checkpoint', 'tenant-go', 'advisory-rollback']),
  waveId: z.string().optional(),
  tenantId: z.string().optional(),
  /** Where the update must be sent (parent rollout or wave child workflow id). */
  workflowId: z.string(),
  question: z.string(),
  raisedAt: z.string(),
  deadline: z.string(),
  /** What happens at the deadline if nobody decides. */
  defaultAction: z.string(),
  fourEyes: z.boolean(),
});
export type PendingDecision = z.infer<typeof PendingDecision>;

export const AuditEntry = z.strictObject({
  at: z.string(),
  /** 'user:<id>' for people, 'rollout' for automatic actions. */
  actor: z.string(),
  action: z.string(),
  waveId: z.string().optional(),
  tenantId: z.string().optional(),
  detail: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const WaveSummary = z.strictObject({
  id: z.string(),
  index: z.number(),
  name: z.string(),
  stage: Stage,
  lane: z.string(),
  memberCount: z.number(),
  approval: z.enum(['wave', 'per-tenant']),
  fourEyes: z.boolean(),
  manualCheckpoint: z.boolean(),
  plannedStart: z.string(),
  plannedEnd: z.string(),
  monitoringWindowSeconds: z.number(),
  sampleIntervalSeconds: z.number(),
  soakSeconds: z.number(),
  haltShare: z.number(),
});
export type WaveSummary = z.infer<typeof WaveSummary>;

/** Just enough of a wave for the rollout to sequence it; the wave reads the rest itself. */
export const WaveRef = z.strictObject({
  id: z.string(),
  index: z.number(),
  stage: Stage,
  lane: z.string(),
  memberCount: z.number(),
  plannedStart: z.string(),
  plannedEnd: z.string(),
});
export type WaveRef = z.infer<typeof WaveRef>;

/** What the workflow keeps of the plan: the full plan (profiles, members, wave details) stays in the store. */
export const PlanSummary = z.strictObject({
  rolloutId: z.string(),
  featureKey: z.string(),
  featureName: z.string(),
  featureRisk: z.enum(['low', 'medium', 'high']),
  reversible: z.boolean(),
  waves: z.array(WaveRef),
  tenantCount: z.number(),
  holdCount: z.number(),
  warnings: z.array(z.string()),
  noticeLeadSeconds: z.number(),
  noticeReviewSeconds: z.number().optional(),
  healthWindowSeconds: z.number(),
  decisionTimeoutSeconds: z.number(),
  plannedEnd: z.string(),
});
export type PlanSummary = z.infer<typeof PlanSummary>;

export const TenantOutcome = z.strictObject({
  tenantId: z.string(),
  state: TenantState,
  reason: z.string(),
  enabledAt: z.string().optional(),
  rolledBackAt: z.string().optional(),
});
export type TenantOutcome = z.infer<typeof TenantOutcome>;

export const WaveOutcome = z.strictObject({
  waveId: z.string(),
  phase: WavePhase,
  startedAt: z.string(),
  endedAt: z.string(),
  tenants: z.array(TenantOutcome),
  /** Tenants to retry in a later wave (no-go readiness), with why. */
  deferred: z.array(z.strictObject({ tenantId: z.string(), reason: z.string() })),
  /** Tenant ids enabled by this wave, oldest first (compensation runs newest first). */
  enabledOrder: z.array(z.string()),
  audit: z.array(AuditEntry),
  /** Set when the wave stops the rollout (halt share reached, rejected, manual rollback). */
  stopReason: z.string().optional(),
});
export type WaveOutcome = z.infer<typeof WaveOutcome>;

/**
 * What a wave reports to the rollout. The full outcome (every tenant, the whole audit) is
 * stored as report `wave:<id>`; the rollout keeps only what it acts on and what is notable.
 */
export const WaveResult = z.strictObject({
  waveId: z.string(),
  phase: WavePhase,
  startedAt: z.string(),
  endedAt: z.string(),
  enabled: z.number(),
  /** Every member whose state is not plainly 'enabled' (rolled back, held, rejected, deferred, excluded). */
  notable: z.array(TenantOutcome),
  deferred: z.array(z.strictObject({ tenantId: z.string(), reason: z.string() })),
  audit: z.array(AuditEntry),
  stopReason: z.string().optional(),
});
export type WaveResult = z.infer<typeof WaveResult>;

export const WaveStatus = z.strictObject({
  waveId: z.string(),
  workflowId: z.string(),
  phase: WavePhase,
  paused: z.boolean(),
  tenants: z.array(TenantOutcome),
  pendingDecisions: z.array(PendingDecision),
});
export type WaveStatus = z.infer<typeof WaveStatus>;

export const RolloutStatus = z.strictObject({
  rolloutId: z.string(),
  featureKey: z.string(),
  phase: RolloutPhase,
  paused: z.boolean(),
  pauseReason: z.string().optional(),
  startedBy: z.string(),
  currentWaves: z.array(z.strictObject({ waveId: z.string(), workflowId: z.string() })),
  waves: z.array(z.strictObject({ waveId: z.string(), phase: WavePhase, stopReason: z.string().optional() })),
  /**
   * Tenants whose state is notable (rolled back, held, deferred, excluded, rejected); every
   * tenant's state per wave is in the stored wave outcomes, `counts` has the totals.
   */
  tenants: z.array(TenantOutcome),
  /** Runs before this one (continue-as-new); their audit entries are stored as `audit:<n>`. */
  auditSegments: z.number(),
  pendingDecisions: z.array(PendingDecision),
  counts: z.strictObject({ enabled: z.number(), rolledBack: z.number(), deferred: z.number(), held: z.number(), excluded: z.number() }),
});
export type RolloutStatus = z.infer<typeof RolloutStatus>;
