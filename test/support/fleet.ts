import { Tenant, type TenantInput } from '../../shared/model/tenant';
import { Feature, type FeatureInput } from '../../shared/model/feature';

/** A small realistic fleet that yields one wave per stage: pilot, low, medium, high. */
export function tenant(input: Partial<TenantInput> & { id: string }): Tenant {
  return Tenant.parse({
    name: input.id.replace(/(^|-)(\w)/g, (_m, s, c) => `${s ? ' ' : ''}${c.toUpperCase()}`),
    users: 300,
    region: 'us',
    timeZone: 'America/New_York',
    health: 85,
    contacts: [{ role: 'admin', name: 'Pat Admin', email: `admin@${input.id}.example` }],
    baseline: { errorRate: 0.004, requestsPerMinute: 200 },
    ...input,
  });
}

export function smallFleet(): Tenant[] {
  return [
    tenant({ id: 'ringmaster-internal', internal: true, users: 40 }),
    tenant({ id: 'bluebird-labs', betaOptIn: true, integrations: [{ kind: 'chat', system: 'slack' }] }),
    tenant({ id: 'acorn-dental', integrations: [{ kind: 'chat', system: 'slack' }] }),
    tenant({ id: 'harbor-freight-co', users: 900, integrations: [{ kind: 'crm', system: 'salesforce', version: '52.0' }, { kind: 'chat', system: 'slack' }], customizations: [{ kind: 'setting', key: 'approval_flow' }], sla: 'gold' }),
    tenant({ id: 'northwind-bank', users: 4000, sla: 'platinum', strategic: { anchor: true, executiveEscalation: false },
      regulated: { industry: 'finance', regimes: ['SOX'] },
      integrations: [{ kind: 'crm', system: 'salesforce', version: '55.0' }, { kind: 'sso', system: 'okta' }, { kind: 'webhooks', system: 'webhooks' }, { kind: 'erp', system: 'sap', version: '2.1' }],
      customizations: [{ kind: 'setting', key: 'approval_flow' }, { kind: 'script', key: 'ledger_sync' }, { kind: 'field', key: 'cost_center' }],
      openTickets: [{ id: 'T-77', severity: 'P3', opened: '2026-11-28T10:00:00Z', subject: 'Export slow' }] }),
  ];
}

export function feature(input: Partial<FeatureInput> = {}): Feature {
  return Feature.parse({
    key: 'smart-routing',
    name: 'Smart approval routing',
    summary: 'Routes approvals to the right approver using CRM ownership.',
    changes: [
      { area: 'ui', description: 'New routing panel in approval settings' },
      { area: 'integration', description: 'Reads account owners from the CRM', touches: { integrationKinds: ['crm'], systems: ['salesforce'] } },
      { area: 'integration', description: 'Posts routing updates to chat', touches: { systems: ['slack'], settings: ['approval_flow'] } },
    ],
    risk: { level: 'medium', why: 'touches CRM sync' },
    rollback: { complexity: 'simple', how: 'flag flip', reversible: true },
    compatibility: { salesforce: '50.0' },
    supportContact: { name: 'Rollout desk', email: 'rollouts@ringmaster.example' },
    ...input,
  });
}

/** Seconds instead of hours, so the real workflow runs in a test. */
export const fastDurations = {
  soakSeconds: 1, monitoringWindowSeconds: 3, sampleIntervalSeconds: 1, noticeLeadSeconds: 0, healthWindowSeconds: 1, decisionTimeoutSeconds: 60,
};
