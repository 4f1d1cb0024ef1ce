import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

/**
 * The ApplicationFailure a rollout failed with, checked to be a non-retryable RolloutInputError
 * from an activity that was tried once: retrying cannot fix bad input.
 */
export async function inputFailureOnFirstAttempt(handle: WorkflowHandle): Promise<ApplicationFailure> {
  const failure = await handle.result().then(() => undefined, (e: unknown) => e);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  let cause: unknown = failure;
  while ((cause as { cause?: unknown }).cause && !(cause instanceof ApplicationFailure)) cause = (cause as { cause?: unknown }).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect(cause).toMatchObject({ type: 'RolloutInputError', nonRetryable: true });
  const history = await handle.fetchHistory();
  expect(history.events!.filter((e) => e.activityTaskStartedEventAttributes).map((e) => e.activityTaskStartedEventAttributes!.attempt)).toEqual([1]);
  return cause as ApplicationFailure;
}
