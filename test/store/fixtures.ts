import { Feature } from '../../shared/model/feature';
import type { RiskProfile } from '../../shared/model/plan';
import { Tenant } from '../../shared/model/tenant';
import type { Notice } from '../../activities/ports';

export const northwind = Tenant.parse({
  id: 'northwind-health',
  name: 'Northwind Health',
  users: 4200,
  region: 'us',
  timeZone: 'America/Chicago',
  sla: 'platinum',
  integrations: [{ kind: 'sso', system: 'okta' }, { kind: 'crm', system: 'salesforce', version: '52.0' }],
  regulated: { industry: 'healthcare', regimes: ['HIPAA'] },
  strategic: { anchor: true },
  contacts: [{ role: 'admin', name: 'Dana Whitfield', email: 'dana@northwind.example' }],
});

export const lotus = Tenant.parse({
  id: 'lotus-retail',
  name: 'Lotus Retail 莲花',
  users: 800,
  region: 'apac',
  timeZone: 'Asia/Shanghai',
  locale: 'zh-CN',
  integrations: [{ kind: 'chat', system: 'slack' }],
  contacts: [{ role: 'technical', name: 'Wei Zhang' }],
});

export const fabrikam = Tenant.parse({
  id: 'fabrikam',
  name: 'Fabrikam Manufacturing',
  users: 1500,
  region: 'eu',
  timeZone: 'Europe/Berlin',
  sla: 'gold',
  integrations: [{ kind: 'erp', system: 'sap', version: '2.3' }],
  customizations: [{ kind: 'script', key: 'approval_flow' }],
  openTickets: [{ id: 'T-881', severity: 'P2', opened: '2026-11-20' }],
});

export const smartExport = Feature.parse({
  key: 'smart-export',
  name: 'Smart export',
  changes: [{ area: 'integration', description: 'Exports reach the CRM through the new bulk API', touches: { integrationKinds: ['crm'], systems: ['salesforce'] } }],
  risk: { level: 'medium', why: 'touches the CRM sync path' },
  rollback: { complexity: 'simple', how: 'turn the flag off' },
  supportContact: { name: 'Release desk', email: 'release@ringmaster.example' },
});

export function profile(tenantId: string, tenantName: string, score: number, tier: RiskProfile['tier']): RiskProfile {
  const scoreTier = tier === 'hold' ? 'high' : tier;
  return {
    tenantId, tenantName, score, scoreTier, tier,
    factors: [{ factor: 'sla', weight: 20, value: score / 100, points: score / 5, reason: 'SLA sensitivity from the contract' }],
    summary: `${tenantName}: ${tier} risk (score ${score})`,
    holds: tier === 'hold' ? [{ rule: 'open-p1', reason: 'open P1 ticket T-1', release: 'close ticket T-1 (P1)' }] : [],
  };
}

export function notice(id: string, tenantId: string, overrides: Partial<Notice> = {}): Notice {
  return {
    id, rolloutId: 'r-smart-export-1', waveId: 'w2', tenantId, locale: 'en',
    subject: 'Smart export arrives on 12 December', markdown: '**Smart export** arrives.', text: 'Smart export arrives.',
    source: 'template', status: 'draft', createdAt: '2026-12-01T09:00:00.000Z', updatedAt: '2026-12-01T09:00:00.000Z',
    ...overrides,
  };
}
