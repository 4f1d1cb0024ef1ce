import type { HoldReason, Stage } from '../model/plan';
import type { PlanConfig } from './config';
import { inWords } from '../risk/format';
import { pulledForward } from './coverage';
import { lookAlikesMonitored, markAwaited, markShown, replaceCanary, unshielded, type Shown } from './shield';
import { addMember, addNote, CATCH_UP, catchUpDrafts, fits, removeMember, ROUND, STAGES, type Candidate, type Draft, type FreezeMs, type Split } from './waves';

/**
 * Calendar rules (see docs/ARCHITECTURE notes in README):
 * - A wave occupies [start, start + monitoring window + soak]; no member's freeze window may
 *   overlap that interval, and the next wave of its lane starts no earlier than its end.
 * - Business calendar: a wave starts on a weekday (in every member's own time zone) inside the
 *   start window (09:00–11:00 by default) of the wave's predominant time zone: people are at
 *   their desks and traffic has not peaked. 'auto' uses it only for waves lasting an hour or more,
 *   so a 5-second demo wave does not wait for Monday.
 * - A member whose freeze overlaps its wave moves to the next wave of its stage that avoids the
 *   freeze, or to a catch-up wave (lane 'catch-up/<stage>', or 'catch-up' without lanes) once the stage's waves have been monitored and its freeze has ended; if even that
 *   would start past the horizon it holds.
 * - A gold or platinum tenant starts only once, for every look-alike key it shares with a
 *   standard-SLA tenant, one such tenant has been monitored (see shield.ts). A freeze that moves the only such tenant of a key to
 *   a catch-up wave moves the premium tenants counting on it out too; catch-up waves put
 *   standard-SLA tenants first, and a premium one waits for its look-alikes.
 * - Start times carry every cross-lane dependency (stage gates): a runner that starts each wave
 *   after the previous wave of its lane and not before its `start` follows the plan.
 */
export interface StageDurations {
  monitoringWindowSeconds: number;
  soakSeconds: Record<Stage, number>;
}

/**
 * Why a wave soaks in full, where the timeline decides it: the stage gate (the last wave of a lane
 * in the stage's last round, or a wave nothing of its stage follows), a wave left last when freeze
 * moves emptied the waves that were to end after its soak, or a catch-up lane's last wave.
 */
export type SoakCause = 'gate' | 'emptied' | 'catch-up';

export interface ScheduledDraft {
  draft: Draft;
  start: number;
  end: number;
  soakSeconds: number;
  soakCause?: SoakCause;
}

export interface Schedule {
  waves: ScheduledDraft[];
  held: { candidate: Candidate; reason: HoldReason }[];
  catchUps: number;
  /** Drafts referenced by `⟦n⟧` tokens in candidate notes. */
  refs: Draft[];
  /**
   * Per draft of `refs`, how often it was timed again. A `⟦n@k⟧` token in a note written when draft
   * n had been timed again k times resolves to "as timed then, " when it was timed again since.
   */
  timings: number[];
}

/**
 * Per time zone (a few hundred exist): its formatter, its UTC offset at the start of each UTC day
 * asked about, and for a day whose offset changes before the next (a daylight-saving change), the
 * quarter hour of UTC it changes at. The day starts are a window of `MAX_DAYS_PER_ZONE` days from
 * `firstDay`, in a typed list (`UNKNOWN` for a day not asked yet), not a map: a 100k plan's
 * sequential replay asks about 2,400 days per zone, and a map's entries and the tables it grew
 * through were about 2 MB of the plan's peak, kept until a full GC.
 */
interface ZoneCalendar { format: Intl.DateTimeFormat; firstDay: number; dayStarts: Int32Array | undefined; changes: Map<number, number> }
const zoneCalendars = new Map<string, ZoneCalendar>();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const QUARTER = HOUR / 4;
/** About ten years of days per zone; a long-running API process starts over past that. */
const MAX_DAYS_PER_ZONE = 4_000;
/** How many days before the first day asked the window starts: a plan asks mostly later days. */
const DAYS_BEFORE = 500;
/** No offset is this many milliseconds (about 25 days). */
const UNKNOWN = 0x7fffffff;

/**
 * The zone's UTC offset at t. Offsets change on a quarter hour of UTC (St John's and Adelaide on a
 * half hour) and at most once a day (a zone's changes are months apart), so two Intl lookups per
 * zone and day serve every wave of a large plan, and a day with a change finds its quarter hour
 * once by bisection instead of one lookup per quarter hour asked about. A 100k plan still makes
 * about 21,500 lookups, most of them in the one-by-one replay (`sequentialEnd`), which walks
 * about 2,400 days per zone; each is a string and memory ICU keeps (about 6 MB of the plan's peak).
 */
function offsetMs(zone: string, t: number): number {
  let calendar = zoneCalendars.get(zone);
  if (!calendar) {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    calendar = { format, firstDay: 0, dayStarts: undefined, changes: new Map() };
    zoneCalendars.set(zone, calendar);
  }
  const day = Math.floor(t / DAY);
  const start = dayStartOffset(calendar, day);
  const next = dayStartOffset(calendar, day + 1);
  if (start === next) return start;
  let change = calendar.changes.get(day);
  if (change === undefined) {
    // The offset is `start` before the change and `next` from it on: the first quarter hour with `next`.
    let before = day * DAY;
    let after = before + DAY;
    while (after - before > QUARTER) {
      const mid = before + Math.floor((after - before) / QUARTER / 2) * QUARTER;
      if (intlOffset(calendar, mid) === start) before = mid;
      else after = mid;
    }
    change = after;
    calendar.changes.set(day, change);
  }
  return t < change ? start : next;
}

function dayStartOffset(calendar: ZoneCalendar, day: number): number {
  let i = day - calendar.firstDay;
  let days = calendar.dayStarts;
  if (days === undefined || i < 0 || i >= MAX_DAYS_PER_ZONE) {
    // A day outside the window starts it over, around that day.
    days = calendar.dayStarts ??= new Int32Array(MAX_DAYS_PER_ZONE);
    days.fill(UNKNOWN);
    calendar.changes.clear();
    calendar.firstDay = day - DAYS_BEFORE;
    i = DAYS_BEFORE;
  }
  let offset = days[i];
  if (offset === UNKNOWN) {
    offset = intlOffset(calendar, day * DAY);
    days[i] = offset;
  }
  return offset;
}

/** The offset Intl gives at t, read from the formatted text's numbers (en-US: month, day, year, hour, minute), not a list of part objects. */
function intlOffset(calendar: ZoneCalendar, t: number): number {
  // The instant as a number (format takes one as it takes a Date), and its numbers into one scratch
  // list: a Date and a list per lookup were promoted with the zone caches they fill.
  const n = numbersIn(calendar.format.format(t), NUMBERS);
  // en-US: month, day, year, hour, minute.
  return Date.UTC(n[2], n[0] - 1, n[1], n[3] % 24, n[4]) - t;
}

/** intlOffset's scratch list: five numbers, overwritten by each lookup. */
const NUMBERS: number[] = [0, 0, 0, 0, 0];

/** The first five whole numbers in a text, in order, into `numbers`, scanned so that no substring is made. */
function numbersIn(text: string, numbers: number[]): number[] {
  let k = 0;
  let n = -1;
  for (let i = 0; i < text.length && k < numbers.length; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit >= 0 && digit <= 9) n = (n < 0 ? 0 : n * 10) + digit;
    else if (n >= 0) { numbers[k++] = n; n = -1; }
  }
  if (n >= 0 && k < numbers.length) numbers[k] = n;
  return numbers;
}

/**
 * The instant that is `hour`:00 local time `days` local days after t's. Computed with the offset
 * at t, then with the offset found there, so a daylight-saving change in between (overnight, or
 * before the window on the same day) still lands on the hour.
 */
function atLocalHour(zone: string, t: number, days: number, hour: number): number {
  const target = (Math.floor((t + offsetMs(zone, t)) / DAY) + days) * DAY + hour * HOUR;
  const first = target - offsetMs(zone, t);
  const second = target - offsetMs(zone, first);
  if (offsetMs(zone, second) === offsetMs(zone, first)) return second;
  // In a spring-forward gap no instant shows `hour`:00: the first after it is the change itself, on
  // a quarter hour at or before the later of the two (the later one itself when the gap begins at
  // `hour`:00; Chatham's 02:45 → 03:45 gap puts 03:00 a quarter hour past the change).
  const later = Math.max(first, second);
  const offset = offsetMs(zone, later);
  let change = later;
  while (change - QUARTER > Math.min(first, second) && offsetMs(zone, change - QUARTER) === offset) change -= QUARTER;
  return change;
}

// Arithmetic on the local epoch milliseconds rather than a Date per call. The hour and the weekday
// are asked apart, each where it is needed, so neither call allocates a pair.
function localHour(zone: string, t: number): number {
  const local = t + offsetMs(zone, t);
  return Math.floor((((local % DAY) + DAY) % DAY) / HOUR);
}

const WEEKDAYS = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'];

/**
 * The instant as a clock on the wall in the zone, e.g. "Tue 02:00 Europe/Amsterdam": the rendered
 * plan shows each wave member when its wave starts for them, since the start window is only the
 * wave's predominant zone's. From the same cached offsets as the calendar (one formatter per zone,
 * two lookups per zone and day), so a 100k-tenant plan renders it cheaply.
 */
export function localClock(zone: string, t: number): string {
  const local = t + offsetMs(zone, t);
  const day = Math.floor(local / DAY);
  const minutes = Math.floor((local - day * DAY) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${WEEKDAYS[((day % 7) + 7) % 7]} ${hh}:${mm} ${zone}`;
}

/** Saturday or Sunday in the zone (1970-01-01 was a Thursday). */
function isWeekend(zone: string, t: number): boolean {
  const weekday = (((Math.floor((t + offsetMs(zone, t)) / DAY) + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
}

function usesBusinessCalendar(config: PlanConfig, durationSeconds: number): boolean {
  return config.calendar === 'business' || (config.calendar === 'auto' && durationSeconds >= 3_600);
}

/**
 * The members' time zones (then the joining member's) in order of first appearance, into the
 * scratch list `ZONES` (its first `zoneCount` entries, read until the next call), and the
 * predominant one (ties broken by name, so plans are stable).
 */
function waveZones(members: readonly Zoned[], joining?: Zoned): string {
  // A wave spans a handful of zones, so a scan of a short list beats a map per call. One scratch
  // pair of lists, not a pair and a result per call: those were promoted, about 1.6 MB of a 100k
  // plan's peak (most of them the sequential replay's), kept until a full GC.
  zoneCount = 0;
  for (let i = 0; i < members.length; i++) tally(members[i].tenant.timeZone);
  if (joining) tally(joining.tenant.timeZone);
  let best = 'UTC';
  let n = -1;
  for (let i = 0; i < zoneCount; i++) if (COUNTS[i] > n || (COUNTS[i] === n && ZONES[i] < best)) { best = ZONES[i]; n = COUNTS[i]; }
  return best;
}

/** waveZones' scratch lists, of which the first `zoneCount` entries are the last call's. */
const ZONES: string[] = [];
const COUNTS: number[] = [];
let zoneCount = 0;

/** Counts one more member in the zone. */
function tally(zone: string): void {
  for (let i = 0; i < zoneCount; i++) if (ZONES[i] === zone) { COUNTS[i]++; return; }
  ZONES[zoneCount] = zone;
  COUNTS[zoneCount++] = 1;
}

/** What the calendar needs to know of a wave's member. */
type Zoned = { tenant: { timeZone: string } };

/**
 * Earliest start ≥ t allowed by the calendar for a wave with these members, and `joining` when a
 * tenant asks to join the wave (so the members need not be copied to ask).
 */
export function calendarStart(t: number, members: readonly Zoned[], durationSeconds: number, config: PlanConfig, joining?: Zoned): number {
  if (!usesBusinessCalendar(config, durationSeconds) || (members.length === 0 && !joining)) return t;
  const zone = waveZones(members, joining);
  const { fromHour, toHour } = config.startWindow;
  let candidate = t;
  // Two weeks always contain an allowed slot for the wave's own zone; the all-zones weekday
  // check is dropped after that, since far-apart zones can share no weekday morning.
  for (let attempt = 0; attempt < 28; attempt++) {
    const hour = localHour(zone, candidate);
    if (hour < fromHour) { candidate = atLocalHour(zone, candidate, 0, fromHour); continue; }
    if (hour >= toHour) { candidate = atLocalHour(zone, candidate, 1, fromHour); continue; }
    if (!config.weekendsOff) return candidate;
    const checkAll = attempt < 14;
    const weekdayAt = checkAll ? weekendEnd(candidate, zone) : isWeekend(zone, candidate) ? undefined : candidate;
    if (weekdayAt === candidate) return candidate;
    // A member's zone behind the wave's own can still be on Sunday when the window opens on
    // Monday, and its Monday may begin inside the window: try there before waiting a day.
    candidate = weekdayAt ?? atLocalHour(zone, candidate, 1, fromHour);
  }
  return candidate;
}

/**
 * t when it falls on a weekday in every zone; undefined when it is a Saturday or Sunday in `own`;
 * else the first local midnight after t of the zones where it is the weekend, the latest of them
 * (the earliest instant from t that can be a weekday in all of them).
 */
function weekendEnd(t: number, own: string): number | undefined {
  let until = t;
  for (let i = 0; i < zoneCount; i++) {
    const z = ZONES[i];
    if (!isWeekend(z, t)) continue;
    if (z === own) return undefined;
    until = Math.max(until, atLocalHour(z, t, 1, 0));
  }
  return until;
}

function collision(c: Candidate, start: number, end: number): FreezeMs | undefined {
  // A loop, not find: asked per member and wave, and find takes a closure over the interval each time.
  const freezes = c.freezes;
  if (freezes === undefined) return undefined;
  for (let i = 0; i < freezes.length; i++) if (freezes[i].start < end && start < freezes[i].end) return freezes[i];
  return undefined;
}

/** What the timeline is laid out with. */
export interface ScheduleContext {
  start: number;
  /** The feature's deadline, else `asOf` + `horizonDays`: a tenant whose freeze ends past it is held. */
  horizonEnd: number;
  /** The feature's deadline, when it has one (then it is the horizon end). */
  deadline?: string;
  durations: StageDurations;
  config: PlanConfig;
  splits: Split[];
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

function dayOf(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * A tenant whose freeze overlaps the catch-up wave its stage has for it (it left its own wave for
 * its freeze or its look-alikes) and ends only past the horizon end (the deadline, or without one
 * the planning horizon): a catch-up wave waits for a member's freeze only when the freeze ends by
 * then, so the plan gives it no later catch-up wave and holds it. The catch-up wave itself may
 * start past the deadline (the deadline warning says so), as any wave may: it is the freeze
 * outlasting the horizon that holds the tenant, not the wave's date. Not `freeze-covers-horizon`:
 * the freeze may begin well after the horizon ends, and only the horizon moving past the freeze's
 * end or the freeze lifting releases it.
 */
function freezePastHorizon(f: FreezeMs, stage: Stage, slot: number, slotEnd: number, ctx: ScheduleContext): HoldReason {
  const freeze = `"${f.reason}" (${dayOf(f.start)} – ${dayOf(f.end)})`;
  const horizon = ctx.deadline !== undefined
    ? `the deadline ${ctx.deadline.slice(0, 10)}`
    : `the planning horizon ${dayOf(ctx.horizonEnd)} (horizonDays: ${ctx.config.horizonDays}; the feature has no deadline)`;
  return {
    rule: 'freeze-past-horizon',
    reason: `its freeze ${freeze} overlaps the ${stage}-stage catch-up wave it would join after leaving its own wave (${dayOf(slot)} – ${dayOf(slotEnd)}); the freeze ends after ${horizon}, and a catch-up wave waits for a freeze only when it ends by ${ctx.deadline !== undefined ? 'the deadline' : 'the end of the planning horizon'}, so the plan gives it no catch-up wave`,
    release: ctx.deadline !== undefined
      ? `move the deadline past ${dayOf(f.end)} or ask the tenant to lift the freeze`
      : `raise horizonDays or set a deadline past ${dayOf(f.end)}, or ask the tenant to lift the freeze`,
  };
}

/**
 * Lays the stage drafts on the calendar in order. Stages run one after another; inside a stage
 * the growth waves run one after another, then each lane runs its waves in sequence, lanes in
 * parallel; catch-up waves follow in their own lane once the stage's waves have been monitored.
 * Only the last wave of each lane in the stage's last round soaks for the stage's full soak
 * before the stage gate (and a wave nothing of its stage follows, and a catch-up lane's last):
 * between sub-waves and rounds of the same tier there is no soak, the next sub-wave or round
 * starts once this one's monitoring window has shown it healthy, since it holds tenants of the
 * same risk and the stage's last waves still soak in full, after every earlier wave's monitoring,
 * before anything riskier.
 */
export function schedule(drafts: Draft[], ctx: ScheduleContext): Schedule {
  const { durations, config } = ctx;
  const out: ScheduledDraft[] = [];
  const held: Schedule['held'] = [];
  let stageReady = ctx.start;
  let catchUps = 0;
  let catchUpLaneEnd = ctx.start;
  const refs: Draft[] = [];
  const refOf = new Map<Draft, number>();
  // Wave ids exist only once the schedule is final; notes carry a token the builder resolves.
  const refIndex = (d: Draft): number => {
    let i = refOf.get(d);
    if (i === undefined) { i = refs.push(d) - 1; refOf.set(d, i); }
    return i;
  };
  const ref = (d: Draft): string => `⟦${refIndex(d)}⟧`;
  const timings = new Map<Draft, number>();
  // Per growth sub-wave, the tenants moved up out of it and the sub-wave each went to: a note on a
  // tenant moved up into it in turn names them among those who left it short.
  const movedUp = new Map<Draft, { c: Candidate; into: Draft }[]>();
  // Who left a growth sub-wave short and why, in a few words (by count when many); `froze` tells,
  // per tenant moved out of it, whether its freeze or its look-alike moved it.
  const shortBy = (d: Draft, left: readonly Candidate[], froze: readonly boolean[]): string => {
    const causes: string[] = [];
    const into = new Map<Draft, Candidate[]>();
    for (const up of movedUp.get(d) ?? []) {
      const list = into.get(up.into);
      if (list) list.push(up.c); else into.set(up.into, [up.c]);
    }
    for (const [e, cs] of into) causes.push(`${named(cs)} moving up into ${ref(e)}`);
    const frozen = left.filter((_, i) => froze[i]);
    const waiting = left.filter((_, i) => !froze[i]);
    if (frozen.length > 0) causes.push(frozen.length === 1 ? `${frozen[0].tenant.id}'s freeze` : `the freezes of ${named(frozen)}`);
    if (waiting.length > 0) causes.push(`${named(waiting)} waiting for ${waiting.length === 1 ? 'its standard-SLA look-alike' : 'their standard-SLA look-alikes'}`);
    return inWords(causes);
  };
  // When standard-SLA tenants have been monitored per look-alike key, and the ones a freeze moved
  // out of this stage's waves that are still to be planned: gold and platinum tenants wait for both.
  let shown: Shown = new Map();
  let awaited = new Map<string, string>();
  const departure = (c: Candidate, w: ScheduledDraft): string | undefined => {
    const f = collision(c, w.start, w.end);
    return f ? `freeze "${f.reason}" ${iso(f.start)} – ${iso(f.end)} overlaps it` : unshielded(c, w.start, shown, awaited);
  };
  const unshieldedAt = (c: Candidate, w: ScheduledDraft): string | undefined => unshielded(c, w.start, shown, awaited);
  // The note names the part of the wave the move was judged on: its monitoring window when it is
  // first timed, and with its soak once a lane's last wave soaks in full (the wave's `end` in the
  // plan); a wave timed again afterwards no longer has that interval, and the note then says so.
  const moveOut = (w: ScheduledDraft, into: Candidate[], reason: (c: Candidate, w: ScheduledDraft) => string | undefined = departure) => {
    // removeMember gives the draft a new list, so the one iterated here stays whole without a copy.
    for (const c of w.draft.members) {
      const why = reason(c, w);
      if (!why) continue;
      removeMember(w.draft, c);
      addNote(c, `moved out of ${ref(w.draft)} (⟦${refIndex(w.draft)}@${timings.get(w.draft) ?? 0}⟧${w.soakSeconds > 0 ? 'monitoring window and soak' : 'monitoring window'} ${iso(w.start)} – ${iso(w.end)}): ${why}`);
      markAwaited(awaited, c);
      into.push(c);
    }
  };
  const timeAgain = (w: ScheduledDraft, start: number) => {
    if (start === w.start) return;
    timings.set(w.draft, (timings.get(w.draft) ?? 0) + 1);
    w.start = start;
  };
  // When a wave starts: the first slot from `ready`, before `latest`, that the calendar allows for
  // the members who stay in the wave at it. Members a freeze or the shield sends out at a slot
  // will move out, and the slot was chosen by their time zones too, so each slot the calendar gives
  // for those who stay at the last one is tried in turn (later each time) until one suits the
  // members staying there. Undefined when every member leaves, or past `latest`.
  // When the search stops without a slot after members stayed at one (all leave at a later slot,
  // or it ran out of steps or past `latest`), a slot the calendar gives from `ready` for members
  // who stayed at one of the slots tried may still suit those staying there: it can come before the
  // first slot, which was chosen by the time zones of members that leave. The earliest such one.
  const leaves = (c: Candidate, start: number, end: number): boolean => collision(c, start, end) !== undefined || unshielded(c, start, shown, awaited) !== undefined;
  const stayingAt = (members: Candidate[], t: number, span: number): Candidate[] => (members.some((c) => leaves(c, t, t + span)) ? members.filter((c) => !leaves(c, t, t + span)) : members);
  const suitedEarlier = (tried: Candidate[][], members: Candidate[], ready: number, span: number, fullSeconds: number, latest: number): number | undefined => {
    let best: number | undefined;
    for (const group of tried) {
      const t = calendarStart(ready, group, fullSeconds, config);
      if (t >= latest || (best !== undefined && t >= best)) continue;
      const staying = stayingAt(members, t, span);
      if (staying.length > 0 && calendarStart(t, staying, fullSeconds, config) === t) best = t;
    }
    return best;
  };
  const settledStart = (members: Candidate[], ready: number, span: number, fullSeconds: number, latest = Infinity): number | undefined => {
    let t = calendarStart(ready, members, fullSeconds, config);
    const tried: Candidate[][] = [];
    for (let step = 0; step < 16 && t < latest; step++) {
      // Most slots keep every member: only then is the list of those staying made.
      const staying = stayingAt(members, t, span);
      if (staying.length === 0) return step === 0 ? undefined : suitedEarlier(tried, members, ready, span, fullSeconds, latest);
      const next = calendarStart(t, staying, fullSeconds, config);
      if (next === t) return t;
      tried.push(staying);
      t = next;
    }
    return tried.length === 0 ? undefined : suitedEarlier(tried, members, ready, span, fullSeconds, latest);
  };
  // Whether c may join the scheduled wave w: room, no rule broken, clear of its freeze, after its
  // standard-SLA look-alikes, and the wave's start still allowed by the calendar with c's time zone
  // among the members'. A wave the freeze emptied is timed again for its first new member instead
  // (never before `ready`).
  const admit = (w: ScheduledDraft, c: Candidate, ready: number, fullSeconds: number): boolean => {
    if (!fits(w.draft, c)) return false;
    if (w.draft.members.length === 0) {
      const span = w.end - w.start;
      const start = calendarStart(ready, [c], fullSeconds, config);
      if (leaves(c, start, start + span)) return false;
      timeAgain(w, start);
      w.end = start + span;
      return true;
    }
    return !departure(c, w) && calendarStart(w.start, w.draft.members, fullSeconds, config, c) === w.start;
  };
  // A growth sub-wave a freeze emptied would let the stage start with the next, bigger one:
  // tenants of the next growth sub-waves move up to keep its packed size (and so on down the
  // growth sub-waves, each taking from the ones after it). Low-stakes tenants exercising what a
  // moved-out coverage pick was pulled forward for go first (touched configurations before strata), then
  // those sharing most of what the moved-out tenants exercised, so the pick's configurations still
  // meet the smallest wave; otherwise the growth order holds.
  const moveUp = (w: ScheduledDraft, size: number, later: Draft[], left: Candidate[], froze: readonly boolean[], admits: (c: Candidate) => boolean) => {
    const targets = new Set(left.flatMap((c) => pulledForward(c)));
    const wanted = new Set(left.flatMap((c) => c.traits.covers));
    const rank = (c: Candidate) => {
      let forPicks = 0;
      let shared = 0;
      // Only a low-stakes tenant stands in for a coverage pick, as only one is picked.
      const standsIn = c.traits.lowStakes;
      for (const k of c.traits.covers) {
        if (standsIn && targets.has(k)) forPicks += k.startsWith('stratum:') ? 1 : 2;
        if (wanted.has(k)) shared++;
      }
      return forPicks * 1_000 + shared;
    };
    const options = later.flatMap((from) => from.members.map((c) => ({ c, from, rank: rank(c) })));
    options.sort((a, b) => b.rank - a.rank);
    // One note for every tenant moved up into the sub-wave.
    let note: string | undefined;
    for (const { c, from } of options) {
      if (w.draft.members.length >= size) return;
      if (!admits(c)) continue;
      removeMember(from, c);
      addMember(w.draft, c);
      note ??= `moved up into ${ref(w.draft)}, left short by ${shortBy(w.draft, left, froze)}, so the stage's growth sub-waves keep their sizes`;
      addNote(c, note);
      const up = movedUp.get(from);
      if (up) up.push({ c, into: w.draft }); else movedUp.set(from, [{ c, into: w.draft }]);
    }
  };
  // A premium canary a freeze (or its look-alike's) moved out would leave the configurations it
  // was picked for to a whole premium wave: gold or platinum tenants of the stage's premium waves
  // that exercise them, clear of the window and after their own look-alikes, take its place.
  const replaceCanaries = (w: ScheduledDraft, gone: Candidate[], later: Draft[], admits: (c: Candidate) => boolean) => {
    const draftOf = new Map<Candidate, Draft>();
    for (const d of later) for (const m of d.members) draftOf.set(m, d);
    // Asked before any substitute joins: the first to join a wave the freeze emptied times it again.
    const whys = gone.map((c) => (collision(c, w.start, w.end) ? 'whose freeze moved it out' : 'which waits for its standard-SLA look-alike'));
    gone.forEach((c, i) => {
      const why = whys[i];
      replaceCanary(c, [...draftOf.keys()], (m, exercises) => {
        if (!admits(m)) return false;
        removeMember(draftOf.get(m)!, m);
        draftOf.delete(m);
        addMember(w.draft, m);
        addNote(m, `premium canary in ${ref(w.draft)} in place of ${c.tenant.id}, ${why}: no tenant planned before it exercises ${exercises}`);
        return true;
      });
    });
  };
  for (const stage of STAGES) {
    const window = durations.monitoringWindowSeconds;
    const fullSoak = durations.soakSeconds[stage];
    const shortSoak = 0;
    const fullSeconds = window + fullSoak;
    let mainEnd = stageReady;
    let mainReady = stageReady;
    const laneLast = new Map<string, ScheduledDraft>();
    let pending: Candidate[] = [];
    // How many pending tenants each lane has: a lane wave only looks at pending tenants of its own
    // lane, so most waves of a large stage need not scan the list at all.
    const pendingByLane = new Map<string, number>();
    const countPending = (cs: Candidate[], by: number) => { for (const c of cs) pendingByLane.set(c.traits.lane, (pendingByLane.get(c.traits.lane) ?? 0) + by); };
    const staged: ScheduledDraft[] = [];
    // When each staged wave could first start: its lane, the stage gate and the earlier rounds allowed it.
    const readyOf = new Map<ScheduledDraft, number>();
    // End of the latest monitoring window per round: a later round waits for all of them.
    const monitored = new Map<number, number>();
    const stageDrafts = drafts.filter((d) => d.stage === stage);
    const packedSize = new Map(stageDrafts.map((d) => [d, d.members.length]));
    const shownBefore = new Map(shown);
    awaited = new Map();
    stageDrafts.forEach((draft, k) => {
      const round = draft.round ?? 0;
      const earlierRounds = Math.max(stageReady, ...[...monitored].filter(([r]) => r < round).map(([, t]) => t));
      // A lane split off the main lane by a never-together rule starts with the main-lane wave it
      // was split from, not after it.
      const after = draft.lane.startsWith(`${stage}/`) ? mainReady : mainEnd;
      const laneReady = Math.max(earlierRounds, draft.lane === 'main' ? mainEnd : Math.max(after, laneLast.get(draft.lane)?.end ?? after));
      if (draft.lane === 'main') mainReady = laneReady;
      // A wave every member leaves keeps its first slot: a tenant joining it times it again.
      const start = settledStart(draft.members, laneReady, (window + shortSoak) * 1000, fullSeconds) ?? calendarStart(laneReady, draft.members, fullSeconds, config);
      const w: ScheduledDraft = { draft, start, end: start + (window + shortSoak) * 1000, soakSeconds: shortSoak };
      const movedOut: Candidate[] = [];
      moveOut(w, movedOut);
      // Told before anyone joins: the first to join a wave the freeze emptied times it again.
      const froze = draft.kind === 'growth' ? movedOut.map((c) => collision(c, w.start, w.end) !== undefined) : [];
      const admits = (c: Candidate) => admit(w, c, laneReady, fullSeconds);
      if (draft.lane === 'main' ? pending.length > 0 : (pendingByLane.get(draft.lane) ?? 0) > 0) {
        const joined: Candidate[] = [];
        pending = pending.filter((c) => {
          if ((draft.lane !== 'main' && c.traits.lane !== draft.lane) || !joinsRound(c, draft) || !admits(c)) return true;
          addMember(draft, c);
          addNote(c, `joins ${ref(draft)}, the next wave of its stage clear of its freeze`);
          joined.push(c);
          return false;
        });
        countPending(joined, -1);
      }
      const size = packedSize.get(draft)!;
      if (draft.kind === 'growth' && draft.members.length < size) moveUp(w, size, stageDrafts.slice(k + 1).filter((d) => d.kind === 'growth'), movedOut, froze, admits);
      if (draft.kind === 'canary' && movedOut.length > 0) replaceCanaries(w, movedOut, stageDrafts.slice(k + 1).filter((d) => d.round === ROUND.premium), admits);
      if (movedOut.length > 0) { pending = pending.concat(movedOut); countPending(movedOut, 1); }
      if (draft.members.length === 0) return;
      staged.push(w);
      readyOf.set(w, laneReady);
      monitored.set(round, Math.max(monitored.get(round) ?? 0, w.start + window * 1000));
      markShown(shown, draft.members, w.start + window * 1000);
      if (draft.lane === 'main') mainEnd = w.end;
      laneLast.set(draft.lane, w);
    });
    // The stage gate: a lane's last wave soaks in full unless waves of its stage follow it once it
    // has been monitored: the main lane's growth and canary sub-waves lead into the lanes (waves of
    // the stage start after them), and a round's lane waves into the next round's (which starts
    // once every earlier round has been monitored). Those waves, or the last of their lanes, soak in
    // full later and end past this one's monitoring window and soak, so every tenant of the stage
    // has soaked before the next stage starts; the waves of the stage's last round soak, as does a
    // wave nothing follows. Members whose freeze the longer soak now reaches go to catch-up.
    const lastRound = Math.max(...staged.map((w) => w.draft.round ?? 0));
    let soaking = [...laneLast.values()].filter((w) => (w.draft.lane === 'main' ? !staged.some((x) => x.start >= w.end) : (w.draft.round ?? 0) === lastRound));
    // Whether the wave was timed again.
    const soakInFull = (w: ScheduledDraft, cause: SoakCause): boolean => {
      let timedAgain = false;
      w.soakSeconds = fullSoak;
      w.soakCause = cause;
      const span = fullSeconds * 1000;
      // Members whose freeze the longer soak reaches move out, and those that stay may have another
      // predominant time zone, whose start window the slot misses: the wave starts instead at the
      // first slot since it could first start that suits the members staying there. Later rounds
      // of the stage waited for its monitoring, so a wave of an earlier round looks before its
      // planned slot first (nothing else moves), then up to the latest slot whose monitoring still
      // ends before a later round starts: the first slot the calendar gives from where it could
      // first start is its planned one, chosen by members that leave, so a bound at the planned
      // slot can leave nothing to try and the wave outside its window. A wave of the stage's last
      // round may start any later (the stage gate follows it). Past that bound the wave keeps its
      // slot: gold and platinum waves starting before it is monitored would cost more than a start
      // outside the window.
      const staying = w.draft.members.filter((c) => !collision(c, w.start, w.start + span));
      if (staying.length > 0 && staying.length < w.draft.members.length && calendarStart(w.start, staying, fullSeconds, config) !== w.start) {
        const round = w.draft.round ?? 0;
        let start = settledStart(w.draft.members, readyOf.get(w)!, span, fullSeconds, round < lastRound ? w.start : Infinity);
        if (start === undefined && round < lastRound) {
          const laterStart = Math.min(...staged.filter((x) => (x.draft.round ?? 0) > round).map((x) => x.start));
          start = settledStart(w.draft.members, readyOf.get(w)!, span, fullSeconds, laterStart - window * 1000 + 1);
        }
        if (start !== undefined) { timeAgain(w, start); timedAgain = true; }
      }
      w.end = w.start + span;
      moveOut(w, pending);
      return timedAgain;
    };
    // Members moving out can empty the waves an unsoaked one counted on to end after its soak: the
    // last wave left in such a lane then soaks in full too (rare; a few passes settle it).
    for (let pass = 0; soaking.length > 0 && pass < 8; pass++) {
      const beforeSoak = pending.length;
      let retimed = false;
      for (const w of soaking) retimed = soakInFull(w, pass === 0 ? 'gate' : 'emptied') || retimed;
      // Standard-SLA tenants the longer soak moved out no longer show their keys in this stage, and a
      // wave timed again shows them at another time: gold and platinum tenants of the stage that
      // counted on them go after them.
      if (retimed || pending.slice(beforeSoak).some((c) => c.traits.slaRank === 0)) {
        shown = new Map(shownBefore);
        for (const w of staged) markShown(shown, w.draft.members, w.start + window * 1000);
        // Members are clear of their freezes by now: only the look-alikes need checking again.
        for (const w of staged) moveOut(w, pending, unshieldedAt);
      }
      const lastKept = new Map<string, ScheduledDraft>();
      let end = stageReady;
      for (const w of staged) if (w.draft.members.length > 0) { lastKept.set(w.draft.lane, w); end = Math.max(end, w.end); }
      soaking = [...lastKept.values()].filter((w) => w.soakSeconds === 0 && w.start + fullSeconds * 1000 > end);
    }
    const kept = staged.filter((w) => w.draft.members.length > 0);
    out.push(...kept);
    const stageEnd = kept.reduce((e, w) => Math.max(e, w.end), stageReady);
    // Catch-up waves run in their own lane once their freezes end. They add no evidence the next
    // stage needs, so the next stage does not wait for them. They hold tenants of the stage's own
    // tier, so like its sub-waves they follow its waves once those have been monitored (every
    // round of the stage, premium waves included), not after the stage's soak: the soak is the
    // gate before anything riskier.
    // With lanes, each stage has a catch-up lane of its own: a tenant a freeze held back waits for
    // its stage and its freeze, not for another stage's late tenants.
    const stageMonitored = kept.reduce((e, w) => Math.max(e, w.start + window * 1000), stageReady);
    let catchUpReady = config.lanes.enabled ? stageMonitored : Math.max(stageMonitored, catchUpLaneEnd);
    const catchUp = catchUpDrafts(stage, pending, config, ctx.splits, config.lanes.enabled ? `${CATCH_UP}/${stage}` : CATCH_UP);
    catchUp.forEach((draft, k) => {
      const soak = k === catchUp.length - 1 ? fullSoak : shortSoak;
      const ms = (window + soak) * 1000;
      // Standard-SLA catch-up waves go first; a gold or platinum one also waits for its look-alikes.
      let start = calendarStart(Math.max(catchUpReady, lookAlikesMonitored(draft.members, shown)), draft.members, fullSeconds, config);
      for (let guard = 0; guard < 1000; guard++) {
        const colliding = draft.members.flatMap((c) => { const f = collision(c, start, start + ms); return f ? [{ c, f }] : []; });
        if (colliding.length === 0) break;
        const movable = colliding.filter(({ c, f }) => {
          if (f.end <= ctx.horizonEnd) return true;
          removeMember(draft, c);
          held.push({ candidate: c, reason: freezePastHorizon(f, stage, start, start + ms, ctx) });
          return false;
        });
        if (movable.length > 0) start = calendarStart(Math.max(...movable.map(({ f }) => f.end)), draft.members, fullSeconds, config);
      }
      if (draft.members.length === 0) return;
      markShown(shown, draft.members, start + window * 1000);
      catchUps++;
      out.push({ draft, start, end: start + ms, soakSeconds: soak, ...(soak > 0 ? { soakCause: 'catch-up' as const } : {}) });
      catchUpReady = start + ms;
      catchUpLaneEnd = catchUpReady;
    });
    stageReady = stageEnd;
  }
  return { waves: out, held, catchUps, refs, timings: refs.map((d) => timings.get(d) ?? 0) };
}

/**
 * Whether a tenant a freeze moved may join this later wave of its stage: only a wave of its own
 * round, so a gold or platinum tenant still waits for the stage's standard-SLA waves and canaries,
 * and a standard-SLA tenant does not join a premium wave whose reason says gold and platinum.
 * Canary waves take nobody: each member is there for a configuration.
 */
function joinsRound(c: Candidate, draft: Draft): boolean {
  if (draft.kind === 'canary') return false;
  const round = draft.round ?? ROUND.growth;
  return c.traits.slaRank === 0 ? round <= ROUND.standard : round === ROUND.premium;
}

/** Tenants by id ('a', 'a and b', 'a, b and c'), or by count when there are more than three. */
function named(cs: readonly Candidate[]): string {
  return cs.length > 3 ? `${cs.length} tenants` : inWords(cs.map((c) => c.tenant.id));
}

/** End of the same waves run one after another with no lanes (freezes already resolved). */
export function sequentialEnd(waves: ScheduledDraft[], start: number, durations: StageDurations, config: PlanConfig): number {
  let t = start;
  for (const w of waves) {
    const full = durations.monitoringWindowSeconds + durations.soakSeconds[w.draft.stage];
    // A catch-up wave waits for its members' freezes whatever the order.
    const ready = w.draft.kind === 'catch-up' ? Math.max(t, w.start) : t;
    t = calendarStart(ready, w.draft.members, full, config) + (durations.monitoringWindowSeconds + w.soakSeconds) * 1000;
  }
  return t;
}
