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
  }).refine((w) => w.fromHour < w.toHour, { message: 'a start window whose fromHour comes before its toHour (local hours within one day)', path: ['toHour'] })
    .default({ fromHour: 9, toHour: 11 }),
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

/** The config with the calendar and lanes a caller chose (CLI flags, request fields), where it chose. */
export function withCalendarAndLanes(config: PlanConfig, choice: { calendar?: PlanConfig['calendar']; lanes?: boolean }): PlanConfig {
  return {
    ...config,
    calendar: choice.calendar ?? config.calendar,
    lanes: choice.lanes === undefined ? config.lanes : { ...config.lanes, enabled: choice.lanes },
  };
}

const isFields = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Objects merge key by key over the defaults; lists and single values replace them. Keys are
 * defined, not assigned, so a `__proto__` key stays a (rejected) field instead of a prototype.
 */
function overDefaults(defaults: unknown, given: unknown): unknown {
  if (!isFields(defaults) || !isFields(given)) return given;
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(given)) {
    const merged = Object.hasOwn(defaults, key) ? overDefaults(defaults[key], value) : value;
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A plan config as people write it, in a file (`ringmaster plan --config`) or a request: only
 * what differs from the defaults. Objects merge over `defaultPlanConfig` key by key, lists (growth
 * sizes, never-together rules, ARR bands) and single values replace, and the result is validated
 * whole, so a problem names its field (`growth.low[1]`, `risk.weights`) and an unknown key is an
 * error rather than ignored. An empty file (or `null`) changes nothing.
 */
export const PlanConfigOverrides = z.unknown()
  .describe('Plan config fields that differ from the defaults (shared/plan/config.ts): objects merge over the defaults, lists and values replace')
  .transform((given, ctx): PlanConfig => {
    const merged = PlanConfig.safeParse(overDefaults(defaultPlanConfig, given ?? {}));
    if (merged.success) return merged.data;
    // The merged config's issues keep their codes and paths, which are the paths of the given fields.
    for (const issue of merged.error.issues) ctx.issues.push(issue as z.core.$ZodRawIssue);
    return z.NEVER;
  });

