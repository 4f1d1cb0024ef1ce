import { z } from 'zod';
import { DecisionMode, type TenantThresholds } from '../model/plan';
import { pct, plural } from '../risk/format';

export const TenantVerdict = z.strictObject({
  tenantId: z.string(),
  state: z.enum(['insufficient-data', 'healthy', 'warning', 'breach']),
  action: z.enum(['none', 'rollback', 'ask', 'pause']),
  mode: DecisionMode,
  reason: z.string(),
  latestErrorRate: z.number().optional(),
});
export type TenantVerdict = z.infer<typeof TenantVerdict>;

export type MonitoringSample = { requests: number; errors: number; errorRate: number; at: string };

const actionFor: Record<DecisionMode, { action: TenantVerdict['action']; says: string }> = {
  automatic: { action: 'rollback', says: 'automatic mode rolls the tenant back' },
  advisory: { action: 'ask', says: 'advisory mode asks the approvers, rollback by default at the deadline' },
  manual: { action: 'pause', says: 'manual mode pauses the rollout for a person to roll back by hand' },
};

/**
 * The rollback decision tree for one tenant. Samples below the minimum request count are noise
 * and do not count; a breach needs the last N counted samples at or above critical, so one bad
 * minute does not roll back a customer.
 */
export function evaluateSamples(thresholds: TenantThresholds, samples: MonitoringSample[]): TenantVerdict {
  const { tenantId, decisionMode: mode, minRequests, criticalErrorRate: critical, warningErrorRate: warning, consecutiveBreaches: needed } = thresholds;
  const counted = samples.filter((s) => s.requests >= minRequests).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (counted.length === 0) {
    const largest = samples.reduce((max, s) => Math.max(max, s.requests), 0);
    return {
      tenantId, state: 'insufficient-data', action: 'none', mode,
      reason: samples.length === 0
        ? 'no samples yet'
        : `none of ${plural(samples.length, 'sample')} reached ${minRequests.toLocaleString('en-US')} requests (largest ${largest.toLocaleString('en-US')})`,
    };
  }
  const latest = counted[counted.length - 1];
  const at = `${pct(latest.errorRate)} on ${latest.requests.toLocaleString('en-US')} requests`;
  let streak = 0;
  while (streak < counted.length && counted[counted.length - 1 - streak].errorRate >= critical) streak++;
  if (streak >= needed) {
    const { action, says } = actionFor[mode];
    return {
      tenantId, state: 'breach', action, mode, latestErrorRate: latest.errorRate,
      reason: `${plural(streak, 'consecutive sample')} at or above critical ${pct(critical)} (latest ${at}); ${says}`,
    };
  }
  if (streak > 0) {
    return {
      tenantId, state: 'warning', action: 'none', mode, latestErrorRate: latest.errorRate,
      reason: `latest ${at} is at or above critical ${pct(critical)}, ${streak} of ${needed} consecutive samples needed`,
    };
  }
  if (latest.errorRate >= warning) {
    return { tenantId, state: 'warning', action: 'none', mode, latestErrorRate: latest.errorRate, reason: `latest ${at} is at or above warning ${pct(warning)}, below critical ${pct(critical)}` };
  }
  return { tenantId, state: 'healthy', action: 'none', mode, latestErrorRate: latest.errorRate, reason: `latest ${at} is below warning ${pct(warning)}` };
}

/**
 * Halts the wave when the share of members breaching reaches haltShare (at least one must breach).
 * Every member counts towards the wave's size, but only automatic-mode breaches count as breaching:
 * an advisory or manual member's breach goes to people first, and counts once they have rolled it
 * back (the caller passes such members as automatic breaches). Counting only automatic members in
 * the size halted a wave of fifty advisory members at its first rollback (1 of 1).
 */
export function waveVerdict(verdicts: TenantVerdict[], haltShare: number): { halt: boolean; reason: string } {
  const breaching = verdicts.filter((v) => v.state === 'breach' && v.mode === 'automatic');
  const share = verdicts.length === 0 ? 0 : breaching.length / verdicts.length;
  const counts = `${breaching.length} of ${plural(verdicts.length, 'tenant')} breaching (${Math.round(share * 100)} %)`;
  const who = breaching.length > 0 ? `: ${breaching.map((v) => v.tenantId).join(', ')}` : '';
  const halt = breaching.length > 0 && share >= haltShare;
  return { halt, reason: `${counts} ${halt ? '≥' : '<'} halt share ${Math.round(haltShare * 100)} %${halt ? ', halt the wave' : ''}${who}` };
}
