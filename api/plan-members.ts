import type { AppStore } from '../activities/store/types';
import { ApiError } from './errors';

const MAX_LISTED = 30;

function listed(ids: string[]): string {
  return ids.length > MAX_LISTED ? `${ids.slice(0, MAX_LISTED).join(', ')} and ${ids.length - MAX_LISTED} more` : ids.join(', ');
}

/**
 * A decision or control names a wave or tenant of the rollout's stored plan. One the plan does not
 * have is refused here: the workflow would answer a wave that never existed with "not running"
 * and would record an exclusion or rollback of a mistyped tenant as done, counting it excluded.
 * Before the plan is stored there is nothing to check against, and the workflow decides.
 */
export async function assertInPlan(store: AppStore, rolloutId: string, target: { waveId?: string; tenantId?: string }): Promise<void> {
  const plan = await store.getPlan(rolloutId);
  if (!plan) return;
  if (target.waveId !== undefined && !plan.waves.some((w) => w.id === target.waveId)) {
    throw new ApiError(404, 'not-found', `wave ${target.waveId} is not in the plan of rollout ${rolloutId}; its waves are ${listed(plan.waves.map((w) => w.id))}`);
  }
  if (target.tenantId !== undefined && !plan.profiles.some((p) => p.tenantId === target.tenantId)) {
    throw new ApiError(404, 'not-found', `tenant ${target.tenantId} is not in the plan of rollout ${rolloutId} (${plan.profiles.length} tenants were planned); GET /api/v1/rollouts/${rolloutId}/plan lists them`);
  }
}
