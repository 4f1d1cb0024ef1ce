import type { Stage } from '../model/plan';
import { describeStratum } from './strata';
import { STAGES, type Candidate } from './waves';

const SLA_NAME = ['standard', 'gold', 'platinum'] as const;
const STAGE_TIER: Record<Stage, Candidate['tier']> = { pilot: 'low', low: 'low', medium: 'medium', high: 'high' };

/**
 * The look-alikes a fault would show on first: one key per touched configuration the tenant
 * exercises and per stratum it belongs to ('system:salesforce on stratum:large'). A fault that
 * lives in a configuration, or only in that configuration on large or complex tenants, shows on
 * any tenant sharing the key.
 */
function lookAlikeKeys(c: Candidate): string[] {
  const keys: string[] = [];
  for (const touch of c.touches) for (const stratum of c.strata) keys.push(`${touch} on ${stratum}`);
  return keys;
}

/** 'kind:crm, system:salesforce on large tenants (≥ 2500 users)': keys grouped by stratum. */
function describeKeys(keys: string[]): string {
  const byStratum = new Map<string, string[]>();
  for (const key of keys) {
    const [touch, stratum] = key.split(' on ');
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
  for (const c of candidates) {
    if (c.slaRank !== 0) continue;
    const stage = STAGES.indexOf(c.stage);
    for (const key of lookAlikeKeys(c)) {
      const seen = firstStandard.get(key);
      if (!seen || stage < seen.stage || (stage === seen.stage && c.rank < seen.rank)) firstStandard.set(key, { stage, rank: c.rank, tenantId: c.tenant.id });
    }
  }
  for (const c of candidates) {
    if (c.slaRank === 0) continue;
    const own = STAGES.indexOf(c.stage);
    let latest: { stage: number; tenantId: string; key: string } | undefined;
    for (const key of lookAlikeKeys(c)) {
      const first = firstStandard.get(key);
      if (first && first.stage > own && (!latest || first.stage > latest.stage)) latest = { ...first, key };
    }
    if (!latest) continue;
    const stage = STAGES[latest.stage];
    c.stage = stage;
    c.tier = STAGE_TIER[stage];
    c.placement += `; ${SLA_NAME[c.slaRank]} SLA, so it waits for the ${stage} stage, where standard-SLA tenant ${latest.tenantId} first exercises ${describeKeys([latest.key])}: a fault there shows on a standard-SLA tenant first`;
  }
}

/**
 * Look-alike keys that standard-SLA (or internal) tenants exercise in this stage or an earlier one:
 * a fault living there shows on a standard-SLA tenant before any gold or platinum tenant of the
 * stage meets it.
 */
export function shownOnStandard(candidates: Candidate[], stage: Stage): Set<string> {
  const upTo = STAGES.indexOf(stage);
  const shown = new Set<string>();
  for (const c of candidates) if (c.slaRank === 0 && STAGES.indexOf(c.stage) <= upTo) for (const key of lookAlikeKeys(c)) shown.add(key);
  return shown;
}

/**
 * Premium canaries: for the look-alike keys no standard-SLA tenant exercises first, a fault can
 * only show on a gold or platinum tenant. One tenant per such key, in a small sub-wave ahead of
 * the stage's gold and platinum waves, meets it instead of a whole wave. Greedy like the coverage
 * picks: each pick covers the most keys left, gold before platinum, then the busiest.
 */
export function premiumCanaries(premium: Candidate[], shown: Set<string>): Candidate[] {
  const open = new Set<string>();
  for (const c of premium) for (const key of lookAlikeKeys(c)) if (!shown.has(key)) open.add(key);
  const picks: Candidate[] = [];
  const pool = [...premium];
  while (open.size > 0) {
    let best: Candidate | undefined;
    let bestKeys: string[] = [];
    for (const c of pool) {
      const keys = lookAlikeKeys(c).filter((k) => open.has(k));
      if (keys.length === 0) continue;
      if (!best || keys.length > bestKeys.length || (keys.length === bestKeys.length && canaryBefore(c, best))) { best = c; bestKeys = keys; }
    }
    if (!best) break;
    for (const k of bestKeys) open.delete(k);
    best.notes.push(`premium canary: no standard-SLA tenant exercises ${describeKeys(bestKeys)} before it, so it goes in a small canary sub-wave ahead of the stage's other gold and platinum tenants`);
    picks.push(best);
    pool.splice(pool.indexOf(best), 1);
  }
  return picks;
}

function canaryBefore(a: Candidate, b: Candidate): boolean {
  if (a.slaRank !== b.slaRank) return a.slaRank < b.slaRank;
  const ra = a.tenant.baseline.requestsPerMinute;
  const rb = b.tenant.baseline.requestsPerMinute;
  return ra !== rb ? ra > rb : a.rank < b.rank;
}

