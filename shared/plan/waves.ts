import type { Tenant } from '../model/tenant';
import type { RiskProfile, Stage } from '../model/plan';
import type { PlanConfig } from './config';
import type { ConflictKey } from '../risk/conflicts';

/** A schedulable tenant with everything the planner needs to place and explain it. */
export interface Candidate {
  tenant: Tenant;
  profile: RiskProfile;
  stage: Stage;
  /** Tier the tenant is planned at: the score tier, raised to high for strategic accounts. */
  tier: 'low' | 'medium' | 'high';
  /** Why this stage, in plain words. */
  placement: string;
  /** Touched configurations the tenant exercises (shared between tenants, like strata and rules). */
  touches: readonly string[];
  strata: readonly string[];
  /** Touches, then strata: the coverage keys the tenant exercises (shared, never mutated). */
  covers: string[];
  rules: readonly ConflictKey[];
  /** Lane the tenant's stage-lane waves run in (its region, or 'main' without lanes). */
  lane: string;
  /** 0 standard, 1 gold, 2 platinum: what a fault costs this tenant contractually. */
  slaRank: number;
  /**
   * Sort key that puts similar tenants next to each other: lane, SLA class, touched
   * configurations, size, complexity. SLA comes before the rest so that, inside a tier and lane,
   * a fault the early waves missed lands on standard-SLA groups before gold and platinum ones.
   */
  similarity: string;
  /** Position in the fleet-wide order by similarity, score and id: sorting by it is cheap. */
  rank: number;
  /** Freeze windows as epoch milliseconds, for fast overlap checks. */
  freezes: { start: number; end: number; reason: string }[];
  /** Extra reason fragments: coverage pull-forward, freeze deferral. */
  notes: string[];
}

export type DraftKind = 'pilot' | 'growth' | 'lane' | 'catch-up';

/** A wave before it has an id and times. */
export interface Draft {
  stage: Stage;
  kind: DraftKind;
  lane: string;
  capacity: number;
  members: Candidate[];
  ruleMembers: Map<string, string[]>;
  /** The never-together rule whose split opened this sub-wave, when a rule (not size) did. */
  splitBy?: string;
  /**
   * Inside a stage, waves of a later round start only once every wave of the earlier round has
   * been monitored: standard-SLA tenants (round 1) show a fault before gold and platinum ones
   * (round 2) can meet it.
   */
  round?: number;
}

/** A tenant kept out of a sub-wave by a never-together rule. */
export interface Split {
  rule: string;
  description: string;
  tenantId: string;
  blockers: string[];
}

export const STAGES: readonly Stage[] = ['pilot', 'low', 'medium', 'high'];

/**
 * Which stage a scheduled (not held) tenant belongs to. Strategic accounts always get the high
 * stage's per-tenant review; internal and beta tenants pilot only when they are low risk, so the
 * tier never steps down from one wave to the next.
 */
export function placeTenant(tenant: Tenant, profile: RiskProfile): Pick<Candidate, 'stage' | 'tier' | 'placement'> | undefined {
  if (profile.tier === 'hold') return undefined;
  const scoreTier = profile.tier;
  if (tenant.strategic.anchor || tenant.strategic.executiveEscalation) {
    const strategic = [tenant.strategic.anchor && 'anchor account', tenant.strategic.executiveEscalation && 'executive escalation']
      .filter((s): s is string => Boolean(s));
    const raised = scoreTier === 'high' ? '' : ` (score ${profile.score} alone says ${scoreTier})`;
    return { stage: 'high', tier: 'high', placement: `${strategic.join(' and ')}: high stage with per-tenant review${raised}` };
  }
  const pilotKind = tenant.internal ? 'internal tenant' : tenant.betaOptIn ? 'opted into beta' : undefined;
  if (pilotKind && scoreTier === 'low') return { stage: 'pilot', tier: 'low', placement: `${pilotKind}, low risk (score ${profile.score}): pilot` };
  const waits = pilotKind ? `; ${pilotKind} but ${scoreTier} risk, so it waits for its tier rather than pilot` : '';
  return { stage: scoreTier, tier: scoreTier, placement: `${scoreTier} risk (score ${profile.score})${waits}` };
}

function newDraft(stage: Stage, kind: DraftKind, lane: string, capacity: number, splitBy?: string): Draft {
  return { stage, kind, lane, capacity, members: [], ruleMembers: new Map(), ...(splitBy ? { splitBy } : {}) };
}

/** The never-together rule this candidate would break in the draft, if any. */
export function brokenRule(draft: Draft, c: Candidate): Candidate['rules'][number] | undefined {
  return c.rules.find((r) => (draft.ruleMembers.get(r.rule)?.length ?? 0) >= r.maxPerWave);
}

export function fits(draft: Draft, c: Candidate): boolean {
  return draft.members.length < draft.capacity && brokenRule(draft, c) === undefined;
}

export function addMember(draft: Draft, c: Candidate): void {
  draft.members.push(c);
  for (const r of c.rules) {
    const list = draft.ruleMembers.get(r.rule);
    if (list) list.push(c.tenant.id);
    else draft.ruleMembers.set(r.rule, [c.tenant.id]);
  }
}

export function removeMember(draft: Draft, c: Candidate): void {
  draft.members = draft.members.filter((m) => m !== c);
  for (const r of c.rules) draft.ruleMembers.set(r.rule, (draft.ruleMembers.get(r.rule) ?? []).filter((id) => id !== c.tenant.id));
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
  for (const c of candidates) {
    while (open < drafts.length && drafts[open].members.length >= drafts[open].capacity) open++;
    if (open === drafts.length) {
      const next = make(drafts.length);
      if (!next) { rest.push(c); continue; }
      drafts.push(next);
    }
    const first = drafts[open];
    const blocked = brokenRule(first, c);
    if (!blocked) { addMember(first, c); continue; }
    let i = Math.max(open + 1, resume.get(c.rules) ?? 0);
    while (i < drafts.length && !fits(drafts[i], c)) i++;
    resume.set(c.rules, i);
    let placed = i < drafts.length;
    if (placed) addMember(drafts[i], c);
    while (!placed) {
      const next = make(drafts.length, blocked.rule);
      if (!next) break;
      drafts.push(next);
      if (fits(next, c)) { addMember(next, c); placed = true; }
    }
    if (!placed) rest.push(c);
    else splits.push({ rule: blocked.rule, description: blocked.description, tenantId: c.tenant.id, blockers: [...(first.ruleMembers.get(blocked.rule) ?? [])] });
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

/** Each distinct value's position in sorted order: a whole-number key for `orderedBy`. */
function positions<T>(values: T[], compare?: (a: T, b: T) => number): Map<T, number> {
  return new Map([...new Set(values)].sort(compare).map((v, i) => [v, i]));
}

const ascending = (a: number, b: number) => a - b;

/**
 * Sets `rank`: similar tenants next to each other, then by score and id. The candidates come in
 * tenant-id order (the planner sorts the fleet by id first), so list order breaks ties.
 */
export function rankBySimilarity(candidates: Candidate[]): void {
  const group = positions(candidates.map((c) => c.similarity));
  const score = positions(candidates.map((c) => c.profile.score), ascending);
  const byScore = orderedBy(candidates, (c) => score.get(c.profile.score) ?? 0);
  orderedBy(byScore, (c) => group.get(c.similarity) ?? 0).forEach((c, i) => { c.rank = i; });
}

/** A sorted copy: similar tenants together (by rank). */
function inSimilarityOrder(list: readonly Candidate[]): Candidate[] {
  return orderedBy(list, (c) => c.rank);
}

/** A sorted copy: least risky first, ties by rank. */
function inScoreOrder(list: readonly Candidate[]): Candidate[] {
  const score = positions(list.map((c) => c.profile.score), ascending);
  return orderedBy(inSimilarityOrder(list), (c) => score.get(c.profile.score) ?? 0);
}

/**
 * A stage's sub-waves: first the growth sub-waves in the main lane (given order: coverage picks
 * for the low stage, least risky first otherwise), then the rest grouped by similarity, in
 * parallel lanes when enabled, interleaved so lanes advance together.
 */
export function stageDrafts(stage: Stage, candidates: Candidate[], config: PlanConfig, splits: Split[], leading: Candidate[] = []): Draft[] {
  if (candidates.length === 0 && leading.length === 0) return [];
  if (stage === 'pilot') {
    // Our own tenants see the change before the customers who volunteered for it, and volunteers
    // on a standard SLA before those whose SLA makes a fault expensive.
    const internal = candidates.filter((c) => c.tenant.internal);
    const standard = candidates.filter((c) => !c.tenant.internal && c.slaRank === 0);
    const premium = candidates.filter((c) => !c.tenant.internal && c.slaRank > 0);
    return [internal, standard, premium].flatMap((group, round) => inRound(ruleLanes(pack(inSimilarityOrder(group), (_, rule) => newDraft('pilot', 'pilot', 'main', config.maxPilotSize, rule), splits).drafts, config).flat(), round));
  }
  const max = stage === 'high' ? config.maxHighWaveSize : config.maxWaveSize;
  const growth = config.growth[stage].map((n) => Math.min(n, max));
  const leadIds = new Set(leading.map((c) => c.tenant.id));
  const ordered = [...leading, ...inScoreOrder(candidates.filter((c) => !leadIds.has(c.tenant.id)))];
  const grown = pack(ordered, (i) => (i < growth.length ? newDraft(stage, 'growth', 'main', growth[i]) : undefined), splits);
  const rest = inSimilarityOrder(grown.rest);
  const rounds = [rest.filter((c) => c.slaRank === 0), rest.filter((c) => c.slaRank > 0)];
  return [...grown.drafts, ...rounds.flatMap((group, i) => inRound(laneDrafts(stage, group, max, config, splits), i + 1))];
}

function inRound(drafts: Draft[], round: number): Draft[] {
  for (const d of drafts) d.round = round;
  return drafts;
}

/** One round of a stage's lane waves, interleaved so lanes advance together. */
function laneDrafts(stage: Stage, group: Candidate[], max: number, config: PlanConfig, splits: Split[]): Draft[] {
  const byLane = new Map<string, Candidate[]>();
  for (const c of group) {
    const list = byLane.get(c.lane);
    if (list) list.push(c);
    else byLane.set(c.lane, [c]);
  }
  const lanes = [...byLane.keys()].sort().flatMap((lane) => ruleLanes(pack(byLane.get(lane)!, (_, rule) => newDraft(stage, 'lane', lane, max, rule), splits).drafts, config));
  const interleaved: Draft[] = [];
  for (let i = 0; lanes.some((l) => i < l.length); i++) for (const l of lanes) if (i < l.length) interleaved.push(l[i]);
  return interleaved;
}

/**
 * A never-together rule limits what one wave's halt and rollback cover; it says nothing about
 * waves next to each other. So a sub-wave opened only because a rule kept its tenants out of the
 * lane's wave runs side by side with it, in a lane of its own ('eu/highly-regulated-2'), rather
 * than after it: every wave still holds at most what the rule allows. Without lanes everything
 * stays one after another.
 */
function ruleLanes(drafts: Draft[], config: PlanConfig): Draft[][] {
  if (!config.lanes.enabled) return [drafts];
  const base: Draft[] = [];
  const split: Draft[][] = [];
  const count = new Map<string, number>();
  for (const d of drafts) {
    if (!d.splitBy) { base.push(d); continue; }
    const k = (count.get(d.splitBy) ?? 1) + 1;
    count.set(d.splitBy, k);
    d.lane = `${d.lane === 'main' ? d.stage : d.lane}/${d.splitBy}-${k}`;
    split.push([d]);
  }
  return [base, ...split].filter((l) => l.length > 0);
}

/** Sub-waves for tenants a freeze pushed out of their wave, run in the catch-up lane after the stage. */
export function catchUpDrafts(stage: Stage, candidates: Candidate[], config: PlanConfig, splits: Split[]): Draft[] {
  const max = stage === 'high' ? config.maxHighWaveSize : stage === 'pilot' ? config.maxPilotSize : config.maxWaveSize;
  return pack(inSimilarityOrder(candidates), () => newDraft(stage, 'catch-up', 'catch-up', max), splits).drafts;
}
