import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_TEMPLATES, PrometheusMetricsProvider, PrometheusQueryError, prometheusConfigFromEnv, renderTemplate } from '../../activities/metrics/prometheus';
import type { TenantSample } from '../../activities/ports';
import { startSimulator, type RunningSimulator } from '../../simulator/simulator';
import { startOfrepStub, type OfrepStub } from '../simulator/ofrep-stub';
import { fleet, salesforceBelow50 } from '../simulator/fleet';
import { freePort, startPrometheus, type TestPrometheus } from './prometheus-process';

const FEATURE = 'smart-routing';
const ids = fleet.map((t) => t.id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const byTenant = (samples: TenantSample[]) => new Map(samples.map((s) => [s.tenantId, s]));

describe('PrometheusMetricsProvider against a real Prometheus scraping the fleet simulator', () => {
  let ofrep: OfrepStub;
  let sim: RunningSimulator;
  let prometheus: TestPrometheus;
  let provider: PrometheusMetricsProvider;

  beforeAll(async () => {
    ofrep = await startOfrepStub();
    for (const id of ids) ofrep.set(FEATURE, id, false);
    sim = await startSimulator({ tenants: fleet, featureKey: FEATURE, ofrepUrl: ofrep.url, faults: [salesforceBelow50], tickMs: 250, speed: 120, seed: 5 });
    prometheus = await startPrometheus([sim.url]);
    provider = new PrometheusMetricsProvider({ url: prometheus.url });
    // increase() needs two scrapes inside the window before a tenant has data.
    const deadline = Date.now() + 30_000;
    while ((await provider.sample({ featureKey: FEATURE, tenantIds: ids, windowSeconds: 5 })).filter((s) => s.requests > 0).length < ids.length) {
      if (Date.now() > deadline) throw new Error('Prometheus has no samples from the simulator after 30 s');
      await sleep(500);
    }
  });

  afterAll(async () => {
    await prometheus?.stop();
    await sim?.stop();
    await ofrep?.stop();
  });

  it('reports the whole fleet near baseline while the feature is off', async () => {
    const samples = byTenant(await provider.sample({ featureKey: FEATURE, tenantIds: ids, windowSeconds: 5 }));
    expect([...samples.keys()].sort()).toEqual([...ids].sort());
    for (const s of samples.values()) {
      expect(s.errorRate).toBeLessThan(0.03);
      expect(s.featureUsage).toBe(0);
    }
  });

  it('escapes tenant ids: acme.eu does not pull in acmexeu', async () => {
    const samples = await provider.sample({ featureKey: FEATURE, tenantIds: ['acme.eu', 'initech'], windowSeconds: 5 });
    expect(samples.map((s) => s.tenantId)).toEqual(['acme.eu']);
  });

  it('sees the faulty tenant error at the fault rate once its flag is on, while a healthy tenant stays at baseline', async () => {
    ofrep.set(FEATURE, 'northwind-bank', true);
    ofrep.set(FEATURE, 'acme.eu', true);
    const deadline = Date.now() + 10_000;
    while (sim.status().tenants.filter((t) => t.featureOn).length < 2) {
      if (Date.now() > deadline) throw new Error('the simulator never saw the flag flip');
      await sleep(50);
    }
    const windowSeconds = 10;
    // A full window of post-flip traffic, plus two scrapes for the last of it to land.
    await sleep(windowSeconds * 1000 + 2500);

    const samples = byTenant(await provider.sample({ featureKey: FEATURE, tenantIds: ids, windowSeconds }));
    const faulty = samples.get('northwind-bank')!;
    const healthy = samples.get('acme.eu')!;
    const off = samples.get('globex-health')!;
    // 240 rpm x speed 120 = 480 requests a second.
    expect(faulty.requests).toBeGreaterThan(3800);
    expect(faulty.requests).toBeLessThan(5800);
    expect(faulty.errorRate).toBeGreaterThan(0.06);
    expect(faulty.errorRate).toBeLessThan(0.1);
    expect(faulty.featureUsage / faulty.requests).toBeGreaterThan(0.2);
    expect(healthy.errorRate).toBeLessThan(0.02);
    expect(healthy.featureUsage).toBeGreaterThan(0);
    expect(off.errorRate).toBeLessThan(0.02);
    expect(off.featureUsage).toBe(0);
    expect(Date.parse(faulty.at)).toBeGreaterThan(Date.now() - 5000);
  });

  it.each([
    ['a PromQL syntax error', { errors: 'sum by (tenant) (increase(app_errors_total{tenant=~"{{tenants}}"}[{{window}}])' }, /Prometheus errors query at .* was rejected \(HTTP 400, bad_data\): .*parse error/],
    ['a range vector', { requests: 'app_requests_total{tenant=~"{{tenants}}"}[{{window}}]' }, /Prometheus requests query .* returned a matrix; the template must yield an instant vector/],
    ['no tenant label', { featureUsage: 'sum(increase(app_feature_usage_total{tenant=~"{{tenants}}"}[{{window}}]))' }, /Prometheus featureUsage query .* returned a series without the tenant label \({}\); group the query by tenant/],
    ['one series per flag state', { requests: 'sum by (tenant, feature_enabled) (increase(app_requests_total{tenant=~"{{tenants}}"}[{{window}}]))' }, /returned more than one series for tenant .*; aggregate with sum by \(tenant\)/],
  ])('explains %s', async (_what, templates, message) => {
    const bad = new PrometheusMetricsProvider({ url: prometheus.url, templates: { ...DEFAULT_TEMPLATES, ...templates } });
    const err = await bad.sample({ featureKey: FEATURE, tenantIds: ids, windowSeconds: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PrometheusQueryError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toContain('(query: ');
  });
});

describe('PrometheusMetricsProvider against a misbehaving endpoint', () => {
  let server: http.Server;
  let url: string;
  let reply: { status: number; type: string; body: string };
  const queries: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => { body += d.toString(); });
      req.on('end', () => {
        queries.push(new URLSearchParams(body).get('query') ?? `${req.method} ${req.url}`);
        res.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => { queries.length = 0; });

  const vector = (result: unknown) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result } });

  it('asks one query per metric for the whole batch, parses the vector and omits tenants without data', async () => {
    reply = { status: 200, type: 'application/json', body: vector([
      { metric: { tenant: 'northwind-bank' }, value: [1772463600, '250'] },
      { metric: { tenant: 'acme.eu' }, value: [1772463600, 'NaN'] },
    ]) };
    const samples = await new PrometheusMetricsProvider({ url }).sample({ featureKey: FEATURE, tenantIds: ['northwind-bank', 'acme.eu', 'acmexeu'], windowSeconds: 300 });
    expect(queries.sort()).toEqual([
      'sum by (tenant) (increase(app_errors_total{tenant=~"northwind-bank|acme\\\\.eu|acmexeu"}[300s]))',
      'sum by (tenant) (increase(app_feature_usage_total{tenant=~"northwind-bank|acme\\\\.eu|acmexeu",feature="smart-routing"}[300s]))',
      'sum by (tenant) (increase(app_requests_total{tenant=~"northwind-bank|acme\\\\.eu|acmexeu"}[300s]))',
    ]);
    // The same body answers all three queries here: 250 requests, 250 errors, 250 uses.
    expect(samples).toEqual([{ tenantId: 'northwind-bank', requests: 250, errors: 250, errorRate: 1, featureUsage: 250, at: expect.any(String) }]);
  });

  it('asks nothing for no tenants', async () => {
    expect(await new PrometheusMetricsProvider({ url }).sample({ featureKey: FEATURE, tenantIds: [], windowSeconds: 300 })).toEqual([]);
    expect(queries).toEqual([]);
  });

  it.each([
    ['an HTML error page', { status: 502, type: 'text/html', body: '<html><body>502 Bad Gateway</body></html>' }, /returned HTTP 502 with a body that is not a Prometheus query response: <html><body>502 Bad Gateway/],
    ['a value that is not a sample pair', { status: 200, type: 'application/json', body: vector([{ metric: { tenant: 'acme.eu' }, value: ['x'] }]) }, /returned a malformed vector: 0\.value/],
    ['an error body without details', { status: 503, type: 'application/json', body: JSON.stringify({ status: 'error' }) }, /was rejected \(HTTP 503, error\): no reason given/],
    ['JSON of another shape', { status: 200, type: 'application/json', body: JSON.stringify({ ok: true }) }, /not a Prometheus query response: {"ok":true}/],
  ])('gives a clear error for %s', async (_what, r, message) => {
    reply = r;
    await expect(new PrometheusMetricsProvider({ url }).sample({ featureKey: FEATURE, tenantIds: ['acme.eu'], windowSeconds: 60 })).rejects.toThrow(message);
  });

  it('says when Prometheus cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    await expect(new PrometheusMetricsProvider({ url: closed }).sample({ featureKey: FEATURE, tenantIds: ['acme.eu'], windowSeconds: 60 })).rejects.toThrow(/could not be sent: ECONNREFUSED/);
  });

  it('rejects a window that is not whole seconds', async () => {
    await expect(new PrometheusMetricsProvider({ url }).sample({ featureKey: FEATURE, tenantIds: ['acme.eu'], windowSeconds: 2.5 })).rejects.toThrow('windowSeconds must be a positive whole number of seconds, got 2.5');
  });
});

describe('renderTemplate', () => {
  it('escapes ids for the regex and then for the PromQL string', () => {
    expect(renderTemplate('{tenant=~"{{tenants}}",feature="{{feature}}"}[{{window}}]', { tenantIds: ['acme.eu', 'a+b'], windowSeconds: 900, featureKey: 'say "hi"' }))
      .toBe('{tenant=~"acme\\\\.eu|a\\\\+b",feature="say \\"hi\\""}[900s]');
  });
});

describe('prometheusConfigFromEnv', () => {
  it('takes the URL and template overrides, and falls back to the defaults', () => {
    const config = prometheusConfigFromEnv({ RINGMASTER_PROMETHEUS_URL: 'http://prometheus:9090', RINGMASTER_PROMETHEUS_ERRORS_QUERY: 'sum by (customer) (increase(http_5xx_total{customer=~"{{tenants}}"}[{{window}}]))', RINGMASTER_PROMETHEUS_TENANT_LABEL: 'customer', RINGMASTER_PROMETHEUS_TIMEOUT_MS: '2500' });
    expect(config).toEqual({
      url: 'http://prometheus:9090',
      templates: { ...DEFAULT_TEMPLATES, errors: 'sum by (customer) (increase(http_5xx_total{customer=~"{{tenants}}"}[{{window}}]))' },
      tenantLabel: 'customer',
      timeoutMs: 2500,
    });
  });

  it.each([
    [{}, /RINGMASTER_PROMETHEUS_URL: expected the http\(s\) URL of Prometheus/],
    [{ RINGMASTER_PROMETHEUS_URL: 'prometheus:9090' }, /RINGMASTER_PROMETHEUS_URL: /],
    [{ RINGMASTER_PROMETHEUS_URL: 'http://p:9090', RINGMASTER_PROMETHEUS_REQUESTS_QUERY: 'sum(app_requests_total)' }, /RINGMASTER_PROMETHEUS_REQUESTS_QUERY: must contain {{tenants}}/],
    [{ RINGMASTER_PROMETHEUS_URL: 'http://p:9090', RINGMASTER_PROMETHEUS_TIMEOUT_MS: 'soon' }, /RINGMASTER_PROMETHEUS_TIMEOUT_MS: /],
    [{ RINGMASTER_PROMETHEUS_URL: 'http://p:9090', RINGMASTER_PROMETHEUS_TENANT_LABEL: 'tenant-id' }, /RINGMASTER_PROMETHEUS_TENANT_LABEL: expected a Prometheus label name/],
  ])('names the variable at fault in %j', (env, message) => {
    expect(() => prometheusConfigFromEnv(env)).toThrow(message);
  });
});
