import type { Stage } from '../model/plan';
import { preferred } from './coverage';
import { describeStratum } from './strata';
import { addNote, STAGE_INDEX, STAGES, type Candidate, type Placement } from './waves';

const SLA_NAME = ['standard', 'gold', 'platinum'] as const;
const STAGE_TIER: Record<Stage, Placement['tier']> = { pilot: 'low', low: 'low', medium: 'medium', high: 'high' };

/**
 * The look-alikes a fault would show on first: one key per touched configuration the tenant
 * exercises and per stratum it belongs to ('system:salesforce on stratum:large'). A fault that
 * lives in a configuration, or only in that configuration on large or complex tenants, shows on
 * any tenant sharing the key.
 */
function lookAlikeKeys(c: Candidate): string[] {
  // Tenants with the same touches and strata share one `covers` list, so they share their keys too.
  let keys = keysOfCovers.get(c.traits.covers);
  if (!keys) {
    keys = [];
    for (const touch of c.traits.touches) for (const stratum of c.traits.strata) keys.push(`${touch} on ${stratum}`);
    keysOfCovers.set(c.traits.covers, keys);
  }
  return keys;
}

const keysOfCovers = new WeakMap<readonly string[], string[]>();

/** 'kind:crm, system:salesforce on large tenants (≥ 2500 users)': keys grouped by stratum. */
function describeKeys(keys: string[]): string {
  const byStratum = new Map<string, string[]>();
  for (const key of keys) {
    // A setting key may itself contain ' on '; a stratum never does, so split at the last one.
    const at = key.lastIndexOf(' on ');
    const touch = key.slice(0, at);
    const stratum = key.slice(at + ' on '.length);
    byStratum.set(stratum, [...(byStratum.get(stratum) ?? []), touch]);
  }
  return [...byStratum].map(([stratum, touches]) => `${touches.join(', ')} on ${describeStratum(stratum)}`).join('; ');
}

/**
 * Gold and platinum tenants go after a standard-SLA look-alike: for every key a premium tenant
 * shares with a standard-SLA (or internal) tenant, it is planned no earlier than the stage where
 * the first such tenant is, so that tenant meets a fault first. Inside a stage the rounds already
 * put standard-SLA waves before gold and platinum ones; this moves a premium tenant to a later
 * stage when its only standard look-alikes are there, and says so in its placement. The planned
 * tier is raised with the stage, so tiers still never step down from wave to wave.
 * A key no standard-SLA tenant shares cannot be shielded; the tenant keeps its stage.
 */
export function shieldPremium(candidates: Candidate[]): void {
  const firstStandard = new Map<string, { stage: number; rank: number; tenantId: string }>();
  // Indexed loops: a loop over the fleet that runs once per plan runs mostly before V8 optimises
  // it, and for-of then allocates an iterator result per candidate and key.
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (c.traits.slaRank !== 0) continue;
    const stage = STAGE_INDEX[c.placed.stage];
    const keys = lookAlikeKeys(c);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      const seen = firstStandard.get(key);
      if (!seen || stage < seen.stage || (stage === seen.stage && c.rank < seen.rank)) firstStandard.set(key, { stage, rank: c.rank, tenantId: c.tenant.id });
    }
  }
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    if (c.traits.slaRank === 0) continue;
    const own = STAGE_INDEX[c.placed.stage];
    let latest: { stage: number; tenantId: string; key: string } | undefined;
    const keys = lookAlikeKeys(c);
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      const first = firstStandard.get(key);
      if (first && first.stage > own && (!latest || first.stage > latest.stage)) latest = { ...first, key };
    }
    if (!latest) continue;
    const stage = STAGES[latest.stage];
    c.placed = {
      stage,
      tier: STAGE_TIER[stage],
      placement: `${c.placed.placement}; ${SLA_NAME[c.traits.slaRank]} SLA, so it waits for the ${stage} stage, where standard-SLA tenant ${latest.tenantId} exercises ${describeKeys([latest.key])}: a fault there shows on a standard-SLA tenant first`,
    };
  }
}

/**
 * Premium canaries, per stage: for the look-alike keys no tenant planned before the stage's
 * premium waves exercises (no tenant of an earlier stage, no standard-SLA or internal tenant of
 * this one, no coverage pick), a fault can only show on a gold or platinum tenant. One tenant per
 * such key, in a small sub-wave ahead of the stage's other gold and platinum waves, meets it
 * instead of a whole wave. Greedy like the coverage picks: each pick covers the most keys left,
 * gold before platinum, then the busiest. The pilot has none (its tenants are all standard SLA or
 * internal), and coverage picks (`leading`, low stage) are not picked again.
 */
export function premiumCanaries(byStage: Readonly<Record<Stage, readonly Candidate[]>>, leading: Candidate[]): Map<Stage, Candidate[]> {
  const taken = new Set(leading);
  const shown = new Set<string>();
  // Look-alikes share one list of keys, so each list is shown once (a few hundred, for 100k tenants).
  const shownLists = new Set<readonly string[]>();
  const show = (c: Candidate) => {
    const keys = lookAlikeKeys(c);
    if (shownLists.has(keys)) return;
    shownLists.add(keys);
    for (const key of keys) shown.add(key);
  };
  const canaries = new Map<Stage, Candidate[]>();
  for (const stage of STAGES) {
    const stageCandidates = byStage[stage];
    // Indexed, as in shieldPremium.
    for (let i = 0; i < stageCandidates.length; i++) if (stageCandidates[i].traits.slaRank === 0) show(stageCandidates[i]);
    if (stage === 'low') leading.forEach(show);
    if (stage !== 'pilot') {
      // Tenants sharing a covers list exercise the same keys, so only the preferred one can be picked.
      const best = new Map<readonly string[], Candidate>();
      for (let i = 0; i < stageCandidates.length; i++) {
        const c = stageCandidates[i];
        if (c.traits.slaRank === 0 || taken.has(c)) continue;
        const seen = best.get(c.traits.covers);
        if (!seen || preferred(c, seen)) best.set(c.traits.covers, c);
      }
      // Per premium tenant of the stage, the keys it would be the first to show.
      const pool = new Map<Candidate, string[]>();
      for (const c of best.values()) {
        const unshown = lookAlikeKeys(c).filter((k) => !shown.has(k));
        if (unshown.length > 0) pool.set(c, unshown);
      }
      canaries.set(stage, pickCanaries(pool));
    }
    // By the next stage, every tenant of this one has been exposed.
    stageCandidates.forEach(show);
  }
  return canaries;
}

function pickCanaries(pool: Map<Candidate, string[]>): Candidate[] {
  const open = new Set([...pool.values()].flat());
  const picks: Candidate[] = [];
  while (open.size > 0) {
    let best: Candidate | undefined;
    let bestKeys: string[] = [];
    for (const [c, unshown] of pool) {
      const keys = unshown.filter((k) => open.has(k));
      if (keys.length === 0) continue;
      if (!best || keys.length > bestKeys.length || (keys.length === bestKeys.length && preferred(c, best))) { best = c; bestKeys = keys; }
    }
    if (!best) break;
    for (const k of bestKeys) open.delete(k);
    canaryKeys.set(best, bestKeys);
    addNote(best, `premium canary: no tenant planned before it exercises ${describeKeys(bestKeys)}, so it goes in a small canary sub-wave ahead of the stage's other gold and platinum tenants`);
    picks.push(best);
    pool.delete(best);
  }
  return picks;
}

/** The keys each premium canary was picked to be the first to show. */
const canaryKeys = new WeakMap<Candidate, string[]>();

/**
 * Who takes the place of a premium canary a freeze moved out of its wave: from `pool` (the
 * stage's gold and platinum tenants still free to move), greedily the tenant that shares the most
 * of the keys it was picked for, gold before platinum, then the busiest, until no tenant of the
 * pool shares a key left. `take` moves a pick into the canary wave, or refuses it (a
 * never-together rule), and is told what the pick exercises in the canary's place.
 */
export function replaceCanary(gone: Candidate, pool: readonly Candidate[], take: (c: Candidate, exercises: string) => boolean): void {
  const open = new Set(canaryKeys.get(gone) ?? []);
  const free = new Set(pool);
  while (open.size > 0) {
    let best: Candidate | undefined;
    let bestKeys: string[] = [];
    for (const c of free) {
      const keys = lookAlikeKeys(c).filter((k) => open.has(k));
      if (keys.length > 0 && (!best || keys.length > bestKeys.length || (keys.length === bestKeys.length && preferred(c, best)))) { best = c; bestKeys = keys; }
    }
    if (!best) return;
    free.delete(best);
    if (!take(best, describeKeys(bestKeys))) continue;
    for (const k of bestKeys) open.delete(k);
    canaryKeys.set(best, bestKeys);
  }
}

/** Per look-alike key, when a standard-SLA (or internal) tenant exercising it has first been monitored, and which. */
export type Shown = Map<string, { at: number; tenantId: string }>;

/** Records the standard-SLA members of a wave whose monitoring window ends at `at`. */
export function markShown(shown: Shown, members: readonly Candidate[], at: number): void {
  let previous: string[] | undefined;
  for (const c of members) {
    if (c.traits.slaRank !== 0) continue;
    const keys = lookAlikeKeys(c);
    // Similar tenants sit side by side in a wave and share one list of keys: marked once is enough.
    if (keys === previous) continue;
    previous = keys;
    for (const key of keys) {
      const seen = shown.get(key);
      if (!seen || at < seen.at) shown.set(key, { at, tenantId: c.tenant.id });
    }
  }
}

/**
 * Why a gold or platinum tenant may not start at `start`, or nothing when it may: the stage rounds
 * put it after its standard-SLA look-alikes, but a freeze can move the only one of a key out of
 * its wave, to a catch-up wave that runs later (`shown` then says when it is monitored) or has yet
 * to be planned (`awaited`, per key the first such tenant moved out in this stage).
 */
export function unshielded(c: Candidate, start: number, shown: Shown, awaited: ReadonlyMap<string, string>): string | undefined {
  // Coverage picks are low-stakes, so standard SLA (or internal): the shield has no exception.
  if (c.traits.slaRank === 0) return undefined;
  for (const key of lookAlikeKeys(c)) {
    const seen = shown.get(key);
    if (seen && seen.at <= start) continue;
    const lookAlike = seen?.tenantId ?? awaited.get(key);
    if (lookAlike) return `standard-SLA tenant ${lookAlike}, the look-alike it waits for on ${describeKeys([key])}, is not monitored by then (a freeze moved it to a later wave or delayed its wave), so this ${SLA_NAME[c.traits.slaRank]} SLA tenant goes after it`;
  }
  return undefined;
}

/** Per key, the first of these standard-SLA tenants: the look-alikes a freeze moved out, still to be planned. */
export function markAwaited(awaited: Map<string, string>, c: Candidate): void {
  if (c.traits.slaRank !== 0) return;
  for (const key of lookAlikeKeys(c)) if (!awaited.has(key)) awaited.set(key, c.tenant.id);
}

/** When, for every look-alike key of these gold and platinum tenants, the first standard-SLA tenant exercising it has been monitored. */
export function lookAlikesMonitored(members: readonly Candidate[], shown: Shown): number {
  let t = -Infinity;
  for (const c of members) {
    if (c.traits.slaRank === 0) continue;
    for (const key of lookAlikeKeys(c)) t = Math.max(t, shown.get(key)?.at ?? -Infinity);
  }
  return t;
}
