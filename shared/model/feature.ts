import { z } from 'zod';
import { IntegrationKind, IsoDateTime } from './tenant';

export const ChangeArea = z.enum(['ui', 'data-model', 'integration', 'permissions', 'api', 'config']);
export type ChangeArea = z.infer<typeof ChangeArea>;

/** What configuration a change exercises; a tenant "has" a touched configuration when it matches. */
export const Touches = z.strictObject({
  integrationKinds: z.array(IntegrationKind).default([]),
  /** Lower-case system names, e.g. 'salesforce', 'slack'. */
  systems: z.array(z.string().min(1)).default([]),
  /** Customization keys (settings, scripts, fields). */
  settings: z.array(z.string().min(1)).default([]),
});
export type Touches = z.infer<typeof Touches>;

export const FeatureChange = z.strictObject({
  area: ChangeArea,
  description: z.string().min(1),
  touches: Touches.default({ integrationKinds: [], systems: [], settings: [] }),
});
export type FeatureChange = z.infer<typeof FeatureChange>;

export const RiskLevel = z.enum(['low', 'medium', 'high']);
export type RiskLevel = z.infer<typeof RiskLevel>;

/** Durations in seconds, so tests and the demo run the real workflow compressed. */
export const DurationOverrides = z.strictObject({
  soakSeconds: z.number().int().nonnegative().optional(),
  monitoringWindowSeconds: z.number().int().positive().optional(),
  sampleIntervalSeconds: z.number().int().positive().optional(),
  noticeLeadSeconds: z.number().int().nonnegative().optional(),
  /**
   * Time customer success has to review and send the notice drafts before the notice lead starts
   * counting: the first wave starts this much later. None by default (notices sent as prepared).
   */
  noticeReviewSeconds: z.number().int().nonnegative().optional(),
  healthWindowSeconds: z.number().int().nonnegative().optional(),
  decisionTimeoutSeconds: z.number().int().positive().optional(),
});
export type DurationOverrides = z.infer<typeof DurationOverrides>;

export const Feature = z.strictObject({
  key: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash or underscore'),
  name: z.string().min(1),
  summary: z.string().default(''),
  changes: z.array(FeatureChange).min(1, 'a feature needs at least one change'),
  risk: z.strictObject({ level: RiskLevel, why: z.string().min(1) }),
  rollback: z.strictObject({
    complexity: z.enum(['simple', 'moderate', 'complex']),
    how: z.string().min(1),
    /** False when a flag flip cannot undo the change (e.g. a data migration already ran). */
    reversible: z.boolean().default(true),
  }),
  /** Integration system → minimum connector version the feature works with. */
  compatibility: z.record(z.string(), z.string()).default({}),
  earliestStart: IsoDateTime.optional(),
  deadline: IsoDateTime.optional(),
  preparationSteps: z.array(z.strictObject({
    step: z.string().min(1),
    appliesTo: Touches.default({ integrationKinds: [], systems: [], settings: [] }),
  })).default([]),
  supportContact: z.strictObject({ name: z.string().min(1), email: z.string().email().optional(), channel: z.string().optional() }),
  durations: DurationOverrides.default({}),
}).refine((f) => !f.earliestStart || !f.deadline || Date.parse(f.earliestStart) < Date.parse(f.deadline), {
  // Else no wave fits between them: the planner had no horizon to hold freezes against.
  message: 'expected a deadline after earliestStart (earliestStart/deadline swapped?)', path: ['deadline'],
});
export type Feature = z.infer<typeof Feature>;
export type FeatureInput = z.input<typeof Feature>;
