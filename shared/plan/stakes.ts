import type { Tenant } from '../model/tenant';
import type { RiskConfig, SlaClass } from '../risk/config';
import { isHighlyRegulated } from '../risk/regulated';
import { renewalDays } from '../risk/score';

/** Shared by every low-stakes tenant; never mutated. */
const NONE: string[] = [];

/**
 * Why a fault on this tenant would cost more than on most: empty for a low-stakes tenant.
 *
 * In plain words: a tenant is low-stakes when a fault there costs least. Our own (internal)
 * tenants always are: they escalate to nobody, whatever their SLA says (the shield counts them as
 * standard SLA too). A customer is low-stakes when it has a standard SLA, is not an anchor
 * account, has no executive escalation open, is not highly regulated (finance, healthcare, public
 * sector; SOX, HIPAA, FedRAMP, PCI-DSS by default) and has no renewal close enough to count in its
 * score (within 90 days by default). Only low-stakes tenants are pulled forward to exercise a
 * configuration early; a configuration only other tenants exercise is left to the premium shield
 * and canaries, and the coverage section says so.
 *
 * The reasons are short and fixed ('gold SLA', 'anchor account', …) so the coverage section can
 * count the tenants of each kind.
 */
export function highStakes(tenant: Tenant, sla: SlaClass, asOf: string, risk: RiskConfig): string[] {
  if (isLowStakes(tenant, sla, asOf, risk)) return NONE;
  const why: string[] = [];
  if (sla !== 'standard') why.push(SLA_REASON[sla]);
  if (tenant.strategic.anchor) why.push('anchor account');
  if (tenant.strategic.executiveEscalation) why.push('executive escalation');
  if (isHighlyRegulated(tenant, risk)) why.push('highly regulated');
  if (renewalDays(tenant, asOf, risk) !== undefined) why.push(`renewal within ${risk.normalisation.strategic.renewalWithinDays} days`);
  return why;
}

const SLA_REASON: Record<SlaClass, string> = { standard: 'standard SLA', gold: 'gold SLA', platinum: 'platinum SLA' };

/**
 * The same test as `highStakes` without its reasons: asked for every tenant of the fleet when the
 * plan is built, so it allocates nothing and stops at the first reason.
 */
export function isLowStakes(tenant: Tenant, sla: SlaClass, asOf: string, risk: RiskConfig): boolean {
  if (tenant.internal) return true;
  return sla === 'standard' && !tenant.strategic.anchor && !tenant.strategic.executiveEscalation
    && !isHighlyRegulated(tenant, risk) && renewalDays(tenant, asOf, risk) === undefined;
}
