import { Feature } from '../../shared/model/feature';
import { Tenant } from '../../shared/model/tenant';
import { knownSystems } from '../../shared/notices/systems';

/** A feature that touches CRM, chat and one setting, with steps for each, and one change for all. */
export const approvalsV2 = Feature.parse({
  key: 'approvals-v2',
  name: 'Approvals v2',
  summary: 'Faster multi-step approvals with a shared inbox.',
  changes: [
    { area: 'integration', description: 'Approved quotes update the opportunity stage in your CRM instead of adding a note', touches: { systems: ['salesforce', 'hubspot'] } },
    { area: 'integration', description: 'Approval requests arrive as interactive chat messages', touches: { systems: ['slack', 'microsoft-teams'] } },
    { area: 'config', description: "The approval flow gains a 'parallel' mode; existing flows keep their order", touches: { settings: ['approval_flow'] } },
    { area: 'ui', description: 'A new approvals inbox appears in the web app' },
  ],
  risk: { level: 'medium', why: 'writes to customer CRMs' },
  rollback: { complexity: 'simple', how: 'Disable the approvals-v2 flag for the tenant; queued approvals fall back to the classic flow.', reversible: true },
  preparationSteps: [
    { step: "Grant the integration user 'Edit' on Opportunity.StageName in Salesforce", appliesTo: { systems: ['salesforce'] } },
    { step: 'Reinstall the Slack app from the admin console to accept the chat:write scope', appliesTo: { systems: ['slack'] } },
    { step: 'Review custom approval flow scripts for hard-coded step numbers', appliesTo: { settings: ['approval_flow'] } },
    { step: 'Tell your approvers about the new inbox' },
  ],
  supportContact: { name: 'Rollout Desk', email: 'rollouts@vendor.example', channel: '#rollout-help' },
});

export const acme = Tenant.parse({
  id: 'acme',
  name: 'Acme Logistics',
  users: 1800,
  timeZone: 'America/New_York',
  integrations: [{ kind: 'crm', system: 'salesforce', version: '52.0' }, { kind: 'sso', system: 'okta' }],
  customizations: [{ kind: 'setting', key: 'approval_flow' }],
  sla: 'gold',
  contacts: [
    { role: 'admin', name: 'Dana Whitfield', email: 'dana.whitfield@acme.example' },
    { role: 'csm', name: 'Priya Raman', email: 'priya.raman@vendor.example' },
  ],
});

export const lotus = Tenant.parse({
  id: 'lotus',
  name: '莲花制造',
  users: 950,
  region: 'cn',
  timeZone: 'Asia/Shanghai',
  locale: 'zh-CN',
  integrations: [{ kind: 'chat', system: 'microsoft-teams' }, { kind: 'erp', system: 'sap', version: '7.5' }],
  contacts: [{ role: 'admin', name: '王芳', email: 'wang.fang@lotus.example', phone: '+86 21 5555 0100' }],
});

export const borealis = Tenant.parse({
  id: 'borealis',
  name: 'Borealis Health',
  users: 400,
  region: 'eu',
  timeZone: 'Europe/Berlin',
  integrations: [{ kind: 'chat', system: 'slack' }, { kind: 'crm', system: 'hubspot' }],
  contacts: [{ role: 'technical', name: 'Jonas Keller', email: 'jonas.keller@borealis.example' }],
});

/** 14:00–16:00 UTC: morning in New York, afternoon in Berlin, past midnight's edge in Shanghai. */
export const wave2 = { id: 'w2', start: '2026-12-08T14:00:00Z', end: '2026-12-08T16:00:00Z', monitoringWindowSeconds: 7200 };

/** Every integration system the fleet knows: what the fact check holds a notice against. */
export const fleetSystems = knownSystems([acme, lotus, borealis]);
