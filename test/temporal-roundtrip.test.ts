import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import * as activities from './support/echo/activities';
import { echoWorkflow } from './support/echo/workflows';

// A real workflow through a real Worker against the real dev server from global setup.
test('a workflow calls an activity through a real worker and server', async () => {
  const address = process.env.TEMPORAL_ADDRESS!;
  const taskQueue = `echo-${process.pid}-${Date.now()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./support/echo/workflows'),
    activities,
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  try {
    const result = await worker.runUntil(
      client.workflow.execute(echoWorkflow, { taskQueue, workflowId: taskQueue, args: ['Acme Corp'] }),
    );
    expect(result).toBe(`hello, Acme Corp (from pid ${process.pid})`);
    const described = await client.workflow.getHandle(taskQueue).describe();
    expect(described.status.name).toBe('COMPLETED');
    const sa = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(Object.keys(sa.customAttributes ?? {})).toEqual(expect.arrayContaining(['RolloutFeature', 'RolloutStatus', 'RolloutWave']));
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
});
