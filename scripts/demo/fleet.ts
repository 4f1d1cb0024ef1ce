/**
 * What the demo derives from the example fleet and feature: the compressed timings, the feature
 * as the demo stores it, how fast the simulated fleet must run, and which tenant the fault will
 * meet first.
 */
import type { DurationOverrides, Feature } from '../../shared/model/feature';
import type { Plan } from '../../shared/model/plan';
import type { Tenant } from '../../shared/model/tenant';
import { thresholdsFor } from '../../shared/monitoring/thresholds';
import { matchFaults, type Fault } from '../../simulator/fault-model';

/**
 * Seconds instead of days. Four samples per window: the decision tree acts after three
 * consecutive critical samples, and the first one may still straddle the flag flip.
 */
export const DEMO_DURATIONS = {
  noticeLeadSeconds: 0,
  monitoringWindowSeconds: 8,
  sampleIntervalSeconds: 2,
  soakSeconds: 2,
  healthWindowSeconds: 3,
  decisionTimeoutSeconds: 600,
} satisfies DurationOverrides;

/**
 * The example feature as the demo stores it. Its calendar dates lie in the future of a demo run
 * (the rollout starts now, on a continuous calendar). Its rollback is "moderate", which makes
 * every tenant advisory (a person decides each rollback); the demo declares the flag flip simple
 * so non-strategic tenants in early stages are rolled back by the decision tree on its own.
 */
export function demoFeature(feature: Feature): { feature: Feature; changes: string[] } {
  const { earliestStart: _start, deadline: _deadline, ...rest } = feature;
  const changes = [
    ...(feature.earliestStart || feature.deadline ? ['earliest start and deadline dropped: the demo starts now on a continuous calendar'] : []),
    ...(feature.rollback.complexity !== 'simple'
      ? [`rollback complexity ${feature.rollback.complexity} → simple, so low- and medium-stage tenants without strategic weight are in automatic decision mode`] : []),
  ];
  return { feature: { ...rest, rollback: { ...feature.rollback, complexity: 'simple' } }, changes };
}

/**
 * Traffic multiplier so that every tenant's sample has the requests its threshold needs to count
 * (minRequests), with half again as many to spare for Poisson noise.
 */
export function simulatorSpeed(tenants: readonly Tenant[], feature: Feature): { speed: number; reason: string } {
  const timed = { ...feature, durations: { ...feature.durations, ...DEMO_DURATIONS } };
  const sample = DEMO_DURATIONS.sampleIntervalSeconds;
  let worst: { tenantId: string; factor: number; minRequests: number } | undefined;
  for (const t of tenants) {
    const { minRequests } = thresholdsFor(t, timed, 'low');
    const perSample = (t.baseline.requestsPerMinute * sample) / 60;
    const factor = perSample > 0 ? minRequests / perSample : 0;
    if (!worst || factor > worst.factor) worst = { tenantId: t.id, factor, minRequests };
  }
  if (!worst) return { speed: 1, reason: 'no tenants' };
  const speed = Math.max(1, Math.ceil(worst.factor * 1.5));
  return { speed, reason: `${worst.tenantId} needs ${worst.minRequests} requests per ${sample} s sample; ×${speed} gives it ${Math.round(worst.minRequests * speed / worst.factor)}` };
}

export interface FaultExposure {
  tenantId: string;
  waveId: string;
  waveStart: string;
  decisionMode: string;
  reason: string;
}

/** Planned tenants the fault model breaks, in the order their waves start (lanes interleave). */
export function faultExposure(plan: Plan, tenants: readonly Tenant[], faults: readonly Fault[]): FaultExposure[] {
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const waves = [...plan.waves].sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.index - b.index);
  return waves.flatMap((w) => w.members.flatMap((m) => {
    const tenant = byId.get(m.tenantId);
    const hit = tenant ? matchFaults(tenant, faults)[0] : undefined;
    return hit ? [{ tenantId: m.tenantId, waveId: w.id, waveStart: w.start, decisionMode: m.thresholds.decisionMode, reason: hit.reason }] : [];
  }));
}
