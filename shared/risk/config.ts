import { z } from 'zod';
import { IntegrationKind, RegulatedIndustry, Regime } from '../model/tenant';

/**
 * The one scoring config: factor weights, normalisation, tier cut-offs, hold rules, never-together
 * rules and monitoring parameters. docs/SCORING.md explains every number; change both together.
 */

const Weights = z.strictObject({
  /** Connected systems, weighted by kind and by whether the feature touches them. */
  integrations: z.number().nonnegative(),
  /** Custom settings, scripts and fields; the ones the feature touches count in full. */
  customization: z.number().nonnegative(),
  /** How much an outage costs contractually: platinum / uptime ≥ 99.95 % is the most sensitive. */
  sla: z.number().nonnegative(),
  /** Customer health, inverted: an unhappy customer forgives less. */
  health: z.number().nonnegative(),
  /** Open support tickets by severity: a tenant already in trouble shows faults late and loud. */
  tickets: z.number().nonnegative(),
  /** Anchor account, executive escalation, renewal coming, large ARR. */
  strategic: z.number().nonnegative(),
  /** Regulated industry and compliance regimes: a fault can become a compliance incident. */
  regulated: z.number().nonnegative(),
});

/** Matches a tenant when it meets ANY of the listed conditions. */
const RuleMatch = z.strictObject({
  anchor: z.boolean().optional(),
  executiveEscalation: z.boolean().optional(),
  /** The tenant is highly regulated as defined by `highlyRegulated`. */
  highlyRegulated: z.boolean().optional(),
  industries: z.array(RegulatedIndustry).optional(),
  regimes: z.array(Regime).optional(),
});

export const NeverTogetherRule = z.strictObject({
  id: z.string().min(1),
  description: z.string().min(1),
  maxPerWave: z.number().int().positive(),
  match: RuleMatch,
  /**
   * Whether the sub-wave a split opens may run side by side with the wave it was kept out of
   * (lanes on). Side by side keeps the calendar short, but both waves' tenants are exposed in the
   * same hours, and a halt of one finds the other's tenants already enabled; false runs them one after another, so
   * the second starts only once the first has been monitored. Absent: side by side.
   */
  sideBySide: z.boolean().optional(),
});
export type NeverTogetherRule = z.infer<typeof NeverTogetherRule>;

export const SlaClass = z.enum(['standard', 'gold', 'platinum']);
export type SlaClass = z.infer<typeof SlaClass>;
const ThresholdRule = z.strictObject({
  /** Critical error rate = max(baseline × criticalFactor, baseline + criticalMargin). */
  criticalFactor: z.number().min(1),
  criticalMargin: z.number().positive(),
  warningFactor: z.number().min(1),
  warningMargin: z.number().nonnegative(),
  consecutiveBreaches: z.number().int().positive(),
});

export const RiskConfig = z.strictObject({
  weights: Weights,
  /** Points the retrospective adjustments (history) may add or take, at most. */
  historyCap: z.number().nonnegative(),
  normalisation: z.strictObject({
    /** Complexity of one connected system by kind (0..1): an ERP sync breaks in more ways than chat. */
    integrationKind: z.record(IntegrationKind, z.number().min(0).max(1)),
    /** Share of its kind weight an integration the feature does not touch still counts. */
    untouchedIntegrationShare: z.number().min(0).max(1),
    /** Weighted integration load that maps to the full factor (value 1). */
    integrationSaturation: z.number().positive(),
    /** Per customization kind: scripts run code, so they count more than a setting or field. */
    customizationKind: z.strictObject({ setting: z.number(), script: z.number(), field: z.number() }),
    untouchedCustomizationShare: z.number().min(0).max(1),
    customizationSaturation: z.number().positive(),
    sla: z.record(SlaClass, z.number().min(0).max(1)),
    /** Uptime commitments map to an SLA class: ≥ platinum → platinum, ≥ gold → gold, else standard. */
    uptimeClass: z.strictObject({ platinum: z.number(), gold: z.number() }),
    /** Ticket load per open ticket by severity; the sum is capped at 1. */
    ticketSeverity: z.strictObject({ P1: z.number(), P2: z.number(), P3: z.number(), P4: z.number() }),
    strategic: z.strictObject({
      anchor: z.number(),
      executiveEscalation: z.number(),
      /** A renewal within this many days counts (the hold rule has its own, shorter window). */
      renewalWithinDays: z.number().int().nonnegative(),
      renewal: z.number(),
      /** ARR bands, highest first: [minimum ARR, value]. */
      arrBands: z.array(z.tuple([z.number().nonnegative(), z.number()])),
    }),
    regulated: z.strictObject({
      highlyRegulatedIndustry: z.number(),
      otherIndustry: z.number(),
      strictRegime: z.number(),
      otherRegime: z.number(),
    }),
  }),
  /** Score at or above which a tenant is medium / high risk. */
  tiers: z.strictObject({ medium: z.number(), high: z.number() }),
  /** Industries and regimes that make a tenant "highly regulated". */
  highlyRegulated: z.strictObject({ industries: z.array(RegulatedIndustry), regimes: z.array(Regime) }),
  holds: z.strictObject({
    openP1: z.boolean(),
    healthFloor: z.number().min(0).max(100),
    renewalWithinDays: z.number().int().nonnegative(),
    incompatibleVersion: z.boolean(),
    freezeCoversHorizon: z.boolean(),
  }),
  neverTogether: z.array(NeverTogetherRule),
  monitoring: z.strictObject({
    thresholds: z.record(SlaClass, ThresholdRule),
    /**
     * A sample counts when its request count makes the critical margin this many standard
     * errors of the baseline rate wide: n ≥ z² · p(1 − p) / (critical − p)².
     */
    significanceZ: z.number().positive(),
    minRequestsFloor: z.number().int().nonnegative(),
    /** Variance is computed with at least this baseline, so a 0 % baseline still needs samples. */
    baselineFloor: z.number().positive(),
  }),
}).superRefine((c, ctx) => {
  const sum = Object.values(c.weights).reduce((a, b) => a + b, 0);
  if (sum !== 100) ctx.addIssue({ code: 'custom', message: `factor weights must sum to 100 (these sum to ${sum})`, path: ['weights'], input: c.weights });
}).refine((c) => c.tiers.medium < c.tiers.high, { message: 'tiers.medium must be below tiers.high', path: ['tiers'] });
export type RiskConfig = z.infer<typeof RiskConfig>;

export const defaultRiskConfig: RiskConfig = RiskConfig.parse({
  weights: { integrations: 25, customization: 15, sla: 15, health: 15, tickets: 10, strategic: 12, regulated: 8 },
  historyCap: 30,
  normalisation: {
    integrationKind: { erp: 1, custom: 1, crm: 0.8, 'data-warehouse': 0.8, api: 0.6, webhooks: 0.5, sso: 0.5, chat: 0.3 },
    untouchedIntegrationShare: 0.25,
    integrationSaturation: 3,
    customizationKind: { script: 1.5, setting: 1, field: 1 },
    untouchedCustomizationShare: 0.2,
    customizationSaturation: 5,
    sla: { standard: 0.2, gold: 0.6, platinum: 1 },
    uptimeClass: { platinum: 99.95, gold: 99.9 },
    ticketSeverity: { P1: 1, P2: 0.4, P3: 0.15, P4: 0.05 },
    strategic: { anchor: 0.5, executiveEscalation: 0.3, renewalWithinDays: 90, renewal: 0.2, arrBands: [[1_000_000, 0.2], [250_000, 0.1]] },
    regulated: { highlyRegulatedIndustry: 0.6, otherIndustry: 0.2, strictRegime: 0.2, otherRegime: 0.1 },
  },
  tiers: { medium: 25, high: 45 },
  highlyRegulated: { industries: ['finance', 'healthcare', 'public-sector'], regimes: ['SOX', 'HIPAA', 'FedRAMP', 'PCI-DSS'] },
  holds: { openP1: true, healthFloor: 40, renewalWithinDays: 30, incompatibleVersion: true, freezeCoversHorizon: true },
  neverTogether: [
    { id: 'anchor', description: 'at most one anchor account per wave', maxPerWave: 1, match: { anchor: true } },
    {
      id: 'highly-regulated',
      description: 'at most one highly regulated account (finance, healthcare, public sector; SOX, HIPAA, FedRAMP, PCI-DSS) per wave',
      maxPerWave: 1,
      match: { highlyRegulated: true },
    },
  ],
  monitoring: {
    thresholds: {
      standard: { criticalFactor: 3, criticalMargin: 0.02, warningFactor: 2, warningMargin: 0.01, consecutiveBreaches: 3 },
      gold: { criticalFactor: 2, criticalMargin: 0.01, warningFactor: 1.5, warningMargin: 0.005, consecutiveBreaches: 3 },
      platinum: { criticalFactor: 1.5, criticalMargin: 0.005, warningFactor: 1.25, warningMargin: 0.0025, consecutiveBreaches: 2 },
    },
    significanceZ: 3,
    minRequestsFloor: 50,
    baselineFloor: 0.001,
  },
});

/** Reads a config from JSON/YAML data; errors name the field path. */
export function parseRiskConfig(input: unknown): RiskConfig {
  const parsed = RiskConfig.safeParse(input);
  if (!parsed.success) {
    throw new Error(`invalid risk config: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
