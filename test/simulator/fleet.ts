/** A small, realistic fleet shared by the simulator and metrics tests. */
import { Tenant, type TenantInput } from '../../shared/model/tenant';
import type { Fault } from '../../simulator/fault-model';

const inputs: TenantInput[] = [
  {
    id: 'northwind-bank', name: 'Northwind Bank', users: 4200, sla: 'platinum', timeZone: 'America/New_York',
    integrations: [{ kind: 'crm', system: 'salesforce', version: '48.0' }, { kind: 'sso', system: 'okta' }],
    baseline: { errorRate: 0.004, requestsPerMinute: 240 },
  },
  {
    id: 'acme.eu', name: 'Acme Europe', users: 900, sla: 'gold', timeZone: 'Europe/Berlin',
    integrations: [{ kind: 'crm', system: 'salesforce', version: '52.0' }],
    baseline: { errorRate: 0.006, requestsPerMinute: 180 },
  },
  {
    // Differs from acme.eu only where the regex dot would match anything: proves the escaping.
    id: 'acmexeu', name: 'Acme X EU', users: 120,
    integrations: [{ kind: 'chat', system: 'slack' }],
    baseline: { errorRate: 0.01, requestsPerMinute: 60 },
  },
  {
    id: 'globex-health', name: 'Globex Health', users: 2600, sla: 'gold', timeZone: 'America/Chicago',
    integrations: [{ kind: 'crm', system: 'Salesforce' }, { kind: 'erp', system: 'sap', version: '7.5' }],
    customizations: [{ kind: 'script', key: 'legacy-approval-flow' }],
    baseline: { errorRate: 0.003, requestsPerMinute: 120 },
  },
];

export const fleet: Tenant[] = inputs.map((t) => Tenant.parse(t));
export const byId = (id: string): Tenant => fleet.find((t) => t.id === id)!;

export const salesforceBelow50: Fault = { kind: 'integration-version', system: 'salesforce', below: '50.0', errorRate: 0.08 };
