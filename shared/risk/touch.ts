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

/** The touched configurations this tenant exercises, in `touchedConfigs` order. */
export function tenantTouches(tenant: Tenant, feature: Feature): string[] {
  const own = new Set<string>([
    ...tenant.integrations.map((i) => `kind:${i.kind}`),
    ...tenant.integrations.map((i) => `system:${i.system.toLowerCase()}`),
    ...tenant.customizations.map((c) => `setting:${c.key}`),
  ]);
  return touchedConfigs(feature).filter((key) => own.has(key));
}

/** An integration is touched when the feature touches its kind or its system. */
export function isIntegrationTouched(integration: Integration, touched: readonly string[]): boolean {
  return touched.includes(`kind:${integration.kind}`) || touched.includes(`system:${integration.system.toLowerCase()}`);
}

export function isCustomizationTouched(customization: Customization, touched: readonly string[]): boolean {
  return touched.includes(`setting:${customization.key}`);
}
