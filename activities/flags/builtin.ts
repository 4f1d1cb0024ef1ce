/**
 * The built-in flag store: per-tenant on/off for each feature, with the history of who changed
 * it, in which rollout and why. Applications read it over OFREP (api/ofrep.ts).
 *
 * Idempotency is what makes a retried activity or a restarted worker safe: the store records
 * each idempotency key with its history row in one transaction, so a second apply with the same
 * key changes nothing and says so.
 */
import type { FlagChange, FlagProvider } from '../ports';
import type { FlagHistoryEntry, FlagState, FlagStore } from '../store/types';

/** One flag's value for one tenant, in the terms OFREP and OpenFeature use. */
export interface FlagEvaluation {
  key: string;
  value: boolean;
  /** DEFAULT: nobody has set this tenant yet; TARGETING_MATCH: a change for this tenant decided it. */
  reason: 'DEFAULT' | 'TARGETING_MATCH';
  variant: 'on' | 'off';
  /** Primitive values only, as OpenFeature flag metadata requires. */
  metadata: Record<string, string>;
}

function describe(featureKey: string, tenantId: string, state: FlagState | undefined): FlagEvaluation {
  if (!state) {
    return {
      key: featureKey, value: false, reason: 'DEFAULT', variant: 'off',
      metadata: { explanation: `${featureKey} has not been enabled for tenant ${tenantId}; off by default` },
    };
  }
  return {
    key: featureKey,
    value: state.enabled,
    reason: 'TARGETING_MATCH',
    variant: state.enabled ? 'on' : 'off',
    metadata: {
      explanation: `${state.enabled ? 'enabled' : 'disabled'} for tenant ${tenantId} by ${state.actor} at ${state.changedAt}: ${state.reason}`,
      rolloutId: state.rolloutId,
      changedBy: state.actor,
      changedAt: state.changedAt,
    },
  };
}

export class BuiltinFlagProvider implements FlagProvider {
  constructor(private readonly store: FlagStore) {}

  apply(change: FlagChange): Promise<{ applied: boolean }> {
    return this.store.applyFlagChange(change);
  }

  async isEnabled(featureKey: string, tenantId: string): Promise<boolean> {
    return (await this.store.getFlagState(featureKey, tenantId))?.enabled ?? false;
  }

  /** Oldest first; every tenant of the feature when `tenantId` is left out. */
  history(featureKey: string, tenantId?: string): Promise<FlagHistoryEntry[]> {
    return this.store.flagHistory(featureKey, tenantId);
  }

  /** Undefined when the store has never heard of the flag (no such feature, no change ever applied). */
  async evaluate(featureKey: string, tenantId: string): Promise<FlagEvaluation | undefined> {
    const state = await this.store.getFlagState(featureKey, tenantId);
    if (!state && !(await this.store.knownFlagKeys()).includes(featureKey)) return undefined;
    return describe(featureKey, tenantId, state);
  }

  /** Every known flag for the tenant, by key. */
  async evaluateAll(tenantId: string): Promise<FlagEvaluation[]> {
    const [keys, states] = await Promise.all([this.store.knownFlagKeys(), this.store.listFlagStates(tenantId)]);
    const byKey = new Map(states.map((s) => [s.featureKey, s]));
    return keys.map((key) => describe(key, tenantId, byKey.get(key)));
  }
}
