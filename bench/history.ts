/**
 * `npm run bench:history [-- --sizes 100,1000,10000]`: runs real rollouts of generated fleets on a
 * dev server it starts, with seconds-long durations and a bot approving every decision, then
 * prints the largest history (events, bytes) and the largest single event of the rollout's runs
 * and of its wave children. The target: ≤ 2,000 events in any one history at 10,000 tenants.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { startDevServer } from '../scripts/dev-server';
import { openSqliteStore } from '../activities/store/sqlite';
import { BuiltinFlagProvider } from '../activities/flags/builtin';
import { prepareNotice } from '../activities/notices/prepare';
import { createReports } from '../activities/reports/reports';
import type { MetricsProvider, TenantSample } from '../activities/ports';
import type { RolloutDeps } from '../activities/rollout';
import { createRolloutWorker } from '../workers/worker';
import { RolloutSpec } from '../shared/model/rollout';
import { approveTenantUpdate, approveWaveUpdate, statusQuery, waveStatusQuery, waveWorkflowId } from '../workflows/messages';
import { benchFeature, generateFleet } from './fleet-gen';

/** Every tenant healthy with plenty of traffic: the bench measures history, not the decision tree. */
class HealthyFleet implements MetricsProvider {
  async sample(req: { tenantIds: string[] }): Promise<TenantSample[]> {
    const at = new Date().toISOString();
    return req.tenantIds.map((tenantId) => ({ tenantId, requests: 100_000, errors: 100, errorRate: 0.001, featureUsage: 500, at }));
  }
}

interface HistoryFigure { workflowId: string; events: number; bytes: number; largestEvent: number }

async function measure(client: Client, workflowId: string, runId?: string): Promise<HistoryFigure> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const events = history.events ?? [];
  const largestEvent = Math.max(...events.map((e) => temporal.api.history.v1.HistoryEvent.encode(e).finish().length));
  return { workflowId: runId ? `${workflowId} (run ${runId.slice(0, 8)})` : workflowId, events: events.length, bytes: temporal.api.history.v1.History.encode(history).finish().length, largestEvent };
}

async function benchSize(size: number, client: Client, nativeConnection: NativeConnection, dir: string, overrides: Record<string, number>) {
  const store = openSqliteStore(path.join(dir, `store-${size}.sqlite`));
  const asOf = new Date().toISOString();
  await store.putTenants(generateFleet(size, 42, { asOf, freezeShare: 0 }));
  const feature = benchFeature({ durations: { monitoringWindowSeconds: 1, sampleIntervalSeconds: 1, soakSeconds: 0, noticeLeadSeconds: 0, healthWindowSeconds: 0, decisionTimeoutSeconds: 86_400 } });
  await store.putFeature(feature);
  const metrics = new HealthyFleet();
  const deps: RolloutDeps = {
    store, flags: new BuiltinFlagProvider(store), metrics,
    notices: {
      async prepare({ rolloutId, tenant, feature: f, wave, allSystemsKnown }) {
        const n = await prepareNotice(tenant, f, { id: wave.id, start: wave.plannedStart, end: wave.plannedEnd }, { rolloutId, now: new Date().toISOString(), allSystemsKnown });
        await store.putNotice(n);
        // Delivered at once, as RINGMASTER_NOTICE_AUTOSEND does: a draft would make every tenant no-go.
        return (await store.markNoticeSent(n.id, { via: 'bench' })) ?? n;
      },
    },
    notifier: { async notify() {} },
    reports: createReports({ store, metrics }),
  };
  const taskQueue = `bench-history-${size}-${Date.now()}`;
  const worker = await createRolloutWorker({ connection: nativeConnection, namespace: 'default', taskQueue, deps });
  const running = worker.run();
  const rolloutId = `bench-${size}-${Date.now()}`;
  const spec = RolloutSpec.parse({ rolloutId, featureKey: feature.key, startedBy: { id: 'pat', role: 'pm' }, calendar: 'continuous', asOf, ...overrides });
  const t0 = Date.now();
  const handle = await client.workflow.start('rolloutWorkflow', { taskQueue, workflowId: rolloutId, args: [spec] });
  const approver = { id: 'ann', role: 'approver' as const };
  let done = false;
  const result = handle.result().finally(() => { done = true; });
  let lastReport = Date.now();
  while (!done) {
    const status = await handle.query(statusQuery).catch(() => undefined);
    if (status && Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      const ended = status.waves.filter((w) => !['scheduled', 'waiting-for-start'].includes(w.phase)).length;
      process.stderr.write(`[bench:history] ${size} tenants: ${ended}/${status.waves.length} waves done, ${status.counts.enabled} enabled, run ${status.auditSegments + 1}, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    }
    // Waves in parallel lanes wait side by side: answer them side by side.
    await Promise.all((status?.currentWaves ?? []).map(async (w) => {
      const child = client.workflow.getHandle(waveWorkflowId(rolloutId, w.waveId));
      const ws = await child.query(waveStatusQuery).catch(() => undefined);
      await Promise.all((ws?.pendingDecisions ?? []).map((d) => (d.kind === 'tenant-go'
        ? child.executeUpdate(approveTenantUpdate, { args: [{ actor: approver, waveId: w.waveId, tenantId: d.tenantId! }] })
        : d.kind !== 'advisory-rollback' ? child.executeUpdate(approveWaveUpdate, { args: [{ actor: approver, waveId: w.waveId }] }) : undefined)?.catch(() => undefined)));
    }));
    await new Promise((r) => setTimeout(r, 100));
  }
  const outcome = await result;
  const seconds = (Date.now() - t0) / 1000;
  const plan = (await store.getPlan(rolloutId))!;
  const runs: HistoryFigure[] = [];
  for await (const info of client.workflow.list({ query: `WorkflowId = '${rolloutId}'` })) runs.push(await measure(client, rolloutId, info.runId));
  const waves: HistoryFigure[] = [];
  for (const w of plan.waves) waves.push(await measure(client, waveWorkflowId(rolloutId, w.id)));
  worker.shutdown();
  await running;
  await store.close();
  const top = (xs: HistoryFigure[], k: keyof HistoryFigure) => xs.reduce((a, b) => ((b[k] as number) > (a[k] as number) ? b : a));
  return {
    size, phase: outcome.phase, seconds, waves: plan.waves.length, runs: runs.length,
    parentEvents: top(runs, 'events').events, parentBytes: top(runs, 'bytes').bytes, parentLargestEvent: top(runs, 'largestEvent').largestEvent,
    waveEvents: top(waves, 'events').events, waveBytes: top(waves, 'bytes').bytes, waveLargestEvent: top(waves, 'largestEvent').largestEvent,
  };
}

async function main() {
  const arg = process.argv.indexOf('--sizes');
  const sizes = (arg > 0 ? process.argv[arg + 1] : '100,1000,10000').split(',').map(Number);
  // e.g. --spec continueAsNewAfterEvents=300,maxConcurrentWaves=5 to see the mechanisms at a smaller size
  const specArg = process.argv.indexOf('--spec');
  const overrides: Record<string, number> = Object.fromEntries((specArg > 0 ? process.argv[specArg + 1].split(',') : []).map((kv) => {
    const [k, v] = kv.split('=');
    return [k, Number(v)];
  }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringmaster-bench-history-'));
  const server = await startDevServer({ headless: true, port: 0, dbFile: path.join(dir, 'temporal.sqlite'), log: () => {} });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const rows = [];
  try {
    for (const size of sizes) {
      process.stderr.write(`[bench:history] ${size} tenants...\n`);
      const row = await benchSize(size, client, nativeConnection, dir, overrides);
      rows.push(row);
      process.stderr.write(`[bench:history] ${JSON.stringify(row)}\n`);
    }
  } finally {
    await nativeConnection.close();
    await connection.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const kb = (b: number) => (b / 1024).toFixed(1);
  console.log('| tenants | result | wall s | waves | rollout runs | largest rollout run: events / KB / largest event KB | largest wave: events / KB / largest event KB |');
  console.log('| ---: | --- | ---: | ---: | ---: | --- | --- |');
  for (const r of rows) {
    console.log(`| ${r.size.toLocaleString('en-US')} | ${r.phase} | ${r.seconds.toFixed(0)} | ${r.waves} | ${r.runs} | ${r.parentEvents} / ${kb(r.parentBytes)} / ${kb(r.parentLargestEvent)} | ${r.waveEvents} / ${kb(r.waveBytes)} / ${kb(r.waveLargestEvent)} |`);
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
