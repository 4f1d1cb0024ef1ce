/**
 * Runs the real rollout workflow on the real dev server with real activities over an
 * in-memory SQLite store and the built-in flag store. Metrics come from a scripted fleet
 * that reads the flag store: a faulty tenant errors only once its flag is on.
 */
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, type Worker } from '@temporalio/worker';
import { openSqliteStore, type SqliteStore } from '../../activities/store/sqlite';
import { BuiltinFlagProvider } from '../../activities/flags/builtin';
import type { MetricsProvider, TenantSample } from '../../activities/ports';
import type { PeopleMessage, RolloutDeps } from '../../activities/rollout';
import { prepareNotice } from '../../activities/notices/prepare';
import { createRolloutWorker, WORKFLOWS_PATH } from '../../workers/worker';
import { RolloutSpec, type RolloutSpecInput, type RolloutStatus, type WaveStatus } from '../../shared/model/rollout';
import type { Feature } from '../../shared/model/feature';
import type { Tenant } from '../../shared/model/tenant';
import { statusQuery, waveStatusQuery, waveWorkflowId } from '../../workflows/messages';
import { RolloutFeature, RolloutStatus as RolloutStatusKey } from '../../shared/temporal/search-attributes';

let bundle: Promise<{ code: string }> | undefined;
function workflowBundle() {
  bundle ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never });
  return bundle;
}

export class ScriptedFleet implements MetricsProvider {
  /** tenant id → error ratio once the feature is on. */
  readonly faults = new Map<string, number>();
  constructor(private readonly flags: BuiltinFlagProvider) {}
  async sample(req: { featureKey: string; tenantIds: string[] }): Promise<TenantSample[]> {
    const out: TenantSample[] = [];
    for (const tenantId of req.tenantIds) {
      const on = await this.flags.isEnabled(req.featureKey, tenantId);
      const rate = on && this.faults.has(tenantId) ? this.faults.get(tenantId)! : 0.003;
      out.push({ tenantId, requests: 5000, errors: Math.round(rate * 5000), errorRate: rate, featureUsage: on ? 50 : 0, at: new Date().toISOString() });
    }
    return out;
  }
}

export interface Harness {
  client: Client;
  store: SqliteStore;
  flags: BuiltinFlagProvider;
  fleet: ScriptedFleet;
  messages: PeopleMessage[];
  taskQueue: string;
  startWorker(): Promise<Worker>;
  stopWorker(): Promise<void>;
  start(spec: Partial<RolloutSpecInput>): Promise<WorkflowHandle>;
  status(rolloutId: string): Promise<RolloutStatus>;
  waveStatus(rolloutId: string, waveId: string): Promise<WaveStatus>;
  waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

let counter = 0;
/**
 * `autoSend` (default) delivers each notice as it is prepared, as RINGMASTER_NOTICE_AUTOSEND does
 * (and the demo); without it notices stay drafts until the test sends them. `reviewSeconds` is the
 * review time the worker gives those drafts (RINGMASTER_NOTICE_REVIEW_HOURS), none unless set.
 */
export async function startHarness(tenants: Tenant[], feature: Feature, options: { autoSend?: boolean; reviewSeconds?: number } = {}): Promise<Harness> {
  const autoSend = options.autoSend ?? true;
  const address = process.env.TEMPORAL_ADDRESS!;
  const taskQueue = `rollout-test-${process.pid}-${++counter}-${Date.now()}`;
  const store = openSqliteStore(':memory:');
  await store.putTenants(tenants);
  await store.putFeature(feature);
  const flags = new BuiltinFlagProvider(store);
  const fleet = new ScriptedFleet(flags);
  const messages: PeopleMessage[] = [];
  const deps: RolloutDeps = {
    store, flags, metrics: fleet,
    notices: {
      ...(options.reviewSeconds ? { reviewSeconds: options.reviewSeconds } : {}),
      async prepare({ rolloutId, tenant, feature: f, wave, allSystemsKnown }) {
        const notice = await prepareNotice(tenant, f, { id: wave.id, start: wave.plannedStart, end: wave.plannedEnd, monitoringWindowSeconds: wave.monitoringWindowSeconds }, { rolloutId, now: new Date().toISOString(), allSystemsKnown });
        await store.putNotice(notice);
        return autoSend ? (await store.markNoticeSent(notice.id, { via: 'test' })) ?? notice : notice;
      },
    },
    notifier: { async notify(m) { messages.push(m); } },
    reports: {
      async health({ outcomes }) { return { summary: `health report over ${outcomes.length} wave(s)` }; },
      async retrospective({ outcomes }) { return { summary: `retrospective over ${outcomes.length} wave(s)`, adjustments: 0 }; },
    },
  };
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  let nativeConnection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;

  const h: Harness = {
    client, store, flags, fleet, messages, taskQueue,
    async startWorker() {
      nativeConnection ??= await NativeConnection.connect({ address });
      worker = await createRolloutWorker({ connection: nativeConnection, namespace: 'default', taskQueue, deps, workflowBundle: await workflowBundle() });
      running = worker.run();
      return worker;
    },
    async stopWorker() {
      if (!worker) return;
      worker.shutdown();
      await running;
      worker = undefined;
    },
    async start(partial) {
      const spec = RolloutSpec.parse({
        rolloutId: `r-${taskQueue}-${++counter}`, featureKey: feature.key, startedBy: { id: 'pat', role: 'pm' },
        calendar: 'continuous', durations: {}, ...partial,
      });
      return client.workflow.start('rolloutWorkflow', {
        taskQueue, workflowId: spec.rolloutId, args: [spec],
        typedSearchAttributes: [{ key: RolloutFeature, value: spec.featureKey }, { key: RolloutStatusKey, value: 'PLANNING' }],
        staticSummary: `Rollout of ${feature.name}`,
      });
    },
    status: (rolloutId) => client.workflow.getHandle(rolloutId).query(statusQuery),
    waveStatus: (rolloutId, waveId) => client.workflow.getHandle(waveWorkflowId(rolloutId, waveId)).query(waveStatusQuery),
    async waitFor(what, probe, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      while (Date.now() < deadline) {
        try {
          const v = await probe();
          if (v) return v as never;
        } catch (err) {
          last = err;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    },
    async close() {
      await h.stopWorker();
      await nativeConnection?.close();
      await connection.close();
      await store.close();
    },
  };
  await h.startWorker();
  return h;
}
