import type { Tenant } from '../model/tenant';
import { defaultRiskConfig, type NeverTogetherRule, type RiskConfig } from './config';
import { isHighlyRegulated } from './regulated';
import type { KeyTree } from '../memo';

export type ConflictKey = { rule: string; description: string; maxPerWave: number };

/**
 * The never-together rules this tenant falls under. A fleet falls into few combinations of rules,
 * so a planner passes a per-plan memo (for one config) and tenants share each list; never mutate it.
 */
export function conflictKeys(tenant: Tenant, config: RiskConfig = defaultRiskConfig, memo?: KeyTree<readonly ConflictKey[]>): readonly ConflictKey[] {
  // The path is the positions of the rules the tenant falls under: most fall under none.
  const rules = config.neverTogether;
  let node = memo;
  for (let i = 0; i < rules.length; i++) if (node && matches(tenant, rules[i], config)) node = node.at(i);
  const keys = node?.value ?? keysOf(tenant, config);
  if (node) node.value = keys;
  return keys;
}

// In a function of its own: a closure over the tenant would make every conflictKeys call
// allocate a context for it, memo hit or not.
function keysOf(tenant: Tenant, config: RiskConfig): ConflictKey[] {
  return config.neverTogether
    .filter((rule) => matches(tenant, rule, config))
    .map((rule) => ({ rule: rule.id, description: rule.description, maxPerWave: rule.maxPerWave }));
}

/** Rules a wave with these members breaks, with the tenants that together break each one. */
export function violations(memberTenants: Tenant[], config: RiskConfig = defaultRiskConfig): { rule: string; tenants: string[] }[] {
  return config.neverTogether.flatMap((rule) => {
    const under = memberTenants.filter((t) => matches(t, rule, config)).map((t) => t.id);
    return under.length > rule.maxPerWave ? [{ rule: rule.id, tenants: under }] : [];
  });
}

function matches(tenant: Tenant, rule: NeverTogetherRule, config: RiskConfig): boolean {
  const { anchor, executiveEscalation, highlyRegulated, industries, regimes } = rule.match;
  const industry = tenant.regulated.industry;
  return (anchor === true && tenant.strategic.anchor)
    || (executiveEscalation === true && tenant.strategic.executiveEscalation)
    || (highlyRegulated === true && isHighlyRegulated(tenant, config))
    || (industry !== undefined && industries !== undefined && industries.includes(industry))
    || (regimes !== undefined && sharesRegime(tenant, regimes));
}

/** A loop, not some: asked per tenant and rule, and some takes a closure over the rule's regimes each time. */
function sharesRegime(tenant: Tenant, regimes: readonly string[]): boolean {
  for (const r of tenant.regulated.regimes) if (regimes.includes(r)) return true;
  return false;
}
