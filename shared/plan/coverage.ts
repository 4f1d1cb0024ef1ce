import type { CoverageEntry, Wave } from '../model/plan';
import { describeStratum } from './strata';
import { addNote, type Candidate } from './waves';

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
 * is the low-stakes tenant that exercises the most targets earlier picks have not.
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
  // Standard-SLA tenants cover what they can first; gold, then platinum, only fill what is left.
  for (const maxRank of [0, 1, 2]) {
    const pool = [...groups.values()].filter((g) => g.best.traits.slaRank <= maxRank && !picks.includes(g.best));
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
      addNote(best.best, `pulled forward to exercise ${newly.join(', ')} early`);
      pulledFor.set(best.best, newly);
      picks.push(best.best);
      pool.splice(pool.indexOf(best), 1);
    }
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

/** What one tenant of the fleet exercises, at which planned tier and SLA class. */
export type FleetUsage = { touches: readonly string[]; strata: readonly string[]; tier: string; sla: string };

/**
 * Per target: which low-stakes tenants exercise it in the first early (pilot / low) wave that
 * does, or why no low-stakes tenant can.
 */
export function coverageReport(targets: string[], waves: Wave[], fleet: () => FleetUsage[]): CoverageEntry[] {
  // Only a target no early wave covers needs the whole fleet, so it is listed once, on demand.
  let all: FleetUsage[] | undefined;
  const first = firstCovering(waves, ['pilot', 'low']);
  const customer = firstCovering(waves, ['low']);
  return targets.map((config) => {
    const hit = first.get(config);
    const label = config.startsWith('stratum:') ? describeStratum(config) : config;
    if (hit) {
      const shown = hit.ids.slice(0, COVERED_BY_SHOWN);
      const more = hit.ids.length > shown.length ? ` and ${hit.ids.length - shown.length} more` : '';
      const low = customer.get(config);
      const again = hit.wave.stage === 'pilot'
        ? low ? `; on customer tenants first in ${low.wave.id} by ${low.ids.slice(0, 3).join(', ')}` : '; no low-tier customer tenant exercises it'
        : '';
      return {
        config,
        coveredBy: shown,
        firstWave: hit.wave.id,
        note: `${label} first exercised in ${hit.wave.id} (${hit.wave.stage}) by ${shown.join(', ')}${more}${again}`,
      };
    }
    return { config, coveredBy: [], note: uncoveredNote(config, label, (all ??= fleet())) };
  });
}

/** Per target, the first wave of these stages with members exercising it, and those members. */
function firstCovering(waves: Wave[], stages: Wave['stage'][]): Map<string, { wave: Wave; ids: string[] }> {
  const first = new Map<string, { wave: Wave; ids: string[] }>();
  for (const wave of waves) {
    if (!stages.includes(wave.stage)) continue;
    // Indexed, as in learningTargets: the early stages hold most of the fleet.
    for (let i = 0; i < wave.members.length; i++) {
      const m = wave.members[i];
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

function uncoveredNote(config: string, label: string, all: FleetUsage[]): string {
  const users = all.filter((t) => t.touches.includes(config) || t.strata.includes(config));
  if (users.length === 0) return `no tenant in the fleet exercises ${label}: a fault there cannot show before general availability`;
  const tiers = new Map<string, number>();
  const slas = new Map<string, number>();
  for (const u of users) {
    tiers.set(u.tier, (tiers.get(u.tier) ?? 0) + 1);
    slas.set(u.sla, (slas.get(u.sla) ?? 0) + 1);
  }
  const tierText = [...tiers].sort().map(([t, n]) => `${n} ${t === 'hold' ? 'on hold' : `${t}-tier`}`).join(', ');
  const slaText = [...slas].sort().map(([s, n]) => `${n} ${s}`).join(', ');
  return `no low-stakes tenant can exercise ${label}: only ${tierText} ${users.length === 1 ? 'tenant uses' : 'tenants use'} it (SLA: ${slaText}); it is first seen in a later wave`;
}
