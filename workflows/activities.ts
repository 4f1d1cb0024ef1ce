import { proxyActivities } from '@temporalio/workflow';
import type { RolloutActivities } from '../activities/rollout';

/**
 * Activities as the workflows see them. Idempotent activities (flags by rollout + tenant +
 * action, notices by rollout + wave + tenant) may retry freely; validation errors are
 * non-retryable so a bad plan fails fast with its reason.
 */
export const acts = proxyActivities<RolloutActivities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
    nonRetryableErrorTypes: ['RolloutInputError', 'NonRetryableFlagError'],
  },
});

/** Tenants are handled in chunks so no single payload grows with the fleet. */
export const BATCH = 100;
export function batches<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Workflow time (deterministic inside the workflow sandbox) as ISO text. */
export function iso(): string {
  return new Date().toISOString();
}
