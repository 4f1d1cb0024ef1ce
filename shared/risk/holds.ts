import type { FreezeWindow, Tenant } from '../model/tenant';
import type { Feature } from '../model/feature';
import type { HoldReason } from '../model/plan';
import { defaultRiskConfig, type RiskConfig } from './config';
import { compareVersions, requiredVersion } from './version';
import { day, daysUntil } from './format';

/**
 * Memo for `holdReasons` across one plan (one feature, config and asOf): a health-floor hold
 * depends on the tenant's health only and a renewal hold on its renewal date, so the tenants
 * sharing one share its reason object. Never mutate a memoised reason.
 */
export interface HoldMemo {
  healthFloor: Map<number, HoldReason>;
  renewals: Map<string, HoldReason>;
}

export function holdMemo(): HoldMemo {
  return { healthFloor: new Map(), renewals: new Map() };
}

/**
 * Why a tenant must stay out of this rollout, each with what would release it. Holds are rules,
 * not scores: a tenant with an open P1 is held however low its score.
 */
export function holdReasons(
  tenant: Tenant,
  feature: Feature,
  ctx: { asOf: string; horizonEnd?: string; config?: RiskConfig },
  memo?: HoldMemo,
): HoldReason[] {
  // Without a horizon end (no deadline) a freeze cannot cover an open-ended rollout.
  const horizonEnd = ctx.horizonEnd ?? feature.deadline;
  const config = ctx.config ?? defaultRiskConfig;
  const rules = config.holds;
  // Most tenants have no hold: each rule is asked only when the tenant has what it looks at, adds
  // what it finds to `holds`, and a tenant without holds gets the shared empty list.
  const holds: HoldReason[] = [];
  if (rules.openP1 && tenant.openTickets.length > 0) openP1(tenant, holds);
  if (tenant.health < rules.healthFloor) holds.push(healthBelowFloor(tenant.health, rules.healthFloor, memo));
  if (rules.incompatibleVersion && tenant.integrations.length > 0 && hasCompatibility(feature)) incompatibleVersions(tenant, feature, holds);
  if (tenant.contract.renewalDate) renewalSoon(tenant.contract.renewalDate, ctx.asOf, rules.renewalWithinDays, holds, memo);
  if (rules.freezeCoversHorizon && horizonEnd && tenant.freezeWindows.length > 0) freezeCoversHorizon(tenant, horizonStart(ctx.asOf, feature), horizonEnd, holds);
  // A copy at its length: the list grown by push keeps room for 17 reasons, about 130 bytes more
  // per held tenant (1 MB for the 8,300 of a 100k fleet), and the profile keeps it.
  return holds.length > 0 ? holds.slice() : NO_HOLDS;
}

/** Shared by every tenant without holds (most of a fleet); frozen, since nobody may add to it. */
const NO_HOLDS = Object.freeze([]) as unknown as HoldReason[];

function openP1(tenant: Tenant, holds: HoldReason[]): void {
  let counted = 0;
  for (const t of tenant.openTickets) {
    if (t.severity !== 'P1') continue;
    if (t.counted) {
      counted++;
      continue;
    }
    holds.push({
      rule: 'open-p1',
      reason: `open P1 ticket ${t.id}${t.subject ? ` "${t.subject}"` : ''} since ${day(t.opened)}`,
      release: `close P1 ticket ${t.id} or get CS lead sign-off`,
    });
  }
  // A table row only says how many: its tickets have no id or opening date to quote.
  if (counted > 0) {
    holds.push({
      rule: 'open-p1',
      reason: `${counted === 1 ? 'an open P1 ticket' : `${counted} open P1 tickets`} counted in the tenant table (no ticket id or opening date given)`,
      release: `close ${counted === 1 ? 'the P1 ticket' : 'the P1 tickets'} and update the tenant's row, or get CS lead sign-off`,
    });
  }
}

function healthBelowFloor(health: number, floor: number, memo?: HoldMemo): HoldReason {
  let hold = memo?.healthFloor.get(health);
  if (!hold) {
    hold = {
      rule: 'health-floor',
      reason: `health ${health}/100 is below the floor of ${floor}`,
      release: `raise health to ≥ ${floor} (now ${health}) or get CS lead sign-off`,
    };
    memo?.healthFloor.set(health, hold);
  }
  return hold;
}

/** Whether the feature names any minimum connector version (most do not). */
function hasCompatibility(feature: Feature): boolean {
  for (const key in feature.compatibility) if (Object.hasOwn(feature.compatibility, key)) return true;
  return false;
}

function incompatibleVersions(tenant: Tenant, feature: Feature, holds: HoldReason[]): void {
  for (const i of tenant.integrations) {
    const minimum = i.version && requiredVersion(feature.compatibility, i.system);
    if (!minimum || !i.version || compareVersions(i.version, minimum) !== -1) continue;
    holds.push({
      rule: 'incompatible-version',
      reason: `${i.system} connector ${i.version} is older than the ${minimum} this feature needs`,
      release: `upgrade ${i.system} connector from ${i.version} to ≥ ${minimum}`,
    });
  }
}

function renewalSoon(renewal: string, asOf: string, withinDays: number, holds: HoldReason[], memo?: HoldMemo): void {
  const days = daysUntil(asOf, renewal);
  if (days < 0 || days > withinDays) return;
  let hold = memo?.renewals.get(renewal);
  if (!hold) {
    hold = {
      rule: 'renewal-soon',
      reason: `contract renews on ${day(renewal)}, in ${days} day${days === 1 ? '' : 's'} (within ${withinDays})`,
      release: `wait until the renewal on ${day(renewal)} has closed or get account owner sign-off`,
    };
    memo?.renewals.set(renewal, hold);
  }
  holds.push(hold);
}

/** The rollout cannot start before the feature's earliest start, nor in the past. */
export function horizonStart(asOf: string, feature: Feature): string {
  return feature.earliestStart && Date.parse(feature.earliestStart) > Date.parse(asOf) ? feature.earliestStart : asOf;
}

function freezeCoversHorizon(tenant: Tenant, start: string, end: string, holds: HoldReason[]): void {
  const covering = coveringFreezes(tenant.freezeWindows, Date.parse(start), Date.parse(end));
  // No freeze is needed to cover a horizon that ends before it starts (the feature's
  // earliestStart after its deadline); the feature's validation says so.
  if (!covering || covering.length === 0) return;
  const last = covering.reduce((a, w) => (Date.parse(w.end) > Date.parse(a.end) ? w : a));
  const list = covering.map((w) => `${w.reason} (${day(w.start)} – ${day(w.end)})`).join(', ');
  holds.push({
    rule: 'freeze-covers-horizon',
    reason: `freeze ${list} covers the whole rollout horizon ${day(start)} – ${day(end)}`,
    release: `extend the rollout horizon past ${day(last.end)} or get the tenant to lift the freeze`,
  });
}

/** The freezes that together cover [start, end] without a gap, or undefined when a gap remains. */
function coveringFreezes(windows: FreezeWindow[], start: number, end: number): FreezeWindow[] | undefined {
  const sorted = [...windows].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  const used: FreezeWindow[] = [];
  let covered = start;
  for (const w of sorted) {
    if (Date.parse(w.start) > covered) break;
    if (Date.parse(w.end) > covered) {
      covered = Date.parse(w.end);
      used.push(w);
    }
    if (covered >= end) return used;
  }
  return undefined;
}
