/**
 * A small OFREP-compatible flag server for simulator tests: per-tenant boolean flags, answered
 * the way the OFREP spec says (404 FLAG_NOT_FOUND for unknown flags, 400 without targetingKey).
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';

export interface OfrepStub {
  /** Base URL for the OFREP provider (before /ofrep/v1). */
  url: string;
  set(featureKey: string, tenantId: string, enabled: boolean): void;
  /** Evaluations served so far, to show the simulator really asks. */
  evaluations(): number;
  stop(): Promise<void>;
}

export async function startOfrepStub(): Promise<OfrepStub> {
  const flags = new Map<string, Map<string, boolean>>();
  let evaluations = 0;
  const app = express();
  app.use(express.json());
  app.post('/ofrep/v1/evaluate/flags/:key', (req, res) => {
    evaluations++;
    const key = req.params.key;
    const targetingKey: unknown = req.body?.context?.targetingKey;
    if (typeof targetingKey !== 'string') {
      res.status(400).json({ key, errorCode: 'TARGETING_KEY_MISSING', errorDetails: 'context.targetingKey (the tenant id) is required' });
      return;
    }
    const perTenant = flags.get(key);
    if (!perTenant) {
      res.status(404).json({ key, errorCode: 'FLAG_NOT_FOUND', errorDetails: `no flag ${key}` });
      return;
    }
    const value = perTenant.get(targetingKey) ?? false;
    res.json({ key, value, reason: perTenant.has(targetingKey) ? 'TARGETING_MATCH' : 'DEFAULT', variant: value ? 'on' : 'off' });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (featureKey, tenantId, enabled) => {
      const perTenant = flags.get(featureKey) ?? new Map<string, boolean>();
      perTenant.set(tenantId, enabled);
      flags.set(featureKey, perTenant);
    },
    evaluations: () => evaluations,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
