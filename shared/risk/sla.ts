import type { Tenant } from '../model/tenant';
import type { RiskConfig, SlaClass } from './config';
import { pct } from './format';

/** Uptime commitments fold into the named classes so thresholds and scoring have one scale. */
export function slaClass(tenant: Tenant, config: RiskConfig): SlaClass {
  if (typeof tenant.sla === 'string') return tenant.sla;
  const { platinum, gold } = config.normalisation.uptimeClass;
  if (tenant.sla.uptimePercent >= platinum) return 'platinum';
  return tenant.sla.uptimePercent >= gold ? 'gold' : 'standard';
}

export function describeSla(tenant: Tenant): string {
  return typeof tenant.sla === 'string' ? `${tenant.sla} SLA` : `${pct(tenant.sla.uptimePercent / 100, 2)} uptime SLA`;
}
