import type { Tenant } from '../model/tenant';
import type { RiskConfig } from './config';

/** Shared by the many tenants that are not regulated at all. */
const NOT_REGULATED: readonly string[] = [];

/** The industry and regimes that make this tenant highly regulated (empty when it is not). */
export function highlyRegulatedBy(tenant: Tenant, config: RiskConfig): readonly string[] {
  const { industries, regimes } = config.highlyRegulated;
  const industry = tenant.regulated.industry;
  if (industry === undefined && tenant.regulated.regimes.length === 0) return NOT_REGULATED;
  return [
    ...(industry && industries.includes(industry) ? [industry] : []),
    ...tenant.regulated.regimes.filter((r) => regimes.includes(r)),
  ];
}

/** Whether `highlyRegulatedBy` names anything, without listing it: asked per tenant and rule. */
export function isHighlyRegulated(tenant: Tenant, config: RiskConfig): boolean {
  const { industries, regimes } = config.highlyRegulated;
  const industry = tenant.regulated.industry;
  if (industry !== undefined && industries.includes(industry)) return true;
  for (const r of tenant.regulated.regimes) if (regimes.includes(r)) return true;
  return false;
}
