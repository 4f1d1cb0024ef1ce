/**
 * The store interfaces callers depend on. SQLite is the embedded default; a PostgreSQL store can
 * implement the same interfaces (every method is async for that reason) without touching callers.
 * Rollout *state* lives in Temporal; this store keeps the app's own data.
 */
import type { Feature } from '../../shared/model/feature';
import type { Tenant } from '../../shared/model/tenant';
import type { RiskProfile, Tier } from '../../shared/model/plan';
import type { FlagChange, RolloutStore } from '../ports';

export type { StoredFeatures, StoredTenants } from '../ports';
import type { InvalidStoredTenant, NoticeRecord, TokenRole } from './records';

export type { InvalidStoredFeature, InvalidStoredTenant, NoticeRecord, TokenRole } from './records';

/** Risk profiles computed for a preview carry this id instead of a rollout id. */
export const PREVIEW = 'preview';

export interface RiskProfileRecord {
  /** Rollout that scored the tenant, or 'preview'. */
  rolloutId: string;
  at: string;
  profile: RiskProfile;
}

export interface TenantListing {
  tenant: Tenant;
  /** The newest risk profile, when the tenant was ever scored. */
  latest?: RiskProfileRecord;
}

/**
 * A page of the tenant list. A stored tenant that no longer validates (saved before a stricter
 * check) is not left out silently: it is listed in `invalid` with what is wrong and how to fix it.
 */
export interface TenantPage {
  tenants: TenantListing[];
  invalid: InvalidStoredTenant[];
}

export interface TenantFilter {
  /** Tier of the newest risk profile. */
  tier?: Tier;
  region?: string;
  /** Case-insensitive substring of the tenant id or name. */
  q?: string;
  limit?: number;
  offset?: number;
}

export interface NoticeEdit {
  subject?: string;
  markdown?: string;
  text?: string;
  by: string;
}

export interface TokenInfo {
  id: string;
  name: string;
  role: TokenRole;
  createdAt: string;
  revokedAt?: string;
}

export interface FlagState {
  featureKey: string;
  tenantId: string;
  enabled: boolean;
  rolloutId: string;
  actor: string;
  reason: string;
  changedAt: string;
}

export interface FlagHistoryEntry extends FlagChange {
  /** State before this change; undefined when the tenant had never been set. */
  previous?: boolean;
  at: string;
}

/** Flag state and its history: what the built-in flag provider (and the webhook mirror) keep. */
export interface FlagStore {
  /** Records the change and its history row in one transaction, unless its idempotency key is known. */
  applyFlagChange(change: FlagChange): Promise<{ applied: boolean }>;
  hasFlagChange(idempotencyKey: string): Promise<boolean>;
  getFlagState(featureKey: string, tenantId: string): Promise<FlagState | undefined>;
  /** Every flag state recorded for a tenant. */
  listFlagStates(tenantId: string): Promise<FlagState[]>;
  /** Oldest first. */
  flagHistory(featureKey: string, tenantId?: string): Promise<FlagHistoryEntry[]>;
  /** Keys of features in the store plus keys that ever had a flag change. */
  knownFlagKeys(): Promise<string[]>;
}

export interface AppStore extends RolloutStore, FlagStore {
  deleteTenant(id: string): Promise<boolean>;
  listTenants(filter?: TenantFilter): Promise<TenantPage>;
  /** A tenant's stored document as it is, valid or not (undefined when there is none): what a fix starts from. */
  getStoredTenantDocument(id: string): Promise<unknown>;
  /** A rollout (or the preview) scoring a tenant again replaces that rollout's earlier profile. */
  putRiskProfiles(rolloutId: string, profiles: RiskProfile[], at?: string): Promise<void>;
  /** Newest first. */
  getRiskProfileHistory(tenantId: string): Promise<RiskProfileRecord[]>;

  /** Throws InvalidStoredFeaturesError when a stored feature no longer validates; readFeatures() lists those apart. */
  listFeatures(): Promise<Feature[]>;
  /** A feature's stored document as it is, valid or not (undefined when there is none): what a fix starts from. */
  getStoredFeatureDocument(key: string): Promise<unknown>;

  getNotice(id: string): Promise<NoticeRecord | undefined>;
  listNotices(filter: { rolloutId?: string; tenantId?: string; waveId?: string }): Promise<NoticeRecord[]>;
  /**
   * Review steps resolve to undefined for an unknown notice and throw NoticeStateError when the
   * status forbids the step (a sent notice cannot be edited or approved). A text edit sends an
   * approved notice back to draft: the approval was for the old text.
   */
  editNotice(id: string, edit: NoticeEdit): Promise<NoticeRecord | undefined>;
  approveNotice(id: string, approval: { by: string; at?: string }): Promise<NoticeRecord | undefined>;
  /** Marking a sent notice again keeps the first send, so a retried delivery changes nothing. */
  markNoticeSent(id: string, sent: { at?: string; via?: string }): Promise<NoticeRecord | undefined>;

  /** Only the token's SHA-256 is stored: the token itself is shown once, on creation. */
  createToken(input: { name: string; role: TokenRole }): Promise<{ token: string; id: string }>;
  verifyToken(token: string): Promise<{ id: string; name: string; role: TokenRole } | undefined>;
  listTokens(): Promise<TokenInfo[]>;
  /** False when the token is unknown or already revoked. */
  revokeToken(id: string): Promise<boolean>;

  close(): Promise<void>;
}
