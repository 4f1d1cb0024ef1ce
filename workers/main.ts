/** `npm run worker`: the Ringmaster worker against TEMPORAL_ADDRESS (dev server or cluster). */
import { NativeConnection } from '@temporalio/worker';
import { temporalSettingsFromEnv } from './connection';
import { rolloutDepsFromEnv } from './deps';
import { createRolloutWorker } from './worker';

async function main() {
  const settings = temporalSettingsFromEnv();
  const deps = rolloutDepsFromEnv();
  const connection = await NativeConnection.connect(settings.connection);
  const worker = await createRolloutWorker({ connection, namespace: settings.namespace, taskQueue: settings.taskQueue, deps });
  process.stderr.write(`[worker] polling ${settings.taskQueue} on ${settings.address} (namespace ${settings.namespace})\n`);
  // Worker.run() ends cleanly on SIGINT/SIGTERM (the SDK installs those handlers).
  await worker.run();
  await connection.close();
  await deps.close();
}

main().catch((err) => {
  process.stderr.write(`[worker] ${(err as Error).message}\n`);
  process.exit(1);
});
