/**
 * A rollout of a stored feature that no longer validates (saved before a stricter check): planning
 * fails at once with the key, field and fix rather than retrying a failure no retry can fix.
 */
import { startHarness, type Harness } from '../support/rollout-harness';
import { inputFailureOnFirstAttempt } from '../support/failures';
import { feature, fastDurations, smallFleet } from '../support/fleet';

describe('rollouts of a stored feature that no longer validates', () => {
  let h: Harness | undefined;
  afterAll(async () => {
    await h?.close();
  });

  it('planning fails on its first attempt, naming the feature, the field and the fix', async () => {
    h = await startHarness(smallFleet(), feature({ durations: fastDurations }));
    // What an older Ringmaster saved: an earliestStart after the deadline.
    const doc = JSON.parse(h.store.db.prepare('SELECT doc FROM features WHERE key = ?').pluck().get('smart-routing') as string);
    Object.assign(doc, { earliestStart: '2027-03-01T00:00:00Z', deadline: '2027-02-01T00:00:00Z' });
    h.store.db.prepare('UPDATE features SET doc = ? WHERE key = ?').run(JSON.stringify(doc), 'smart-routing');
    const handle = await h.start({});
    const cause = await inputFailureOnFirstAttempt(handle);
    expect(cause.message).toContain('stored feature smart-routing no longer validates: deadline: expected a deadline after earliestStart (earliestStart/deadline swapped?); '
      + 'PUT /api/v1/features/smart-routing again (the whole description, YAML or JSON) with a corrected `deadline`');
  });
});
