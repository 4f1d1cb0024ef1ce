import type { Tenant } from '../model/tenant';

/**
 * Size and complexity strata: faults that only show under load or with many moving parts hide
 * from small, simple tenants, so the early waves should contain one of each stratum present.
 */
export type SizeStratum = 'small' | 'mid-size' | 'large';
export type ComplexityStratum = 'simple' | 'complex';

const LARGE_USERS = 2_500;
const SMALL_USERS = 250;

export function sizeStratum(tenant: Tenant): SizeStratum {
  if (tenant.users >= LARGE_USERS) return 'large';
  return tenant.users < SMALL_USERS ? 'small' : 'mid-size';
}

/** More than three integrations or more than three customizations make a tenant complex. */
export function complexityStratum(tenant: Tenant): ComplexityStratum {
  return tenant.integrations.length > 3 || tenant.customizations.length > 3 ? 'complex' : 'simple';
}

/** Six fixed lists, shared by every tenant in them. */
const STRATA: Record<SizeStratum, Record<ComplexityStratum, readonly string[]>> = {
  small: { simple: ['stratum:small', 'stratum:simple'], complex: ['stratum:small', 'stratum:complex'] },
  'mid-size': { simple: ['stratum:mid-size', 'stratum:simple'], complex: ['stratum:mid-size', 'stratum:complex'] },
  large: { simple: ['stratum:large', 'stratum:simple'], complex: ['stratum:large', 'stratum:complex'] },
};

/** Coverage keys of the strata the tenant belongs to: 'stratum:large', 'stratum:complex'. */
export function tenantStrata(tenant: Tenant): readonly string[] {
  return STRATA[sizeStratum(tenant)][complexityStratum(tenant)];
}

export function describeStratum(key: string): string {
  const name = key.slice('stratum:'.length);
  if (name === 'small') return `small tenants (< ${SMALL_USERS} users)`;
  if (name === 'mid-size') return `mid-size tenants (${SMALL_USERS}–${LARGE_USERS - 1} users)`;
  if (name === 'large') return `large tenants (≥ ${LARGE_USERS} users)`;
  if (name === 'complex') return 'complex tenants (> 3 integrations or > 3 customizations)';
  return 'simple tenants (≤ 3 integrations and ≤ 3 customizations)';
}
