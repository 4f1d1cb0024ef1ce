import { Tenant, type TenantInput } from '../../shared/model/tenant';
import { Feature, type FeatureInput } from '../../shared/model/feature';

/** Hand-written tenants and features for the risk, readiness and monitoring tests. */

export const asOf = '2026-03-02T09:00:00Z';

export const approvalRouting: Feature = Feature.parse({
  key: 'approval-routing-v2',
  name: 'Approval routing v2',
  changes: [
    { area: 'integration', description: 'Approvals sync to the CRM opportunity', touches: { integrationKinds: ['crm'], systems: ['salesforce', 'slack'], settings: ['approval_flow'] } },
    { area: 'ui', description: 'New approval inbox' },
  ],
  risk: { level: 'medium', why: 'new sync path to the CRM' },
  rollback: { complexity: 'simple', how: 'turn the flag off' },
  compatibility: { salesforce: '50.0' },
  supportContact: { name: 'Rollout desk', email: 'rollouts@example.com' },
} satisfies FeatureInput);

export function feature(overrides: Partial<FeatureInput>): Feature {
  return Feature.parse({ ...approvalRouting, ...overrides });
}

export function tenant(input: Partial<TenantInput> & { id: string }): Tenant {
  return Tenant.parse({ name: input.id, users: 100, ...input });
}

export const smallco = tenant({
  id: 'smallco', name: 'Smallco Bakeries', users: 40, health: 90,
  integrations: [{ kind: 'chat', system: 'slack' }],
  contacts: [{ role: 'admin', name: 'Jo Baker', email: 'jo@smallco.example' }],
});

export const acme = tenant({
  id: 'acme', name: 'Acme Corp', users: 2000, sla: 'platinum', health: 78,
  integrations: [
    { kind: 'crm', system: 'salesforce', version: '52.0' },
    { kind: 'sso', system: 'okta' },
    { kind: 'chat', system: 'slack' },
    { kind: 'webhooks', system: 'zapier' },
  ],
  customizations: [{ kind: 'setting', key: 'approval_flow' }, { kind: 'script', key: 'lead_router' }],
  contract: { arr: 1_200_000, renewalDate: '2026-05-01T00:00:00Z' },
  openTickets: [{ id: 'T-301', severity: 'P3', opened: '2026-02-20', subject: 'Export slow' }],
  strategic: { anchor: true },
  contacts: [{ role: 'technical', name: 'Wei Chen' }, { role: 'csm', name: 'Ana Ruiz' }],
  baseline: { errorRate: 0.003, requestsPerMinute: 900 },
});

export const globex = tenant({
  id: 'globex', name: 'Globex', users: 800, health: 35, sla: 'gold',
  integrations: [{ kind: 'crm', system: 'salesforce', version: '48.0' }, { kind: 'erp', system: 'sap', version: '7.5' }],
  contract: { arr: 300_000, renewalDate: '2026-03-20T00:00:00Z' },
  openTickets: [
    { id: 'T-88', severity: 'P1', opened: '2026-02-27', subject: 'Sync outage' },
    { id: 'T-90', severity: 'P2', opened: '2026-02-28', subject: 'Slow reports' },
  ],
  freezeWindows: [
    { start: '2026-02-20', end: '2026-03-20', reason: 'quarter-end close' },
    { start: '2026-03-18', end: '2026-04-10', reason: 'ERP migration' },
  ],
  contacts: [{ role: 'business', name: 'Hank Scorpio' }],
});

export const mercy = tenant({
  id: 'mercy', name: 'Mercy Health', users: 5000, sla: { uptimePercent: 99.95 }, health: 65,
  integrations: [{ kind: 'crm', system: 'salesforce', version: '51.2' }, { kind: 'data-warehouse', system: 'snowflake' }],
  customizations: [{ kind: 'field', key: 'patient_ref' }],
  regulated: { industry: 'healthcare', regimes: ['HIPAA', 'SOC2'] },
  contract: { arr: 900_000 },
  strategic: { executiveEscalation: true },
  contacts: [{ role: 'admin', name: 'Dr. Ames' }],
  baseline: { errorRate: 0.002, requestsPerMinute: 400 },
});

export const firstbank = tenant({
  id: 'firstbank', name: 'First Bank', users: 3000, sla: 'gold', health: 70,
  regulated: { industry: 'finance', regimes: ['SOX', 'PCI-DSS'] },
  strategic: { anchor: true },
  contacts: [{ role: 'admin', name: 'Pat Lee' }],
});

export const euretail = tenant({
  id: 'euretail', name: 'EU Retail GmbH', users: 600, sla: 'standard', health: 60,
  regulated: { regimes: ['GDPR'] },
  integrations: [{ kind: 'erp', system: 'sap', version: '7.5' }],
  contacts: [{ role: 'technical', name: 'Lena Vogt' }],
});
