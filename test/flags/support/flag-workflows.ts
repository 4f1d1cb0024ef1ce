import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { FlagChange } from '../../../activities/ports';

const { applyFlag } = proxyActivities<{ applyFlag(change: FlagChange): Promise<{ applied: boolean }> }>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3, initialInterval: '50 ms', backoffCoefficient: 1 },
});

/** Applies one change the way the rollout does, and reports how the activity ended. */
export async function applyFlagWorkflow(change: FlagChange): Promise<{ outcome: 'applied' | 'skipped' | 'failed'; type?: string; nonRetryable?: boolean }> {
  try {
    return { outcome: (await applyFlag(change)).applied ? 'applied' : 'skipped' };
  } catch (e) {
    if (e instanceof ActivityFailure && e.cause instanceof ApplicationFailure) {
      return { outcome: 'failed', type: e.cause.type ?? undefined, nonRetryable: e.cause.nonRetryable ?? undefined };
    }
    throw e;
  }
}
