/**
 * The fleet simulator: per-tenant traffic counters on /metrics for Prometheus to scrape, shaped
 * by each tenant's flag (read over OFREP, the way a real app reads it) and the fault model.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenFeature, type Client } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { Counter, Registry } from 'prom-client';
import type { Tenant } from '../shared/model/tenant';
import { simulateTick, tenantRng, type Fault, type Rng } from './fault-model';
import type { PostedSampleInput } from '../activities/metrics/posted';

export interface SimulatorOptions {
  tenants: Tenant[];
  featureKey: string;
  /** Base URL of the OFREP server (the part before /ofrep/v1). */
  ofrepUrl: string;
  /** Sent with every OFREP request, e.g. { Authorization: 'Bearer …' }. */
  ofrepHeaders?: Record<string, string>;
  faults: Fault[];
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  tickMs?: number;
  seed?: number;
  /** Multiplies every tenant's requestsPerMinute (default 1). */
  speed?: number;
  /** Share of requests that use the feature while it is on (default 0.3). */
  usageShare?: number;
  /** Receives each tick's per-tenant counts, e.g. to post them to the built-in metrics provider. */
  push?: (samples: PostedSampleInput[]) => Promise<void>;
}

export interface SimulatedTenant {
  tenantId: string;
  featureOn: boolean;
  errorRate: number;
  /** Why the tenant errs at this rate right now. */
  reason: string;
  requests: number;
  errors: number;
  featureUsage: number;
}

export interface SimulatorStatus {
  ticks: number;
  tenants: SimulatedTenant[];
  /** Last flag read or push failure, kept so a broken link is visible instead of silent. */
  lastError?: string;
}

export interface RunningSimulator {
  /** The /metrics URL. */
  url: string;
  status(): SimulatorStatus;
  stop(): Promise<void>;
}

let instances = 0;
const OFREP_TIMEOUT_MS = 2000;

export async function startSimulator(opts: SimulatorOptions): Promise<RunningSimulator> {
  const tickMs = opts.tickMs ?? 1000;
  const speed = opts.speed ?? 1;
  const usageShare = opts.usageShare ?? 0.3;
  const seed = opts.seed ?? 1;
  const flags = await flagClient(opts);

  const registry = new Registry();
  const requests = new Counter({ name: 'app_requests_total', help: 'Requests served, by tenant and whether the feature flag was on', labelNames: ['tenant', 'feature_enabled'], registers: [registry] });
  const errors = new Counter({ name: 'app_errors_total', help: 'Requests that failed, by tenant', labelNames: ['tenant'], registers: [registry] });
  const usage = new Counter({ name: 'app_feature_usage_total', help: 'Requests that used the feature, by tenant and feature key', labelNames: ['tenant', 'feature'], registers: [registry] });

  const rngs = new Map<string, Rng>();
  const state = new Map<string, SimulatedTenant>();
  for (const t of opts.tenants) {
    rngs.set(t.id, tenantRng(seed, t.id));
    state.set(t.id, { tenantId: t.id, featureOn: false, errorRate: t.baseline.errorRate, reason: 'not ticked yet', requests: 0, errors: 0, featureUsage: 0 });
    // Every series exists from the first scrape: increase() only counts growth it has seen start.
    requests.inc({ tenant: t.id, feature_enabled: 'false' }, 0);
    requests.inc({ tenant: t.id, feature_enabled: 'true' }, 0);
    errors.inc({ tenant: t.id }, 0);
    usage.inc({ tenant: t.id, feature: opts.featureKey }, 0);
  }

  let ticks = 0;
  let lastError: string | undefined;
  const readFlag = async (tenantId: string): Promise<boolean> => {
    const details = await flags.getBooleanDetails(opts.featureKey, false, { targetingKey: tenantId });
    // An unknown flag is simply off; any other failure keeps the last known state rather than
    // silently switching the feature off for the tenant.
    if (details.errorCode && details.errorCode !== 'FLAG_NOT_FOUND') {
      lastError = `flag ${opts.featureKey} for ${tenantId}: ${details.errorCode} ${details.errorMessage ?? ''}`.trim();
      return state.get(tenantId)?.featureOn ?? false;
    }
    return details.value;
  };

  const tick = async (): Promise<void> => {
    const at = new Date().toISOString();
    const flagStates = await Promise.all(opts.tenants.map((t) => readFlag(t.id)));
    const samples = opts.tenants.map((tenant, i) => {
      const featureOn = flagStates[i];
      const traffic = simulateTick({ tenant, featureOn, faults: opts.faults, tickMs, speed, usageShare, rng: rngs.get(tenant.id)! });
      requests.inc({ tenant: tenant.id, feature_enabled: String(featureOn) }, traffic.requests);
      errors.inc({ tenant: tenant.id }, traffic.errors);
      usage.inc({ tenant: tenant.id, feature: opts.featureKey }, traffic.featureUsage);
      const prev = state.get(tenant.id)!;
      state.set(tenant.id, { tenantId: tenant.id, featureOn, errorRate: traffic.errorRate, reason: traffic.reason, requests: prev.requests + traffic.requests, errors: prev.errors + traffic.errors, featureUsage: prev.featureUsage + traffic.featureUsage });
      return { tenantId: tenant.id, featureKey: opts.featureKey, requests: traffic.requests, errors: traffic.errors, featureUsage: traffic.featureUsage, at };
    });
    ticks++;
    if (opts.push) {
      await opts.push(samples).catch((err: unknown) => {
        lastError = `push failed: ${err instanceof Error ? err.message : String(err)}`;
      });
    }
  };

  // Ticks never overlap: a slow flag server delays a tick instead of piling requests up. Ticks
  // are due on a fixed grid, so the time a tick takes does not thin the simulated traffic.
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const startedAt = Date.now();
  let slot = 0;
  const schedule = (): void => {
    timer = setTimeout(() => {
      running = tick()
        .catch((err: unknown) => { lastError = `tick failed: ${err instanceof Error ? err.message : String(err)}`; })
        .finally(() => { if (!stopped) schedule(); });
    }, Math.max(0, startedAt + ++slot * tickMs - Date.now()));
  };

  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      registry.metrics().then((body) => {
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(body);
      }, (err: unknown) => {
        res.writeHead(500).end(String(err));
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('the simulator serves GET /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  schedule();

  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}/metrics`,
    status: () => ({ ticks, tenants: [...state.values()].map((s) => ({ ...s })), ...(lastError ? { lastError } : {}) }),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Each simulator gets its own OpenFeature domain, so several can run in one process (tests, demo). */
async function flagClient(opts: SimulatorOptions): Promise<Client> {
  const domain = `ringmaster-simulator-${++instances}`;
  const provider = new OFREPProvider({
    baseUrl: opts.ofrepUrl.replace(/\/+$/, ''),
    headers: opts.ofrepHeaders,
    // The provider has no timeout of its own; a hung flag server must not freeze the fleet.
    fetchImplementation: (input: Parameters<typeof fetch>[0], init?: RequestInit) => fetch(input, { ...init, signal: AbortSignal.timeout(OFREP_TIMEOUT_MS) }),
  });
  await OpenFeature.setProviderAndWait(domain, provider);
  return OpenFeature.getClient(domain);
}
