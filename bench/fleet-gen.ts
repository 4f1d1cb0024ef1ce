import type { Integration, Tenant } from '../shared/model/tenant';
import { Feature } from '../shared/model/feature';
import { seeded, type Random } from '../shared/random';

/**
 * Deterministic synthetic fleets for the benchmarks and property tests: the same seed gives the
 * same fleet. Shapes follow a B2B SaaS: mostly small standard tenants, a tail of large, heavily
 * integrated, platinum ones; a few anchors, regulated accounts, freezes and open tickets.
 */
export { seeded, type Random };

const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const REGIONS = [
  { region: 'us', zones: ['America/New_York', 'America/Chicago', 'America/Los_Angeles'] },
  { region: 'eu', zones: ['Europe/Berlin', 'Europe/London', 'Europe/Paris'] },
  { region: 'apac', zones: ['Asia/Shanghai', 'Asia/Tokyo', 'Australia/Sydney'] },
] as const;

const CATALOGUE: Integration[] = [
  { kind: 'sso', system: 'okta', version: '3.2' },
  { kind: 'sso', system: 'azure-ad', version: '2.0' },
  { kind: 'crm', system: 'salesforce', version: '58.0' },
  { kind: 'crm', system: 'hubspot', version: '3.1' },
  { kind: 'chat', system: 'slack', version: '2.4' },
  { kind: 'chat', system: 'teams', version: '1.8' },
  { kind: 'webhooks', system: 'webhooks' },
  { kind: 'api', system: 'rest-api', version: '2' },
  { kind: 'erp', system: 'sap', version: '7.5' },
  { kind: 'erp', system: 'netsuite', version: '2024.1' },
  { kind: 'data-warehouse', system: 'snowflake', version: '8.1' },
];
const SETTINGS = ['approval_flow', 'custom_routing', 'lead_scoring', 'sla_timers', 'field_masks', 'auto_assign'];

export interface FleetOptions {
  asOf: string;
  /** Share of tenants with a freeze window in the first weeks (default 0.08). */
  freezeShare?: number;
}

function generateTenant(r: Random, i: number, opts: FleetOptions): Tenant {
  const asOf = Date.parse(opts.asOf);
  const day = 86_400_000;
  const size = r();
  const users = Math.round(size < 0.6 ? 20 + r() * 200 : size < 0.9 ? 250 + r() * 2000 : 2500 + r() * 40_000);
  const big = users >= 2500;
  const place = pick(r, REGIONS);
  const nIntegrations = Math.min(CATALOGUE.length, Math.floor(r() * (big ? 7 : 4)));
  const integrations: Integration[] = [];
  const systems = new Set<string>();
  for (let k = 0; k < nIntegrations; k++) {
    // ERPs and warehouses mostly live at the big end of the fleet.
    const it = pick(r, CATALOGUE);
    if ((it.kind === 'erp' || it.kind === 'data-warehouse') && !big && r() < 0.8) continue;
    if (!systems.has(it.system)) { systems.add(it.system); integrations.push({ ...it }); }
  }
  const nCustom = Math.floor(r() * (big ? 6 : 3));
  const keys = new Set<string>();
  for (let k = 0; k < nCustom; k++) keys.add(pick(r, SETTINGS));
  const slaRoll = r();
  const sla = big ? (slaRoll < 0.5 ? 'platinum' : slaRoll < 0.85 ? 'gold' : 'standard') : slaRoll < 0.05 ? 'platinum' : slaRoll < 0.2 ? 'gold' : 'standard';
  const regulated = r() < 0.08;
  const freeze = r() < (opts.freezeShare ?? 0.08);
  const freezeStart = asOf + Math.floor(r() * 20) * day;
  const renewal = r() < 0.3 ? new Date(asOf + Math.floor(r() * 365) * day).toISOString() : undefined;
  const ticketRoll = r();
  const id = `t${String(i).padStart(6, '0')}`;
  // Internal tenants are our own staging and dogfood accounts: no contract, no SLA to breach.
  const internal = r() < 0.01;
  return {
    id,
    name: `Tenant ${i}`,
    users,
    region: place.region,
    timeZone: pick(r, place.zones),
    locale: place.region === 'apac' && r() < 0.5 ? 'zh-CN' : 'en',
    internal,
    betaOptIn: r() < 0.05,
    integrations,
    customizations: [...keys].map((key) => ({ kind: r() < 0.2 ? 'script' : 'setting', key })),
    sla: internal ? 'standard' : sla,
    contract: { arr: Math.round(users * (50 + r() * 200)), ...(renewal ? { renewalDate: renewal } : {}) },
    health: Math.round(r() < 0.04 ? 20 + r() * 20 : 45 + r() * 55),
    openTickets: ticketRoll < 0.02
      ? [{ id: `${id}-p1`, severity: 'P1', opened: new Date(asOf - 2 * day).toISOString(), subject: 'outage' }]
      : ticketRoll < 0.2 ? [{ id: `${id}-p3`, severity: 'P3', opened: new Date(asOf - 9 * day).toISOString(), subject: 'question' }] : [],
    strategic: { anchor: !internal && big && r() < 0.06, executiveEscalation: !internal && r() < 0.01 },
    regulated: regulated ? { industry: pick(r, ['finance', 'healthcare', 'public-sector'] as const), regimes: [pick(r, ['SOX', 'HIPAA', 'GDPR'] as const)] } : { regimes: [] },
    freezeWindows: freeze ? [{ start: new Date(freezeStart).toISOString(), end: new Date(freezeStart + (2 + Math.floor(r() * 5)) * day).toISOString(), reason: 'quarter-end close' }] : [],
    contacts: r() < 0.95 ? [{ role: 'admin', name: `Admin ${i}`, email: `admin${i}@example.com` }] : [],
    baseline: { errorRate: Math.round((0.001 + r() * 0.01) * 10_000) / 10_000, requestsPerMinute: Math.round(users * (0.5 + r() * 2)) },
  };
}

export function generateFleet(n: number, seed: number, opts: FleetOptions): Tenant[] {
  const r = seeded(seed);
  return Array.from({ length: n }, (_, i) => generateTenant(r, i + 1, opts));
}

/** A feature touching a CRM sync, Slack notices and the approval_flow setting, like smart routing. */
export function benchFeature(overrides: Partial<Feature> = {}): Feature {
  return Feature.parse({
    key: 'smart-routing',
    name: 'Smart routing',
    changes: [
      { area: 'integration', description: 'routes leads through the CRM sync', touches: { integrationKinds: ['crm'], systems: ['salesforce'] } },
      { area: 'config', description: 'new routing rules', touches: { systems: ['slack'], settings: ['approval_flow'] } },
    ],
    risk: { level: 'medium', why: 'changes the CRM sync path' },
    rollback: { complexity: 'simple', how: 'flag off' },
    supportContact: { name: 'Routing team' },
    ...overrides,
  });
}
