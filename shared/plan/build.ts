import type { Tenant } from '../model/tenant';
import type { Feature } from '../model/feature';
import type { Plan, RiskAdjustment, RiskProfile, Stage, Wave, WaveMember } from '../model/plan';
import { holdProfile, scoreMemo, scoreTenant } from '../risk/score';
import { tenantTouches, touchedConfigs, touchMemo, type TouchMemo } from '../risk/touch';
import { conflictKeys, type ConflictKey } from '../risk/conflicts';
import { slaClass } from '../risk/sla';
import type { SlaClass } from '../risk/config';
import { inWords, joined, plural } from '../risk/format';
import {
  decisionTimeoutSeconds, healthWindowSeconds, monitoringWindowSeconds, noticeLeadSeconds, noticeReviewSeconds, sampleIntervalSeconds, soakSeconds, thresholdMemo, thresholdsFor, type ThresholdMemo,
} from '../monitoring/thresholds';
import { PlanConfig, type PlanConfigInput } from './config';
import { coverageReport, learningPicks, learningTargets, pulledForward, type FleetUsage } from './coverage';
import { complexityStratum, sizeStratum, tenantStrata } from './strata';
import { schedule, sequentialEnd, type ScheduledDraft, type StageDurations } from './timeline';
import { soakReasons } from './soak';
import { CATCH_UP, inStages, notes, placeTenant, rankBySimilarity, ROUND, runsSideBySide, stageDrafts, STAGES, type Candidate, type Draft, type Placement, type Split, type Traits } from './waves';
import { deadlineWarnings, missesDeadline, monitoringWarnings, type DeadlineContext } from './warnings';
import { KeyTree } from '../memo';
import { premiumCanaries, shieldPremium } from './shield';
import { highStakes, isLowStakes } from './stakes';

export interface PlanInput {
  tenants: Tenant[];
  feature: Feature;
  /** The moment the plan is computed for; the only source of "now". */
  asOf: string;
  config?: PlanConfigInput;
  adjustments?: RiskAdjustment[];
}

const SLA_RANK = { standard: 0, gold: 1, platinum: 2 } as const;

const STAGE_TITLE: Record<Stage, string> = {
  pilot: 'Pilot: internal and beta tenants',
  low: 'Low risk',
  medium: 'Medium risk, manual checkpoint',
  high: 'High risk and strategic, per-tenant review',
};

/**
 * The whole rollout plan for a feature across a fleet: risk profiles, holds, waves with their
 * reasons, coverage of touched configurations, durations, timeline and warnings. Pure: the same
 * input gives byte-identical JSON.
 */
export function buildPlan(input: PlanInput): Plan {
  const { plan, missed } = planFor(input);
  // A missed deadline also says when the same plan would end with weekend starts or around the
  // clock, each planned in full: only plans that miss their deadline pay for it.
  if (missed) {
    plan.warnings[0] = deadlineWarnings({
      ...missed,
      endWith: (override) => Date.parse(planFor({ ...input, config: { ...input.config, ...override } }).plan.timeline.end),
    })[0];
  }
  return plan;
}

/**
 * What a never-together rule did with a tenant. A tenant it split off may later have moved to a
 * catch-up wave (a freeze, or a look-alike not yet monitored): that wave is not where the rule
 * sent it, so the resolution says where it is and leaves why to its member reason.
 */
function splitResolution(s: Split, config: PlanConfig, memo: PlanMemo, waveOfTenant: Map<string, string>, catchUpWaves: Set<string>, laneOfWave: Map<string, string>): string {
  const wave = waveOfTenant.get(s.tenantId)!;
  const lane = laneOfWave.get(wave)!;
  // A rule with sideBySide: false keeps its sub-wave in the lane of the wave it kept the tenant out
  // of, so lane order runs them one after another: said only while the blockers are still there.
  const timing = catchUpWaves.has(wave) ? ''
    : splitLane(s.rule, memo).test(lane) ? SIDE_BY_SIDE
      : keptApart(s.rule, config) && s.blockers.every((b) => { const w = waveOfTenant.get(b); return w !== undefined && laneOfWave.get(w) === lane; }) ? ONE_AFTER_ANOTHER
        : '';
  const others = inWords(s.blockers.map((b) => `${b} (${waveOfTenant.get(b) ?? 'on hold'})`));
  // The rule's description with what its split means in time, shared by its conflicts, then what
  // is this conflict's own, joined (a template keeps a rope of a node per part): one rope node per
  // conflict. The timing sentence as a part of its own cost a rope node more per conflict, and
  // joined into each resolution 0.7 MB at 100k.
  return ruleLead(s, memo, timing) + (catchUpWaves.has(wave)
    ? joined(s.tenantId, ' was kept out of a wave with ', others, ', and is now in catch-up wave ', wave, ' (its member reason says what moved it there)')
    : joined(s.tenantId, ' goes to ', wave, ' instead of sharing a wave with ', others));
}

const SIDE_BY_SIDE = ' (the waves it splits run side by side here, so their tenants are exposed in the same hours)';
const ONE_AFTER_ANOTHER = " (sideBySide: false, so the waves it splits run one after another in their lane, the later once the earlier has been monitored)";

/** Whether a never-together rule sets sideBySide: false where lanes could have run its sub-waves side by side. */
function keptApart(rule: string, config: PlanConfig): boolean {
  return config.lanes.enabled && !runsSideBySide(rule, config);
}

/** The plan, and what its deadline warning (the first warning, when there is one) was made of. */
function planFor(input: PlanInput): { plan: Plan; missed?: DeadlineContext } {
  const config = PlanConfig.parse(input.config ?? {});
  const { feature, asOf } = input;
  const asOfMs = Date.parse(asOf);
  if (Number.isNaN(asOfMs)) throw new Error(`asOf "${asOf}" is not an ISO-8601 date-time`);
  const tenants = inIdOrder(input.tenants);
  const risk = config.risk;
  const touched = touchedConfigs(feature);
  const scoring = { asOf, config: risk, touched, memo: scoreMemo(input.adjustments) };
  const profiles = tenants.map((t) => scoreTenant(t, feature, scoring));

  const memo = planMemo(feature, touched);
  const touchesOf = (t: Tenant) => tenantTouches(t, feature, touched, memo.touches);
  // Sized for the whole fleet and cut to the candidates at the end: grown by push, the list of a
  // 100k fleet allocates about three times its size in large objects, kept until a full GC.
  const candidates = new Array<Candidate>(tenants.length);
  let scheduled = 0;
  // The plan's own entries, in id order as the fleet is, then the tenants the timeline holds:
  // a map by id and a copy per entry at the end cost about 0.8 MB at 100k.
  const holds: Plan['holds'] = [];
  tenants.forEach((tenant, i) => {
    const sla = slaClass(tenant, risk);
    const placed = placeTenant(tenant, profiles[i], sla, memo.placements);
    if (placed) candidates[scheduled++] = candidate(tenant, profiles[i], placed, touchesOf(tenant), sla, isLowStakes(tenant, sla, asOf, risk), config, memo);
    else holds.push({ tenantId: tenant.id, tenantName: tenant.name, reasons: profiles[i].holds });
  });
  candidates.length = scheduled;

  rankBySimilarity(candidates);
  shieldPremium(candidates);
  // Stages are final from here on: the timeline moves tenants only between waves of their stage.
  // Indexed: a one-shot loop over the fleet runs mostly before V8 optimises it, and for-of then
  // allocates an iterator result per candidate.
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    c.thresholds = thresholdsFor(c.tenant, feature, c.placed.stage, risk, memo.thresholds);
  }
  const byStage = inStages(candidates);
  const targets = learningTargets(touched, candidates);
  const picks = learningPicks(targets, byStage.low);
  const splits: Split[] = [];
  const canaries = premiumCanaries(byStage, picks);
  const drafts = STAGES.flatMap((s) => stageDrafts(s, byStage[s], config, splits, s === 'low' ? picks : [], canaries.get(s) ?? []));

  const durations: StageDurations = {
    monitoringWindowSeconds: monitoringWindowSeconds(feature),
    soakSeconds: { pilot: soakSeconds('pilot', feature), low: soakSeconds('low', feature), medium: soakSeconds('medium', feature), high: soakSeconds('high', feature) },
  };
  const lead = noticeLeadSeconds(feature);
  const review = noticeReviewSeconds(feature);
  const earliest = feature.earliestStart ? Date.parse(feature.earliestStart) : asOfMs;
  // Tenants must have their notice before their wave, so the first wave waits for the lead time,
  // after the time customer success has to review and send the drafts.
  const start = Math.max(asOfMs + (review + lead) * 1000, earliest);
  const horizonEnd = feature.deadline ? Date.parse(feature.deadline) : asOfMs + config.horizonDays * 86_400_000;
  const laid = schedule(drafts, { start, horizonEnd, deadline: feature.deadline, durations, config, splits });
  // A tenant the timeline holds is held as one held at scoring is: its profile (the same object as
  // its entry in `profiles`) goes on hold with the reason, and the plan's entry shares its list.
  for (const { candidate, reason } of laid.held) {
    holdProfile(candidate.profile, reason);
    holds.push({ tenantId: candidate.tenant.id, tenantName: candidate.tenant.name, reasons: candidate.profile.holds });
  }

  const ids = waveIds(laid.waves);
  const idOf = new Map(laid.waves.map((w, i) => [w.draft, ids[i]]));
  const resolve = (text: string) => (!text.includes('⟦') ? text : text.replace(/⟦(\d+)(?:@(\d+))?⟧/g, (_, n: string, k?: string) => {
    const i = Number(n);
    if (k !== undefined) return laid.timings[i] > Number(k) ? 'as timed then, ' : '';
    return idOf.get(laid.refs[i]) ?? droppedWave(laid.refs[i]);
  }));
  // Only the tenants a never-together rule split are named in the conflicts, so only theirs are kept.
  const named = new Set(splits.flatMap((s) => [s.tenantId, ...s.blockers]));
  const waveOfTenant = new Map<string, string>();
  const sample = sampleIntervalSeconds(feature);
  // Waves start and end on few instants (187 starts for 7,778 waves at 100k): one string each.
  const instants = new Map<number, string>();
  const instant = (t: number) => {
    let text = instants.get(t);
    if (text === undefined) instants.set(t, (text = new Date(t).toISOString()));
    return text;
  };
  // A stage's later growth sub-waves are told by the one before them in the plan: its packed
  // predecessor may have been dropped or refilled.
  const growthBefore = new Map<Stage, { id: string; size: number }>();
  const soaks = soakReasons(laid.waves.map((w) => ({
    stage: w.draft.stage, lane: w.draft.lane, kind: w.draft.kind, round: w.draft.round, start: w.start, soakSeconds: w.soakSeconds, soakCause: w.soakCause,
  })), feature);
  const waves: Wave[] = laid.waves.map((w, i) => {
    const id = ids[i];
    const d = w.draft;
    const previous = d.kind === 'growth' ? growthBefore.get(d.stage) : undefined;
    if (d.kind === 'growth') growthBefore.set(d.stage, { id, size: d.members.length });
    // A named tenant falls under the rule that split it, so the wave's rule members list it: most
    // members fall under no rule, and need not be looked at.
    if (d.ruleMembers) for (const under of d.ruleMembers) for (const t of under.ids) if (named.has(t)) waveOfTenant.set(t, id);
    // Member reasons without notes, by placement and role, shared within the wave: a 100k plan has
    // 29,900 distinct ones per wave against 27,800 plan-wide, and a memo for the whole plan lives
    // long enough to be promoted to the old generation, where it stays until a full GC.
    const reasons = new KeyTree<string>();
    return {
      id,
      index: i + 1,
      name: joined(STAGE_TITLE[d.stage], d.lane === 'main' ? '' : ` (lane ${d.lane})`),
      stage: d.stage,
      lane: d.lane,
      members: d.members.map((c) => member(c, d, risk, resolve, memo, reasons)),
      approval: d.stage === 'high' ? 'per-tenant' : 'wave',
      manualCheckpoint: d.stage === 'medium' || d.stage === 'high',
      fourEyes: d.stage === 'high',
      monitoringWindowSeconds: durations.monitoringWindowSeconds,
      sampleIntervalSeconds: sample,
      soakSeconds: w.soakSeconds,
      soakReason: soaks[i],
      haltShare: config.haltShare[d.stage],
      start: instant(w.start),
      end: instant(w.end),
      reason: waveReason(d, config, memo, previous),
    };
  });

  const catchUpWaves = new Set(waves.filter((w) => w.lane.startsWith(CATCH_UP)).map((w) => w.id));
  const laneOfWave = new Map(waves.map((w) => [w.id, w.lane]));
  const first = laid.waves.length ? Math.min(...laid.waves.map((w) => w.start)) : start;
  const last = laid.waves.length ? Math.max(...laid.waves.map((w) => w.end)) : start;
  const sequential = laid.waves.length ? sequentialEnd(laid.waves, first, durations, config) - first : 0;
  // High-stakes tenants of the early stages: the coverage section counts only the others.
  const highStakesEarly = new Set<string>();
  for (const stage of ['pilot', 'low'] as const) for (const c of byStage[stage]) if (!c.traits.lowStakes) highStakesEarly.add(c.tenant.id);
  const coverage = coverageReport(targets, waves, (id) => !highStakesEarly.has(id), () => fleetUsage(tenants, touchesOf, candidates, holds, asOf, risk));

  const deadline: DeadlineContext = { feature, config, waves, start: first, end: last, sequentialMs: sequential, catchUps: laid.catchUps, frozenOut: laid.held.map((h) => h.candidate.tenant.id) };
  const plan: Plan = {
    feature: { key: feature.key, name: feature.name, risk: feature.risk.level, reversible: feature.rollback.reversible },
    asOf,
    profiles,
    holds: holds.sort((a, b) => (a.tenantId < b.tenantId ? -1 : 1)),
    waves,
    conflicts: splits.filter((s) => waveOfTenant.has(s.tenantId)).map((s) => ({
      rule: s.rule,
      // Concatenated, not spread: a spread list keeps room for 17 tenants (1 MB over a 100k plan's conflicts).
      tenants: s.blockers.concat(s.tenantId),
      resolution: splitResolution(s, config, memo, waveOfTenant, catchUpWaves, laneOfWave),
    })),
    coverage,
    noticeLeadSeconds: lead,
    // Only where there is one, so plans without review time read as before.
    ...(review > 0 ? { noticeReviewSeconds: review } : {}),
    healthFloor: config.risk.holds.healthFloor,
    healthWindowSeconds: healthWindowSeconds(feature),
    decisionTimeoutSeconds: decisionTimeoutSeconds(feature),
    timeline: {
      start: new Date(first).toISOString(),
      end: new Date(last).toISOString(),
      totalSeconds: Math.round((last - first) / 1000),
      // The one-by-one replay may meet different local mornings than the laned schedule (members
      // moved by freezes change a wave's time zone), so it is never reported as the shorter one.
      sequentialSeconds: Math.max(Math.round(sequential / 1000), Math.round((last - first) / 1000)),
    },
    warnings: [
      ...deadlineWarnings(deadline),
      ...(laid.waves.length === 0 ? ['no tenant can be scheduled: every tenant is on hold'] : []),
      ...monitoringWarnings(waves),
    ],
  };
  return { plan, missed: missesDeadline(deadline) ? deadline : undefined };
}

/** The fleet sorted by id, which must be unique. A fleet already in that order is used as it is. */
function inIdOrder(fleet: Tenant[]): Tenant[] {
  let sorted = true;
  for (let i = 1; i < fleet.length && sorted; i++) sorted = fleet[i - 1].id < fleet[i].id;
  const tenants = sorted ? fleet : [...fleet].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < tenants.length; i++) {
    if (tenants[i].id === tenants[i - 1].id) throw new Error(`tenant id "${tenants[i].id}" appears more than once`);
  }
  return tenants;
}

/**
 * Per-plan memos: tenants with the same traits share one list or string instead of each carrying
 * a copy (a 100k-tenant fleet has a few hundred distinct ones), which is most of what a large plan
 * allocated. Nothing shared is mutated once built.
 */
interface PlanMemo {
  touches: TouchMemo | undefined;
  rules: KeyTree<readonly ConflictKey[]>;
  /** By lane, SLA rank, covers, rules and stakes. */
  traits: KeyTree<Traits>;
  /** By touches and strata. */
  covers: KeyTree<string[]>;
  /** By touches, size, (premium round only) SLA class, which adds a step of its own, and lane. */
  roles: KeyTree<string>;
  thresholds: ThresholdMemo;
  /** By tier, strategic and pilot flags, SLA class and score. */
  placements: KeyTree<Placement>;
  /** By never-together rule: a large plan has hundreds of rule-split sub-waves and a config a handful of rules. */
  splitLanes: Map<string, RegExp>;
  /** A conflict's resolution up to the tenant, '<rule description>: ', by rule. */
  ruleLeads: Map<string, string>;
  /** Per never-together rule, why its split sub-waves run side by side. */
  sideBySideReasons: Map<string, string>;
  /** A lane wave's reason before its lane name, by size, stage and SLA classes. */
  laneReasonHeads: KeyTree<string>;
  /** A lane wave's reason after its lane name, by stage, round and side-by-side clause. */
  laneReasonTails: KeyTree<string>;
}

function planMemo(feature: Feature, touched: readonly string[]): PlanMemo {
  return {
    touches: touchMemo(touched), rules: new KeyTree(), traits: new KeyTree(), covers: new KeyTree(),
    roles: new KeyTree(), thresholds: thresholdMemo(feature), placements: new KeyTree(), splitLanes: new Map(),
    ruleLeads: new Map(), sideBySideReasons: new Map(), laneReasonHeads: new KeyTree(), laneReasonTails: new KeyTree(),
  };
}

/** A schedulable tenant with everything placing, packing and explaining it needs. */
function candidate(tenant: Tenant, profile: RiskProfile, placed: Placement, touches: string[], sla: SlaClass, lowStakes: boolean, config: PlanConfig, memo: PlanMemo): Candidate {
  const lane = config.lanes.enabled ? tenant[config.lanes.key] : 'main';
  // Our own tenants escalate to nobody: whatever their SLA says, a fault there costs least.
  const slaRank = tenant.internal ? 0 : SLA_RANK[sla];
  const strata = tenantStrata(tenant);
  const covers = (memo.covers.at(touches).at(strata).value ??= [...touches, ...strata]);
  const rules = conflictKeys(tenant, config.risk, memo.rules);
  const shared = memo.traits.at(lane).at(slaRank).at(covers).at(rules).at(lowStakes);
  const traits = (shared.value ??= {
    touches, strata, covers, rules, lane, slaRank, lowStakes,
    similarity: `${lane}|${slaRank}|${touches.join(',')}|${sizeStratum(tenant)}|${complexityStratum(tenant)}`,
  });
  // `thresholds` named here though set once stages are final: a property added later would give
  // each candidate an out-of-object property array (about 4 MB at 100k candidates). Only the
  // tenants with freeze windows (8,000 of 92,000 candidates at 100k) have `freezes`, last, so the
  // other fields sit where they do in the candidates without: a field every candidate carried cost
  // 0.7 MB of the 100k peak.
  if (tenant.freezeWindows.length === 0) return { tenant, profile, placed, traits, rank: 0, thresholds: undefined };
  return {
    tenant, profile, placed, traits, rank: 0, thresholds: undefined,
    freezes: tenant.freezeWindows.map((f) => ({ start: Date.parse(f.start), end: Date.parse(f.end), reason: f.reason })),
  };
}

function member(c: Candidate, d: Draft, risk: PlanConfig['risk'], resolve: (s: string) => string, memo: PlanMemo, reasons: KeyTree<string>): WaveMember {
  return {
    tenantId: c.tenant.id,
    tenantName: c.tenant.name,
    tier: c.placed.tier,
    reason: memberReason(c, d, risk, resolve, memo, reasons),
    covers: c.traits.covers,
    thresholds: c.thresholds!,
  };
}

/** Why the tenant is in this wave: its stage, how a lane wave grouped it, and what moved it. */
function memberReason(c: Candidate, d: Draft, risk: PlanConfig['risk'], resolve: (s: string) => string, memo: PlanMemo, reasons: KeyTree<string>): string {
  const role = d.kind === 'lane' ? laneRole(c, d, risk, resolve, memo) : '';
  // Notes (coverage pull-forward, freeze moves) are the tenant's own and carry wave tokens. Without
  // them only the role can hold a token (in a lane name), and it is resolved once, in its memo.
  const own = notes(c);
  const pulled = pulledForward(c);
  if (pulled.length > 0) return resolve([c.placed.placement, ...pickNotes(pulled, d, own)].join('; ') + role);
  if (own.length > 0) return resolve([c.placed.placement, ...own].join('; ') + role);
  if (!role) return c.placed.placement;
  // The role brings its separator, so the reason is one rope node over two shared strings.
  return (reasons.at(c.placed.placement).at(role).value ??= c.placed.placement + role);
}

/**
 * A coverage pick's notes: what it was pulled forward for, then its own notes (a freeze move), and
 * when a freeze left it in a catch-up wave, that it no longer exercises those early: catch-up waves
 * run once the stage's waves have been monitored, alongside the next stage.
 */
function pickNotes(pulled: readonly string[], d: Draft, own: readonly string[]): string[] {
  const why = `pulled forward to exercise ${pulled.join(', ')} early`;
  if (d.kind !== 'catch-up') return [why, ...own];
  return [
    `was ${why}`,
    ...own,
    `so it is in this catch-up wave, after the low stage's other waves, and no longer exercises ${pulled.length === 1 ? 'that' : 'those'} early (the coverage section says which early waves do)`,
  ];
}

/**
 * How a lane wave grouped the tenant, resolved and after the '; ' that sets it off in the member's
 * reason, shared by the tenants it groups alike.
 */
function laneRole(c: Candidate, d: Draft, risk: PlanConfig['risk'], resolve: (s: string) => string, memo: PlanMemo): string {
  const size = sizeStratum(c.tenant);
  const sla = d.round === ROUND.premium ? slaClass(c.tenant, risk) : undefined;
  const { touches } = c.traits;
  // The lane last: most lanes of a large plan are a rule's side-by-side sub-waves with one role
  // each, so the lane is a leaf under the few shared nodes rather than the root of nodes of its own.
  const node = memo.roles.at(touches).at(size);
  return ((sla ? node.at(sla) : node).at(d.lane).value ??= resolve(
    `; grouped with similar tenants (lane ${d.lane}, ${touches.length ? touches.join(', ') : 'no touched configuration'}, ${size})`
    + (sla ? `; ${sla} SLA, so it waits until the stage's standard-SLA waves and premium canaries have been monitored` : '')));
}

/** Each tenant's touches, strata, planned tier, SLA class and stakes, for the coverage report's gaps. */
function fleetUsage(tenants: Tenant[], touchesOf: (t: Tenant) => readonly string[], candidates: Candidate[], holds: Plan['holds'], asOf: string, risk: PlanConfig['risk']): FleetUsage[] {
  // Planned tiers: a strategic account counts as high even when its score says less.
  const tiers = new Map<string, string>(candidates.map((c) => [c.tenant.id, c.placed.tier]));
  for (const h of holds) tiers.set(h.tenantId, 'hold');
  return tenants.map((t) => {
    const sla = slaClass(t, risk);
    return { id: t.id, touches: touchesOf(t), strata: tenantStrata(t), tier: tiers.get(t.id) ?? 'hold', sla, stakes: highStakes(t, sla, asOf, risk) };
  });
}

/**
 * `previous`: the growth sub-wave before this one in its stage, for a growth sub-wave that is not
 * the stage's first. The pilot and lane reasons (nearly every wave of a large plan) are joined:
 * each wave keeps its own, and a template leaves a rope of about a dozen nodes.
 */
function waveReason(d: Draft, config: PlanConfig, memo: PlanMemo, previous?: { id: string; size: number }): string {
  const n = d.members.length;
  switch (d.kind) {
    case 'pilot': return joined('internal and beta opt-in tenants only (', String(n), '): our own and volunteer tenants see a fault first', sideBySide(d, config, memo));
    case 'growth': {
      const step = previous
        ? `the ${d.stage} stage's next growth step, after ${plural(previous.size, 'tenant')} in ${previous.id}`
        : `the ${d.stage} stage starts small so a fault shows on few tenants`;
      // Counted in the members as planned: a freeze can move a coverage pick to a later sub-wave.
      const picks = d.members.reduce((k, c) => k + (pulledForward(c).length > 0 ? 1 : 0), 0);
      const held = picks === 0 ? '' : `; holds ${picks === 1 ? 'one' : picks} of the low-stakes tenants pulled forward to exercise early each touched configuration and size or complexity stratum that a low-stakes low-risk tenant can (the coverage section names those none can)`;
      return `growth sub-wave of ${n} (at most ${d.capacity}): ${step}${held}`;
    }
    case 'lane': {
      const who = d.round === ROUND.premium ? premiumClasses(d.members) : 'standard-SLA';
      const when = d.round === ROUND.premium ? ', after every standard-SLA wave and premium canary of the stage has been monitored' : ', before any gold or platinum wave of the stage';
      // Most waves of a large plan are lane waves, most of those a rule's side-by-side sub-wave of
      // one tenant, and only the lane name sets such a reason apart: it sits between two parts
      // shared by the waves alike, a rope of two nodes instead of 330 characters per wave.
      const side = sideBySide(d, config, memo);
      const head = (memo.laneReasonHeads.at(n).at(d.stage).at(who).value ??= joined(plural(n, `${d.stage}-risk ${who} tenant`), ' of lane '));
      const tail = (memo.laneReasonTails.at(d.stage).at(when).at(side).value ??= joined(' grouped by touched configurations and size, so a fault stays in one group (max ',
        String(d.stage === 'high' ? config.maxHighWaveSize : config.maxWaveSize), ')', when, side));
      return head + d.lane + tail;
    }
    case 'canary': {
      const who = premiumClasses(d.members);
      const them = n === 1
        ? `premium canary (1): a ${who} tenant that exercises configurations no tenant before it does, picked to cover as many of those as it can`
        : `premium canaries (${n}): ${who} tenants that exercise configurations no tenant before them does, each picked to cover as many of those as it can`;
      return `${them}, monitored before the stage's other gold and platinum waves${sideBySide(d, config, memo)}`;
    }
    case 'catch-up': return `catch-up for ${plural(n, `${d.stage}-stage tenant`)} whose freeze window collided with their wave: runs after the freeze ends, in its own lane, without holding up later stages`;
  }
}

/** The SLA classes of a premium wave's members ('gold', 'platinum', 'gold and platinum'): a wave of one has one. */
function premiumClasses(members: readonly Candidate[]): string {
  let gold = false;
  let platinum = false;
  for (const c of members) {
    if (c.traits.slaRank === SLA_RANK.gold) gold = true;
    else if (c.traits.slaRank === SLA_RANK.platinum) platinum = true;
  }
  return gold && platinum ? 'gold and platinum' : platinum ? 'platinum' : 'gold';
}

/**
 * Why a rule-split sub-wave runs in a lane of its own, and what that means: the rule bounds each
 * wave, not the hours, so a PM must see that both waves' tenants are exposed at once; and how the
 * rule would change that, as it stands (a rule without `sideBySide` has the default, side by side:
 * the reason must not read as if the rule set it). A rule with `sideBySide: false` (lanes on) keeps
 * its sub-waves in their lane after the wave it kept their tenants out of, and its sub-waves say
 * so. One string per rule and plan: at 100k most lane waves are such sub-waves.
 */
function sideBySide(d: Draft, config: PlanConfig, memo: PlanMemo): string {
  if (!d.splitBy) return '';
  const apart = keptApart(d.splitBy, config);
  if (!apart && !splitLane(d.splitBy, memo).test(d.lane)) return '';
  let why = memo.sideBySideReasons.get(d.splitBy);
  if (why === undefined) {
    const set = config.risk.neverTogether.find((r) => r.id === d.splitBy)?.sideBySide === true;
    why = apart
      ? `; opened when the never-together rule "${d.splitBy}" kept its members out of an earlier wave of this lane; the rule sets sideBySide: false, so the two waves run one after another in the lane, not side by side`
      : `; runs side by side with the wave the never-together rule "${d.splitBy}" keeps its members out of: each wave holds at most what the rule allows, but their tenants are exposed in the same hours (${set ? 'the rule sets sideBySide: true; setting it to false would run them one after another' : 'setting sideBySide: false on the rule would run them one after another'})`;
    memo.sideBySideReasons.set(d.splitBy, why);
  }
  return why;
}

function ruleLead(split: Split, memo: PlanMemo, timing: string): string {
  const key = split.rule + timing;
  let lead = memo.ruleLeads.get(key);
  if (lead === undefined) memo.ruleLeads.set(key, (lead = `${split.description}${timing}: `));
  return lead;
}

/** The lane names of a rule's side-by-side sub-waves ('eu/highly-regulated-2'), one pattern per rule and plan. */
function splitLane(rule: string, memo: PlanMemo): RegExp {
  let pattern = memo.splitLanes.get(rule);
  if (!pattern) {
    pattern = new RegExp(`/${rule}-\\d+$`);
    memo.splitLanes.set(rule, pattern);
  }
  return pattern;
}

/**
 * A sub-wave every member left has no id, and a note naming it must still let a reader find what
 * it was among the plan's waves: a tenant may have left it after moving in (so it was not always
 * the tenant's first), and "its first planned sub-wave" read as the stage's first. A side-by-side
 * sub-wave a never-together rule opened is named by its rule, not by its lane
 * ('us/highly-regulated-3'), which no wave of the plan shows once it is dropped.
 */
function droppedWave(d: Draft): string {
  const dropped = 'which the plan drops since no member is left in it';
  if (d.splitBy && d.lane.includes(`/${d.splitBy}-`)) {
    return `a side-by-side sub-wave of the ${d.stage} stage (opened by the never-together rule ${d.splitBy}), ${dropped}`;
  }
  const kind = d.kind === 'pilot' ? 'pilot' : `${d.stage}-stage${d.kind === 'growth' ? ' growth' : d.kind === 'canary' ? ' premium canary' : ''}`;
  return `a ${kind} sub-wave${d.lane === 'main' ? '' : ` of lane ${d.lane}`}, ${dropped}`;
}

/** 'w1', 'w2a', 'w2b', … : the number counts stages present, the letters sub-waves. */
function waveIds(waves: ScheduledDraft[]): string[] {
  const stages = STAGES.filter((s) => waves.some((w) => w.draft.stage === s));
  const count = new Map<Stage, number>();
  for (const w of waves) count.set(w.draft.stage, (count.get(w.draft.stage) ?? 0) + 1);
  const seen = new Map<Stage, number>();
  return waves.map((w) => {
    const s = w.draft.stage;
    const k = seen.get(s) ?? 0;
    seen.set(s, k + 1);
    const n = stages.indexOf(s) + 1;
    return (count.get(s) ?? 0) > 1 ? `w${n}${letters(k)}` : `w${n}`;
  });
}

function letters(k: number): string {
  let s = '';
  for (let n = k + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(97 + ((n - 1) % 26)) + s;
  return s;
}
