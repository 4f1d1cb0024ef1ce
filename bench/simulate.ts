/**
 * The plan against a naive 10 % → 50 % → 100 % random rollout, on generated fleets with a fault
 * hidden in one touched configuration: `npm run bench:simulate [-- --fleets N --size N --trials N]`.
 *
 * A fault lives in one configuration the feature touches (system, kind or setting), sometimes only
 * on large (≥ 2,500 users) or complex tenants. The naive rollout gives the same notice lead and
 * honours the same freeze windows as the plan. A faulty tenant reveals it during its wave's
 * monitoring window with a probability that grows with its traffic; the rollout stops at the end
 * of the first window in which any faulty tenant revealed it. Every faulty tenant enabled before
 * that moment was hit.
 * `--config JSON` plans with that plan config (merged over the defaults) instead.
 */
import type { Plan } from '../shared/model/plan';
import type { Tenant } from '../shared/model/tenant';
import { buildPlan } from '../shared/plan/build';
import { defaultRiskConfig } from '../shared/risk/config';
import { tenantTouches } from '../shared/risk/touch';
import { complexityStratum, sizeStratum } from '../shared/plan/strata';
import { PlanConfig, type PlanConfigInput } from '../shared/plan/config';
import { calendarStart } from '../shared/plan/timeline';
import { benchFeature, generateFleet, seeded, type Random } from './fleet-gen';

const asOf = '2026-03-02T08:00:00Z';
const HOUR = 3_600_000;
const NAIVE_STAGE_HOURS = 48;
const NAIVE_STAGES = [0.1, 0.5, 1];

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const FLEETS = arg('fleets', 8);
const SIZE = arg('size', 1000);
const TRIALS = arg('trials', 200);
/** `--config '{"growth":{"low":[1,10,100]}}'`: a plan config to try instead of the default. */
const configArg = process.argv.indexOf('--config');
const CONFIG: PlanConfigInput = configArg > 0 ? JSON.parse(process.argv[configArg + 1]) as PlanConfigInput : {};
/** The plan's calendar rules (start window, weekends) forced to business hours, for the naive rollout. */
const BUSINESS = PlanConfig.parse({ ...CONFIG, calendar: 'business' });

type Scenario = { name: string; config: string; only?: (t: Tenant) => boolean };
const SCENARIOS: Scenario[] = [
  { name: 'salesforce sync', config: 'system:salesforce' },
  { name: 'salesforce sync, large tenants only', config: 'system:salesforce', only: (t) => sizeStratum(t) === 'large' },
  { name: 'slack messages', config: 'system:slack' },
  { name: 'approval_flow setting', config: 'setting:approval_flow' },
  { name: 'approval_flow, complex tenants only', config: 'setting:approval_flow', only: (t) => complexityStratum(t) === 'complex' },
  { name: 'any CRM, complex tenants only', config: 'kind:crm', only: (t) => complexityStratum(t) === 'complex' },
];

/** Reveal chance in one monitoring window: 15 % for an idle tenant, towards 90 % for a busy one. */
function revealChance(t: Tenant): number {
  const rpm = t.baseline.requestsPerMinute;
  return 0.15 + 0.75 * (rpm / (rpm + 2_000));
}

/** Our own internal tenants cannot escalate; customers count more with SLA, anchor status, renewal. */
function escalationWeight(t: Tenant): number {
  if (t.internal) return 0;
  const renewalSoon = t.contract.renewalDate !== undefined && Date.parse(t.contract.renewalDate) - Date.parse(asOf) < 90 * 24 * HOUR;
  return 1 + (t.sla === 'platinum' ? 4 : t.sla === 'gold' ? 2 : 0) + (t.strategic.anchor ? 4 : 0) + (renewalSoon ? 2 : 0);
}

/** When a batch of these tenants may start at or after t: the plan's calendar, or right away. */
type Align = (t: number, ids: string[]) => number;

/** Batches as the rollout enables them: start time, when its monitoring window ends, tenant ids. */
type Batch = { start: number; detectAt: number; ids: string[] };

function planBatches(plan: Plan): Batch[] {
  return plan.waves.map((w) => ({ start: Date.parse(w.start), detectAt: Date.parse(w.start) + w.monitoringWindowSeconds * 1000, ids: w.members.map((m) => m.tenantId) }));
}

/**
 * The naive rollout on the same terms as the plan: it starts once the same notice lead has passed
 * (`t0`) and honours freeze windows, so a tenant whose freeze overlaps its batch's 48 h stage is
 * enabled when the freeze ends. Returns its batches in start order and when its last stage ends.
 */
function naiveRollout(ids: string[], byId: Map<string, Tenant>, r: Random, windowMs: number, t0: number, align: Align = (t) => t): { batches: Batch[]; end: number; stagesEnd: number } {
  const order = [...ids];
  for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
  const stageMs = NAIVE_STAGE_HOURS * HOUR;
  const batches: Batch[] = [];
  const deferred = new Map<number, string[]>();
  let from = 0;
  let start = t0;
  NAIVE_STAGES.forEach((share, k) => {
    const to = Math.round(order.length * share);
    const ids = order.slice(from, to);
    start = align(k === 0 ? t0 : start + stageMs, ids);
    const now: string[] = [];
    for (const id of ids) {
      const freeze = byId.get(id)!.freezeWindows.find((f) => Date.parse(f.start) < start + stageMs && start < Date.parse(f.end));
      if (!freeze) { now.push(id); continue; }
      const at = align(Date.parse(freeze.end), [id]);
      deferred.set(at, [...(deferred.get(at) ?? []), id]);
    }
    batches.push({ start, detectAt: start + windowMs, ids: now });
    from = to;
  });
  for (const [at, late] of deferred) batches.push({ start: at, detectAt: at + windowMs, ids: late });
  batches.sort((a, b) => a.start - b.start);
  return { batches, end: Math.max(start + stageMs, ...[...deferred.keys()].map((at) => at + stageMs)), stagesEnd: start + stageMs };
}

type Outcome = { hit: number; weighted: number; premiumHit: boolean };

function run(batches: Batch[], faulty: Map<string, Tenant>, r: Random): Outcome {
  let detection = Infinity;
  for (const b of batches) {
    if (b.start >= detection) break;
    if (b.ids.some((id) => { const t = faulty.get(id); return t !== undefined && r() < revealChance(t); })) detection = Math.min(detection, b.detectAt);
  }
  let hit = 0;
  let weighted = 0;
  let premiumHit = false;
  for (const b of batches) {
    if (b.start >= detection) continue;
    for (const id of b.ids) {
      const t = faulty.get(id);
      if (!t) continue;
      hit++;
      weighted += escalationWeight(t);
      if (t.sla === 'gold' || t.sla === 'platinum') premiumHit = true;
    }
  }
  return { hit, weighted, premiumHit };
}

/**
 * A faster plan shape: fewer growth steps, bigger waves, no business-hours alignment, and up to
 * four highly regulated accounts per wave (the one-per-wave default is what stretches the
 * calendar most: every regulated tenant of a lane gets a wave of its own).
 */
const FAST = {
  growth: { low: [1, 10, 100], medium: [], high: [] }, maxWaveSize: 500, maxHighWaveSize: 50, calendar: 'continuous' as const,
  risk: { ...defaultRiskConfig, neverTogether: defaultRiskConfig.neverTogether.map((r) => (r.id === 'highly-regulated' ? { ...r, maxPerWave: 4, description: 'at most four highly regulated accounts per wave' } : r)) },
};

const feature = benchFeature();
const fast = { outcomes: [] as Outcome[], naive: [] as Outcome[], hours: [] as number[] };
const rows = SCENARIOS.map((s) => ({ s, plan: [] as Outcome[], naive: [] as Outcome[], faulty: 0, premium: 0 }));
const calendar = { plan: [] as number[], planSequential: [] as number[], continuous: [] as number[], lead: [] as number[], naive: [] as number[], continuousRegular: [] as number[], noticeLead: [] as number[], naiveBusiness: [] as number[], naiveBusinessStages: [] as number[] };
/** Hours from asOf to the last wave's end: notice lead included, as a PM would count them. */
const hoursFromAsOf = (p: Plan) => p.timeline.totalSeconds / 3600 + (Date.parse(p.timeline.start) - Date.parse(asOf)) / HOUR;
for (let f = 0; f < FLEETS; f++) {
  const tenants = generateFleet(SIZE, 1000 + f, { asOf });
  const plan = buildPlan({ tenants, feature, asOf, config: CONFIG });
  calendar.plan.push(hoursFromAsOf(plan));
  calendar.planSequential.push(plan.timeline.sequentialSeconds / 3600);
  calendar.lead.push((Date.parse(plan.timeline.start) - Date.parse(asOf)) / HOUR);
  // The naive baseline runs around the clock: the same plan without business-hours starts shows
  // what the calendar alignment itself costs.
  const continuous = buildPlan({ tenants, feature, asOf, config: { ...CONFIG, calendar: 'continuous' } });
  calendar.continuous.push(hoursFromAsOf(continuous));
  calendar.continuousRegular.push(Math.max(...continuous.waves.filter((w) => !w.lane.startsWith('catch-up')).map((w) => Date.parse(w.end) - Date.parse(asOf))) / HOUR);
  const scheduled = new Set(plan.waves.flatMap((w) => w.members.map((m) => m.tenantId)));
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const pb = planBatches(plan);
  const windowMs = (plan.waves[0]?.monitoringWindowSeconds ?? 43_200) * 1000;
  const naiveStart = Date.parse(asOf) + plan.noticeLeadSeconds * 1000;
  calendar.noticeLead.push(plan.noticeLeadSeconds / 3600);
  calendar.naive.push((naiveRollout([...scheduled], byId, seeded(f), windowMs, naiveStart).end - Date.parse(asOf)) / HOUR);
  // The naive rollout on the plan's business calendar: each stage and each tenant a freeze held
  // back starts in the start window of a weekday, like the plan's waves.
  const business = naiveRollout([...scheduled], byId, seeded(f), windowMs, naiveStart,
    (t, ids) => calendarStart(t, ids.map((id) => ({ tenant: byId.get(id)! })), NAIVE_STAGE_HOURS * 3600, BUSINESS));
  calendar.naiveBusiness.push((business.end - Date.parse(asOf)) / HOUR);
  calendar.naiveBusinessStages.push((business.stagesEnd - Date.parse(asOf)) / HOUR);
  const fastPlan = buildPlan({ tenants, feature, asOf, config: FAST });
  fast.hours.push(hoursFromAsOf(fastPlan));
  const fb = planBatches(fastPlan);
  for (const row of rows) {
    const faulty = new Map([...scheduled].map((id) => byId.get(id)!)
      .filter((t) => tenantTouches(t, feature).includes(row.s.config) && (row.s.only?.(t) ?? true)).map((t) => [t.id, t]));
    if (faulty.size === 0) continue;
    row.faulty += faulty.size;
    row.premium += [...faulty.values()].filter((t) => t.sla !== 'standard').length;
    const r = seeded(7919 * (f + 1));
    for (let k = 0; k < TRIALS; k++) {
      row.plan.push(run(pb, faulty, r));
      // Naive rolls out to the same scheduled tenants (holds respected), in random order.
      const naiveBatch = naiveRollout([...scheduled], byId, r, windowMs, naiveStart).batches;
      row.naive.push(run(naiveBatch, faulty, r));
      fast.outcomes.push(run(fb, faulty, r));
      fast.naive.push(run(naiveBatch, faulty, r));
    }
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
console.log(`${FLEETS} generated fleets × ${SIZE} tenants, ${TRIALS} trials per fleet and scenario; feature ${feature.key}`);
console.log('| fault lives in | faulty tenants (gold/platinum) | faulty hit: plan | naive | escalation-weighted: plan | naive | reduction | gold/platinum hit: plan | naive |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
const all = { plan: [] as Outcome[], naive: [] as Outcome[] };
for (const row of rows) {
  all.plan.push(...row.plan);
  all.naive.push(...row.naive);
  const pw = mean(row.plan.map((o) => o.weighted));
  const nw = mean(row.naive.map((o) => o.weighted));
  console.log(`| ${row.s.name} | ${(row.faulty / FLEETS).toFixed(0)} (${(100 * row.premium / Math.max(1, row.faulty)).toFixed(0)} %) | ${mean(row.plan.map((o) => o.hit)).toFixed(1)} | ${mean(row.naive.map((o) => o.hit)).toFixed(1)} | ${pw.toFixed(1)} | ${nw.toFixed(1)} | ${(100 * (1 - pw / nw)).toFixed(0)} % | ${(100 * mean(row.plan.map((o) => Number(o.premiumHit)))).toFixed(0)} % | ${(100 * mean(row.naive.map((o) => Number(o.premiumHit)))).toFixed(0)} % |`);
}
const pw = mean(all.plan.map((o) => o.weighted));
const nw = mean(all.naive.map((o) => o.weighted));
console.log(`| **all scenarios** | | ${mean(all.plan.map((o) => o.hit)).toFixed(1)} | ${mean(all.naive.map((o) => o.hit)).toFixed(1)} | ${pw.toFixed(1)} | ${nw.toFixed(1)} | ${(100 * (1 - pw / nw)).toFixed(0)} % | ${(100 * mean(all.plan.map((o) => Number(o.premiumHit)))).toFixed(0)} % | ${(100 * mean(all.naive.map((o) => Number(o.premiumHit)))).toFixed(0)} % |`);
console.log('');
console.log('| calendar time (to last wave end, from asOf) | hours |');
console.log('| --- | ---: |');
console.log(`| plan, parallel lanes, business-hours starts (mean) | ${mean(calendar.plan).toFixed(0)} |`);
console.log(`| … of which notice lead and first start window before the first wave | ${mean(calendar.lead).toFixed(0)} |`);
console.log(`| plan, parallel lanes, continuous calendar like the naive baseline (mean) | ${mean(calendar.continuous).toFixed(0)} |`);
console.log(`| … its waves outside the catch-up lanes end at (mean) | ${mean(calendar.continuousRegular).toFixed(0)} |`);
console.log(`| plan, waves one after another, business-hours starts (mean) | ${mean(calendar.planSequential).toFixed(0)} |`);
console.log(`| naive 10 % → 50 % → 100 %, 48 h stages, after the same notice lead, freeze windows honoured (mean) | ${mean(calendar.naive).toFixed(0)} |`);
console.log(`| … its three stages, without the tenants waiting for a freeze, end at | ${(mean(calendar.noticeLead) + NAIVE_STAGES.length * NAIVE_STAGE_HOURS).toFixed(0)} |`);
console.log(`| naive on the plan's business calendar (each stage starts in a weekday start window), same notice lead, freezes honoured (mean) | ${mean(calendar.naiveBusiness).toFixed(0)} |`);
console.log(`| … its three stages, without the tenants waiting for a freeze, end at | ${mean(calendar.naiveBusinessStages).toFixed(0)} |`);
console.log(`| naive as first defined: from t = 0, no notice lead, freezes ignored | ${NAIVE_STAGES.length * NAIVE_STAGE_HOURS} |`);
// Means hide which fleets lose: a single tenant whose freeze sits on the high stage can add days to one plan.
const noLater = (plan: number[], naive: number[]) => `${plan.filter((h, i) => h <= naive[i]).length} of ${plan.length}`;
console.log(`| fleets where the plan ends no later than naive, continuous calendar | ${noLater(calendar.continuous, calendar.naive)} |`);
console.log(`| fleets where the plan ends no later than naive, business calendar | ${noLater(calendar.plan, calendar.naiveBusiness)} |`);
console.log('');
const fw = mean(fast.outcomes.map((o) => o.weighted));
const fnw = mean(fast.naive.map((o) => o.weighted));
console.log('| faster plan shape (no medium or high growth sub-waves, waves ≤ 500, high waves ≤ 50, ≤ 4 regulated per wave, continuous calendar), all scenarios | value |');
console.log('| --- | ---: |');
console.log(`| faulty tenants hit before detection | ${mean(fast.outcomes.map((o) => o.hit)).toFixed(1)} |`);
console.log(`| escalation-weighted exposure (naive) | ${fw.toFixed(1)} (${fnw.toFixed(1)}) |`);
console.log(`| reduction against naive | ${(100 * (1 - fw / fnw)).toFixed(0)} % |`);
console.log(`| gold/platinum hit | ${(100 * mean(fast.outcomes.map((o) => Number(o.premiumHit)))).toFixed(0)} % |`);
console.log(`| calendar hours (mean) | ${mean(fast.hours).toFixed(0)} |`);
