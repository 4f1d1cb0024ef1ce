import type { Customization, Integration, Tenant } from '../model/tenant';
import type { Feature } from '../model/feature';

/**
 * Canonical keys of the configurations a feature touches: 'kind:crm', 'system:salesforce',
 * 'setting:approval_flow'. Scoring, coverage and notices all use these, so a tenant "exercises" a
 * touched configuration in exactly one sense everywhere.
 */
export function touchedConfigs(feature: Feature): string[] {
  const kinds = new Set<string>();
  const systems = new Set<string>();
  const settings = new Set<string>();
  for (const change of feature.changes) {
    change.touches.integrationKinds.forEach((k) => kinds.add(k));
    change.touches.systems.forEach((s) => systems.add(s.toLowerCase()));
    change.touches.settings.forEach((s) => settings.add(s));
  }
  return [
    ...[...kinds].sort().map((k) => `kind:${k}`),
    ...[...systems].sort().map((s) => `system:${s}`),
    ...[...settings].sort().map((s) => `setting:${s}`),
  ];
}

/**
 * Per-plan memo for `tenantTouches` over one `touchedConfigs` list: each key's bit by what a tenant
 * has (an integration kind, a system in lower case, a setting), so a tenant's touches come from a
 * lookup per integration and customization instead of a scan of every key; and the lists tenants
 * exercising the same keys share (never mutate them).
 */
export interface TouchMemo {
  kinds: Map<string, number>;
  systems: Map<string, number>;
  /** By a system as tenants spell it, so each spelling is put in lower case once per plan. */
  spelled: Map<string, number>;
  settings: Map<string, number>;
  /** By the bits of the keys exercised. */
  lists: Map<number, string[]>;
}

/** Bits are 32-bit integers; a longer list (no real feature touches that much) is not memoised. */
const MAX_MEMO_KEYS = 31;

export function touchMemo(touched: readonly string[]): TouchMemo | undefined {
  if (touched.length > MAX_MEMO_KEYS) return undefined;
  const memo: TouchMemo = { kinds: new Map(), systems: new Map(), spelled: new Map(), settings: new Map(), lists: new Map() };
  touched.forEach((key, i) => {
    for (const [prefix, field] of PREFIXES) if (key.startsWith(prefix)) memo[field].set(key.slice(prefix.length), 1 << i);
  });
  return memo;
}

function systemBit(memo: TouchMemo, system: string): number {
  let bit = memo.spelled.get(system);
  if (bit === undefined) {
    bit = memo.systems.get(system.toLowerCase()) ?? 0;
    memo.spelled.set(system, bit);
  }
  return bit;
}

const PREFIXES = [['kind:', 'kinds'], ['system:', 'systems'], ['setting:', 'settings']] as const;

/**
 * The touched configurations this tenant exercises, in `touchedConfigs` order. A planner calling
 * this per tenant passes the feature's `touched` list, computed once, and its `touchMemo`.
 */
export function tenantTouches(tenant: Tenant, feature: Feature, touched: readonly string[] = touchedConfigs(feature), memo?: TouchMemo): string[] {
  if (!memo) return exercised(tenant, touched);
  let bits = 0;
  for (const i of tenant.integrations) bits |= (memo.kinds.get(i.kind) ?? 0) | systemBit(memo, i.system);
  for (const c of tenant.customizations) bits |= memo.settings.get(c.key) ?? 0;
  let list = memo.lists.get(bits);
  if (!list) {
    list = keysOfBits(touched, bits);
    memo.lists.set(bits, list);
  }
  return list;
}

// The filters live in functions of their own: a closure over a tenant or its bits would make every
// call of tenantTouches allocate a context for them, memo hit or not.
function exercised(tenant: Tenant, touched: readonly string[]): string[] {
  return touched.filter((key) => exercises(tenant, key));
}

function keysOfBits(touched: readonly string[], bits: number): string[] {
  return touched.filter((_, i) => (bits & (1 << i)) !== 0);
}

/** `key === prefix + value`, without building the string: this runs per tenant and touched key. */
function is(key: string, prefix: string, value: string): boolean {
  return key.length === prefix.length + value.length && key.startsWith(prefix) && key.endsWith(value);
}

function exercises(tenant: Tenant, key: string): boolean {
  for (const i of tenant.integrations) if (is(key, 'kind:', i.kind) || is(key, 'system:', i.system.toLowerCase())) return true;
  for (const c of tenant.customizations) if (is(key, 'setting:', c.key)) return true;
  return false;
}

/** An integration is touched when the feature touches its kind or its system. */
export function isIntegrationTouched(integration: Integration, touched: readonly string[]): boolean {
  const system = integration.system.toLowerCase();
  return touched.some((key) => is(key, 'kind:', integration.kind) || is(key, 'system:', system));
}

export function isCustomizationTouched(customization: Customization, touched: readonly string[]): boolean {
  return touched.some((key) => is(key, 'setting:', customization.key));
}
