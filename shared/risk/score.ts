import type { Tenant } from '../model/tenant';
import type { Feature } from '../model/feature';
import type { FactorContribution, HoldReason, RiskAdjustment, RiskProfile, Tier } from '../model/plan';
import { defaultRiskConfig, type RiskConfig } from './config';
import { isCustomizationTouched, isIntegrationTouched, touchedConfigs } from './touch';
import { holdMemo, holdReasons, type HoldMemo } from './holds';
import { describeSla, slaClass } from './sla';
import { highlyRegulatedBy } from './regulated';
import { daysUntil, joined, money, plural, round1 } from './format';
import { KeyTree } from '../memo';

type Factor = FactorContribution['factor'];
type Weighted = Exclude<Factor, 'history'>;
type Measured = { value: number; reason: string };
type Context = { touched: readonly string[]; config: RiskConfig; asOf: string };
type Memo = KeyTree<FactorContribution>;

/**
 * Memo for `scoreTenant` across one plan. Most factor contributions depend on a few tenant traits
 * (the integrations and settings it has, SLA, health, strategic flags, regulation), so a fleet has
 * few distinct ones: each is built once and the same object is shared by every tenant with those
 * traits, which keeps a large plan's memory and garbage down. Shared objects are never mutated.
 * Only valid for one feature, config, asOf and list of adjustments.
 */
export interface ScoreMemo {
  /** Per factor, contributions by the traits that decide them. */
  factors: Record<Factor, Memo>;
  /** Retrospective adjustments by tenant id, so no tenant scans the whole list. */
  lessons: Map<string, RiskAdjustment[]>;
  /** The part of a summary after the tenant's name, ' scores 16.0 (low risk)', by score. */
  scoreParts: Map<number, string>;
  holds: HoldMemo;
  /** What every factor is measured against, made for the first tenant scored. */
  context?: Context;
}

export function scoreMemo(adjustments: readonly RiskAdjustment[] = []): ScoreMemo {
  const lessons = new Map<string, RiskAdjustment[]>();
  for (const a of adjustments) {
    const own = lessons.get(a.tenantId);
    if (own) own.push(a);
    else lessons.set(a.tenantId, [a]);
  }
  const factors = {} as ScoreMemo['factors'];
  for (const f of FACTORS) factors[f] = new KeyTree();
  return { factors, lessons, scoreParts: new Map(), holds: holdMemo() };
}

const NO_LESSONS: readonly RiskAdjustment[] = [];

const FACTORS: readonly Factor[] = ['integrations', 'customization', 'sla', 'health', 'tickets', 'strategic', 'regulated', 'history'];

/**
 * The weighted factors in profile order: how each is measured, and where the tenant's traits that
 * decide it lead in the factor's memo (undefined when the contribution is the tenant's own, like
 * its ticket ids).
 */
const WEIGHTED: readonly { factor: Weighted; measure: (t: Tenant, c: Context) => Measured; memoOf: (m: Memo, t: Tenant, c: Context) => Memo | undefined }[] = [
  { factor: 'integrations', measure: integrations, memoOf: integrationsMemo },
  { factor: 'customization', measure: customization, memoOf: customizationMemo },
  { factor: 'sla', measure: sla, memoOf: (m, t) => m.at(typeof t.sla === 'string' ? t.sla : t.sla.uptimePercent) },
  { factor: 'health', measure: health, memoOf: (m, t) => m.at(t.health) },
  { factor: 'tickets', measure: tickets, memoOf: (m, t) => (t.openTickets.length === 0 ? m : undefined) },
  { factor: 'strategic', measure: strategic, memoOf: strategicMemo },
  { factor: 'regulated', measure: regulated, memoOf: regulatedMemo },
];

/**
 * A tenant's 0..100 risk for this feature: each factor normalised to 0..1, times its weight,
 * plus retrospective lessons (history). The factor points always add up to the score.
 */
export function scoreTenant(
  tenant: Tenant,
  feature: Feature,
  ctx: {
    asOf: string; config?: RiskConfig; adjustments?: RiskAdjustment[]; horizonEnd?: string;
    /** `touchedConfigs(feature)`, when the caller scores a whole fleet and has it already. */
    touched?: readonly string[];
    /**
     * `scoreMemo(adjustments)`, when the caller scores a whole fleet for one feature, config and
     * asOf; the memo's adjustments are then the ones that count.
     */
    memo?: ScoreMemo;
  },
): RiskProfile {
  const config = ctx.config ?? defaultRiskConfig;
  const { memo } = ctx;
  const c: Context = memo?.context ?? { touched: ctx.touched ?? touchedConfigs(feature), config, asOf: ctx.asOf };
  if (memo) memo.context = c;
  // Sized up front: every profile keeps this array, and growing it by push over-allocates.
  const factors = new Array<FactorContribution>(WEIGHTED.length + 1);
  let sum = 0;
  for (let i = 0; i < WEIGHTED.length; i++) {
    const { factor, measure, memoOf } = WEIGHTED[i];
    const seen = memo && memoOf(memo.factors[factor], tenant, c);
    const f = seen?.value ?? weighted(factor, measure(tenant, c), config);
    if (seen) seen.value = f;
    factors[i] = f;
    sum += f.points;
  }
  // Most plans have no lessons at all: then the id (a string to hash) is not even looked at.
  const own = memo ? (memo.lessons.size > 0 && memo.lessons.get(tenant.id)) || NO_LESSONS : lessonsOf(ctx.adjustments ?? [], tenant.id);
  const lessons = history(own, round1(sum), config, memo);
  factors[WEIGHTED.length] = lessons;
  const score = round1(sum + lessons.points);
  const scoreTier = tierOf(score, config);
  const holds = holdReasons(tenant, feature, ctx, memo?.holds);
  return {
    tenantId: tenant.id,
    tenantName: tenant.name,
    score,
    scoreTier,
    tier: holds.length > 0 ? 'hold' : scoreTier,
    factors,
    summary: summarise(tenant.name, score, scoreTier, factors, holds, memo),
    holds,
  };
}

/** In a function of its own: a closure over the tenant would make every scoreTenant call allocate a context for it. */
function lessonsOf(adjustments: readonly RiskAdjustment[], tenantId: string): RiskAdjustment[] {
  return adjustments.filter((a) => a.tenantId === tenantId);
}

function weighted(factor: Weighted, measured: Measured, config: RiskConfig): FactorContribution {
  const weight = config.weights[factor];
  const value = Math.min(1, Math.max(0, measured.value));
  return { factor, weight, value, points: round1(weight * value), reason: measured.reason };
}

export function tierOf(score: number, config: RiskConfig = defaultRiskConfig): Exclude<Tier, 'hold'> {
  if (score >= config.tiers.high) return 'high';
  return score >= config.tiers.medium ? 'medium' : 'low';
}

function integrations(tenant: Tenant, { touched, config }: Context): Measured {
  const n = config.normalisation;
  if (tenant.integrations.length === 0) return { value: 0, reason: 'no integrations' };
  // One pass, adding up the load in the tenant's order: a thousand tenants of a 10k fleet have a
  // list of integrations of their own, and the sum's last digit depends on the order.
  let load = 0;
  let hits = 0;
  let names = '';
  for (const i of tenant.integrations) {
    const hit = isIntegrationTouched(i, touched);
    load += n.integrationKind[i.kind] * (hit ? 1 : n.untouchedIntegrationShare);
    if (hit) names += `${hits++ > 0 ? ', ' : ''}${i.version ? `${i.system} ${i.version}` : i.system}`;
  }
  return {
    value: load / n.integrationSaturation,
    // Joined: built once per distinct list of integrations, and every profile with it keeps it.
    reason: joined(plural(tenant.integrations.length, 'integration'), ', ', hits === 0 ? 'none' : `${hits} (${names})`, ' touched by this feature'),
  };
}

function customization(tenant: Tenant, { touched, config }: Context): Measured {
  const n = config.normalisation;
  const hit = tenant.customizations.filter((c) => isCustomizationTouched(c, touched));
  const load = tenant.customizations.reduce(
    (sum, c) => sum + n.customizationKind[c.kind] * (hit.includes(c) ? 1 : n.untouchedCustomizationShare), 0);
  if (tenant.customizations.length === 0) return { value: 0, reason: 'no customizations' };
  const scripts = tenant.customizations.filter((c) => c.kind === 'script').length;
  return {
    value: load / n.customizationSaturation,
    reason: joined(plural(tenant.customizations.length, 'customization'), scripts ? ` (${plural(scripts, 'script')})` : '', ', ',
      hit.length === 0 ? 'none' : `${hit.length} (${hit.map((c) => c.key).join(', ')})`, ' touched by this feature'),
  };
}

function sla(tenant: Tenant, { config }: Context): Measured {
  const cls = slaClass(tenant, config);
  const described = describeSla(tenant);
  return { value: config.normalisation.sla[cls], reason: described.startsWith(cls) ? described : `${described} (${cls} class)` };
}

function health(tenant: Tenant): Measured {
  return { value: (100 - tenant.health) / 100, reason: `health ${tenant.health}/100` };
}

const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;

function tickets(tenant: Tenant, { config }: Context): Measured {
  const open = tenant.openTickets;
  if (open.length === 0) return { value: 0, reason: 'no open tickets' };
  // One pass: a fifth of a fleet has tickets, and this is the one factor never shared.
  const counts = [0, 0, 0, 0];
  let value = 0;
  for (const t of open) {
    counts[SEVERITIES.indexOf(t.severity)]++;
    value += config.normalisation.ticketSeverity[t.severity];
  }
  // Joined rather than concatenated, as the summary is: every profile keeps its reason, and
  // growing it part by part leaves a rope of a node per part (about 3 MB at 100k tenants).
  const parts: string[] = [];
  for (let i = 0; i < SEVERITIES.length; i++) if (counts[i] > 0) parts.push(parts.length > 0 ? ', ' : '', `${counts[i]} ${SEVERITIES[i]}`);
  parts.push(' open');
  // Tickets a table row only counted have placeholder ids: name only real ones.
  let named = 0;
  let unnamed = 0;
  for (const t of open) {
    if (t.counted) unnamed++;
    else if (named < 3) parts.push(named++ > 0 ? ', ' : ' (', t.id);
  }
  if (named > 0) parts.push(open.length - unnamed > 3 ? ', …)' : ')');
  if (unnamed > 0) parts.push(named > 0 ? `; ${unnamed} counted in the tenant table` : ' (counted in the tenant table)');
  return { value, reason: parts.join('') };
}

function strategic(tenant: Tenant, { asOf, config }: Context): Measured {
  const s = config.normalisation.strategic;
  // A flag counts when it adds something, summed and named in this order.
  let value = 0;
  const named: string[] = [];
  const flag = (v: number, reason: string) => {
    if (v <= 0) return;
    value += v;
    named.push(reason);
  };
  if (tenant.strategic.anchor) flag(s.anchor, 'anchor account');
  if (tenant.strategic.executiveEscalation) flag(s.executiveEscalation, 'executive escalation');
  const days = renewalDays(tenant, asOf, config);
  if (days !== undefined) flag(s.renewal, `renewal in ${plural(days, 'day')}`);
  const arr = tenant.contract.arr;
  if (arr !== undefined) flag(arrBand(arr, config), `ARR ${money(arr)}`);
  return {
    value,
    reason: named.length > 0 ? named.join(', ') : joined('no strategic flags', arr !== undefined ? ` (ARR ${money(arr)})` : ''),
  };
}

function integrationsMemo(m: Memo, tenant: Tenant): Memo {
  for (const i of tenant.integrations) m = m.at(i.kind).at(i.system).at(i.version);
  return m;
}

function customizationMemo(m: Memo, tenant: Tenant): Memo {
  for (const c of tenant.customizations) m = m.at(c.kind).at(c.key);
  return m;
}

/** Days to a renewal close enough to count in the strategic factor, else undefined. */
export function renewalDays(tenant: Tenant, asOf: string, config: RiskConfig): number | undefined {
  const renewal = tenant.contract.renewalDate;
  const days = renewal === undefined ? undefined : daysUntil(asOf, renewal);
  return days !== undefined && days >= 0 && days <= config.normalisation.strategic.renewalWithinDays ? days : undefined;
}

function arrBand(arr: number, config: RiskConfig): number {
  // A loop, not find: asked per tenant, and find takes a closure over arr each time.
  for (const band of config.normalisation.strategic.arrBands) if (arr >= band[0]) return band[1];
  return 0;
}

/**
 * What decides the strategic factor: the ARR band and how ARR reads, then only the flags a tenant
 * has ('anchor', 'escalation', the days to a renewal that counts), each recognisable on its own.
 */
function strategicMemo(m: Memo, tenant: Tenant, { asOf, config }: Context): Memo {
  const arr = tenant.contract.arr;
  m = arr === undefined ? m.at(undefined) : m.at(arrBand(arr, config)).at(money(arr));
  if (tenant.strategic.anchor) m = m.at('anchor');
  if (tenant.strategic.executiveEscalation) m = m.at('escalation');
  const days = renewalDays(tenant, asOf, config);
  return days === undefined ? m : m.at(days);
}

function regulatedMemo(m: Memo, tenant: Tenant): Memo {
  m = m.at(tenant.regulated.industry);
  for (const r of tenant.regulated.regimes) m = m.at(r);
  return m;
}

function regulated(tenant: Tenant, { config }: Context): Measured {
  const r = config.normalisation.regulated;
  const strict = highlyRegulatedBy(tenant, config);
  const { industry, regimes } = tenant.regulated;
  if (!industry && regimes.length === 0) return { value: 0, reason: 'not regulated' };
  const industryValue = industry === undefined ? 0 : strict.includes(industry) ? r.highlyRegulatedIndustry : r.otherIndustry;
  const regimeValue = regimes.reduce((sum, g) => sum + (strict.includes(g) ? r.strictRegime : r.otherRegime), 0);
  // The model's `other` is a regime outside its list, so it is told as one rather than by that word.
  const named = [...(industry ? [`${industry} industry`] : []), ...regimes]
    .map((g, i) => (g !== 'other' ? g : i > 0 ? 'another regime' : 'an unnamed regime')).join(', ');
  return { value: industryValue + regimeValue, reason: joined(strict.length > 0 ? 'highly regulated: ' : 'regulated: ', named) };
}

/**
 * Retrospective lessons are added on top of the weighted factors, capped at ±historyCap, and then
 * trimmed so the score stays within 0..100 — the trim shows in the reason, so points still add up.
 */
function history(own: readonly RiskAdjustment[], base: number, config: RiskConfig, memo?: ScoreMemo): FactorContribution {
  const cap = config.historyCap;
  let raw = 0;
  for (const a of own) raw += a.points;
  const capped = Math.max(-cap, Math.min(cap, raw));
  const points = round1(Math.max(-base, Math.min(100 - base, capped)));
  // Without lessons the points (0 unless trimmed to 0..100) decide the whole contribution.
  const seen = own.length === 0 ? memo?.factors.history.at(points) : undefined;
  if (seen?.value) return seen.value;
  const lessons = own.map((a) => `${a.reason} in rollout ${a.rolloutId} (${signed(a.points)})`).join('; ');
  const limits = [...(capped !== raw ? [`the ±${cap} cap`] : []), ...(points !== capped ? ['0..100'] : [])];
  const trimmed = limits.length > 0 ? `, counted ${signed(points)} to stay within ${limits.join(' and ')}` : '';
  const f: FactorContribution = {
    factor: 'history',
    weight: cap,
    value: cap === 0 ? 0 : Math.min(1, Math.abs(points) / cap),
    points,
    reason: own.length === 0 ? 'no lessons from earlier rollouts' : lessons + trimmed,
  };
  if (seen) seen.value = f;
  return f;
}

function signed(p: number): string {
  return `${p >= 0 ? '+' : ''}${p}`;
}

/**
 * '<name> scores 16.0 (low risk): <top drivers>.' and its holds. Joined rather than concatenated:
 * nearly every summary is unique to its tenant and every profile keeps it, and concatenation
 * leaves a rope of a node per part (about 100 bytes more per tenant) where join leaves one flat
 * string. The part after the name is shared by the tenants with that score.
 */
function summarise(name: string, score: number, tier: Exclude<Tier, 'hold'>, factors: FactorContribution[], holds: HoldReason[], memo?: ScoreMemo): string {
  const drivers = topDrivers(factors);
  // Sized up front: grown by push, the list would take room for about twenty parts per tenant.
  const parts = new Array<string>(3 + 2 * drivers.length + (holds.length > 0 ? 2 * holds.length + 1 : 0));
  parts[0] = name;
  parts[1] = scorePart(score, tier, memo);
  let n = 2;
  for (let i = 0; i < drivers.length; i++) {
    parts[n++] = i === 0 ? ': ' : '; ';
    parts[n++] = drivers[i].reason;
  }
  parts[n++] = '.';
  for (let i = 0; i < holds.length; i++) {
    parts[n++] = i === 0 ? ' On hold: ' : '; ';
    parts[n++] = holds[i].reason;
  }
  if (holds.length > 0) parts[n] = '.';
  return parts.join('');
}

/**
 * Puts a scored profile on hold for a reason found after scoring (the timeline's): its tier, its
 * holds and its summary then read as a tenant held at scoring does. The profile is the tenant's
 * own; its holds list may be the shared empty one, so it is replaced, not added to.
 */
export function holdProfile(profile: RiskProfile, hold: HoldReason): void {
  const first = profile.holds.length === 0;
  profile.tier = 'hold';
  profile.holds = profile.holds.concat(hold);
  // The summary ends with '.', after the drivers or after the holds so far.
  profile.summary = first ? `${profile.summary} On hold: ${hold.reason}.` : `${profile.summary.slice(0, -1)}; ${hold.reason}.`;
}

function scorePart(score: number, tier: Exclude<Tier, 'hold'>, memo?: ScoreMemo): string {
  let part = memo?.scoreParts.get(score);
  if (part === undefined) {
    // One decimal, as the plan's table prints the score: "scores 17" beside 17.0 reads as another number.
    part = ` scores ${score.toFixed(1)} (${tier} risk)`;
    memo?.scoreParts.set(score, part);
  }
  return part;
}

const DRIVERS = 3;

/** The factors adding the most points, at most three, ties in profile order (as a stable sort gives). */
function topDrivers(factors: FactorContribution[]): FactorContribution[] {
  // Sized up front: grown by push, even a list of three takes room for seventeen.
  const top = new Array<FactorContribution>(DRIVERS);
  let count = 0;
  for (const f of factors) {
    if (f.points <= 0) continue;
    // Insert into the sorted list, moving lower ones down; the one pushed past the end drops out.
    let i = count;
    while (i > 0 && top[i - 1].points < f.points) {
      if (i < DRIVERS) top[i] = top[i - 1];
      i--;
    }
    if (i < DRIVERS) top[i] = f;
    count = Math.min(DRIVERS, count + 1);
  }
  top.length = count;
  return top;
}
