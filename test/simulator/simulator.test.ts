import axios from 'axios';
import { PostedMetricsProvider, PostedMetricsStore } from '../../activities/metrics/posted';
import { startSimulator, type RunningSimulator } from '../../simulator/simulator';
import { startOfrepStub, type OfrepStub } from './ofrep-stub';
import { byId, fleet, salesforceBelow50 } from './fleet';

const FEATURE = 'smart-routing';

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Parses the Prometheus text format into 'name{labels}' -> value. */
function series(text: string): Map<string, number> {
  return new Map(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const i = l.lastIndexOf(' ');
    return [l.slice(0, i), Number(l.slice(i + 1))];
  }));
}

describe('fleet simulator', () => {
  let ofrep: OfrepStub;
  let sim: RunningSimulator;
  const store = new PostedMetricsStore();

  beforeAll(async () => {
    ofrep = await startOfrepStub();
    ofrep.set(FEATURE, 'acme.eu', false);
    sim = await startSimulator({
      tenants: fleet, featureKey: FEATURE, ofrepUrl: ofrep.url, faults: [salesforceBelow50], tickMs: 50, speed: 50, seed: 11,
      push: async (samples) => store.recordAll(samples),
    });
  });
  afterAll(async () => {
    await sim?.stop();
    await ofrep?.stop();
    store.close();
  });

  it('serves every tenant series on /metrics from the first scrape', async () => {
    const res = await axios.get<string>(sim.url, { responseType: 'text' });
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const s = series(res.data);
    for (const t of fleet) {
      expect(s.has(`app_requests_total{tenant="${t.id}",feature_enabled="false"}`)).toBe(true);
      expect(s.has(`app_requests_total{tenant="${t.id}",feature_enabled="true"}`)).toBe(true);
      expect(s.has(`app_errors_total{tenant="${t.id}"}`)).toBe(true);
      expect(s.has(`app_feature_usage_total{tenant="${t.id}",feature="${FEATURE}"}`)).toBe(true);
    }
    expect((await axios.get(sim.url.replace('/metrics', '/'), { validateStatus: () => true })).status).toBe(404);
  });

  it('reads flags over OFREP and lets the fault hit only the tenant it applies to', async () => {
    await until('a few ticks', () => sim.status().ticks >= 3);
    expect(ofrep.evaluations()).toBeGreaterThanOrEqual(3 * fleet.length);
    expect(sim.status().tenants.every((t) => !t.featureOn)).toBe(true);

    ofrep.set(FEATURE, 'northwind-bank', true);
    ofrep.set(FEATURE, 'acme.eu', true);
    await until('the flip to be seen', () => sim.status().tenants.filter((t) => t.featureOn).length === 2);
    const flippedAt = Date.now();
    await until('traffic after the flip', () => sim.status().ticks >= 60);

    const state = new Map(sim.status().tenants.map((t) => [t.tenantId, t]));
    expect(state.get('northwind-bank')).toMatchObject({ featureOn: true, errorRate: 0.08, reason: 'feature on and salesforce integration 48.0 is below 50.0: errors at 8 %' });
    expect(state.get('acme.eu')).toMatchObject({ featureOn: true, errorRate: 0.006, reason: 'baseline error rate 0.6 % (feature on, no fault applies)' });
    expect(state.get('globex-health')).toMatchObject({ featureOn: false, reason: 'baseline error rate 0.3 % (feature off)' });
    expect(sim.status().lastError).toBeUndefined();

    const s = series((await axios.get<string>(sim.url, { responseType: 'text' })).data);
    expect(s.get('app_requests_total{tenant="northwind-bank",feature_enabled="true"}')).toBeGreaterThan(0);
    expect(s.get('app_requests_total{tenant="globex-health",feature_enabled="true"}')).toBe(0);
    expect(s.get(`app_feature_usage_total{tenant="globex-health",feature="${FEATURE}"}`)).toBe(0);
    expect(s.get(`app_feature_usage_total{tenant="northwind-bank",feature="${FEATURE}"}`)).toBeGreaterThan(0);

    // The same ticks reached the built-in provider through push.
    const windowSeconds = Math.max(1, Math.floor((Date.now() - flippedAt) / 1000));
    const pushed = new Map((await new PostedMetricsProvider(store).sample({ featureKey: FEATURE, tenantIds: fleet.map((t) => t.id), windowSeconds })).map((x) => [x.tenantId, x]));
    expect(pushed.size).toBe(fleet.length);
    expect(pushed.get('northwind-bank')!.errorRate).toBeGreaterThan(0.05);
    expect(pushed.get('acme.eu')!.errorRate).toBeLessThan(0.03);
    expect(pushed.get('acme.eu')!.featureUsage).toBeGreaterThan(0);
    expect(pushed.get('globex-health')!.featureUsage).toBe(0);
  });

  it('keeps the last known flag when OFREP fails, and says so', async () => {
    const down = await startSimulator({ tenants: [byId('acme.eu')], featureKey: FEATURE, ofrepUrl: 'http://127.0.0.1:9', faults: [], tickMs: 20 });
    try {
      await until('a failing tick', () => down.status().lastError !== undefined);
      expect(down.status().lastError).toMatch(/^flag smart-routing for acme\.eu: /);
      expect(down.status().tenants[0].featureOn).toBe(false);
    } finally {
      await down.stop();
    }
  });
});
