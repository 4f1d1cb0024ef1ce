import type { Feature } from '../model/feature';
import type { Wave } from '../model/plan';
import { duration } from '../risk/format';
import type { PlanConfig } from './config';

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
export function deadlineWarnings(ctx: { feature: Feature; config: PlanConfig; waves: Wave[]; start: number; end: number; sequentialMs: number; catchUps: number }): string[] {
  const { feature, config, waves } = ctx;
  if (!feature.deadline || waves.length === 0) return [];
  const deadline = Date.parse(feature.deadline);
  if (ctx.end <= deadline) return [];
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
  ];
  return [`deadline ${feature.deadline} is infeasible: the timeline ends ${new Date(ctx.end).toISOString()}, ${duration(late)} late. What would fix it: ${fixes.join('; ')}`];
}
