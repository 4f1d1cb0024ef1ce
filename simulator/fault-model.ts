/**
 * The fleet simulator's fault model: which tenants break once the feature is on, how often, and
 * why. Pure and seeded, so a demo or test run can be replayed request for request.
 */
import { seeded, type Random } from '../shared/random';
import { z } from 'zod';
import type { Tenant } from '../shared/model/tenant';
import { compareVersions } from '../shared/risk/version';

const ErrorRate = z.number().min(0).max(1);

export const Fault = z.discriminatedUnion('kind', [
  z.strictObject({
    /** Tenants whose connector for `system` is older than `below` (a dotted version). */
    kind: z.literal('integration-version'),
    system: z.string().min(1),
    below: z.string().regex(/^v?\d+(\.\d+)*$/, 'expected a dotted version such as 50.0'),
    errorRate: ErrorRate,
  }),
  z.strictObject({
    /** Tenants that carry a customization (setting, script or field) with this key. */
    kind: z.literal('customization'),
    key: z.string().min(1),
    errorRate: ErrorRate,
  }),
]);
export type Fault = z.infer<typeof Fault>;
export const Faults = z.array(Fault);

export interface FaultMatch {
  fault: Fault;
  /** Plain words, e.g. 'salesforce integration 48.0 is below 50.0'. */
  reason: string;
}

/**
 * The faults that hit this tenant once the feature is on. An integration without a known version
 * is not matched: the simulator models what is known about a tenant, not a guess.
 */
export function matchFaults(tenant: Tenant, faults: readonly Fault[]): FaultMatch[] {
  return faults.flatMap((fault): FaultMatch[] => {
    if (fault.kind === 'integration-version') {
      const system = fault.system.toLowerCase();
      const hit = tenant.integrations.find((i) => i.system.toLowerCase() === system && i.version !== undefined && compareVersions(i.version, fault.below) === -1);
      return hit ? [{ fault, reason: `${hit.system} integration ${hit.version} is below ${fault.below}` }] : [];
    }
    const hit = tenant.customizations.find((c) => c.key === fault.key);
    return hit ? [{ fault, reason: `has the ${hit.kind} customization ${hit.key}` }] : [];
  });
}

export interface ErrorRateVerdict {
  errorRate: number;
  reason: string;
}

/** The tenant's true error rate this tick: the worst matching fault while the feature is on, else its baseline. */
export function effectiveErrorRate(tenant: Tenant, featureOn: boolean, faults: readonly Fault[]): ErrorRateVerdict {
  const baseline = { errorRate: tenant.baseline.errorRate, reason: `baseline error rate ${percent(tenant.baseline.errorRate)}` };
  if (!featureOn) return { ...baseline, reason: `${baseline.reason} (feature off)` };
  const worst = matchFaults(tenant, faults).reduce<FaultMatch | undefined>((w, m) => (!w || m.fault.errorRate > w.fault.errorRate ? m : w), undefined);
  if (!worst || worst.fault.errorRate <= tenant.baseline.errorRate) return { ...baseline, reason: `${baseline.reason} (feature on, no fault applies)` };
  return { errorRate: worst.fault.errorRate, reason: `feature on and ${worst.reason}: errors at ${percent(worst.fault.errorRate)}` };
}

export type Rng = Random;

/** Seeded traffic noise: the same seed replays the same run. */
export const seededRng = seeded;

/** One stream per tenant, so a tenant's traffic does not change when others join or leave the fleet. */
export function tenantRng(seed: number, tenantId: string): Rng {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < tenantId.length; i++) h = Math.imul(h ^ tenantId.charCodeAt(i), 16777619);
  return seededRng(h);
}

export interface TrafficParams {
  tenant: Tenant;
  featureOn: boolean;
  faults: readonly Fault[];
  tickMs: number;
  /** Multiplies the tenant's requestsPerMinute, so a demo sees enough requests in seconds. */
  speed: number;
  /** Share of requests that use the feature while it is on. */
  usageShare: number;
  rng: Rng;
}

export interface TickTraffic {
  requests: number;
  errors: number;
  featureUsage: number;
  errorRate: number;
  reason: string;
}

/** Requests arrive as a Poisson process; each fails, or uses the feature, independently. */
export function simulateTick(p: TrafficParams): TickTraffic {
  const verdict = effectiveErrorRate(p.tenant, p.featureOn, p.faults);
  const requests = poisson(p.rng, (p.tenant.baseline.requestsPerMinute * p.speed * p.tickMs) / 60_000);
  const errors = binomial(p.rng, requests, verdict.errorRate);
  const featureUsage = p.featureOn ? binomial(p.rng, requests, p.usageShare) : 0;
  return { requests, errors, featureUsage, ...verdict };
}

// Exact draws for small counts; normal approximations above, where they are indistinguishable
// and the exact loops would cost one random number per request.
const EXACT_LIMIT = 60;

export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > EXACT_LIMIT) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(rng)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let prod = rng(); prod > limit; prod *= rng()) k++;
  return k;
}

export function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n > EXACT_LIMIT) {
    const drawn = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * normal(rng));
    return Math.min(n, Math.max(0, drawn));
  }
  let k = 0;
  for (let i = 0; i < n; i++) if (rng() < p) k++;
  return k;
}

function normal(rng: Rng): number {
  const u = 1 - rng(); // (0, 1]: log(0) would be -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(2))} %`;
}
