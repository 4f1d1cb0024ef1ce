/**
 * Request and response schemas of the API. Strict objects everywhere: an unknown field is a
 * typo the client wants to hear about, not something to drop silently.
 */
import { z } from 'zod';
import { AsOf } from '../shared/model/as-of';
import { Feature, DurationOverrides } from '../shared/model/feature';
import { Tenant } from '../shared/model/tenant';
import { RiskProfile, Tier } from '../shared/model/plan';
import { PlanConfigOverrides } from '../shared/plan/config';
import {
  AuditEntry, DecisionTimeoutOutcome, PendingDecision, RolloutPhase, RolloutSpec, RolloutStatus, TenantOutcome, WaveStatus,
} from '../shared/model/rollout';
import { NoticeRecord } from '../activities/store/records';

const TENANT_ID = /^[a-z0-9][a-z0-9._-]*$/;
const ROLLOUT_ID = RolloutSpec.shape.rolloutId;

export const TenantIdParams = z.strictObject({ id: z.string().regex(TENANT_ID, 'not a tenant id (lower-case letters, digits, dot, dash, underscore)') });
export const FeatureKeyParams = z.strictObject({ key: z.string().regex(TENANT_ID, 'not a feature key (lower-case letters, digits, dot, dash, underscore)') });
export const RolloutIdParams = z.strictObject({ id: ROLLOUT_ID });
export const WaveParams = RolloutIdParams.extend({ waveId: z.string().regex(/^[a-zA-Z0-9._-]+$/, 'not a wave id') });
export const WaveTenantParams = WaveParams.extend({ tenantId: TenantIdParams.shape.id });
export const RolloutTenantParams = RolloutIdParams.extend({ tenantId: TenantIdParams.shape.id });
export const DecisionParams = RolloutIdParams.extend({ decisionId: z.string().min(1).max(300) });
export const NoticeIdParams = z.strictObject({ noticeId: z.string().min(1).max(300) });
export const ReportParams = RolloutIdParams.extend({ kind: z.enum(['health', 'retrospective']) });

const boolFromQuery = z.enum(['true', 'false']).transform((v) => v === 'true');
const intFromQuery = (max: number) => z.string().regex(/^\d+$/, 'expected a whole number').transform(Number).pipe(z.number().int().min(0).max(max));

export const ImportQuery = z.strictObject({
  format: z.enum(['csv', 'json', 'yaml', 'table']).optional().describe('Defaults to the Content-Type, then to sniffing the text'),
  dryRun: boolFromQuery.optional().describe('true: return the parse report and save nothing'),
  mode: z.enum(['all-or-nothing', 'skip-invalid']).optional().describe('all-or-nothing (default) saves nothing when any row is bad'),
  filename: z.string().max(200).optional().describe('Original file name, used in messages and to guess the format'),
});

export const ImportReport = z.strictObject({
  ok: z.boolean(),
  dryRun: z.boolean(),
  format: z.string(),
  saved: z.number().int().describe('Tenants written to the registry (0 on a dry run)'),
  tenants: z.array(z.string()).describe('Ids of the tenants that parsed'),
  skipped: z.array(z.strictObject({ line: z.number(), id: z.string().optional(), reason: z.string() })),
  errors: z.array(z.strictObject({
    line: z.number(), column: z.string().optional(), field: z.string(), message: z.string(), expected: z.string().optional(), value: z.string().optional(),
  })),
});

export const TenantListQuery = z.strictObject({
  tier: Tier.optional(),
  region: z.string().min(1).max(100).optional(),
  q: z.string().min(1).max(200).optional(),
  limit: intFromQuery(1000).optional(),
  offset: intFromQuery(1_000_000).optional(),
});

const RiskProfileRecord = z.strictObject({ rolloutId: z.string(), at: z.string(), profile: RiskProfile });

export const TenantListing = z.strictObject({ tenant: Tenant, latest: RiskProfileRecord.optional() });
/** A stored tenant that no longer validates, as the API reports it (tenant list, 409 stored-tenant-invalid). */
export const InvalidStoredTenant = z.strictObject({
  id: z.string().describe('The tenant id'),
  issues: z.array(z.strictObject({ path: z.string().describe('Field path inside the tenant, e.g. freezeWindows[0].end'), message: z.string() })),
  fix: z.string().describe('How to repair it: re-import the tenant or PATCH the named fields'),
}).describe('A stored tenant saved before a stricter check (an impossible date, a reversed freeze window) that no longer validates');
export const TenantList = z.strictObject({
  tenants: z.array(TenantListing).describe('Tenants that validate'),
  count: z.number().int().describe('How many tenants are in `tenants`'),
  invalid: z.array(InvalidStoredTenant).describe('Stored tenants of this page that no longer validate, with what is wrong and how to fix each; they are not in `tenants`, and plans and rollouts that include them are refused with 409 stored-tenant-invalid until they are fixed'),
});
export const TenantDetail = z.strictObject({
  tenant: Tenant,
  riskProfile: RiskProfileRecord.nullable().describe('The newest risk profile, null when never scored'),
  history: z.array(RiskProfileRecord).describe('Every stored risk profile, newest first'),
});

/**
 * A patch carries only the fields it changes: defaults must not fill the rest, or a one-field
 * patch would reset every defaulted field of the tenant.
 */
function patchOf<T extends z.ZodRawShape>(shape: T, omit: readonly string[]) {
  const fields: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(shape)) {
    if (omit.includes(key)) continue;
    const field = schema as z.ZodType;
    fields[key] = (field instanceof z.ZodDefault ? (field.removeDefault() as z.ZodType) : field).optional();
  }
  return z.strictObject(fields).refine((p) => Object.keys(p).length > 0, { message: 'the patch changes nothing; send at least one field' });
}

export const TenantPatch = patchOf(Tenant.shape, ['id']);

/** A stored feature that no longer validates, as the API reports it (feature list, 409 stored-feature-invalid). */
export const InvalidStoredFeature = z.strictObject({
  key: z.string().describe('The feature key'),
  issues: z.array(z.strictObject({ path: z.string().describe('Field path inside the feature, e.g. deadline'), message: z.string() })),
  fix: z.string().describe('How to repair it: PUT the feature again with the named fields corrected'),
}).describe('A stored feature saved before a stricter check (an earliestStart after its deadline, an impossible date) that no longer validates');
export const FeatureList = z.strictObject({
  features: z.array(Feature).describe('Features that validate'),
  invalid: z.array(InvalidStoredFeature).describe('Stored features that no longer validate, with what is wrong and how to fix each; they are not in `features`, and reading, previewing or rolling one out is refused with 409 stored-feature-invalid until it is PUT again'),
});

export const PlanFormat = z.enum(['json', 'markdown', 'table']);

export const PlanPreviewBody = z.strictObject({
  featureKey: FeatureKeyParams.shape.key.optional().describe('A stored feature; or send `feature` inline'),
  feature: Feature.optional(),
  tenantIds: z.array(TenantIdParams.shape.id).min(1).max(100_000).optional().describe('Default: every tenant in the registry'),
  asOf: AsOf.optional().describe('Planning instant, as `ringmaster plan --as-of`: a date (2026-12-04, midnight UTC) or a date-time with Z or an offset; default now'),
  planConfig: PlanConfigOverrides.optional().describe('As `ringmaster plan --config`: plan config fields that differ from the defaults (objects merge, lists and values replace); `calendar` and `lanes` win over it'),
  calendar: z.enum(['auto', 'business', 'continuous']).optional().describe('As `ringmaster plan --calendar`; default auto, or the plan config\'s'),
  lanes: z.boolean().optional().describe('false: every wave one after another (as `--no-lanes`); default true, or the plan config\'s'),
  format: PlanFormat.default('json'),
}).refine((b) => (b.featureKey === undefined) !== (b.feature === undefined), { message: 'send exactly one of featureKey or feature', path: ['featureKey'] });

export const StartRolloutBody = z.strictObject({
  featureKey: RolloutSpec.shape.featureKey,
  rolloutId: ROLLOUT_ID.max(100).optional().describe('Default: <featureKey>-<UTC timestamp>'),
  tenantIds: z.array(TenantIdParams.shape.id).min(1).max(100_000).optional(),
  asOf: AsOf.optional().describe('Planning instant, as `ringmaster plan --as-of`: a date (2026-12-04, midnight UTC) or a date-time with Z or an offset; default the start'),
  requirePlanApproval: z.boolean().optional(),
  calendar: z.enum(['business', 'continuous']).optional().describe('Default business; wins over the plan config\'s calendar'),
  durations: DurationOverrides.optional(),
  onDecisionTimeout: DecisionTimeoutOutcome.optional(),
  reminderIntervalSeconds: z.number().int().positive().optional(),
  haltShare: z.number().min(0).max(1).optional(),
  planConfig: PlanConfigOverrides.optional().describe('As `ringmaster plan --config`; `calendar` and `haltShare` win over it. The full config the plan is built with goes into the workflow input'),
});

export const RolloutStarted = z.strictObject({
  rolloutId: z.string(),
  workflowId: z.string(),
  runId: z.string(),
  uiUrl: z.string().describe('The rollout in the Temporal Web UI'),
  statusUrl: z.string(),
});

export const RolloutListQuery = z.strictObject({
  status: RolloutPhase.optional(),
  feature: FeatureKeyParams.shape.key.optional(),
  limit: intFromQuery(500).optional(),
});

export const RolloutListItem = z.strictObject({
  rolloutId: z.string(),
  featureKey: z.string().nullable(),
  status: z.string().nullable().describe('RolloutStatus search attribute'),
  workflowStatus: z.string().describe('RUNNING, COMPLETED, FAILED, TERMINATED, ...'),
  startedAt: z.string(),
  closedAt: z.string().nullable(),
  uiUrl: z.string(),
});
export const RolloutList = z.strictObject({ rollouts: z.array(RolloutListItem), query: z.string() });

export const RolloutStatusView = RolloutStatus.extend({
  tenants: z.array(TenantOutcome).describe('Parent state merged with the running waves (a wave knows its tenants best)'),
  pendingDecisions: z.array(PendingDecision).describe('Of the rollout and of every running wave'),
  runningWaves: z.array(WaveStatus),
  uiUrl: z.string(),
});

export const AuditTrail = z.strictObject({ rolloutId: z.string(), entries: z.array(AuditEntry) });

export const DecisionBody = z.strictObject({ comment: z.string().max(2000).optional() });
export const RollbackDecisionBody = DecisionBody.extend({
  rollback: z.boolean().describe('true: roll the tenant back; false: keep the feature on'),
});
export const DecisionReceipt = z.strictObject({
  decisionId: z.string(), accepted: z.literal(true), by: z.string(), at: z.string(), outcome: z.string(),
});

export const ControlBody = z.strictObject({ reason: z.string().trim().min(1, 'say why (it goes into the audit trail)').max(2000) });
export const Accepted = z.strictObject({
  accepted: z.literal(true),
  rolloutId: z.string(),
  control: z.string(),
  note: z.string(),
});

export const NoticeListQuery = z.strictObject({
  waveId: z.string().min(1).max(100).optional(),
  tenantId: TenantIdParams.shape.id.optional(),
});
export const NoticeList = z.strictObject({ notices: z.array(NoticeRecord) });
export const NoticeEditBody = z.strictObject({
  subject: z.string().min(1).max(500).optional(),
  markdown: z.string().min(1).max(50_000).optional(),
  text: z.string().min(1).max(50_000).optional(),
}).refine((e) => Object.keys(e).length > 0, { message: 'send at least one of subject, markdown, text' })
  // E-mail sends the text, Slack and files the markdown: one edited alone leaves the other
  // saying the old thing to the customer.
  .refine((e) => (e.markdown === undefined) === (e.text === undefined), {
    message: 'edit markdown and text together: e-mail sends the text, Slack and the file delivery the markdown, so one alone would send the old wording',
    path: ['text'],
  });

export const MetricsAccepted = z.strictObject({ accepted: z.number().int() });

export const Health = z.strictObject({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.strictObject({ ok: z.boolean(), detail: z.string() })).optional() });
