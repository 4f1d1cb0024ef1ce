/**
 * Paths no other workflow test reaches, each tested so that breaking it fails here: the bound on
 * waves in flight (`maxConcurrentWaves`), a retried monitoring sample counted once (`sampleWave`
 * keyed by sample number), and a person's rollback of a tenant whose wave is running forwarded to
 * that wave (`rollbackTenantNow`), so the wave's own outcome and monitoring know of it.
 */
import type { WaveOutcome } from '../../shared/model/rollout';
import { startHarness, type Harness } from '../support/rollout-harness';
import { approveAll } from '../support/approvals';
import { feature, fastDurations, smallFleet, tenant } from '../support/fleet';
import { auditQuery, rollbackTenantSignal, waveWorkflowId } from '../../workflows/messages';

/** Low-stage tenants in four regions: after a one-tenant growth sub-wave they run in four lanes side by side. */
const laneFleet = () => [
  ...smallFleet(),
  ...['eu', 'apac', 'uk'].flatMap((region) => [1, 2, 3, 4].map((i) => tenant({ id: `${region}-shop-${i}`, region, integrations: [{ kind: 'chat', system: 'slack' }] }))),
  ...Array.from({ length: 12 }, (_, i) => tenant({ id: `us-shop-${i}`, integrations: [{ kind: 'chat', system: 'slack' }] })),
];
const oneTenantGrowth = { growth: { low: [1], medium: [1], high: [1] } };

describe('controls and bounds on a real Temporal server', () => {
  const harnesses: Harness[] = [];
  const harness = async (tenants = laneFleet(), durations = fastDurations) => {
    const h = await startHarness(tenants, feature({ durations }));
    harnesses.push(h);
    return h;
  };
  afterAll(async () => {
    for (const h of harnesses) await h.close();
  });

  /** Each wave child's [start, close] as Temporal recorded it. */
  async function waveSpans(h: Harness, rolloutId: string) {
    const plan = (await h.store.getPlan(rolloutId))!;
    return Promise.all(plan.waves.map(async (w) => {
      const d = await h.client.workflow.getHandle(waveWorkflowId(rolloutId, w.id)).describe();
      return { id: w.id, lane: w.lane, start: d.startTime.getTime(), end: d.closeTime!.getTime() };
    }));
  }
  const mostAtOnce = (spans: { start: number; end: number }[]) => Math.max(...spans.map((s) => spans.filter((o) => o.start <= s.start && s.start < o.end).length));

  test.concurrent('maxConcurrentWaves: with 1, lanes planned side by side run one wave at a time; by default they overlap', async () => {
    const bounded = await harness();
    const free = await harness();
    const [one, many] = await Promise.all([
      bounded.start({ planConfig: oneTenantGrowth, maxConcurrentWaves: 1 }),
      free.start({ planConfig: oneTenantGrowth }),
    ]);
    await Promise.all([approveAll(bounded, one), approveAll(free, many)]);
    expect((await one.result()).phase).toBe('COMPLETED');
    expect((await many.result()).phase).toBe('COMPLETED');
    const plan = (await bounded.store.getPlan(one.workflowId))!;
    expect(new Set(plan.waves.filter((w) => w.stage === 'low').map((w) => w.lane)).size).toBeGreaterThanOrEqual(4);
    expect(mostAtOnce(await waveSpans(bounded, one.workflowId))).toBe(1);
    expect(mostAtOnce(await waveSpans(free, many.workflowId))).toBeGreaterThan(1);
    expect((await bounded.status(one.workflowId)).counts.enabled).toBe(laneFleet().length);
  }, 180_000);

  test.concurrent('sampleWave: a sample whose activity is retried after it stored the sample counts once', async () => {
    const h = await harness(smallFleet());
    // Three critical samples in a row roll a standard-SLA tenant back. acorn-dental gives critical
    // error rates for its first three samplings only: sample 0, sample 0 again (the retry) and
    // sample 1. Counted once, sample 0 makes two critical samples, then a healthy one: no rollback.
    let calls = 0;
    const sample = h.fleet.sample.bind(h.fleet);
    h.fleet.sample = async (req) => (await sample(req)).map((s) => {
      if (s.tenantId !== 'acorn-dental' || s.featureUsage === 0) return s;
      calls++;
      return calls <= 3 ? { ...s, errors: 1500, errorRate: 0.3 } : s;
    });
    // The first monitor write for acorn-dental is stored, then the activity fails: as a worker
    // lost right after the write would.
    let failed = false;
    const putReport = h.store.putReport.bind(h.store);
    h.store.putReport = async (rolloutId, kind, report) => {
      await putReport(rolloutId, kind, report);
      if (!failed && kind.endsWith(':monitor') && JSON.stringify(report).includes('acorn-dental')) {
        failed = true;
        throw new Error('worker lost after storing the sample (simulated)');
      }
    };
    const handle = await h.start({});
    await approveAll(h, handle);
    expect((await handle.result()).phase).toBe('COMPLETED');
    expect(failed).toBe(true);
    expect(calls).toBeGreaterThanOrEqual(4);
    const plan = (await h.store.getPlan(handle.workflowId))!;
    const wave = plan.waves.find((w) => w.members.some((m) => m.tenantId === 'acorn-dental'))!;
    const monitor = (await h.store.getReport(handle.workflowId, `wave:${wave.id}:monitor`)) as { samples: Record<string, { sampleNo: number; errorRate: number }[]> };
    const numbers = monitor.samples['acorn-dental'].map((s) => s.sampleNo);
    expect(numbers).toEqual([...new Set(numbers)]);
    expect(monitor.samples['acorn-dental'].map((s) => s.errorRate)).toEqual([0.3, 0.3, 0.003]);
    expect(await h.flags.isEnabled('smart-routing', 'acorn-dental')).toBe(true);
    expect((await handle.query(auditQuery)).filter((a) => a.action === 'rollback')).toEqual([]);
  }, 120_000);

  test.concurrent('rollbackTenantNow: a rollback of a tenant whose wave is running goes to that wave, which rolls it back and stops watching it', async () => {
    // A monitoring window long enough to ask for the rollback while the wave watches the tenant.
    const h = await harness(smallFleet(), { ...fastDurations, monitoringWindowSeconds: 8, sampleIntervalSeconds: 1 });
    const handle = await h.start({});
    const approving = approveAll(h, handle);
    const plan = await h.waitFor('the plan', () => h.store.getPlan(handle.workflowId));
    const waveId = plan.waves.find((w) => w.members.some((m) => m.tenantId === 'acorn-dental'))!.id;
    await h.waitFor('acorn-dental enabled while its wave runs', async () => (await h.flags.isEnabled('smart-routing', 'acorn-dental'))
      && (await h.status(handle.workflowId)).currentWaves.some((w) => w.waveId === waveId));
    await handle.signal(rollbackTenantSignal, { actor: { id: 'sam', role: 'sre' }, tenantId: 'acorn-dental', reason: 'customer reports wrong approver' });
    await approving;
    expect((await handle.result()).phase).toBe('COMPLETED');
    expect(await h.flags.isEnabled('smart-routing', 'acorn-dental')).toBe(false);
    // The wave did it: its stored outcome has the tenant rolled back, and its own audit says who and why.
    const outcome = (await h.store.getReport(handle.workflowId, `wave:${waveId}`)) as WaveOutcome;
    expect(outcome.tenants.find((t) => t.tenantId === 'acorn-dental')).toMatchObject({ state: 'rolled-back', reason: 'manual rollback: customer reports wrong approver' });
    expect(outcome.audit.filter((a) => a.action === 'rollback')).toEqual([
      expect.objectContaining({ actor: 'user:sam', tenantId: 'acorn-dental', waveId, detail: 'manual rollback: customer reports wrong approver' }),
    ]);
    const history = await h.flags.history('smart-routing', 'acorn-dental');
    expect(history.map((e) => e.enabled)).toEqual([true, false]);
    expect((await h.status(handle.workflowId)).tenants.find((t) => t.tenantId === 'acorn-dental')).toMatchObject({ state: 'rolled-back' });
  }, 120_000);

  test.concurrent('rollbackTenantNow: a rollback of a tenant a readiness no-go carried into a later wave goes to that wave while it runs', async () => {
    const h = await harness(laneFleet(), { ...fastDurations, monitoringWindowSeconds: 8, sampleIntervalSeconds: 1 });
    const handle = await h.start({ planConfig: oneTenantGrowth });
    const rolloutId = handle.workflowId;
    const approving = approveAll(h, handle);
    const plan = await h.waitFor('the plan', () => h.store.getPlan(rolloutId));
    // A low-stage wave with a later wave in its lane: its first member is made unready for it.
    const waves = plan.waves.filter((w) => w.stage === 'low');
    const first = waves.find((w) => waves.some((x) => x.lane === w.lane && x.index > w.index))!;
    const later = waves.find((x) => x.lane === first.lane && x.index > first.index)!;
    const tenantId = first.members[0].tenantId;
    const [stored] = await h.store.getTenants([tenantId]);
    await h.store.putTenants([{ ...stored, health: 5 }]);
    // Seen on the wave itself, right after its readiness check: the rollout hears of it only when the
    // wave ends, and the next wave may check readiness right then.
    await h.waitFor(`${tenantId} deferred in ${first.id}`, async () => (await h.waveStatus(rolloutId, first.id).catch(() => undefined))?.tenants.some((t) => t.tenantId === tenantId && t.state === 'deferred'));
    await h.store.putTenants([stored]);
    await h.waitFor(`${tenantId} enabled in ${later.id} while it runs`, async () => (await h.flags.isEnabled('smart-routing', tenantId))
      && (await h.status(rolloutId)).currentWaves.some((w) => w.waveId === later.id));
    await handle.signal(rollbackTenantSignal, { actor: { id: 'sam', role: 'sre' }, tenantId, reason: 'customer asked to turn it off' });
    await approving;
    expect((await handle.result()).phase).toBe('COMPLETED');
    // The wave it was carried into did it and stopped watching it; a rollback on request is not a
    // breach, so the wave's other tenant does not make it half a wave breaching and halt the rollout.
    const outcome = (await h.store.getReport(rolloutId, `wave:${later.id}`)) as WaveOutcome;
    expect(outcome.tenants.find((t) => t.tenantId === tenantId)).toMatchObject({ state: 'rolled-back', reason: 'manual rollback: customer asked to turn it off' });
    expect(outcome.audit.filter((a) => a.action === 'rollback')).toEqual([expect.objectContaining({ actor: 'user:sam', tenantId, waveId: later.id })]);
    expect((await h.flags.history('smart-routing', tenantId)).map((e) => e.enabled)).toEqual([true, false]);
  }, 180_000);
});
