/**
 * End to end over HTTP: the example fleet imported through the API, a rollout started through
 * it, every wave approved through it by an approver while a fleet posts healthy metrics to it,
 * until the rollout completes; on the way the workflow's validator refuses the starter's
 * four-eyes approval and a decision the wave is not waiting for (409 with the reason). The worker
 * runs the real workflows and activities on the real dev server, over the same SQLite file.
 */
import { bundleWorkflowCode, NativeConnection, type Worker } from '@temporalio/worker';
import { openSqliteStore, type SqliteStore } from '../../activities/store/sqlite';
import { BuiltinFlagProvider } from '../../activities/flags/builtin';
import { PostedMetricsProvider } from '../../activities/metrics/posted';
import { prepareNotice } from '../../activities/notices/prepare';
import { createReports } from '../../activities/reports/reports';
import type { PeopleMessage } from '../../activities/rollout';
import { parseFeature } from '../../shared/import/feature';
import type { PendingDecision } from '../../shared/model/rollout';
import { createRolloutWorker, WORKFLOWS_PATH } from '../../workers/worker';
import { renderStatus } from '../../cli/commands/rollout';
import { example, startApi, type ApiHarness } from './support';

jest.setTimeout(300_000);

let api: ApiHarness;
let workerStore: SqliteStore;
let nativeConnection: NativeConnection;
let worker: Worker;
let running: Promise<void>;
let poster: ReturnType<typeof setInterval>;
const messages: PeopleMessage[] = [];

const FEATURE = 'smart-approval-routing';

beforeAll(async () => {
  api = await startApi();
  // The worker is another "process" over the same store file.
  workerStore = openSqliteStore(api.dbFile);
  const metrics = new PostedMetricsProvider(api.postedMetrics);
  nativeConnection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS });
  const silent = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as never;
  worker = await createRolloutWorker({
    connection: nativeConnection, namespace: api.namespace, taskQueue: api.taskQueue,
    workflowBundle: await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: silent }),
    deps: {
      store: workerStore,
      flags: new BuiltinFlagProvider(workerStore),
      metrics,
      notices: {
        async prepare({ rolloutId, tenant, feature, wave, allSystemsKnown }) {
          const notice = await prepareNotice(tenant, feature, { id: wave.id, start: wave.plannedStart, end: wave.plannedEnd, monitoringWindowSeconds: wave.monitoringWindowSeconds },
            { rolloutId, now: new Date().toISOString(), allSystemsKnown });
          await workerStore.putNotice(notice);
          // Delivered at once, as RINGMASTER_NOTICE_AUTOSEND does: a draft would make every tenant no-go.
          return (await workerStore.markNoticeSent(notice.id, { via: 'test' })) ?? notice;
        },
      },
      notifier: { async notify(m) { messages.push(m); } },
      reports: createReports({ store: workerStore, metrics }),
    },
  });
  running = worker.run();
});

afterAll(async () => {
  clearInterval(poster);
  worker?.shutdown();
  await running;
  await nativeConnection?.close();
  await workerStore?.close();
  await api?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('start → approve each wave over HTTP → completed, with four-eyes and validator rejections as 409', async () => {
  // Registry through the API: the example fleet, and the example feature without its calendar dates
  // (they are in the future of the test's clock; the durations below are in seconds).
  const imported = await api.call('POST', '/api/v1/tenants/import', { token: api.token.pm, body: example('fleet.csv'), headers: { 'Content-Type': 'text/csv' } });
  expect(imported.status).toBe(200);
  const parsed = parseFeature(example('feature-smart-routing.yaml'));
  if (!parsed.ok) throw new Error('example feature does not parse');
  const { earliestStart: _s, deadline: _d, ...feature } = parsed.feature;
  expect((await api.call('PUT', `/api/v1/features/${FEATURE}`, { token: api.token.pm, body: JSON.stringify(feature), headers: { 'Content-Type': 'application/json' } })).status).toBe(201);

  const tenantIds: string[] = imported.data.tenants;
  poster = setInterval(() => {
    void api.call('POST', '/api/v1/metrics', { token: api.token.sre, body: { samples: tenantIds.map((tenantId) => ({ tenantId, featureKey: FEATURE, requests: 400, errors: 1, featureUsage: 20 })) } });
  }, 500);

  const rolloutId = `e2e-${Date.now()}`;
  const start = await api.call('POST', '/api/v1/rollouts', {
    token: api.token.admin,
    body: {
      featureKey: FEATURE, rolloutId, calendar: 'continuous', onDecisionTimeout: 'pause',
      durations: { soakSeconds: 1, monitoringWindowSeconds: 2, sampleIntervalSeconds: 1, noticeLeadSeconds: 0, healthWindowSeconds: 1, decisionTimeoutSeconds: 600 },
    },
  });
  expect(start.status).toBe(201);

  const rejections: Record<string, string> = {};
  const approved: string[] = [];
  const seenStatus: string[] = [];
  const deadline = Date.now() + 240_000;
  let phase = '';
  while (Date.now() < deadline) {
    const status = await api.call('GET', `/api/v1/rollouts/${rolloutId}`, { token: api.token.viewer });
    expect(status.status).toBe(200);
    phase = status.data.phase;
    if (seenStatus.length < 3 && status.data.pendingDecisions.length) seenStatus.push(renderStatus(status.data, new Date()));
    if (['COMPLETED', 'ABORTED', 'REJECTED', 'HALTED'].includes(phase)) break;
    for (const d of status.data.pendingDecisions as PendingDecision[]) {
      const waveUrl = `/api/v1/rollouts/${rolloutId}/waves/${d.waveId}`;
      if (d.kind === 'wave-go' && !rejections.notAwaited) {
        // The wave waits for a wave decision, not for a tenant decision: the validator says so.
        const wrong = await api.call('POST', `${waveUrl}/tenants/${tenantIds[0]}/approve`, { token: api.token.approver, body: {} });
        expect([wrong.status, wrong.data.error]).toEqual([409, 'decision-rejected']);
        rejections.notAwaited = wrong.data.message;
      }
      const later = (status.data.waves as { waveId: string; phase: string }[]).find((w) => w.phase === 'scheduled');
      if (later && !rejections.notStarted) {
        // A wave of the plan that has not started: the answer says so rather than "not running".
        const early = await api.call('POST', `/api/v1/rollouts/${rolloutId}/waves/${later.waveId}/approve`, { token: api.token.approver, body: {} });
        expect([early.status, early.data.error]).toEqual([409, 'not-running']);
        rejections.notStarted = early.data.message;
      }
      const ended = (status.data.waves as { waveId: string; phase: string }[]).find((w) => w.phase === 'completed');
      if (ended && !rejections.finished) {
        const late = await api.call('POST', `/api/v1/rollouts/${rolloutId}/waves/${ended.waveId}/approve`, { token: api.token.approver, body: {} });
        rejections.finished = `${late.status} ${late.data.error} ${late.data.message}`;
      }
      if (d.fourEyes && !rejections.fourEyes) {
        const self = d.kind === 'tenant-go' ? `${waveUrl}/tenants/${d.tenantId}/approve` : `${waveUrl}/approve`;
        const mine = await api.call('POST', self, { token: api.token.admin, body: { comment: 'my own rollout' } });
        expect([mine.status, mine.data.error]).toEqual([409, 'decision-rejected']);
        rejections.fourEyes = mine.data.message;
      }
      const url = d.kind === 'tenant-go' ? `${waveUrl}/tenants/${d.tenantId}/approve`
        : d.kind === 'advisory-rollback' ? `/api/v1/rollouts/${rolloutId}/decisions/${encodeURIComponent(d.id)}`
          : d.kind === 'plan' ? `/api/v1/rollouts/${rolloutId}/plan/approve` : `${waveUrl}/approve`;
      const body = d.kind === 'advisory-rollback' ? { rollback: false, comment: 'metrics are healthy' } : { comment: 'dashboards green' };
      const res = await api.call('POST', url, { token: api.token.approver, body });
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({ accepted: true, by: 'bob-approver' });
      approved.push(d.id);
    }
    await sleep(300);
  }
  expect(phase).toBe('COMPLETED');
  expect(approved.length).toBeGreaterThanOrEqual(2);
  expect(rejections.notAwaited).toMatch(/\S/);
  expect(rejections.fourEyes).toMatch(/four-eyes|started/i);
  expect(rejections.finished).toMatch(/^409 not-running wave \S+ of rollout \S+ has finished \(completed\), so it cannot take this now$/);
  expect(rejections.notStarted).toMatch(/^wave \S+ of rollout \S+ has not started yet \(the rollout is (running|awaiting approval)\), so it cannot take this now$/);
  expect(seenStatus[0]).toMatch(/Waiting for people/);

  const final = await api.call('GET', `/api/v1/rollouts/${rolloutId}`);
  expect(final.data.counts.enabled).toBeGreaterThan(0);

  const audit = await api.call('GET', `/api/v1/rollouts/${rolloutId}/audit`, { token: api.token.viewer });
  expect(audit.status).toBe(200);
  expect(audit.data.entries.some((e: { actor: string }) => e.actor === 'user:bob-approver')).toBe(true);
  expect(audit.data.entries.some((e: { actor: string }) => e.actor === 'user:alice-admin')).toBe(false);

  const plan = await api.call('GET', `/api/v1/rollouts/${rolloutId}/plan`);
  expect([plan.status, plan.data.feature.key]).toEqual([200, FEATURE]);
  expect(plan.data.waves.map((w: { id: string }) => w.id)).toEqual(expect.arrayContaining(final.data.waves.map((w: { waveId: string }) => w.waveId)));

  for (const kind of ['health', 'retrospective']) {
    const report = await api.call('GET', `/api/v1/rollouts/${rolloutId}/reports/${kind}`);
    expect(report.status).toBe(200);
    expect(report.data).toEqual(await workerStore.getReport(rolloutId, kind as 'health' | 'retrospective'));
  }

  const notices = await api.call('GET', `/api/v1/rollouts/${rolloutId}/notices`);
  expect(notices.data.notices.length).toBeGreaterThan(0);

  const enabled = final.data.tenants.find((t: { state: string }) => t.state === 'enabled').tenantId;
  const flag = await api.call('POST', `/ofrep/v1/evaluate/flags/${FEATURE}`, { token: null, body: { context: { targetingKey: enabled } } });
  expect(flag.data.value).toBe(true);

  const done = await api.call('POST', `/api/v1/rollouts/${rolloutId}/pause`, { token: api.token.sre, body: { reason: 'too late' } });
  expect(done.data.message).toMatch(/is completed; it takes no more decisions or controls/);
  expect([done.status, done.data.error]).toEqual([409, 'not-running']);
});
