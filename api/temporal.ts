/**
 * How the API talks to rollout workflows: bounded waits (a query or update with no worker
 * running must not hang the request), and "not found" told apart from "no longer running".
 */
import { WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError, type WorkflowHandle } from '@temporalio/client';
import { statusQuery, waveWorkflowId } from '../workflows/messages';
import type { TemporalDeps } from './deps';
import { ApiError, notFound } from './errors';

export const QUERY_DEADLINE_MS = 10_000;
/** An update waits for a worker to run its validator; long enough for a busy worker. */
export const UPDATE_DEADLINE_MS = 30_000;
/** Only to word an error better: not worth holding the answer longer. */
const WAVE_PHASE_DEADLINE_MS = 2_000;

export function rolloutHandle(temporal: TemporalDeps, rolloutId: string): WorkflowHandle {
  return temporal.client.workflow.getHandle(rolloutId);
}

export function waveHandle(temporal: TemporalDeps, rolloutId: string, waveId: string): WorkflowHandle {
  return temporal.client.workflow.getHandle(waveWorkflowId(rolloutId, waveId));
}

export async function withDeadline<T>(temporal: TemporalDeps, ms: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await temporal.client.withDeadline(Date.now() + ms, fn);
  } catch (err) {
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      throw new ApiError(503, 'temporal-timeout', 'the decision was not taken up in time; is a Ringmaster worker running for this task queue?');
    }
    throw err;
  }
}

/** Open/closed state of the rollout, or a 404 when Temporal never heard of it. */
export async function rolloutState(temporal: TemporalDeps, rolloutId: string): Promise<{ running: boolean; status: string }> {
  try {
    const d = await withDeadline(temporal, QUERY_DEADLINE_MS, () => rolloutHandle(temporal, rolloutId).describe());
    if (d.type !== 'rolloutWorkflow') throw notFound(`rollout ${rolloutId}`);
    return { running: d.status.name === 'RUNNING', status: d.status.name };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound(`rollout ${rolloutId}`);
    throw err;
  }
}

/**
 * Runs a call against the rollout (or one of its waves). A "not found" from Temporal becomes 404
 * when the rollout is unknown, and 409 when it exists but the target is not running.
 */
export async function onRollout<T>(temporal: TemporalDeps, rolloutId: string, target: string, fn: () => Promise<T>, deadlineMs = QUERY_DEADLINE_MS, waveId?: string): Promise<T> {
  try {
    return await withDeadline(temporal, deadlineMs, fn);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    const state = await rolloutState(temporal, rolloutId);
    if (!state.running) throw new ApiError(409, 'not-running', `rollout ${rolloutId} is ${state.status.toLowerCase()}; it takes no more decisions or controls`);
    const where = waveId === undefined ? undefined : await wavePhase(temporal, rolloutId, waveId);
    throw new ApiError(409, 'not-running', `${target} of rollout ${rolloutId} ${where ?? 'is not running'}, so it cannot take this now`);
  }
}

/** Where a wave that is not running stands, from the rollout's status; undefined when it cannot be asked quickly. */
async function wavePhase(temporal: TemporalDeps, rolloutId: string, waveId: string): Promise<string | undefined> {
  try {
    const status = await temporal.client.withDeadline(Date.now() + WAVE_PHASE_DEADLINE_MS, () => rolloutHandle(temporal, rolloutId).query(statusQuery));
    const wave = status.waves.find((w) => w.waveId === waveId);
    if (!wave) return undefined;
    // What holds it back depends on the rollout (plan approval, a pause, its predecessors, the cap on waves in flight): its phase says which.
    if (wave.phase === 'scheduled') return `has not started yet (the rollout is ${status.phase.toLowerCase().replace(/_/g, ' ')})`;
    if (wave.phase === 'waiting-for-start') return 'is starting';
    return `has finished (${wave.phase}${wave.stopReason ? `: ${wave.stopReason}` : ''})`;
  } catch {
    // No worker to answer, or the query failed: the plain answer is still true.
    return undefined;
  }
}
