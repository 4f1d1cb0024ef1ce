/**
 * Controls and decisions in the phases of a running rollout that other tests pass through
 * quickly: a wave still waiting for its notice lead, a checkpoint wait on a wave with no soak,
 * and a plan approval that takes long.
 */
import { startHarness, type Harness } from '../support/rollout-harness';
import { approveAll, sleep } from '../support/approvals';
import { feature, fastDurations, smallFleet } from '../support/fleet';
import { excludeTenantSignal } from '../../workflows/messages';
import type { Actor, WaveOutcome } from '../../shared/model/rollout';

const sam: Actor = { id: 'sam', role: 'sre' };

describe('controls and decisions in every phase', () => {
  const harnesses: Harness[] = [];
  const harness = async (durations = fastDurations) => {
    const h = await startHarness(smallFleet(), feature({ durations }));
    harnesses.push(h);
    return h;
  };
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  test.concurrent('an exclusion or hold that reaches a wave while it waits for its notice lead keeps its tenant out', async () => {
    const h = await harness();
    // Planned to start 25 s from now: the first wave's child starts at once and waits, before it
    // has read its members, as a Monday wave waits over the weekend.
    const handle = await h.start({ asOf: new Date(Date.now() + 25_000).toISOString() });
    const rolloutId = handle.workflowId;
    await h.waitFor('w1a waiting for its start', async () => {
      const w = await h.waveStatus(rolloutId, 'w1a').catch(() => undefined);
      return w?.phase === 'waiting-for-start' && w.tenants.length === 0;
    });
    await handle.signal(excludeTenantSignal, { actor: sam, tenantId: 'ringmaster-internal', mode: 'hold', reason: 'internal tenant is migrating' });
    await sleep(500);
    expect((await h.waveStatus(rolloutId, 'w1a')).phase).toBe('waiting-for-start');
    await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    expect(await h.flags.history('smart-routing', 'ringmaster-internal')).toEqual([]);
    const outcome = (await h.store.getReport(rolloutId, 'wave:w1a')) as WaveOutcome;
    expect(outcome.tenants.find((t) => t.tenantId === 'ringmaster-internal')).toMatchObject({ state: 'held', reason: expect.stringMatching(/internal tenant is migrating/) });
    expect((await h.status(rolloutId)).tenants.find((t) => t.tenantId === 'ringmaster-internal')).toMatchObject({ state: 'held' });
  }, 180_000);
});
