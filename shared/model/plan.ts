import { z } from 'zod';
import { RiskLevel } from './feature';

/**
 * The planner's output, consumed by the CLI, the API and the rollout workflow. Every decision
 * carries its reason in plain words so a PM can defend the plan.
 */

export const Tier = z.enum(['low', 'medium', 'high', 'hold']);
export type Tier = z.infer<typeof Tier>;

export const FactorContribution = z.strictObject({
  factor: z.enum(['integrations', 'customization', 'sla', 'health', 'tickets', 'strategic', 'regulated', 'history']),
  /** Weight of the factor from the scoring config. */
  weight: z.number(),
  /** Factor value normalised to 0..1 before weighting. */
  value: z.number().min(0).max(1),
  /** Points added to the 0..100 score (weight × value). */
  points: z.number(),
  reason: z.string(),
});
export type FactorContribution = z.infer<typeof FactorContribution>;

export const HoldReason = z.strictObject({
  rule: z.enum(['open-p1', 'health-floor', 'incompatible-version', 'renewal-soon', 'freeze-covers-horizon', 'freeze-past-horizon', 'manual', 'readiness']),
  reason: z.string(),
  /** What would release the hold, e.g. "close ticket T-1 (P1)". */
  release: z.string(),
});
export type HoldReason = z.infer<typeof HoldReason>;

export const RiskProfile = z.strictObject({
  tenantId: z.string(),
  tenantName: z.string(),
  score: z.number().min(0).max(100),
  /** Tier from the score alone, before holds. */
  scoreTier: Tier.exclude(['hold']),
  tier: Tier,
  factors: z.array(FactorContribution),
  /** One line a PM can read aloud. */
  summary: z.string(),
  holds: z.array(HoldReason),
});
export type RiskProfile = z.infer<typeof RiskProfile>;

export const ConflictRule = z.strictObject({
  id: z.string(),
  description: z.string(),
  /** At most this many tenants matching the rule in one wave. */
  maxPerWave: z.number().int().positive(),
});

export const Stage = z.enum(['pilot', 'low', 'medium', 'high']);
export type Stage = z.infer<typeof Stage>;

export const DecisionMode = z.enum(['automatic', 'advisory', 'manual']);
export type DecisionMode = z.infer<typeof DecisionMode>;

export const TenantThresholds = z.strictObject({
  tenantId: z.string(),
  baselineErrorRate: z.number(),
  /** Only when the tenant has no error-rate baseline on record and `baselineErrorRate` is the default. */
  baselineAssumed: z.literal(true).optional(),
  /**
   * Only when the tenant has no traffic baseline on record: whether its samples reach `minRequests`
   * rests on the default 100 requests/min. Apart from `baselineAssumed`, which is about the error rate.
   */
  trafficAssumed: z.literal(true).optional(),
  /** Error ratio at which the tenant is flagged (0..1). */
  warningErrorRate: z.number(),
  /** Error ratio at which the decision tree acts (0..1). */
  criticalErrorRate: z.number(),
  /** Requests needed in a sample before it counts. */
  minRequests: z.number().int().nonnegative(),
  /** Consecutive critical samples needed before acting. */
  consecutiveBreaches: z.number().int().positive(),
  decisionMode: DecisionMode,
  reason: z.string(),
});
export type TenantThresholds = z.infer<typeof TenantThresholds>;

export const WaveMember = z.strictObject({
  tenantId: z.string(),
  tenantName: z.string(),
  tier: Tier.exclude(['hold']),
  /** Why this tenant is in this wave (stage, similarity group, coverage, deferral). */
  reason: z.string(),
  /** Touched configurations this tenant exercises ('system:salesforce', 'setting:custom_fields'). */
  covers: z.array(z.string()),
  thresholds: TenantThresholds,
});
export type WaveMember = z.infer<typeof WaveMember>;

export const Wave = z.strictObject({
  /** Stable id, e.g. 'w1', 'w2a', 'w3b'. */
  id: z.string(),
  /** 1-based order of execution. */
  index: z.number().int().positive(),
  name: z.string(),
  stage: Stage,
  /** Waves with the same lane run one after another; different lanes may run in parallel. */
  lane: z.string().default('main'),
  members: z.array(WaveMember),
  /** 'wave': one go/no-go for the wave; 'per-tenant': each tenant needs its own approval. */
  approval: z.enum(['wave', 'per-tenant']),
  /** Manual checkpoint after monitoring, before the soak ends the wave. */
  manualCheckpoint: z.boolean(),
  /** Needs an approver other than the person who started the rollout. */
  fourEyes: z.boolean(),
  monitoringWindowSeconds: z.number().int().positive(),
  sampleIntervalSeconds: z.number().int().positive(),
  soakSeconds: z.number().int().nonnegative(),
  /**
   * Why this soak, in plain words: the stage's full soak (wave risk stage × feature risk, or the
   * feature's override) for the last wave of a lane in its stage, 0 s for the sub-waves that lead
   * into the next wave once monitored. Absent only in plans stored before it was added.
   */
  soakReason: z.string().optional().describe('Why this soak length: the stage\'s full soak (wave risk stage × feature risk, or the feature\'s override) for the last wave of each lane of a stage (the gate before the next stage, or a wave nothing follows); 0 s for sub-waves that lead into the next wave once monitored. Absent only in plans stored before it was added.'),
  /** Share of members breaching critical that halts the rollout (automatic mode). */
  haltShare: z.number().min(0).max(1),
  start: z.string(),
  end: z.string(),
  reason: z.string(),
});
export type Wave = z.infer<typeof Wave>;

export const CoverageEntry = z.strictObject({
  /** 'system:salesforce', 'kind:crm', 'setting:approval_flow', 'stratum:large'. */
  config: z.string(),
  coveredBy: z.array(z.string()),
  /** First wave exercising it, if any early (pilot/low) wave does. */
  firstWave: z.string().optional(),
  note: z.string(),
});
export type CoverageEntry = z.infer<typeof CoverageEntry>;

export const Plan = z.strictObject({
  feature: z.strictObject({ key: z.string(), name: z.string(), risk: RiskLevel, reversible: z.boolean() }),
  /** Time the plan was computed for (input, so the same input gives the same plan). */
  asOf: z.string(),
  profiles: z.array(RiskProfile),
  holds: z.array(z.strictObject({ tenantId: z.string(), tenantName: z.string(), reasons: z.array(HoldReason) })),
  waves: z.array(Wave),
  conflicts: z.array(z.strictObject({ rule: z.string(), tenants: z.array(z.string()), resolution: z.string() })),
  coverage: z.array(CoverageEntry),
  noticeLeadSeconds: z.number().int().nonnegative(),
  /** Review time for the notice drafts before the lead starts counting; absent when there is none. */
  noticeReviewSeconds: z.number().int().positive().optional(),
  /**
   * Health floor of the plan's config: the hold rule and the readiness checks at wave time use the
   * same one. Plans stored before it existed leave it out and mean the default.
   */
  healthFloor: z.number().min(0).max(100).optional(),
  healthWindowSeconds: z.number().int().nonnegative(),
  decisionTimeoutSeconds: z.number().int().positive(),
  timeline: z.strictObject({
    start: z.string(),
    end: z.string(),
    totalSeconds: z.number(),
    /** Calendar time if every wave ran one after another (no parallel lanes). */
    sequentialSeconds: z.number(),
  }),
  warnings: z.array(z.string()),
});
export type Plan = z.infer<typeof Plan>;

export const ReadinessCheck = z.enum([
  'integration-compatibility', 'instability-tickets', 'freeze-collision', 'health-floor', 'notice-lead-time', 'contact-present',
]);
export const ReadinessItem = z.strictObject({
  check: ReadinessCheck,
  status: z.enum(['pass', 'fail', 'review']),
  evidence: z.string(),
});
export type ReadinessItem = z.infer<typeof ReadinessItem>;

export const Readiness = z.strictObject({
  tenantId: z.string(),
  waveId: z.string(),
  verdict: z.enum(['go', 'no-go', 'needs-review']),
  items: z.array(ReadinessItem),
  summary: z.string(),
});
export type Readiness = z.infer<typeof Readiness>;

/** A retrospective's lasting lesson about a tenant, applied by the next plan's scoring. */
export const RiskAdjustment = z.strictObject({
  tenantId: z.string(),
  /** Points added to (or, negative, taken from) the 0..100 score. */
  points: z.number().min(-30).max(30),
  reason: z.string(),
  rolloutId: z.string(),
  at: z.string(),
});
export type RiskAdjustment = z.infer<typeof RiskAdjustment>;
