/**
 * A realistic finished rollout for the report tests: fourteen tenants in four waves of
 * "Smart Sync" (touches Salesforce, SAP and the approval flow). Profiles, thresholds and the
 * rollback reason come from the real scoring, threshold and decision-tree code.
 */
import { Feature, type FeatureInput } from '../../shared/model/feature';
import { Plan, type Stage, type Wave } from '../../shared/model/plan';
import type { AuditEntry, TenantOutcome, WaveOutcome } from '../../shared/model/rollout';
import { Tenant, type TenantInput } from '../../shared/model/tenant';
import { defaultRiskConfig, type RiskConfig } from '../../shared/risk/config';
import { scoreTenant } from '../../shared/risk/score';
import { tenantTouches } from '../../shared/risk/touch';
import { thresholdsFor } from '../../shared/monitoring/thresholds';
import { evaluateSamples } from '../../shared/monitoring/decision';
import type { HealthInput, HealthSample } from '../../shared/report/health';

export const ROLLOUT = 'smart-sync-2026-03';
export const AS_OF = '2026-03-01T12:00:00Z';

export const feature: Feature = Feature.parse({
  key: 'smart-sync',
  name: 'Smart Sync',
  summary: 'Two-way record sync with CRM and ERP, with approval-flow hooks',
  changes: [
    { area: 'integration', description: 'New sync engine for Salesforce and SAP', touches: { systems: ['salesforce', 'sap'] } },
    { area: 'config', description: 'Approval flow triggers on synced records', touches: { settings: ['approval_flow'] } },
  ],
  risk: { level: 'medium', why: 'new sync engine for two external systems' },
  rollback: { complexity: 'simple', how: 'switch the smart-sync flag off' },
  supportContact: { name: 'Platform support', email: 'support@ringmaster.example' },
} satisfies FeatureInput);

const sf = (version = '3.2') => ({ kind: 'crm' as const, system: 'salesforce', version });
const sap = { kind: 'erp' as const, system: 'sap', version: '2023' };
const okta = { kind: 'sso' as const, system: 'okta' };
const slack = { kind: 'chat' as const, system: 'slack' };
const approval = { kind: 'setting' as const, key: 'approval_flow' };

const inputs: (TenantInput & { stage: Stage })[] = [
  { stage: 'pilot', id: 'ringmaster-internal', name: 'Ringmaster Internal', users: 120, internal: true, customizations: [approval], health: 95 },
  { stage: 'pilot', id: 'northwind-beta', name: 'Northwind Beta', users: 80, betaOptIn: true, integrations: [sf()], health: 90 },
  { stage: 'low', id: 'acme-logistics', name: 'Acme Logistics', users: 300, integrations: [sf(), slack], health: 85, baseline: { errorRate: 0.004, requestsPerMinute: 150 } },
  { stage: 'low', id: 'bluebird-dental', name: 'Bluebird Dental', users: 150, integrations: [okta], health: 88, baseline: { errorRate: 0.003, requestsPerMinute: 80 } },
  { stage: 'low', id: 'cedar-retail', name: 'Cedar Retail', users: 400, integrations: [slack], health: 82, baseline: { errorRate: 0.005, requestsPerMinute: 200 } },
  { stage: 'low', id: 'dune-analytics', name: 'Dune Analytics', users: 220, integrations: [okta], health: 86, baseline: { errorRate: 0.004, requestsPerMinute: 120 } },
  { stage: 'low', id: 'evergreen-schools', name: 'Evergreen Schools', users: 500, integrations: [okta], health: 90, baseline: { errorRate: 0.003, requestsPerMinute: 250 } },
  { stage: 'low', id: 'fjord-travel', name: 'Fjord Travel', users: 180, integrations: [sf('2.1')], health: 84, baseline: { errorRate: 0.006, requestsPerMinute: 120 } },
  { stage: 'medium', id: 'granite-insurance', name: 'Granite Insurance', users: 900, sla: 'gold', integrations: [sf(), okta, slack], customizations: [approval], health: 70, regulated: { industry: 'finance', regimes: [] } },
  { stage: 'medium', id: 'harbor-freight', name: 'Harbor Freight Co', users: 700, sla: 'gold', integrations: [sf(), slack, okta], customizations: [approval, { kind: 'script', key: 'route_pricing' }], health: 72 },
  { stage: 'medium', id: 'iris-media', name: 'Iris Media', users: 650, sla: 'gold', integrations: [sf(), okta], customizations: [approval, { kind: 'field', key: 'campaign_code' }], health: 65 },
  { stage: 'medium', id: 'juniper-labs', name: 'Juniper Labs', users: 800, sla: 'gold', integrations: [sf(), okta, slack], customizations: [approval, { kind: 'setting', key: 'lab_mode' }], health: 68 },
  { stage: 'high', id: 'keystone-bank', name: 'Keystone Bank', users: 5000, sla: 'platinum', integrations: [sf(), sap, okta], customizations: [approval, { kind: 'script', key: 'ledger_hook' }], health: 60, strategic: { anchor: true }, regulated: { industry: 'finance', regimes: ['SOX'] }, contract: { arr: 2_000_000 } },
  { stage: 'high', id: 'lumen-energy', name: 'Lumen Energy', users: 3200, sla: 'platinum', integrations: [sap, sf(), { kind: 'data-warehouse', system: 'snowflake' }], customizations: [approval, { kind: 'script', key: 'meter_rollup' }], health: 48, strategic: { executiveEscalation: true }, regulated: { industry: 'other', regimes: ['SOC2', 'GDPR'] }, contract: { arr: 1_200_000, renewalDate: '2026-05-15' } },
];

export const tenants: Tenant[] = inputs.map(({ stage: _stage, ...t }) => Tenant.parse(t));
export const tenant = (id: string): Tenant => tenants.find((t) => t.id === id)!;
const stageOf = new Map(inputs.map((t) => [t.id, t.stage]));

/** Tier cut-offs pinned, so a recalibration of the defaults does not reshuffle this fleet's waves. */
export const riskConfig: RiskConfig = { ...defaultRiskConfig, tiers: { medium: 25, high: 45 } };

const profiles = tenants.map((t) => scoreTenant(t, feature, { asOf: AS_OF, config: riskConfig }));
const tierOf = (id: string) => profiles.find((p) => p.tenantId === id)!.scoreTier;

const waveTimes: Record<Stage, { id: string; name: string; start: string; end: string }> = {
  pilot: { id: 'w1', name: 'Pilot: internal and beta', start: '2026-03-02T09:00:00.000Z', end: '2026-03-03T09:00:00.000Z' },
  low: { id: 'w2', name: 'Low risk', start: '2026-03-03T09:00:00.000Z', end: '2026-03-04T09:00:00.000Z' },
  medium: { id: 'w3', name: 'Medium risk, manual checkpoint', start: '2026-03-04T09:00:00.000Z', end: '2026-03-05T09:00:00.000Z' },
  high: { id: 'w4', name: 'High risk, per-tenant review', start: '2026-03-05T09:00:00.000Z', end: '2026-03-06T09:00:00.000Z' },
};

const waves: Wave[] = (['pilot', 'low', 'medium', 'high'] as const).map((stage, i) => ({
  ...waveTimes[stage],
  index: i + 1,
  stage,
  lane: 'main',
  members: tenants.filter((t) => stageOf.get(t.id) === stage).map((t) => ({
    tenantId: t.id,
    tenantName: t.name,
    tier: tierOf(t.id),
    reason: `${stage} stage`,
    covers: tenantTouches(t, feature),
    thresholds: thresholdsFor(t, feature, stage),
  })),
  approval: stage === 'high' ? 'per-tenant' : 'wave',
  manualCheckpoint: stage === 'medium',
  fourEyes: stage === 'high',
  monitoringWindowSeconds: 7200,
  sampleIntervalSeconds: 600,
  soakSeconds: 64_800,
  haltShare: 0.3,
  reason: `${stage}-risk tenants`,
}));

export const plan: Plan = Plan.parse({
  feature: { key: feature.key, name: feature.name, risk: 'medium', reversible: true },
  asOf: AS_OF,
  profiles,
  holds: [],
  waves,
  conflicts: [],
  coverage: [
    { config: 'system:salesforce', coveredBy: ['northwind-beta', 'acme-logistics', 'fjord-travel'], firstWave: 'w1', note: 'covered in w1 by Northwind Beta' },
    { config: 'system:sap', coveredBy: [], note: 'no low-risk tenant uses SAP; first seen in w4 (Keystone Bank, Lumen Energy)' },
    { config: 'setting:approval_flow', coveredBy: ['ringmaster-internal'], firstWave: 'w1', note: 'covered in w1 by Ringmaster Internal' },
  ],
  noticeLeadSeconds: 259_200,
  healthWindowSeconds: 172_800,
  decisionTimeoutSeconds: 28_800,
  timeline: { start: waveTimes.pilot.start, end: waveTimes.high.end, totalSeconds: 345_600, sequentialSeconds: 345_600 },
  warnings: [],
});

const member = (id: string) => plan.waves.flatMap((w) => w.members).find((m) => m.tenantId === id)!;

/** Fjord Travel's Salesforce 2.1 connector fails under the new sync engine: three samples at ~8 %. */
export const fjordVerdict = evaluateSamples(member('fjord-travel').thresholds, [
  { requests: 1200, errors: 96, errorRate: 0.08, at: '2026-03-03T10:10:00Z' },
  { requests: 1180, errors: 97, errorRate: 0.0822, at: '2026-03-03T10:20:00Z' },
  { requests: 1210, errors: 98, errorRate: 0.081, at: '2026-03-03T10:30:00Z' },
]);

const enabled = (id: string, at: string): TenantOutcome => ({ tenantId: id, state: 'enabled', reason: 'go; monitoring window passed', enabledAt: at });
const audit = (at: string, actor: string, action: string, detail: string, waveId: string, tenantId?: string): AuditEntry => ({ at, actor, action, detail, waveId, tenantId });

export const outcomes: WaveOutcome[] = [
  {
    waveId: 'w1', phase: 'completed', startedAt: '2026-03-02T09:00:00.000Z', endedAt: '2026-03-03T09:00:00.000Z',
    tenants: [enabled('ringmaster-internal', '2026-03-02T09:20:00.000Z'), enabled('northwind-beta', '2026-03-02T09:20:00.000Z')],
    deferred: [], enabledOrder: ['ringmaster-internal', 'northwind-beta'],
    audit: [
      audit('2026-03-02T09:05:00.000Z', 'rollout', 'decision-raised', 'Go for wave w1? (deadline 2026-03-02T17:05:00.000Z, default: hold)', 'w1'),
      audit('2026-03-02T09:15:00.000Z', 'user:dana', 'wave-go:approve', 'wave w1 approved (raised 2026-03-02T09:05:00.000Z)', 'w1'),
    ],
  },
  {
    waveId: 'w2', phase: 'completed', startedAt: '2026-03-03T09:00:00.000Z', endedAt: '2026-03-04T11:00:00.000Z',
    tenants: [
      ...['acme-logistics', 'bluebird-dental', 'cedar-retail', 'dune-analytics', 'evergreen-schools'].map((id) => enabled(id, '2026-03-03T09:40:00.000Z')),
      { tenantId: 'fjord-travel', state: 'rolled-back', reason: fjordVerdict.reason, enabledAt: '2026-03-03T09:40:00.000Z', rolledBackAt: '2026-03-03T10:31:00.000Z' },
    ],
    deferred: [], enabledOrder: ['acme-logistics', 'bluebird-dental', 'cedar-retail', 'dune-analytics', 'evergreen-schools', 'fjord-travel'],
    audit: [
      audit('2026-03-03T09:05:00.000Z', 'rollout', 'decision-raised', 'Go for wave w2? (deadline 2026-03-03T17:05:00.000Z, default: proceed)', 'w2'),
      audit('2026-03-03T09:35:00.000Z', 'user:dana', 'wave-go:approve', 'wave w2 approved (raised 2026-03-03T09:05:00.000Z)', 'w2'),
      audit('2026-03-03T10:31:00.000Z', 'rollout', 'rollback', fjordVerdict.reason, 'w2', 'fjord-travel'),
    ],
  },
  {
    waveId: 'w3', phase: 'completed', startedAt: '2026-03-04T11:00:00.000Z', endedAt: '2026-03-05T17:00:00.000Z',
    tenants: ['granite-insurance', 'harbor-freight', 'iris-media', 'juniper-labs'].map((id) => enabled(id, '2026-03-04T17:10:00.000Z')),
    deferred: [], enabledOrder: ['granite-insurance', 'harbor-freight', 'iris-media', 'juniper-labs'],
    audit: [
      audit('2026-03-04T11:00:00.000Z', 'rollout', 'decision-raised', 'Go for wave w3? (deadline 2026-03-04T19:00:00.000Z, default: hold)', 'w3'),
      audit('2026-03-04T17:00:00.000Z', 'user:dana', 'wave-go:approve', 'wave w3 approved — "after the Fjord Travel review" (raised 2026-03-04T11:00:00.000Z)', 'w3'),
    ],
  },
  {
    waveId: 'w4', phase: 'completed', startedAt: '2026-03-05T17:00:00.000Z', endedAt: '2026-03-06T19:00:00.000Z',
    tenants: [enabled('keystone-bank', '2026-03-05T18:10:00.000Z'), enabled('lumen-energy', '2026-03-05T19:10:00.000Z')],
    deferred: [], enabledOrder: ['keystone-bank', 'lumen-energy'],
    audit: [
      audit('2026-03-05T17:00:00.000Z', 'rollout', 'decision-raised', 'Go for Keystone Bank in wave w4? (deadline 2026-03-06T01:00:00.000Z, default: hold)', 'w4', 'keystone-bank'),
      audit('2026-03-05T17:00:00.000Z', 'rollout', 'decision-raised', 'Go for Lumen Energy in wave w4? (deadline 2026-03-06T01:00:00.000Z, default: hold)', 'w4', 'lumen-energy'),
      audit('2026-03-05T18:00:00.000Z', 'user:li', 'tenant-go:approve', 'tenant keystone-bank approved for wave w4 (raised 2026-03-05T17:00:00.000Z)', 'w4', 'keystone-bank'),
      audit('2026-03-05T19:00:00.000Z', 'user:li', 'tenant-go:approve', 'tenant lumen-energy approved for wave w4 (raised 2026-03-05T17:00:00.000Z)', 'w4', 'lumen-energy'),
    ],
  },
];

/** 48 h of counts after enable; usage per user near 1 except where a test says otherwise. */
function after(id: string, over: Partial<HealthSample> = {}): HealthSample {
  const t = tenant(id);
  const requests = t.baseline.requestsPerMinute * 60 * 48;
  const usage = over.featureUsage ?? Math.round(t.users * (0.9 + ((t.users * 7) % 30) / 100));
  // Real fleets are noisy: each tenant runs 95–114 % of its baseline, never exactly at it.
  const noise = 0.95 + ([...id].reduce((sum, ch) => sum + ch.charCodeAt(0), 0) % 20) / 100;
  const errorRate = over.errorRate ?? Number((t.baseline.errorRate * noise).toFixed(5));
  return { tenantId: id, requests, errors: Math.round(requests * errorRate), errorRate, featureUsage: usage, at: '2026-03-08T19:00:00.000Z', ...over };
}

export function healthInput(overrides: Partial<HealthInput> = {}): HealthInput {
  const enabledIds = (overrides.outcomes ?? outcomes).flatMap((o) => o.tenants.filter((t) => t.state === 'enabled').map((t) => t.tenantId));
  const withTicket = (t: Tenant): Tenant => (t.id !== 'iris-media' ? t : {
    ...t,
    openTickets: [...t.openTickets, { id: 'SUP-4471', severity: 'P2', opened: '2026-03-05T08:30:00Z', subject: 'Synced campaigns missing campaign_code' }],
  });
  return {
    rolloutId: ROLLOUT,
    plan,
    outcomes,
    tenantsBefore: tenants,
    tenantsAfter: tenants.map(withTicket),
    samples: enabledIds.map((id) => ({
      tenantId: id,
      after: id === 'cedar-retail' ? after(id, { featureUsage: 8 })
        : id === 'dune-analytics' ? after(id, { errorRate: 0.031 })
          : after(id),
    })),
    asOf: '2026-03-08T19:00:00.000Z',
    activationWindowSeconds: 172_800,
    ...overrides,
  };
}
