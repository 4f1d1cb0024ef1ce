import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createRolloutActivities, type RolloutDeps } from '../activities/rollout';

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** The Ringmaster worker: rollout and wave workflows plus the activities wired to `deps`. */
export async function createRolloutWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: RolloutDeps;
  /** A pre-built bundle (tests build one and share it); default: bundle workflows/ at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  identity?: string;
}): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createRolloutActivities(opts.deps),
  });
}
