import type { CoverageEntry, Wave } from '../model/plan';
import { firstOf, plural } from '../risk/format';
import { describeStratum } from './strata';
import { CATCH_UP, type Candidate } from './waves';

/**
 * The configurations early waves should exercise: every touched configuration, plus each
 * size/complexity stratum present among the scheduled tenants (a fault that shows only under load
 * or many moving parts needs a large or complex tenant to show at all).
 */
export function learningTargets(touched: string[], scheduled: Candidate[]): string[] {
  const strata = new Set<string>();
  // Indexed loops: a one-shot loop over the fleet runs mostly before V8 optimises it, and for-of
  // then allocates an iterator result per element.
  for (let i = 0; i < scheduled.length; i++) {
    const own = scheduled[i].traits.strata;
    for (let k = 0; k < own.length; k++) strata.add(own[k]);
  }
  return [...touched, ...[...strata].sort()];
}

/**
 * Low-tier tenants to pull to the front of the low stage, in the order they should go: each pick
 * is the low-stakes tenant (see `highStakes` in stakes.ts) that exercises the most targets earlier
 * picks have not. A gold or platinum, anchor, escalated, highly regulated or soon-renewing tenant
 * is never picked, even when it alone exercises a target: the coverage section says no low-stakes
 * tenant can exercise it, and the premium shield and canaries decide when such tenants go.
 * Tenants with the same set of exercised targets are interchangeable, so the greedy runs over
 * those sets (a few hundred) rather than over tenants.
 */
export function learningPicks(targets: string[], low: Candidate[]): Candidate[] {
  // The pilot's own coverage does not count here: internal and volunteer tenants differ from the
  // customer fleet, so the low stage covers every target again on customer tenants.
  const uncovered = new Set(targets);
  const groups = new Map<string, { keys: string[]; best: Candidate }>();
  // Candidates share covers lists, so each list's targets and signature are worked out once.
  const signatures = new Map<readonly string[], { keys: string[]; sig: string }>();
  for (let i = 0; i < low.length; i++) {
    const c = low[i];
    if (!c.traits.lowStakes) continue;
    let signed = signatures.get(c.traits.covers);
    if (!signed) {
      const keys = c.traits.covers.filter((t) => uncovered.has(t));
      signed = { keys, sig: keys.join('|') };
      signatures.set(c.traits.covers, signed);
    }
    const { keys, sig } = signed;
    if (keys.length === 0) continue;
    const g = groups.get(sig);
    if (!g) groups.set(sig, { keys, best: c });
    else if (preferred(c, g.best)) g.best = c;
  }
  const picks: Candidate[] = [];
  const pool = [...groups.values()];
  while (uncovered.size > 0) {
    let best: { keys: string[]; best: Candidate } | undefined;
    let bestGain = 0;
    for (const g of pool) {
      const gain = g.keys.reduce((n, k) => n + (uncovered.has(k) ? 1 : 0), 0);
      if (gain > bestGain || (gain === bestGain && gain > 0 && best && preferred(g.best, best.best))) { best = g; bestGain = gain; }
    }
    if (!best) break;
    const newly = best.keys.filter((k) => uncovered.has(k));
    newly.forEach((k) => uncovered.delete(k));
    pulledFor.set(best.best, newly);
    picks.push(best.best);
    pool.splice(pool.indexOf(best), 1);
  }
  return picks;
}

/** The targets each coverage pick was pulled forward to exercise. */
const pulledFor = new WeakMap<Candidate, string[]>();

/** What a coverage pick was pulled forward to exercise; nothing for other tenants. */
export function pulledForward(c: Candidate): readonly string[] {
  return pulledFor.get(c) ?? [];
}

/**
 * Which of two tenants exercising the same targets goes first: the one whose SLA makes a fault
 * cheapest, then the busiest (more traffic shows a fault sooner), then the lower score. Serves the
 * coverage picks and the premium canaries.
 */
export function preferred(a: Candidate, b: Candidate): boolean {
  if (a.traits.slaRank !== b.traits.slaRank) return a.traits.slaRank < b.traits.slaRank;
  const ra = a.tenant.baseline.requestsPerMinute;
  const rb = b.tenant.baseline.requestsPerMinute;
  if (ra !== rb) return ra > rb;
  return a.profile.score < b.profile.score || (a.profile.score === b.profile.score && a.tenant.id < b.tenant.id);
}

const COVERED_BY_SHOWN = 10;

/**
 * What one tenant of the fleet exercises, at which planned tier and SLA class, and why it is not
 * low-stakes (`highStakes`: empty when it is).
 */
export type FleetUsage = { id: string; touches: readonly string[]; strata: readonly string[]; tier: string; sla: string; stakes: readonly string[] };

/**
 * Per target: which low-stakes tenants exercise it in the first early wave that does, or why no
 * low-stakes tenant does. Early waves are the pilot's and the low stage's, not its catch-up waves:
 * those run once the stage's waves have been monitored, alongside the next stage, so a coverage
 * pick a freeze moved there no longer exercises anything early. Only low-stakes members count
 * (`lowStakes`, by tenant id): a gold tenant in a low-stage premium canary meets a fault early,
 * but a fault there is what the coverage picks are meant to spare.
 */
export function coverageReport(targets: string[], waves: Wave[], lowStakes: (tenantId: string) => boolean, fleet: () => FleetUsage[]): CoverageEntry[] {
  // Only a target no early wave covers needs the whole fleet, so it is listed once, on demand.
  let all: FleetUsage[] | undefined;
  const early = waves.filter((w) => (w.stage === 'pilot' || w.stage === 'low') && !w.lane.startsWith(CATCH_UP));
  const first = firstCovering(early, lowStakes);
  const customer = firstCovering(early.filter((w) => w.stage === 'low'), lowStakes);
  // Where a target meets a high-stakes tenant early, when no low-stakes tenant does.
  let anyEarly: Map<string, { wave: Wave; ids: string[] }> | undefined;
  let lowAny: Map<string, { wave: Wave; ids: string[] }> | undefined;
  return targets.map((config) => {
    const hit = first.get(config);
    const label = config.startsWith('stratum:') ? describeStratum(config) : config;
    if (hit) {
      const shown = hit.ids.slice(0, COVERED_BY_SHOWN);
      const more = hit.ids.length > shown.length ? ` and ${hit.ids.length - shown.length} more` : '';
      const low = customer.get(config);
      let again = '';
      if (hit.wave.stage === 'pilot') {
        if (low) again = `; outside the pilot, first in ${low.wave.id} by ${low.ids.slice(0, 3).join(', ')}`;
        else {
          // Why the low stage has none: the same account as for a target no early wave covers, over the tenants outside the pilot.
          const pilot = new Set(early.filter((w) => w.stage === 'pilot').flatMap((w) => w.members.map((m) => m.tenantId)));
          lowAny ??= firstCovering(early.filter((w) => w.stage === 'low'), () => true);
          again = `; outside the pilot, ${uncoveredNote(config, 'it', (all ??= fleet()).filter((u) => !pilot.has(u.id)), waves, lowAny.get(config), true)}`;
        }
      }
      return {
        config,
        coveredBy: shown,
        firstWave: hit.wave.id,
        note: `${label} first exercised in ${hit.wave.id} (${hit.wave.stage}) by ${shown.join(', ')}${more}${again}`,
      };
    }
    const meets = (anyEarly ??= firstCovering(early, () => true)).get(config);
    return { config, coveredBy: [], note: uncoveredNote(config, label, (all ??= fleet()), waves, meets) };
  });
}

/** Per target, the first of these waves with members exercising it that count, and those members. */
function firstCovering(waves: Wave[], counts: (tenantId: string) => boolean): Map<string, { wave: Wave; ids: string[] }> {
  const first = new Map<string, { wave: Wave; ids: string[] }>();
  for (const wave of waves) {
    // Indexed, as in learningTargets: the early stages hold most of the fleet.
    for (let i = 0; i < wave.members.length; i++) {
      const m = wave.members[i];
      if (!counts(m.tenantId)) continue;
      for (let k = 0; k < m.covers.length; k++) {
        const key = m.covers[k];
        const seen = first.get(key);
        if (!seen) first.set(key, { wave, ids: [m.tenantId] });
        else if (seen.wave === wave) seen.ids.push(m.tenantId);
      }
    }
  }
  return first;
}

/** '3 gold SLA, 1 highly regulated': how many tenants have each value, most first, ties by name. */
function counted(values: readonly string[]): string {
  const n = new Map<string, number>();
  for (const v of values) n.set(v, (n.get(v) ?? 0) + 1);
  // Only a noun takes a plural ('2 anchor accounts'); the other kinds read as adjectives ('2 gold SLA').
  return [...n].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([v, k]) => (v.endsWith(' account') ? plural(k, v) : `${k} ${v}`)).join(', ');
}

function tiersOf(users: readonly FleetUsage[]): string {
  return counted(users.map((u) => (u.tier === 'hold' ? 'on hold' : `${u.tier}-tier`)));
}

/**
 * Why no low-stakes tenant (of `all`: the fleet, or the tenants outside the pilot) exercises a
 * target in an early wave: only high-stakes tenants use it (which kinds, and which of them meets it
 * first when that is early: the plan placed it by its own tier and SLA, the premium shield and
 * canaries for gold and platinum, never as a coverage pick), or its low-stakes tenants are not
 * low-tier, on hold, or in a catch-up wave. Each clause is finished, and outside the pilot the note
 * follows "outside the pilot, " with no second colon after it.
 */
function uncoveredNote(config: string, label: string, all: FleetUsage[], waves: Wave[], meets: { wave: Wave; ids: string[] } | undefined, outsidePilot = false): string {
  const users = all.filter((t) => t.touches.includes(config) || t.strata.includes(config));
  if (users.length === 0) {
    return outsidePilot ? `no other tenant exercises ${label}` : `no tenant in the fleet exercises ${label}: a fault there cannot show before general availability`;
  }
  const low = users.filter((u) => u.stakes.length === 0);
  if (low.length === 0) {
    const kinds = counted(users.flatMap((u) => u.stakes));
    // Whoever meets it first was placed as any high-stakes tenant is (its tier, the premium shield
    // and canaries for gold and platinum), never as a coverage pick.
    const first = meets && firstOf(meets.ids, 3);
    const where = meets
      ? `of them, ${first} ${meets.ids.length === 1 ? 'exercises' : 'exercise'} it first, in ${meets.wave.id} (${meets.wave.stage}), where the plan placed ${meets.ids.length === 1 ? 'it' : 'them'} as it places any high-stakes tenant, not as a coverage pick`
      : 'it is first seen in a later wave, where the premium shield and canaries decide which tenant meets it first';
    return `no low-stakes tenant can exercise ${label}, since only high-stakes tenants use it (${users.length === 1 ? '1 tenant' : `${users.length} tenants`}: ${kinds}; ${tiersOf(users)}); ${where}`;
  }
  // Low-stakes low-tier tenants use it, yet none is in an early wave: a freeze moved them to catch-up.
  const caughtUp = new Map<string, string>();
  for (const w of waves) if (w.lane.startsWith(CATCH_UP)) for (const m of w.members) caughtUp.set(m.tenantId, w.id);
  const late = low.filter((u) => caughtUp.has(u.id) && (u.tier === 'low'));
  const lateText = late.length === 0 ? '' : `; ${late.slice(0, 3).map((u) => `${u.id} is in catch-up wave ${caughtUp.get(u.id)}`).join(', ')}${late.length > 3 ? ` and ${late.length - 3} more are in catch-up` : ''} after a freeze`;
  const who = low.length === 1
    ? `the one low-stakes tenant that uses it is ${low[0].tier === 'hold' ? 'on hold' : `${low[0].tier}-tier`}`
    : `the ${low.length} low-stakes tenants that use it are ${tiersOf(low)}`;
  return `no low-stakes tenant exercises ${label} in an early wave: ${who}${lateText}; it is first seen in a later wave`;
}
