import type { Tenant } from '../model/tenant';
import { defaultRiskConfig, type NeverTogetherRule, type RiskConfig } from './config';
import { highlyRegulatedBy } from './regulated';
import type { KeyTree } from '../memo';

export type ConflictKey = { rule: string; description: string; maxPerWave: number };

/**
 * The never-together rules this tenant falls under. A fleet falls into few combinations of rules,
 * so a planner passes a per-plan memo (for one config) and tenants share each list; never mutate it.
 */
export function conflictKeys(tenant: Tenant, config: RiskConfig = defaultRiskConfig, memo?: KeyTree<readonly ConflictKey[]>): readonly ConflictKey[] {
  let node = memo;
  for (const rule of config.neverTogether) node = node?.at(matches(tenant, rule, config));
  const keys = node?.value ?? config.neverTogether
    .filter((rule) => matches(tenant, rule, config))
    .map((rule) => ({ rule: rule.id, description: rule.description, maxPerWave: rule.maxPerWave }));
  if (node) node.value = keys;
  return keys;
}

/** Rules a wave with these members breaks, with the tenants that together break each one. */
export function violations(memberTenants: Tenant[], config: RiskConfig = defaultRiskConfig): { rule: string; tenants: string[] }[] {
  return config.neverTogether.flatMap((rule) => {
    const under = memberTenants.filter((t) => matches(t, rule, config)).map((t) => t.id);
    return under.length > rule.maxPerWave ? [{ rule: rule.id, tenants: under }] : [];
  });
}

function matches(tenant: Tenant, rule: NeverTogetherRule, config: RiskConfig): boolean {
  const m = rule.match;
  const industry = tenant.regulated.industry;
  return (m.anchor === true && tenant.strategic.anchor)
    || (m.executiveEscalation === true && tenant.strategic.executiveEscalation)
    || (m.highlyRegulated === true && highlyRegulatedBy(tenant, config).length > 0)
    || (industry !== undefined && (m.industries ?? []).includes(industry))
    || tenant.regulated.regimes.some((r) => (m.regimes ?? []).includes(r));
}
