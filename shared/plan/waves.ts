import type { Tenant } from '../model/tenant';
import type { RiskProfile, Stage, TenantThresholds } from '../model/plan';
import type { PlanConfig } from './config';
import type { ConflictKey } from '../risk/conflicts';
import type { KeyTree } from '../memo';

/**
 * What a candidate shares with the tenants that look like it (same lane, SLA rank, touched
 * configurations, strata, never-together rules and stakes): one object for them all, built once per plan
 * and never mutated, so a candidate carries one reference instead of seven fields (about 4 MB at
 * 100k candidates, all of it live until the waves are built).
 */
export interface Traits {
  /** Touched configurations the tenant exercises. */
  touches: readonly string[];
  strata: readonly string[];
  /** Touches, then strata: the coverage keys the tenant exercises (shared across lanes and SLA ranks too). */
  covers: string[];
  rules: readonly ConflictKey[];
  /** Lane the tenant's stage-lane waves run in (its region, or 'main' without lanes). */
  lane: string;
  /** 0 standard (and every internal tenant), 1 gold, 2 platinum: what a fault costs this tenant contractually. */
  slaRank: number;
  /**
   * Whether a fault here costs least (`highStakes` in stakes.ts finds nothing): only such tenants
   * are pulled forward to exercise configurations early.
   */
  lowStakes: boolean;
  /**
   * Sort key that puts similar tenants next to each other: lane, SLA class, touched
   * configurations, size, complexity. SLA comes before the rest so that, inside a tier and lane,
   * a fault the early waves missed lands on standard-SLA groups before gold and platinum ones.
   */
  similarity: string;
}

/**
 * Where a scheduled tenant goes: its stage, planned tier and why. Tenants with the same score and
 * flags share one (see `placeTenant`), never mutated: the premium shield gives a tenant it moves
 * a placement of its own.
 */
export interface Placement {
  readonly stage: Stage;
  /** Tier the tenant is planned at: the score tier, raised to high for strategic accounts. */
  readonly tier: 'low' | 'medium' | 'high';
  /** Why this stage, in plain words. */
  readonly placement: string;
}

/** A freeze window as epoch milliseconds. */
export interface FreezeMs { start: number; end: number; reason: string }

/** A schedulable tenant with everything the planner needs to place and explain it. */
export interface Candidate {
  tenant: Tenant;
  profile: RiskProfile;
  /** Shared with the tenants placed alike, one reference instead of three fields per candidate. */
  placed: Placement;
  traits: Traits;
  /** Position in the fleet-wide order by similarity, score and id: sorting by it is cheap. */
  rank: number;
  /**
   * Freeze windows as epoch milliseconds, for fast overlap checks; absent (not an empty list) for a
   * tenant without any, as most are.
   */
  freezes?: FreezeMs[];
  /**
   * The tenant's monitoring thresholds for its stage, set once the stage is final (after the
   * premium shield), in fleet order: made in wave order, with the members, they read each tenant's
   * baseline and flags in scattered order.
   */
  thresholds?: TenantThresholds;
}

export type DraftKind = 'pilot' | 'growth' | 'lane' | 'canary' | 'catch-up';

/**
 * Inside a stage, waves of a later round start only once every wave of the earlier rounds has
 * been monitored: growth sub-waves, then standard-SLA lane waves, then the premium canaries, then
 * the gold and platinum lane waves. A fault the growth waves missed meets standard-SLA tenants
 * before a gold or platinum tenant can.
 */
export const ROUND = { growth: 0, standard: 1, canary: 2, premium: 3 } as const;

/** A wave before it has an id and times. */
export interface Draft {
  stage: Stage;
  kind: DraftKind;
  lane: string;
  capacity: number;
  members: Candidate[];
  /**
   * Per never-together rule, the ids of the members under it; made with the first such member.
   * A list rather than a map: a sub-wave meets a rule or two, and a map with its hash table costs
   * about 180 bytes (a 100k plan has 7,900 sub-waves with members under a rule).
   */
  ruleMembers?: readonly { rule: string; ids: string[] }[];
  /** The never-together rule whose split opened this sub-wave, when a rule (not size) did. */
  splitBy?: string;
  /** Position in the stage's order of rounds (`ROUND`); growth sub-waves leave it unset (0). */
  round?: number;
}

/** A tenant kept out of a sub-wave by a never-together rule. */
export interface Split {
  rule: string;
  description: string;
  tenantId: string;
  /** Never mutated: see `pack`. */
  blockers: readonly string[];
}

export const STAGES: readonly Stage[] = ['pilot', 'low', 'medium', 'high'];

/** Lane of the catch-up waves (per stage, `catch-up/low`, when lanes are enabled). */
export const CATCH_UP = 'catch-up';


/**
 * Which stage a scheduled (not held) tenant belongs to. Strategic accounts always get the high
 * stage's per-tenant review; internal and beta tenants pilot only when they are low risk, so the
 * tier never steps down from one wave to the next. A planner passes a per-plan memo: the placement
 * depends on the score and a few flags only, so tenants sharing them share one (about 700 in a 10k
 * fleet), and the member reasons built on it can be shared too. Never mutate a memoised placement.
 */
export function placeTenant(tenant: Tenant, profile: RiskProfile, sla: 'standard' | 'gold' | 'platinum', memo?: KeyTree<Placement>): Placement | undefined {
  if (profile.tier === 'hold') return undefined;
  // The score last: the few combinations of flags share their nodes, and each score is a leaf.
  const node = memo?.at(profile.tier).at(tenant.strategic.anchor).at(tenant.strategic.executiveEscalation)
    .at(tenant.internal).at(tenant.betaOptIn).at(sla).at(profile.score);
  return node ? (node.value ??= placement(tenant, profile.tier, profile.score, sla)) : placement(tenant, profile.tier, profile.score, sla);
}

function placement(tenant: Tenant, scoreTier: Placement['tier'], score: number, sla: 'standard' | 'gold' | 'platinum'): Placement {
  if (tenant.strategic.anchor || tenant.strategic.executiveEscalation) {
    const strategic = [tenant.strategic.anchor && 'anchor account', tenant.strategic.executiveEscalation && 'executive escalation']
      .filter((s): s is string => Boolean(s));
    const raised = scoreTier === 'high' ? '' : ` (score ${score.toFixed(1)} alone says ${scoreTier})`;
    return { stage: 'high', tier: 'high', placement: `${strategic.join(' and ')}: high stage with per-tenant review${raised}` };
  }
  const pilotKind = tenant.internal ? 'internal tenant' : tenant.betaOptIn ? 'opted into beta' : undefined;
  if (pilotKind && scoreTier === 'low') {
    // Opting into beta does not waive an SLA: a gold or platinum volunteer goes with the low
    // stage's gold and platinum tenants, after the standard-SLA ones, not into the pilot.
    if (sla === 'standard' || tenant.internal) return { stage: 'pilot', tier: 'low', placement: `${pilotKind}, low risk (score ${score.toFixed(1)}): pilot` };
    return { stage: 'low', tier: 'low', placement: `low risk (score ${score.toFixed(1)}); ${pilotKind} but ${sla} SLA, so it waits for the low stage's standard-SLA tenants rather than pilot` };
  }
  const waits = pilotKind ? `; ${pilotKind} but ${scoreTier} risk, so it waits for its tier rather than pilot` : '';
  // One decimal, as the summaries and the plan's table print the score.
  return { stage: scoreTier, tier: scoreTier, placement: `${scoreTier} risk (score ${score.toFixed(1)})${waits}` };
}

/**
 * The list dealt into `count` parts by `partOf` (a part's index, or -1 for none), order kept. Each
 * part is allocated at its final size: a filter or push grows its list step by step, and a part of
 * a 100k fleet then allocates about three times its size in large objects, all kept until a full GC.
 */
function partition(list: readonly Candidate[], count: number, partOf: (c: Candidate) => number): Candidate[][] {
  // Indexed loops: a loop over the fleet that runs once per plan runs mostly before V8 optimises
  // it, and for-of then allocates an iterator result per element (13 MB here at 100k).
  const sizes = new Array<number>(count).fill(0);
  for (let i = 0; i < list.length; i++) {
    const p = partOf(list[i]);
    if (p >= 0) sizes[p]++;
  }
  const parts = sizes.map((n) => new Array<Candidate>(n));
  const filled = new Array<number>(count).fill(0);
  for (let i = 0; i < list.length; i++) {
    const p = partOf(list[i]);
    if (p >= 0) parts[p][filled[p]++] = list[i];
  }
  return parts;
}

/** A stage's position in `STAGES`. */
export const STAGE_INDEX: Record<Stage, number> = { pilot: 0, low: 1, medium: 2, high: 3 };

/**
 * The candidates of each stage, in the order given. Made once, when stages are final: a filter per
 * stage and use copies a 100k fleet's list several times over, each copy kept until a full GC.
 */
export function inStages(candidates: readonly Candidate[]): Record<Stage, Candidate[]> {
  const [pilot, low, medium, high] = partition(candidates, STAGES.length, (c) => STAGE_INDEX[c.placed.stage]);
  return { pilot, low, medium, high };
}

/** 0 standard SLA (and internal), 1 gold or platinum: the two rounds of a stage's lane waves. */
const slaPart = (c: Candidate) => (c.traits.slaRank === 0 ? 0 : 1);

/**
 * Extra reason fragments of a candidate (coverage pull-forward, freeze deferral), added with
 * `addNote`. Beside the candidates rather than a field of each: a 100k plan has about 1,500
 * candidates with notes among 92,000, and a field costs every candidate 8 bytes. Weak, as
 * `pulledForward`'s and the canaries' keys are: the notes go with the plan's candidates.
 */
const notesOf = new WeakMap<Candidate, readonly string[]>();

const NO_NOTES: readonly string[] = Object.freeze([]);

/** A candidate's notes, in the order they were added. */
export function notes(c: Candidate): readonly string[] {
  return notesOf.get(c) ?? NO_NOTES;
}

/** A candidate has a note or two at most, so the list is replaced rather than grown. */
export function addNote(c: Candidate, note: string): void {
  notesOf.set(c, [...notes(c), note]);
}

function newDraft(stage: Stage, kind: DraftKind, lane: string, capacity: number, splitBy?: string): Draft {
  // Every field from the start: one added later goes to an out-of-object property array.
  return { stage, kind, lane, capacity, members: [], ruleMembers: undefined, splitBy, round: undefined };
}

/** The ids of the draft's members under the rule, if any is. */
export function underRule(draft: Draft, rule: string): string[] | undefined {
  const lists = draft.ruleMembers;
  if (lists) for (let i = 0; i < lists.length; i++) if (lists[i].rule === rule) return lists[i].ids;
  return undefined;
}

/** The never-together rule this candidate would break in the draft, if any. */
export function brokenRule(draft: Draft, c: Candidate): Traits['rules'][number] | undefined {
  // A loop, not find: asked per candidate and sub-wave tried, and find takes a closure over the draft.
  for (const r of c.traits.rules) if ((underRule(draft, r.rule)?.length ?? 0) >= r.maxPerWave) return r;
  return undefined;
}

export function fits(draft: Draft, c: Candidate): boolean {
  return draft.members.length < draft.capacity && brokenRule(draft, c) === undefined;
}

export function addMember(draft: Draft, c: Candidate): void {
  // A list of one for the first member: a push onto the empty list makes room for 17, and most
  // sub-waves of a large plan are a rule's side-by-side sub-waves of one tenant (5,000 at 100k).
  if (draft.members.length === 0) draft.members = [c];
  else draft.members.push(c);
  for (const r of c.traits.rules) {
    const ids = underRule(draft, r.rule);
    if (ids) ids.push(c.tenant.id);
    else draft.ruleMembers = [...(draft.ruleMembers ?? []), { rule: r.rule, ids: [c.tenant.id] }];
  }
}

export function removeMember(draft: Draft, c: Candidate): void {
  draft.members = without(draft.members, c);
  // A new list rather than a splice: a split may hold the old one as its blockers.
  const lists = draft.ruleMembers;
  if (lists) for (const r of c.traits.rules) for (const under of lists) if (under.rule === r.rule) under.ids = without(under.ids, c.tenant.id);
}

/**
 * A copy of the list without x, at its length (filter grows its result as push does, and the
 * sub-wave keeps it); the list itself when x is not in it. Lists here hold an element once.
 */
function without<T>(list: T[], x: T): T[] {
  const i = list.indexOf(x);
  if (i < 0) return list;
  const rest = list.slice();
  rest.splice(i, 1);
  return rest;
}

/**
 * First-fit packing that never breaks a never-together rule: a tenant the rule keeps out of the
 * first open sub-wave goes to the next one that has room for it, and the split is recorded.
 * `make` is told which rule, if any, forced the new sub-wave (else it opens because the last one
 * is full) and may refuse, bounding the number of sub-waves; tenants that fit none are `rest`.
 */
export function pack(
  candidates: Candidate[],
  make: (i: number, rule?: string) => Draft | undefined,
  splits: Split[],
): { drafts: Draft[]; rest: Candidate[] } {
  const drafts: Draft[] = [];
  const rest: Candidate[] = [];
  let open = 0;
  // Members are only added here, so a sub-wave that cannot take a tenant under some rules never
  // can again: the search for tenants with the same rules resumes where it last stopped, instead
  // of rescanning every sub-wave (quadratic for the regulated tenants of a large stage).
  const resume = new Map<readonly ConflictKey[], number>();
  // Indexed, as in `partition`: packing a stage is a one-shot loop over most of the fleet.
  for (let k = 0; k < candidates.length; k++) {
    const c = candidates[k];
    while (open < drafts.length && drafts[open].members.length >= drafts[open].capacity) open++;
    if (open === drafts.length) {
      const next = make(drafts.length);
      if (!next) { rest.push(c); continue; }
      drafts.push(next);
    }
    const first = drafts[open];
    const blocked = brokenRule(first, c);
    if (!blocked) { addMember(first, c); continue; }
    let i = Math.max(open + 1, resume.get(c.traits.rules) ?? 0);
    while (i < drafts.length && !fits(drafts[i], c)) i++;
    resume.set(c.traits.rules, i);
    let placed = i < drafts.length;
    if (placed) addMember(drafts[i], c);
    while (!placed) {
      const next = make(drafts.length, blocked.rule);
      if (!next) break;
      drafts.push(next);
      if (fits(next, c)) { addMember(next, c); placed = true; }
    }
    if (!placed) rest.push(c);
    // The rule's list itself, not a copy: the rule is full in that sub-wave, so its list is never
    // added to again, only replaced when a member leaves (7,900 splits share 400 lists at 100k).
    else splits.push({ rule: blocked.rule, description: blocked.description, tenantId: c.tenant.id, blockers: underRule(first, blocked.rule) ?? [] });
  }
  return { drafts: drafts.filter((d) => d.members.length > 0), rest };
}

/**
 * `list` ordered by a whole-number key per candidate, ties in list order. The key and the position
 * are packed into one double (exact while key × length stays below 2^53, which ranks and positions
 * of any fleet keep) so the typed array sorts natively: a comparator costs a call per comparison,
 * which was most of the time of a 100k-candidate sort.
 */
function orderedBy(list: readonly Candidate[], key: (c: Candidate) => number): Candidate[] {
  // Plain loops: TypedArray.from and Array.from with a mapping function go through iterators.
  const n = list.length;
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = key(list[i]) * n + i;
  packed.sort();
  const ordered = new Array<Candidate>(n);
  for (let i = 0; i < n; i++) ordered[i] = list[packed[i] % n];
  return ordered;
}

/**
 * Each distinct value of the candidates' `value` at its position in sorted order: a whole-number
 * key for `orderedBy`. The values go straight into a set, not into a list as long as the fleet.
 */
function positions<T>(list: readonly Candidate[], value: (c: Candidate) => T, compare?: (a: T, b: T) => number): Map<T, number> {
  const distinct = new Set<T>();
  for (let i = 0; i < list.length; i++) distinct.add(value(list[i]));
  return new Map([...distinct].sort(compare).map((v, i) => [v, i]));
}

const similarity = (c: Candidate) => c.traits.similarity;
const score = (c: Candidate) => c.profile.score;

/** 0 our own tenants, 1 standard-SLA beta volunteers, 2 everyone else: who meets a stage first. */
function volunteer(c: Candidate): number {
  if (c.tenant.internal) return 0;
  return c.tenant.betaOptIn && c.traits.slaRank === 0 ? 1 : 2;
}

const ascending = (a: number, b: number) => a - b;

/**
 * Sets `rank`: similar tenants next to each other, then by score and id. The candidates come in
 * tenant-id order (the planner sorts the fleet by id first), so list order breaks ties.
 */
export function rankBySimilarity(candidates: Candidate[]): void {
  const group = positions(candidates, similarity);
  const scores = positions(candidates, score, ascending);
  const byScore = orderedBy(candidates, (c) => scores.get(c.profile.score) ?? 0);
  orderedBy(byScore, (c) => group.get(c.traits.similarity) ?? 0).forEach((c, i) => { c.rank = i; });
}

/** A sorted copy: similar tenants together (by rank). */
function inSimilarityOrder(list: readonly Candidate[]): Candidate[] {
  return orderedBy(list, (c) => c.rank);
}

/**
 * A sorted copy in the order a stage's growth sub-waves fill: volunteers, then by SLA, then least
 * risky, ties by rank. One key for the first three, so the pool is sorted once after the rank sort.
 */
function inGrowthOrder(list: readonly Candidate[]): Candidate[] {
  const scores = positions(list, score, ascending);
  return orderedBy(inSimilarityOrder(list), (c) => (volunteer(c) * 3 + c.traits.slaRank) * scores.size + (scores.get(c.profile.score) ?? 0));
}

/**
 * A stage's sub-waves: first the growth sub-waves in the main lane (given order: coverage picks
 * for the low stage, then standard-SLA tenants least risky first), then the rest grouped by
 * similarity, in parallel lanes when enabled, interleaved so lanes advance together: the
 * standard-SLA lane waves, the premium canaries, the gold and platinum lane waves (`ROUND`).
 */
export function stageDrafts(stage: Stage, candidates: Candidate[], config: PlanConfig, splits: Split[], leading: Candidate[] = [], canaries: Candidate[] = []): Draft[] {
  if (candidates.length === 0 && leading.length === 0) return [];
  if (stage === 'pilot') {
    // Our own tenants see the change before the customers who volunteered for it.
    const [internal, volunteers] = partition(candidates, 2, (c) => (c.tenant.internal ? 0 : 1));
    const rounds = [[internal, ROUND.growth], [volunteers, ROUND.standard]] as const;
    return rounds.flatMap(([group, round]) => inRound(ruleLanes(pack(inSimilarityOrder(group), (_, rule) => newDraft('pilot', 'pilot', 'main', config.maxPilotSize, rule), splits).drafts, config).flat(), round));
  }
  const max = stage === 'high' ? config.maxHighWaveSize : config.maxWaveSize;
  const growth = config.growth[stage].map((n) => Math.min(n, max));
  const first = new Set([...leading, ...canaries].map((c) => c.tenant.id));
  // Growth sub-waves hold internal tenants, then standard-SLA beta volunteers, then other
  // standard-SLA tenants: the first tenants of a stage meet a fault the earlier stages missed, and
  // that costs least there (internal and beta tenants above low risk lead their stage). Gold and
  // platinum tenants wait for the canary and premium rounds; only a stage with neither a
  // standard-SLA tenant nor a canary starts small with its least risky premium tenants.
  const [standard, premium] = partition(candidates, 2, (c) => (first.has(c.tenant.id) ? -1 : slaPart(c)));
  const growthPool = standard.length > 0 || canaries.length > 0 ? standard : premium;
  const grown = pack(leading.concat(inGrowthOrder(growthPool)), (i) => (i < growth.length ? newDraft(stage, 'growth', 'main', growth[i]) : undefined), splits);
  const [restStandard, restPremium] = partition(inSimilarityOrder(growthPool === premium ? grown.rest : grown.rest.concat(premium)), 2, slaPart);
  const canaryDrafts = pack(canaries, (_, rule) => newDraft(stage, 'canary', 'main', max, rule), splits).drafts;
  return [
    ...grown.drafts,
    ...inRound(laneDrafts(stage, restStandard, max, config, splits), ROUND.standard),
    ...inRound(ruleLanes(canaryDrafts, config).flat(), ROUND.canary),
    ...inRound(laneDrafts(stage, restPremium, max, config, splits), ROUND.premium),
  ];
}

function inRound(drafts: Draft[], round: number): Draft[] {
  for (const d of drafts) d.round = round;
  return drafts;
}

/** One round of a stage's lane waves, interleaved so lanes advance together. */
function laneDrafts(stage: Stage, group: Candidate[], max: number, config: PlanConfig, splits: Split[]): Draft[] {
  // Lanes numbered by first appearance, so each lane's list is dealt at its size (grown by push, a
  // lane of a large stage was a large object three times over).
  const part = new Map<string, number>();
  for (let i = 0; i < group.length; i++) if (!part.has(group[i].traits.lane)) part.set(group[i].traits.lane, part.size);
  const byLane = partition(group, part.size, (c) => part.get(c.traits.lane)!);
  const lanes = [...part.keys()].sort().flatMap((lane) => ruleLanes(pack(byLane[part.get(lane)!], (_, rule) => newDraft(stage, 'lane', lane, max, rule), splits).drafts, config));
  const interleaved: Draft[] = [];
  for (let i = 0; lanes.some((l) => i < l.length); i++) for (const l of lanes) if (i < l.length) interleaved.push(l[i]);
  return interleaved;
}

/**
 * A never-together rule limits what one wave's halt and rollback cover. By default it says nothing
 * about waves next to each other, so a sub-wave opened only because a rule kept its tenants out of
 * the lane's wave runs side by side with it, in a lane of its own ('eu/highly-regulated-2'), rather
 * than after it: every wave still holds at most what the rule allows, and the plan says both are
 * exposed in the same hours. A rule with `sideBySide: false` keeps its sub-waves in the lane, one
 * after another. Without lanes everything stays one after another.
 */
function ruleLanes(drafts: Draft[], config: PlanConfig): Draft[][] {
  if (!config.lanes.enabled) return [drafts];
  const base: Draft[] = [];
  const split: Draft[][] = [];
  const count = new Map<string, number>();
  for (const d of drafts) {
    if (!d.splitBy || !runsSideBySide(d.splitBy, config)) { base.push(d); continue; }
    const k = (count.get(d.splitBy) ?? 1) + 1;
    count.set(d.splitBy, k);
    // Joined: the plan keeps each side-by-side lane's name, and a template keeps a rope of it.
    d.lane = [d.lane === 'main' ? d.stage : d.lane, '/', d.splitBy, '-', String(k)].join('');
    split.push([d]);
  }
  return [base, ...split].filter((l) => l.length > 0);
}

/** Whether a never-together rule's split sub-waves run side by side with the wave they were kept out of. */
export function runsSideBySide(rule: string, config: PlanConfig): boolean {
  return config.lanes.enabled && config.risk.neverTogether.find((r) => r.id === rule)?.sideBySide !== false;
}

/**
 * Sub-waves for tenants a freeze pushed out of their wave, run in the catch-up lane after the
 * stage: standard-SLA tenants first, so gold and platinum ones still come after their look-alikes.
 */
export function catchUpDrafts(stage: Stage, candidates: Candidate[], config: PlanConfig, splits: Split[], lane: string): Draft[] {
  const max = stage === 'high' ? config.maxHighWaveSize : stage === 'pilot' ? config.maxPilotSize : config.maxWaveSize;
  const rounds = [candidates.filter((c) => c.traits.slaRank === 0), candidates.filter((c) => c.traits.slaRank > 0)];
  return rounds.flatMap((group) => pack(inSimilarityOrder(group), () => newDraft(stage, 'catch-up', lane, max), splits).drafts);
}
