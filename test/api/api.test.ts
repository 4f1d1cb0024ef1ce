/**
 * The API's happy paths over real HTTP: the registry, plan preview (the CLI's output), rollouts
 * against the real dev server (no worker here: start, list, signal, state errors), notices
 * review, posted metrics, OFREP, health, Prometheus and the generated docs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseTenants } from '../../shared/import/tenants';
import { parseFeature } from '../../shared/import/feature';
import { parse as parseYaml } from 'yaml';
import { parseDocument } from '../../shared/import/document';
import { buildPlan } from '../../shared/plan/build';
import { PlanConfigOverrides } from '../../shared/plan/config';
import { renderPlan } from '../../shared/plan/render';
import { withNoticeReview } from '../../shared/monitoring/durations';
import type { NoticeRecord } from '../../activities/store/records';
import { routes } from '../../api/routes';
import { renderRouteTable } from '../../api/openapi';
import { example, startApi, type ApiHarness } from './support';

let api: ApiHarness;
const started: string[] = [];

beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  for (const id of started) await api.client.workflow.getHandle(id).terminate('test over').catch(() => undefined);
  await api.close();
});

const FEATURE = 'smart-approval-routing';

async function importFleet(): Promise<void> {
  const res = await api.call('POST', '/api/v1/tenants/import', { body: example('fleet.yaml'), headers: { 'Content-Type': 'application/yaml' } });
  expect([res.status, res.data.ok, res.data.format]).toEqual([200, true, 'yaml']);
}

/** The example feature under FEATURE, created or put back as the example file says. */
async function registerFeature(): Promise<void> {
  const res = await api.call('PUT', `/api/v1/features/${FEATURE}`, { token: api.token.pm, body: example('feature-smart-routing.yaml'), headers: { 'Content-Type': 'application/yaml' } });
  expect([200, 201]).toContain(res.status);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('tenants', () => {
  test('a dry run reports and saves nothing; the real import saves every tenant', async () => {
    const text = example('fleet.csv');
    const dry = await api.call('POST', '/api/v1/tenants/import?dryRun=true', { body: text, headers: { 'Content-Type': 'text/csv' } });
    const expected = parseTenants(text, { format: 'csv', asOf: new Date().toISOString() });
    expect(dry.status).toBe(200);
    expect(dry.data).toMatchObject({ ok: true, dryRun: true, saved: 0, format: 'csv', tenants: expected.tenants.map((t) => t.id) });
    expect((await api.call('GET', '/api/v1/tenants')).data.count).toBe(0);

    const real = await api.call('POST', '/api/v1/tenants/import', { body: text, headers: { 'Content-Type': 'text/csv' } });
    expect(real.data).toMatchObject({ ok: true, dryRun: false, saved: expected.tenants.length });
    expect((await api.call('GET', '/api/v1/tenants?limit=1000')).data.count).toBe(expected.tenants.length);
  });

  test('the pipe table is recognised from its text', async () => {
    const res = await api.call('POST', '/api/v1/tenants/import?dryRun=true', { body: example('fleet-table.txt'), headers: { 'Content-Type': 'text/plain' } });
    expect([res.status, res.data.format, res.data.tenants.length > 0]).toEqual([200, 'table', true]);
  });

  test('skip-invalid saves the good rows and lists the skipped ones with their lines', async () => {
    const csv = 'id,name,users\nskip-ok,Skip OK,10\nskip-bad,Skip Bad,-4\n';
    const res = await api.call('POST', '/api/v1/tenants/import?mode=skip-invalid', { body: csv, headers: { 'Content-Type': 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ ok: true, saved: 1, tenants: ['skip-ok'], skipped: [{ line: 3, id: 'skip-bad' }] });
    expect((await api.call('GET', '/api/v1/tenants/skip-ok')).status).toBe(200);
    expect((await api.call('GET', '/api/v1/tenants/skip-bad')).status).toBe(404);
  });

  // Each test imports what it reads, so it passes or fails on its own, whatever ran before it (jest -t).
  test('list filters by region and search text', async () => {
    await importFleet();
    const eu = await api.call('GET', '/api/v1/tenants?region=eu', { token: api.token.viewer });
    expect(eu.status).toBe(200);
    expect(eu.data.count).toBeGreaterThan(0);
    expect(eu.data.tenants.every((l: { tenant: { region: string } }) => l.tenant.region === 'eu')).toBe(true);
    const q = await api.call('GET', '/api/v1/tenants?q=globex');
    expect(q.data.tenants.map((l: { tenant: { id: string } }) => l.tenant.id)).toEqual(['globex-retail']);
  });

  test('a patch changes only what it names, and is validated as a whole tenant', async () => {
    await importFleet();
    const before = (await api.call('GET', '/api/v1/tenants/halcyon-hotels')).data.tenant;
    const res = await api.call('PATCH', '/api/v1/tenants/halcyon-hotels', { token: api.token.pm, body: { users: 1600 } });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ...before, users: 1600 });
    expect((await api.call('GET', '/api/v1/tenants/halcyon-hotels')).data.tenant.users).toBe(1600);
  });

  test('delete removes the tenant', async () => {
    const imported = await api.call('POST', '/api/v1/tenants/import', { body: 'id,name,users\ndoomed-co,Doomed Co,10\n', headers: { 'Content-Type': 'text/csv' } });
    expect([imported.status, imported.data.saved]).toEqual([200, 1]);
    expect((await api.call('GET', '/api/v1/tenants/doomed-co')).status).toBe(200);
    expect((await api.call('DELETE', '/api/v1/tenants/doomed-co', { token: api.token.pm })).status).toBe(204);
    expect((await api.call('GET', '/api/v1/tenants/doomed-co')).status).toBe(404);
  });
});

describe('features and plan preview', () => {
  test('create from YAML, replace from JSON, read back', async () => {
    const yaml = example('feature-smart-routing.yaml');
    const created = await api.call('POST', '/api/v1/features', { token: api.token.pm, body: yaml, headers: { 'Content-Type': 'application/yaml' } });
    expect([created.status, created.data.key, created.headers.location]).toEqual([201, FEATURE, `/api/v1/features/${FEATURE}`]);
    const parsed = parseFeature(yaml);
    if (!parsed.ok) throw new Error('example feature does not parse');
    const replaced = await api.call('PUT', `/api/v1/features/${FEATURE}`, { token: api.token.pm, body: JSON.stringify({ ...parsed.feature, summary: 'changed' }), headers: { 'Content-Type': 'application/json' } });
    expect([replaced.status, replaced.data.summary]).toEqual([200, 'changed']);
    expect((await api.call('GET', `/api/v1/features/${FEATURE}`, { token: api.token.viewer })).data.summary).toBe('changed');
    await registerFeature();
    expect((await api.call('GET', '/api/v1/features')).data.features.map((f: { key: string }) => f.key)).toEqual([FEATURE]);
  });

  test('preview is the CLI plan for the same tenants, feature and instant, in every format', async () => {
    await importFleet();
    await registerFeature();
    const asOf = '2026-12-07T08:00:00.000Z';
    const tenants = await api.store.getTenants();
    const feature = (await api.store.getFeature(FEATURE))!;
    const plan = buildPlan({ tenants, feature, asOf, adjustments: [], config: { calendar: 'auto', lanes: { enabled: true, key: 'region' } } });
    const json = await api.call('POST', '/api/v1/plans/preview', { token: api.token.pm, body: { featureKey: FEATURE, asOf } });
    expect(json.status).toBe(200);
    expect(json.data).toEqual(JSON.parse(renderPlan(plan, 'json')));
    const md = await api.call('POST', '/api/v1/plans/preview', { token: api.token.sre, body: { featureKey: FEATURE, asOf, format: 'markdown' } });
    expect(md.headers['content-type']).toMatch(/^text\/markdown/);
    expect(md.data).toBe(renderPlan(plan, 'markdown', { tenants, feature, calendar: 'auto' }));
  });

  test('preview with a plan config plans as the CLI does with the same config file', async () => {
    await importFleet();
    await registerFeature();
    const asOf = '2026-12-07T08:00:00.000Z';
    const parsed = parseDocument(PlanConfigOverrides, example('plan-config.yaml'), { filename: 'plan-config.yaml' });
    if (!parsed.ok) throw new Error('example plan config does not parse');
    const tenants = await api.store.getTenants();
    const feature = (await api.store.getFeature(FEATURE))!;
    const plan = buildPlan({ tenants, feature, asOf, adjustments: [], config: { ...parsed.value, lanes: { enabled: false, key: 'region' } } });
    // The request carries the file's fields as they are, not the merged config.
    const res = await api.call('POST', '/api/v1/plans/preview', { token: api.token.pm, body: { featureKey: FEATURE, asOf, planConfig: parseYaml(example('plan-config.yaml')), lanes: false } });
    expect(res.status).toBe(200);
    expect(res.data).toEqual(JSON.parse(renderPlan(plan, 'json')));
    // The config's low stage: 1 → 5 → 25 → 100.
    expect(res.data.waves.filter((w: { reason: string }) => /^growth sub-wave of \d+ \(at most 5\)/.test(w.reason))).toHaveLength(1);
  });

  test('without auto-send a preview plans with the review time the worker gives the drafts, as the rollout will', async () => {
    const reviewing = await startApi(undefined, { noticeReviewSeconds: 86_400 });
    try {
      await reviewing.call('POST', '/api/v1/tenants/import', { body: example('fleet.yaml'), headers: { 'Content-Type': 'application/yaml' } });
      await reviewing.call('PUT', `/api/v1/features/${FEATURE}`, { token: reviewing.token.pm, body: example('feature-smart-routing.yaml'), headers: { 'Content-Type': 'application/yaml' } });
      const asOf = '2026-12-07T08:00:00.000Z';
      const tenants = await reviewing.store.getTenants();
      const feature = (await reviewing.store.getFeature(FEATURE))!;
      const res = await reviewing.call('POST', '/api/v1/plans/preview', { token: reviewing.token.pm, body: { featureKey: FEATURE, asOf, calendar: 'continuous' } });
      expect(res.status).toBe(200);
      expect(res.data.noticeReviewSeconds).toBe(86_400);
      expect(Date.parse(res.data.timeline.start)).toBe(Date.parse(asOf) + (86_400 + res.data.noticeLeadSeconds) * 1000);
      expect(res.data).toEqual(JSON.parse(renderPlan(buildPlan({ tenants, feature: withNoticeReview(feature, 86_400), asOf, config: { calendar: 'continuous' } }), 'json')));
      // A feature's own review time wins over the worker's.
      const own = await reviewing.call('POST', '/api/v1/plans/preview', { token: reviewing.token.pm, body: { feature: { ...feature, durations: { noticeReviewSeconds: 3_600 } }, asOf } });
      expect(own.data.noticeReviewSeconds).toBe(3_600);
    } finally {
      await reviewing.close();
    }
  });

  test('a preview leaves the tenants a "preview" risk profile in their history', async () => {
    await importFleet();
    await registerFeature();
    expect((await api.call('POST', '/api/v1/plans/preview', { token: api.token.pm, body: { featureKey: FEATURE } })).status).toBe(200);
    const res = await api.call('GET', '/api/v1/tenants/globex-retail');
    expect(res.data.riskProfile).toMatchObject({ rolloutId: 'preview', profile: { tenantId: 'globex-retail' } });
    expect(res.data.history[0]).toEqual(res.data.riskProfile);
  });
});

describe('rollouts on the real dev server (no worker)', () => {
  test('start returns the id and the Temporal UI link, the id cannot be reused, visibility lists it', async () => {
    await importFleet();
    await registerFeature();
    const rolloutId = `api-start-${Date.now()}`;
    started.push(rolloutId);
    const res = await api.call('POST', '/api/v1/rollouts', { token: api.token.pm, body: { featureKey: FEATURE, rolloutId, calendar: 'continuous', durations: { soakSeconds: 1 } } });
    expect(res.status).toBe(201);
    expect(res.data).toMatchObject({ rolloutId, workflowId: rolloutId, uiUrl: `http://ui.example:8233/namespaces/${api.namespace}/workflows/${rolloutId}`, statusUrl: `/api/v1/rollouts/${rolloutId}` });
    const desc = await api.client.workflow.getHandle(rolloutId).describe();
    expect(desc.type).toBe('rolloutWorkflow');
    expect(desc.taskQueue).toBe(api.taskQueue);

    const again = await api.call('POST', '/api/v1/rollouts', { token: api.token.pm, body: { featureKey: FEATURE, rolloutId } });
    expect([again.status, again.data.error]).toEqual([409, 'conflict']);

    const listed = await waitFor('the rollout in visibility', async () => {
      const list = await api.call('GET', `/api/v1/rollouts?feature=${FEATURE}&status=PLANNING`, { token: api.token.viewer });
      return list.data.rollouts.find((r: { rolloutId: string }) => r.rolloutId === rolloutId);
    });
    expect(listed).toMatchObject({ featureKey: FEATURE, status: 'PLANNING', workflowStatus: 'RUNNING', closedAt: null });

    const paused = await api.call('POST', `/api/v1/rollouts/${rolloutId}/pause`, { token: api.token.sre, body: { reason: 'checking the dashboards' } });
    expect([paused.status, paused.data.accepted, paused.data.control]).toEqual([202, true, 'pause']);
    const excluded = await api.call('POST', `/api/v1/rollouts/${rolloutId}/tenants/globex-retail/hold`, { token: api.token.pm, body: { reason: 'renewal talks' } });
    expect([excluded.status, excluded.data.control]).toEqual([202, 'hold globex-retail']);

    const plan = await api.call('GET', `/api/v1/rollouts/${rolloutId}/plan`);
    expect([plan.status, plan.data.error]).toEqual([409, 'not-ready']);
    const report = await api.call('GET', `/api/v1/rollouts/${rolloutId}/reports/health`);
    expect([report.status, report.data.error]).toEqual([409, 'not-ready']);
  });

  test('a wave or tenant the stored plan does not have is a 404 naming what the plan has, not a 202 or "not running"', async () => {
    await importFleet();
    await registerFeature();
    const rolloutId = `api-plan-members-${Date.now()}`;
    started.push(rolloutId);
    expect((await api.call('POST', '/api/v1/rollouts', { body: { featureKey: FEATURE, rolloutId } })).status).toBe(201);
    const plan = buildPlan({ tenants: await api.store.getTenants(), feature: (await api.store.getFeature(FEATURE))!, asOf: new Date().toISOString(), adjustments: [] });
    await api.store.putPlan(rolloutId, plan);

    const wave = await api.call('POST', `/api/v1/rollouts/${rolloutId}/waves/w99/approve`, { token: api.token.approver, body: {} });
    expect([wave.status, wave.data.error]).toEqual([404, 'not-found']);
    expect(wave.data.message).toMatch(/wave w99 is not in the plan .* w1a/);
    const tenantDecision = await api.call('POST', `/api/v1/rollouts/${rolloutId}/waves/w4a/tenants/ghost-co/approve`, { token: api.token.approver, body: {} });
    expect([tenantDecision.status, tenantDecision.data.error]).toEqual([404, 'not-found']);
    const advisory = await api.call('POST', `/api/v1/rollouts/${rolloutId}/decisions/w99:advisory:acme-corp`, { token: api.token.sre, body: { rollback: true } });
    expect([advisory.status, advisory.data.error]).toEqual([404, 'not-found']);
    for (const control of ['exclude', 'hold', 'rollback']) {
      const res = await api.call('POST', `/api/v1/rollouts/${rolloutId}/tenants/ghost-co/${control}`, { token: api.token.sre, body: { reason: 'typo' } });
      expect([control, res.status, res.data.error]).toEqual([control, 404, 'not-found']);
      expect(res.data.message).toMatch(/tenant ghost-co is not in the plan of rollout/);
    }
    // A tenant the plan holds can still be excluded: the plan has it.
    const held = plan.holds[0].tenantId;
    const ok = await api.call('POST', `/api/v1/rollouts/${rolloutId}/tenants/${held}/exclude`, { token: api.token.sre, body: { reason: 'for good' } });
    expect(ok.status).toBe(202);
  });

  test('controls for a rollout that has ended are 409, not 404', async () => {
    await importFleet();
    await registerFeature();
    const rolloutId = `api-ended-${Date.now()}`;
    started.push(rolloutId);
    expect((await api.call('POST', '/api/v1/rollouts', { body: { featureKey: FEATURE, rolloutId } })).status).toBe(201);
    await api.client.workflow.getHandle(rolloutId).terminate('ended for the test');
    const res = await api.call('POST', `/api/v1/rollouts/${rolloutId}/resume`, { token: api.token.sre, body: { reason: 'go on' } });
    expect([res.status, res.data.error]).toEqual([409, 'not-running']);
    expect(res.data.message).toMatch(/terminated/);
    const decision = await api.call('POST', `/api/v1/rollouts/${rolloutId}/waves/w1/approve`, { token: api.token.approver, body: {} });
    expect([decision.status, decision.data.error]).toEqual([409, 'not-running']);
  });
});

describe('notices review', () => {
  const notice: NoticeRecord = {
    id: 'r-notice/w1/globex-retail', rolloutId: 'r-notice', waveId: 'w1', tenantId: 'globex-retail', locale: 'en',
    subject: 'Smart approval routing arrives on Tuesday', markdown: '# Hello', text: 'Hello', source: 'template', status: 'draft',
    createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z',
  };
  const url = `/api/v1/notices/${encodeURIComponent(notice.id)}`;

  test('list, edit, approve, send; the reviewer is the token', async () => {
    await importFleet();
    await api.store.putNotice(notice);
    expect((await api.call('GET', '/api/v1/rollouts/r-notice/notices?waveId=w1', { token: api.token.viewer })).data.notices.map((n: NoticeRecord) => n.id)).toEqual([notice.id]);
    expect((await api.call('GET', '/api/v1/tenants/globex-retail/notices')).data.notices).toHaveLength(1);

    const early = await api.call('POST', `${url}/send`, { token: api.token.pm });
    expect([early.status, early.data.error]).toEqual([409, 'conflict']);

    const edited = await api.call('PATCH', url, { token: api.token.pm, body: { subject: 'Smart approval routing: your window' } });
    expect(edited.data).toMatchObject({ subject: 'Smart approval routing: your window', editedBy: 'paula-pm', status: 'draft' });
    const approved = await api.call('POST', `${url}/approve`, { token: api.token.admin });
    expect(approved.data).toMatchObject({ status: 'approved', approvedBy: 'alice-admin' });
    const sent = await api.call('POST', `${url}/send`, { token: api.token.pm });
    expect(sent.data).toMatchObject({ status: 'sent', sentVia: 'file by api:paula-pm' });
    expect(fs.readFileSync(path.join(path.dirname(api.dbFile), 'notices', 'r-notice', 'globex-retail.md'), 'utf8')).toContain('# Hello');
    const again = await api.call('POST', `${url}/send`, { token: api.token.pm });
    expect(again.data).toMatchObject({ status: 'sent', sentVia: 'file by api:paula-pm' });
    const late = await api.call('PATCH', url, { token: api.token.pm, body: { markdown: 'too late', text: 'too late' } });
    expect([late.status, late.data.error]).toEqual([409, 'conflict']);
  });
});

describe('metrics, OFREP, health', () => {
  test('posted metrics reach the built-in provider', async () => {
    const res = await api.call('POST', '/api/v1/metrics', { token: api.token.sre, body: { samples: [{ tenantId: 'globex-retail', requests: 100, errors: 3 }, { tenantId: 'halcyon-hotels', requests: 50, errors: 0 }] } });
    expect([res.status, res.data.accepted]).toEqual([202, 2]);
    const totals = api.postedMetrics.totals({ featureKey: FEATURE, tenantIds: ['globex-retail'], sinceMs: Date.now() - 60_000 });
    expect(totals).toEqual([{ tenantId: 'globex-retail', requests: 100, errors: 3, featureUsage: 0 }]);
  });

  test('OFREP is mounted at the root', async () => {
    await api.flags.apply({ featureKey: FEATURE, tenantId: 'globex-retail', enabled: true, rolloutId: 'manual', actor: 'user:test', reason: 'test', idempotencyKey: 'api-test-ofrep' });
    const res = await api.call('POST', `/ofrep/v1/evaluate/flags/${FEATURE}`, { token: null, body: { context: { targetingKey: 'globex-retail' } } });
    expect([res.status, res.data.value]).toEqual([200, true]);
  });

  test('healthz, readyz and Prometheus metrics by route pattern', async () => {
    expect((await api.call('GET', '/healthz', { token: null })).data).toEqual({ status: 'ok' });
    const ready = await api.call('GET', '/readyz', { token: null });
    expect([ready.status, ready.data.checks.temporal.ok, ready.data.checks.store.ok]).toEqual([200, true, true]);
    const metrics = await api.call('GET', '/metrics', { token: null });
    expect(metrics.data).toMatch(/ringmaster_api_request_duration_seconds_count\{method="GET",route="\/api\/v1\/tenants\/:id",status="200"\}/);
    expect(metrics.data).toMatch(/process_cpu_user_seconds_total/);
  });
});

describe('generated docs', () => {
  test('OpenAPI 3.1 lists every route with its roles, schemas and error responses', async () => {
    const res = await api.call('GET', '/openapi.json', { token: null });
    const doc = res.data;
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.entries(doc.paths as Record<string, Record<string, { operationId: string; security: unknown[]; responses: Record<string, unknown>; 'x-roles': string[] }>>)
      .flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => ({ key: `${m} ${p}`, op })));
    expect(operations.map((o) => o.key).sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
    const approve = doc.paths['/api/v1/rollouts/{id}/waves/{waveId}/approve'].post;
    expect(approve['x-roles']).toEqual(['admin', 'approver']);
    expect(Object.keys(approve.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '413', '415']));
    expect(approve.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'waveId']);
    expect(doc.components.schemas.Tenant.additionalProperties).toBe(false);
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    // planConfig is merged over the defaults: the document lists the plan config's fields, none required.
    for (const path of ['/api/v1/plans/preview', '/api/v1/rollouts']) {
      const planConfig = doc.paths[path].post.requestBody.content['application/json'].schema.properties.planConfig;
      expect(Object.keys(planConfig.properties)).toEqual(expect.arrayContaining(['growth', 'maxWaveSize', 'risk']));
      expect(Object.keys(planConfig.properties.risk.properties)).toEqual(expect.arrayContaining(['weights', 'neverTogether']));
      expect(JSON.stringify(planConfig)).not.toContain('"required"');
    }
  });

  test('/docs is a self-contained page naming every operation', async () => {
    const res = await api.call('GET', '/docs', { token: null });
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    for (const r of routes) expect(res.data).toContain(`id="${r.operationId}"`);
    expect(res.data).not.toMatch(/<script|https?:\/\/cdn/);
  });

  test('docs/API.md carries the current route table and role matrix (regenerate with `npx tsx api/write-docs.ts`)', () => {
    const md = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'API.md'), 'utf8');
    expect(md).toContain(renderRouteTable(routes));
  });
});
