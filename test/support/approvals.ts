import type { WorkflowHandle } from '@temporalio/client';
import { approveTenantUpdate, approveWaveUpdate } from '../../workflows/messages';
import type { Actor, PendingDecision, RolloutPhase, RolloutStatus } from '../../shared/model/rollout';
import type { Harness } from './rollout-harness';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every decision the rollout and its running waves wait for. */
export async function pending(h: Harness, rolloutId: string): Promise<PendingDecision[]> {
  const status = await h.status(rolloutId);
  const out: PendingDecision[] = [...status.pendingDecisions];
  for (const w of status.currentWaves) out.push(...((await h.waveStatus(rolloutId, w.waveId).catch(() => undefined))?.pendingDecisions ?? []));
  return out;
}

/** Approves every go / checkpoint the rollout waits for, as `actor`, until the workflow closes; returns the ids approved. */
export async function approveAll(h: Harness, handle: WorkflowHandle, actor: Actor = { id: 'ann', role: 'approver' }, seen: string[] = [], skip: (d: PendingDecision) => boolean = () => false) {
  while ((await handle.describe()).status.name === 'RUNNING') {
    for (const d of (await pending(h, handle.workflowId)).filter((x) => !skip(x))) {
      const child = h.client.workflow.getHandle(d.workflowId);
      if (d.kind === 'wave-go' || d.kind === 'wave-checkpoint') await child.executeUpdate(approveWaveUpdate, { args: [{ actor, waveId: d.waveId!, comment: 'looks good' }] });
      else if (d.kind === 'tenant-go') await child.executeUpdate(approveTenantUpdate, { args: [{ actor, waveId: d.waveId!, tenantId: d.tenantId!, comment: 'reviewed' }] });
      else continue;
      seen.push(d.id);
    }
    await sleep(200);
  }
  return seen;
}

/** The rollout's status once it reaches `phase`. */
export function waitForPhase(h: Harness, rolloutId: string, phase: RolloutPhase, timeoutMs?: number): Promise<RolloutStatus> {
  return h.waitFor(phase, async () => {
    const s = await h.status(rolloutId);
    return s.phase === phase && s;
  }, timeoutMs);
}
