/**
 * The plan decision's defaultAction says what really happens when nobody decides. It used to read
 * "keep waiting (paused)" while the rollout never paused: with onDecisionTimeout pause (the
 * default) the workflow reminds people, moves the deadline on and keeps waiting, unpaused.
 */
import { startHarness, type Harness } from '../support/rollout-harness';
import { feature, fastDurations, smallFleet } from '../support/fleet';

describe('plan approval nobody answers', () => {
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.close();
  });

  it('says it keeps waiting, unpaused, and does so past the deadline', async () => {
    h = await startHarness(smallFleet(), feature({ durations: { ...fastDurations, decisionTimeoutSeconds: 2 } }));
    const handle = await h.start({ requirePlanApproval: true });
    const first = await h.waitFor('plan approval', async () => (await h!.status(handle.workflowId)).pendingDecisions.find((d) => d.kind === 'plan'));
    expect(first.defaultAction).toBe('remind people and keep waiting for approval, 2 s more each time (the rollout is not paused; no wave starts before approval)');
    // Past the first deadline: still waiting, a later deadline, not paused.
    const later = await h.waitFor('a moved deadline', async () => {
      const d = (await h!.status(handle.workflowId)).pendingDecisions.find((p) => p.kind === 'plan');
      return d && d.deadline > first.deadline ? d : undefined;
    });
    expect(later.defaultAction).toBe(first.defaultAction);
    const status = await h.status(handle.workflowId);
    expect(status).toMatchObject({ phase: 'AWAITING_APPROVAL', paused: false });
    await handle.terminate('test over');
  });
});
