import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { BuiltinFlagProvider } from '../../activities/flags/builtin';
import { openSqliteStore } from '../../activities/store/sqlite';
import { ofrepRouter } from '../../api/ofrep';
import { startSimulator } from '../../simulator/simulator';
import { byId, salesforceBelow50 } from './fleet';

// The simulator against Ringmaster's own OFREP endpoint over the built-in flag store: a flag a
// rollout applies is what the simulated app sees.
it('follows a flag change applied to the built-in flag store', async () => {
  const store = openSqliteStore(':memory:');
  const flags = new BuiltinFlagProvider(store);
  const app = express().use(ofrepRouter(flags));
  const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const sim = await startSimulator({
    tenants: [byId('northwind-bank'), byId('acme.eu')], featureKey: 'smart-routing', faults: [salesforceBelow50], tickMs: 20,
    ofrepUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
  try {
    const until = async (check: () => boolean) => {
      const deadline = Date.now() + 10_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out; simulator status ${JSON.stringify(sim.status())}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await until(() => sim.status().ticks >= 2);
    expect(sim.status().tenants.map((t) => t.featureOn)).toEqual([false, false]);

    await flags.apply({ featureKey: 'smart-routing', tenantId: 'northwind-bank', enabled: true, rolloutId: 'r-1', actor: 'rollout:r-1', reason: 'wave 1', idempotencyKey: 'r-1:northwind-bank:enable' });
    await until(() => sim.status().tenants[0].featureOn);
    const [northwind, acme] = sim.status().tenants;
    expect(northwind).toMatchObject({ tenantId: 'northwind-bank', featureOn: true, errorRate: 0.08 });
    expect(acme).toMatchObject({ tenantId: 'acme.eu', featureOn: false, errorRate: 0.006 });
    expect(sim.status().lastError).toBeUndefined();
  } finally {
    await sim.stop();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await store.close();
  }
});
