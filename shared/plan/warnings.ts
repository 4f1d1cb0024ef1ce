import type { Feature } from '../model/feature';
import type { Wave } from '../model/plan';
import { duration, firstOf } from '../risk/format';
import { samplesPerWave } from '../monitoring/durations';
import type { PlanConfig, PlanConfigInput } from './config';

export interface DeadlineContext {
  feature: Feature; config: PlanConfig; waves: Wave[]; start: number; end: number; sequentialMs: number; catchUps: number;
  /** Tenants the timeline holds because their freeze ends after the deadline: a later deadline would plan them too. */
  frozenOut?: string[];
  /** When the same plan would end with these calendar settings; without it no calendar lever is named. */
  endWith?: (override: Pick<PlanConfigInput, 'calendar' | 'weekendsOff'>) => number;
}

/** Whether the timeline ends after the feature's deadline: then `deadlineWarnings` has a warning. */
export function missesDeadline(ctx: DeadlineContext): boolean {
  return ctx.feature.deadline !== undefined && ctx.waves.length > 0 && ctx.end > Date.parse(ctx.feature.deadline);
}

/**
 * A deadline at or before the planning instant. No plan meets it, and planning against it would
 * hold tenants on a horizon that ends before it starts and suggest levers that cannot help, so the
 * CLI and the API refuse it and say so.
 */
export function deadlinePassed(feature: Feature, asOf: string): string | undefined {
  if (!feature.deadline || Date.parse(feature.deadline) > Date.parse(asOf)) return undefined;
  return `deadline ${feature.deadline} has already passed (planning as of ${asOf}); move the deadline later or remove it`;
}

/**
 * A deadline the timeline misses, by how much, and the levers that would close the gap, each with
 * what it is worth in this plan so the PM can pick one.
 */
export function deadlineWarnings(ctx: DeadlineContext): string[] {
  const { feature, config, waves } = ctx;
  if (!feature.deadline || !missesDeadline(ctx)) return [];
  const deadline = Date.parse(feature.deadline);
  const late = Math.round((ctx.end - deadline) / 1000);
  const soak = waves.reduce((s, w) => s + w.soakSeconds, 0);
  const fixes = [
    `shorter soak (the ${waves.length} waves soak ${duration(soak)} in total; feature.durations.soakSeconds overrides it)`,
    `fewer waves (raise maxWaveSize above ${config.maxWaveSize} or shorten the growth steps ${config.growth.low.join(' → ')})`,
    config.lanes.enabled
      ? `more parallel lanes (lanes by ${config.lanes.key} already save ${duration(Math.max(0, Math.round((ctx.sequentialMs - (ctx.end - ctx.start)) / 1000)))})`
      : 'parallel lanes (set lanes.enabled: waves of different regions then run side by side)',
    ...(ctx.catchUps > 0 ? [`releasing holds or freezes (${ctx.catchUps} catch-up wave${ctx.catchUps === 1 ? '' : 's'} wait for freeze windows to end)`] : []),
    ...(feature.earliestStart && Date.parse(feature.earliestStart) > ctx.start - 1 ? [`an earlier start than ${feature.earliestStart}`] : []),
    ...calendarLevers(ctx, deadline),
  ];
  const held = ctx.frozenOut ?? [];
  const frozenOut = held.length === 0 ? ''
    : held.length === 1 ? `. The plan also holds ${held[0]}, whose freeze ends after the deadline (see Holds, rule freeze-past-horizon): a deadline past its freeze, or a lifted freeze, would plan it`
      : `. The plan also holds ${held.length} tenants whose freezes end after the deadline (${firstOf(held, 5)}; see Holds, rule freeze-past-horizon): a deadline past their freezes, or lifted freezes, would plan them`;
  return [`deadline ${feature.deadline} is infeasible: the timeline ends ${new Date(ctx.end).toISOString()}, ${duration(late)} late. What would fix it: ${fixes.join('; ')}${frozenOut}`];
}

/**
 * On the business calendar waves wait for weekday mornings: what starting on weekends too, or at
 * any hour, would be worth, each measured by planning the rollout that way. Only levers that end
 * earlier are named.
 */
function calendarLevers(ctx: DeadlineContext, deadline: number): string[] {
  const { config, endWith } = ctx;
  // On 'auto', waves under an hour already start at any time: only longer ones wait for mornings.
  const business = config.calendar === 'business' || (config.calendar === 'auto' && ctx.waves.some((w) => Date.parse(w.end) - Date.parse(w.start) >= 3_600_000));
  if (!endWith || !business) return [];
  const levers: { what: string; override: Pick<PlanConfigInput, 'calendar' | 'weekendsOff'> }[] = [
    ...(config.weekendsOff ? [{ what: 'starting waves on weekends too (weekendsOff: false)', override: { weekendsOff: false } }] : []),
    { what: `starting waves at any hour and day, not only ${hour(config.startWindow.fromHour)}–${hour(config.startWindow.toHour)} local${config.weekendsOff ? ' on weekdays' : ''} (calendar: 'continuous')`, override: { calendar: 'continuous' as const } },
  ];
  return levers.flatMap(({ what, override }) => {
    const end = endWith(override);
    if (end >= ctx.end) return [];
    const verdict = end <= deadline ? 'meets the deadline' : `still ${duration(Math.round((end - deadline) / 1000))} late`;
    return [`${what}: ends ${new Date(end).toISOString()}, ${duration(Math.round((ctx.end - end) / 1000))} earlier, ${verdict}`];
  });
}

function hour(h: number): string {
  return `${String(h).padStart(2, '0')}:00`;
}

/**
 * A wave takes window ÷ interval monitoring samples, and the decision tree acts on a tenant only
 * after its SLA's consecutive critical samples. With fewer samples than that (compressed
 * durations), a breach is never acted on: no rollback, no advisory question, no pause.
 */
export function monitoringWarnings(waves: readonly Wave[]): string[] {
  const short = new Map<string, { samples: number; needed: number; window: number; interval: number; waves: string[]; tenants: number }>();
  for (const w of waves) {
    const samples = samplesPerWave(w);
    let needed = 0;
    let tenants = 0;
    for (const m of w.members) {
      if (m.thresholds.consecutiveBreaches > samples) tenants++;
      needed = Math.max(needed, m.thresholds.consecutiveBreaches);
    }
    if (tenants === 0) continue;
    const key = `${samples}/${needed}/${w.monitoringWindowSeconds}/${w.sampleIntervalSeconds}`;
    const entry = short.get(key) ?? { samples, needed, window: w.monitoringWindowSeconds, interval: w.sampleIntervalSeconds, waves: [], tenants: 0 };
    entry.waves.push(w.id);
    entry.tenants += tenants;
    short.set(key, entry);
  }
  return [...short.values()].map((s) => {
    const listed = firstOf(s.waves, 5);
    return `monitoring takes ${s.samples} sample${s.samples === 1 ? '' : 's'} per wave (${duration(s.window)} window ÷ ${duration(s.interval)} interval) in ${listed}, `
      + `but ${s.tenants} tenant${s.tenants === 1 ? ' needs' : 's need'} up to ${s.needed} consecutive critical samples before the decision tree acts: `
      + `a breach there is never rolled back, asked about or paused for; make the monitoring window at least ${duration(s.needed * s.interval)} or the sample interval at most ${duration(Math.floor(s.window / s.needed))}`;
  });
}
