import type { Tenant } from '../model/tenant';
import type { RiskConfig } from './config';

/** The industry and regimes that make this tenant highly regulated (empty when it is not). */
export function highlyRegulatedBy(tenant: Tenant, config: RiskConfig): string[] {
  const { industries, regimes } = config.highlyRegulated;
  const industry = tenant.regulated.industry;
  if (industry === undefined && tenant.regulated.regimes.length === 0) return [];
  return [
    ...(industry && industries.includes(industry) ? [industry] : []),
    ...tenant.regulated.regimes.filter((r) => regimes.includes(r)),
  ];
}
