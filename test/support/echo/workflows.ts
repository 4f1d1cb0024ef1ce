import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities';

const { greet } = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

/** The smallest real round trip: a workflow that calls one activity. */
export async function echoWorkflow(name: string): Promise<string> {
  return await greet(name);
}
