/**
 * The narrow interfaces the activities use to touch the world. Each has an embedded default
 * (SQLite, built-in flag store, posted metrics, templates) and a real system where users have
 * one (webhook flag provider, Prometheus, an OpenAI-compatible LLM, Slack/SMTP delivery).
 */
import type { Feature } from '../shared/model/feature';
import type { Tenant } from '../shared/model/tenant';
import type { Plan, RiskAdjustment } from '../shared/model/plan';
import type { InvalidStoredFeature, InvalidStoredTenant } from './store/records';

export interface FlagChange {
  featureKey: string;
  tenantId: string;
  enabled: boolean;
  rolloutId: string;
  /** Who or what changed it: 'rollout:<id>', 'user:<name>'. */
  actor: string;
  reason: string;
  /** rollout + tenant + action (+ attempt-independent); the same key is applied at most once. */
  idempotencyKey: string;
}

export interface FlagProvider {
  /** Applies the change unless its idempotency key was already applied; says which. */
  apply(change: FlagChange): Promise<{ applied: boolean }>;
  isEnabled(featureKey: string, tenantId: string): Promise<boolean>;
}

export interface TenantSample {
  tenantId: string;
  requests: number;
  errors: number;
  /** errors / requests, 0 when there were no requests. */
  errorRate: number;
  featureUsage: number;
  /** End of the sampled interval (ISO). */
  at: string;
}

export interface MetricsProvider {
  /** Per-tenant counts over the last `windowSeconds`. Tenants without data are omitted. */
  sample(req: { featureKey: string; tenantIds: string[]; windowSeconds: number }): Promise<TenantSample[]>;
}

export interface Notice {
  id: string;
  rolloutId: string;
  waveId: string;
  tenantId: string;
  locale: 'en' | 'zh-CN';
  subject: string;
  markdown: string;
  text: string;
  /** Which path produced the text. */
  source: 'template' | 'llm';
  /** Why the LLM text was not used, when it was tried. */
  fallbackReason?: string;
  status: 'draft' | 'approved' | 'sent';
  createdAt: string;
  updatedAt: string;
  /** When the tenant was told: only a sent notice counts for the notice lead time. */
  sentAt?: string;
}

/** Stored per rollout: the two reports, each wave's full outcome and monitoring samples, and audit segments of earlier runs. */
export type ReportKind = 'health' | 'retrospective' | `wave:${string}` | `wave:${string}:monitor` | `audit:${number}`;

/** Stored tenants that validate, and those that no longer do (each with its problems and fix). */
export interface StoredTenants {
  tenants: Tenant[];
  invalid: InvalidStoredTenant[];
}

/** Stored features that validate, and those that no longer do (each with its problems and fix). */
export interface StoredFeatures {
  features: Feature[];
  invalid: InvalidStoredFeature[];
}

export interface RolloutStore {
  putTenants(tenants: Tenant[]): Promise<void>;
  /**
   * Throws InvalidStoredTenantsError, naming every tenant, field and fix, when a stored tenant no
   * longer validates (saved before a stricter check); readTenants returns those separately.
   */
  getTenants(ids?: string[]): Promise<Tenant[]>;
  readTenants(ids?: string[]): Promise<StoredTenants>;
  putFeature(feature: Feature): Promise<void>;
  /**
   * Throws InvalidStoredFeaturesError, naming the key, fields and fix, when the stored feature no
   * longer validates (saved before a stricter check); readFeatures returns those separately.
   */
  getFeature(key: string): Promise<Feature | undefined>;
  readFeatures(keys?: string[]): Promise<StoredFeatures>;
  putPlan(rolloutId: string, plan: Plan): Promise<void>;
  getPlan(rolloutId: string): Promise<Plan | undefined>;
  putNotice(notice: Notice): Promise<void>;
  listNotices(filter: { rolloutId?: string; tenantId?: string; waveId?: string }): Promise<Notice[]>;
  putReport(rolloutId: string, kind: ReportKind, report: unknown): Promise<void>;
  getReport(rolloutId: string, kind: ReportKind): Promise<unknown | undefined>;
  addRiskAdjustments(adjustments: RiskAdjustment[]): Promise<void>;
  getRiskAdjustments(tenantIds?: string[]): Promise<RiskAdjustment[]>;
}
