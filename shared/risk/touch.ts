import type { Customization, Integration, Tenant } from '../model/tenant';
import type { Feature } from '../model/feature';
import type { KeyTree } from '../memo';

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
 * The touched configurations this tenant exercises, in `touchedConfigs` order. A planner calling
 * this per tenant passes the feature's `touched` list, computed once, and a per-plan memo so that
 * tenants exercising the same configurations share one list (never mutate it).
 */
export function tenantTouches(tenant: Tenant, feature: Feature, touched: readonly string[] = touchedConfigs(feature), memo?: KeyTree<string[]>): string[] {
  if (!memo) return touched.filter((key) => exercises(tenant, key));
  // The path is the positions of the exercised keys: most tenants exercise none or one.
  let node = memo;
  for (let i = 0; i < touched.length; i++) if (exercises(tenant, touched[i])) node = node.at(i);
  return (node.value ??= touched.filter((key) => exercises(tenant, key)));
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
