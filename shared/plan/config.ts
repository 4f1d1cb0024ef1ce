import { z } from 'zod';
import { defaultRiskConfig, RiskConfig } from '../risk/config';

/**
 * How the planner cuts the fleet into waves and lays them on the calendar. Risk weights, holds,
 * never-together rules and thresholds live in the risk config; this is only about shape and time.
 */
export const PlanConfig = z.strictObject({
  /** Largest low / medium wave. */
  maxWaveSize: z.number().int().positive().default(200),
  /** Largest high-stage wave: every member needs its own review, so keep them few. */
  maxHighWaveSize: z.number().int().positive().default(10),
  /** Largest internal + beta pilot wave. */
  maxPilotSize: z.number().int().positive().default(50),
  /**
   * Sizes of the first sub-waves of each stage, before waves reach their maximum size. The first
   * tenant of a stage goes alone, so a fault is seen on one tenant before it reaches three.
   */
  growth: z.strictObject({
    low: z.array(z.number().int().positive()).default([1, 10, 100]),
    medium: z.array(z.number().int().positive()).default([3]),
    high: z.array(z.number().int().positive()).default([1]),
  }).default({ low: [1, 10, 100], medium: [3], high: [1] }),
  /**
   * After the growth sub-waves of a stage, the rest of the stage may run in parallel lanes keyed
   * by region: by then every touched configuration has already been seen on a small wave.
   */
  lanes: z.strictObject({
    enabled: z.boolean().default(true),
    key: z.enum(['region', 'timeZone']).default('region'),
  }).default({ enabled: true, key: 'region' }),
  /**
   * 'business': waves start on a weekday inside the start window of the wave's own time zone.
   * 'continuous': waves start as soon as the previous one ends (demos and tests with seconds).
   * 'auto': business for waves lasting an hour or more, continuous for shorter ones.
   * Freeze windows, earliest start and deadline apply in every mode.
   */
  calendar: z.enum(['auto', 'business', 'continuous']).default('auto'),
  /** Local hours [from, to) in which a wave may start: low traffic, people at their desks. */
  startWindow: z.strictObject({
    fromHour: z.number().int().min(0).max(23).default(9),
    toHour: z.number().int().min(1).max(24).default(11),
  }).default({ fromHour: 9, toHour: 11 }),
  weekendsOff: z.boolean().default(true),
  /** Share of members breaching critical that halts the rollout, by stage. */
  haltShare: z.strictObject({
    pilot: z.number().min(0).max(1).default(0.5),
    low: z.number().min(0).max(1).default(0.2),
    medium: z.number().min(0).max(1).default(0.1),
    high: z.number().min(0).max(1).default(0),
  }).default({ pilot: 0.5, low: 0.2, medium: 0.1, high: 0 }),
  /** Planning horizon used for hold rules when the feature has no deadline. */
  horizonDays: z.number().int().positive().default(90),
  risk: RiskConfig.default(defaultRiskConfig),
});
export type PlanConfig = z.infer<typeof PlanConfig>;
export type PlanConfigInput = z.input<typeof PlanConfig>;

export const defaultPlanConfig: PlanConfig = PlanConfig.parse({});
