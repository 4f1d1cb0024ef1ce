import type { Feature } from '../model/feature';
import type { Tenant } from '../model/tenant';
import type { Plan, Wave } from '../model/plan';
import { checkReadiness } from '../readiness/checklist';
import { duration, inWords } from '../risk/format';
import { jsonPieces } from '../json-pieces';
import { SOAK_RULE } from './soak';
import { localClock } from './timeline';
import type { PlanConfig } from './config';

export type PlanFormat = 'table' | 'markdown' | 'json';

/** With the tenants and feature at hand the rendering adds a readiness checklist preview per wave. */
export interface RenderContext {
  tenants: Tenant[];
  feature: Feature;
  /**
   * A running rollout's notices: each tenant's first sent notice, and the moment they were read.
   * Without it (a preview) the readiness preview assumes no notice has been sent.
   */
  notices?: { sentAt: ReadonlyMap<string, string>; asOf: string };
  /**
   * The calendar the plan was built with (the plan does not record it), so the members table can
   * say when its waves start. Without it the wording holds for either calendar.
   */
  calendar?: PlanConfig['calendar'];
}

/**
 * A section: heading, optional lead sentence, table rows, optional notes after the table (a
 * legend of its terms). Terminal and markdown share it.
 */
interface Section {
  title: string; lead?: string; head: string[]; rows: string[][]; notes?: string[];
  /**
   * A column whose cells the terminal wraps onto lines of their own, at the separator, rather
   * than let them run past the column cap and push the columns after them out of line.
   */
  wrap?: { column: number; separator: string };
}

/** Terminal columns a table column takes at most; longer cells in the last column run on. */
const COLUMN_CAP = 60;

const CHECKLIST_SHOWN = 20;

export function renderPlan(plan: Plan, format: PlanFormat, context?: RenderContext): string {
  return [...renderPlanPieces(plan, format, context)].join('');
}

/**
 * The rendered plan in pieces to write one after another: JSON a field or list element at a
 * time, the table and markdown a section, or a batch of a section's lines, at a time. A large
 * plan's text is too big to hold as one string twice over (74 MB at 100k tenants).
 */
export function* renderPlanPieces(plan: Plan, format: PlanFormat, context?: RenderContext): Generator<string> {
  if (format === 'json') {
    yield* jsonPieces(plan);
    yield '\n';
    return;
  }
  const title = `Rollout plan: ${plan.feature.name} (${plan.feature.key}), ${plan.feature.risk} risk, ${plan.feature.reversible ? 'reversible' : 'NOT reversible by a flag flip'}, as of ${plan.asOf}`;
  yield* format === 'markdown' ? markdown(title, planSections(plan, context)) : terminal(title, planSections(plan, context));
}

/** Lines per piece: few enough writes, and a piece far smaller than the largest section. */
const BATCH = 1_000;

/** The lines, each followed by a line break, joined a batch at a time. */
function* inBatches(lines: Iterable<string>): Generator<string> {
  let batch: string[] = [];
  for (const line of lines) {
    batch.push(line);
    if (batch.length === BATCH) { yield `${batch.join('\n')}\n`; batch = []; }
  }
  if (batch.length > 0) yield `${batch.join('\n')}\n`;
}

/** The sections one at a time, so only one section's rows are held while it is written. */
function* planSections(plan: Plan, context?: RenderContext): Generator<Section> {
  const waveOf = new Map(plan.waves.flatMap((w) => w.members.map((m) => [m.tenantId, w.id] as const)));
  const plannedTier = new Map(plan.waves.flatMap((w) => w.members.map((m) => [m.tenantId, m.tier] as const)));
  // Strategic standing and the look-alike shield can plan a tenant above its score tier; the
  // member's reason in the wave says why.
  const tierOf = (p: Plan['profiles'][number]) => {
    const planned = plannedTier.get(p.tenantId);
    return planned === undefined || planned === p.tier ? p.tier : `${p.tier} → ${planned}`;
  };
  const t = plan.timeline;
  yield {
      title: 'Summary',
      head: ['item', 'value'],
      rows: [
        ['tenants', tenantCounts(plan, plannedTier)],
        ['waves', `${plan.waves.length} (${plan.waves.filter((w) => w.lane !== 'main').length} in parallel lanes)`],
        ['timeline', `${t.start} → ${t.end}: ${duration(t.totalSeconds)} with lanes, ${duration(t.sequentialSeconds)} one after another; ends when the last wave's soak ends, without the ${duration(plan.healthWindowSeconds)} health window after it`],
        ['notice lead', duration(plan.noticeLeadSeconds)],
        ...(plan.noticeReviewSeconds ? [['notice review', `${duration(plan.noticeReviewSeconds)} for customer success to review and send the drafts, before the notice lead`]] : []),
        ['decision timeout', `${duration(plan.decisionTimeoutSeconds)} (advisory rollbacks)`],
        ['health window', `${duration(plan.healthWindowSeconds)} after the last wave's soak, watching every tenant before the health report; not in the timeline above`],
      ],
  };
  if (plan.warnings.length) yield { title: 'Warnings', head: ['warning'], rows: plan.warnings.map((w) => [w]) };
  yield {
      title: 'Waves',
      lead: 'Waves of one lane run one after another, different lanes side by side; no wave starts before its start time, which already includes the stage gates. '
        + SOAK_RULE,
      head: ['wave', 'stage', 'lane', 'tenants', 'start', 'end', 'monitor / sample / soak', 'why this soak', 'approval', 'halt at', 'why'],
      rows: plan.waves.map((w) => [
        w.id, w.stage, w.lane, String(w.members.length), w.start, w.end,
        `${duration(w.monitoringWindowSeconds)} / ${duration(w.sampleIntervalSeconds)} / ${duration(w.soakSeconds)}`,
        w.soakReason ?? '',
        approval(w), haltAt(w), w.reason,
      ]),
      notes: WAVE_LEGEND,
  };
  // Each member's own clock at its wave's start: the start window (09–11 local) is only the
  // predominant zone's, so a member elsewhere may start at night.
  const zoneOf = context ? new Map(context.tenants.map((x) => [x.id, x.timeZone] as const)) : undefined;
  yield {
      title: 'Wave members, thresholds and decision modes',
      lead: zoneOf ? `${whenWavesStart(plan, context?.calendar)}; "local start" is each member's own clock at the wave's start, which for members in other zones can be outside working hours.` : undefined,
      head: ['wave', 'tenant', 'tier', ...(zoneOf ? ['local start'] : []), 'warning / critical error rate', 'min requests', 'breaches', 'decision', 'why here'],
      rows: plan.waves.flatMap((w) => {
        const start = Date.parse(w.start);
        return w.members.map((m) => {
          const zone = zoneOf?.get(m.tenantId);
          return [
            w.id, `${m.tenantId} (${m.tenantName})`, m.tier, ...(zoneOf ? [zone ? localClock(zone, start) : ''] : []),
            `${pct(m.thresholds.warningErrorRate)} / ${pct(m.thresholds.criticalErrorRate)} (${m.thresholds.baselineAssumed ? 'assumed ' : ''}baseline ${pct(m.thresholds.baselineErrorRate)})`,
            String(m.thresholds.minRequests), String(m.thresholds.consecutiveBreaches), `${m.thresholds.decisionMode}: ${m.thresholds.reason}`, m.reason,
          ];
        });
      }),
  };
  yield {
      title: 'Holds',
      head: ['tenant', 'why', 'what releases it'],
      rows: plan.holds.flatMap((h) => h.reasons.map((r, i) => [i === 0 ? `${h.tenantId} (${h.tenantName})` : '', `${r.rule}: ${r.reason}`, r.release])),
  };
  yield {
      title: 'Never-together splits',
      head: ['rule', 'tenants', 'resolution'],
      rows: plan.conflicts.map((c) => [c.rule, c.tenants.join(', '), c.resolution]),
  };
  yield {
      title: 'Coverage of touched configurations in early waves',
      head: ['configuration', 'first early wave', 'note'],
      rows: plan.coverage.map((c) => [c.config, c.firstWave ?? 'none', c.note]),
  };
  yield {
      title: 'Risk tiers',
      lead: 'Points per factor add up to the score (factors with 0 points left out); the seven weights sum to 100, history adds or takes at most its cap on top.',
      head: ['tenant', 'score', 'tier (→ planned)', 'wave', 'points per factor', 'summary'],
      rows: plan.profiles.map((p) => [`${p.tenantId} (${p.tenantName})`, p.score.toFixed(1), tierOf(p), waveOf.get(p.tenantId) ?? 'hold', factorPoints(p), p.summary]),
      wrap: { column: 4, separator: FACTOR_SEPARATOR },
  };
  if (context) yield checklistSection(plan, context);
}

/**
 * Tenants by planned tier (the wave member's tier, which strategic standing and the look-alike
 * shield can raise above the score's), each counted once: a tenant in the holds counts as on hold
 * whatever else the plan says of it. The scored tiers follow when they differ.
 */
function tenantCounts(plan: Plan, plannedTier: ReadonlyMap<string, string>): string {
  const held = new Set(plan.holds.map((h) => h.tenantId));
  const planned = { low: 0, medium: 0, high: 0 };
  const scored = { low: 0, medium: 0, high: 0 };
  let onHold = 0;
  for (const p of plan.profiles) {
    if (held.has(p.tenantId)) { onHold++; continue; }
    const tier = (plannedTier.get(p.tenantId) ?? p.scoreTier) as keyof typeof planned;
    planned[tier]++;
    scored[p.scoreTier]++;
  }
  const same = planned.low === scored.low && planned.medium === scored.medium && planned.high === scored.high;
  const scoredNote = same ? ' (as scored)' : ` (scored, not counting the held: ${scored.low} / ${scored.medium} / ${scored.high})`;
  return `${plan.profiles.length}: ${planned.low} low, ${planned.medium} medium, ${planned.high} high by planned tier${scoredNote}, ${onHold} on hold`;
}

const START_WINDOW = 'starts inside the start window of its predominant time zone';

/**
 * When the plan's waves start, true for the calendar it was built with: the business calendar
 * keeps a wave to the start window, the continuous one starts it at any hour, and 'auto' uses the
 * business calendar for a wave lasting an hour or more counting its stage's full soak (as the
 * timeline does: its sub-waves soak 0 s but are timed by the stage's full soak, which the stage's
 * last waves carry). Without the calendar, words that hold for each.
 */
function whenWavesStart(plan: Plan, calendar: PlanConfig['calendar'] | undefined): string {
  const anyHour = 'starts at any hour, with no start window';
  if (calendar === 'business') return `A wave ${START_WINDOW}`;
  if (calendar === 'continuous') return `On the continuous calendar a wave ${anyHour}`;
  if (calendar === undefined) return `On the business calendar a wave ${START_WINDOW}; on the continuous one (and on auto for a wave shorter than an hour) it ${anyHour}`;
  const fullSoak = new Map<string, number>();
  for (const w of plan.waves) fullSoak.set(w.stage, Math.max(fullSoak.get(w.stage) ?? 0, w.soakSeconds));
  const business = new Set<string>();
  const short = new Set<string>();
  for (const w of plan.waves) (w.monitoringWindowSeconds + fullSoak.get(w.stage)! >= 3_600 ? business : short).add(w.stage);
  if (short.size === 0) return `A wave ${START_WINDOW}`;
  if (business.size === 0) return `On the auto calendar a wave shorter than an hour, as all of these are, ${anyHour}`;
  const stages = (set: Set<string>) => {
    const names = [...set];
    return `${inWords(names)} stage${names.length === 1 ? '' : 's'}`;
  };
  return `On the auto calendar a wave of the ${stages(business)}, an hour or more long with its stage's full soak, ${START_WINDOW}; one of the ${stages(short)}, shorter, ${anyHour}`;
}

const FACTOR_SEPARATOR = ' · ';

/** A profile's factor points, those that are not 0, e.g. "integrations 14.4 · sla 15.0". */
function factorPoints(p: Plan['profiles'][number]): string {
  return p.factors.filter((f) => f.points !== 0).map((f) => `${f.factor} ${f.points.toFixed(1)}`).join(FACTOR_SEPARATOR);
}

/**
 * The wave's halt in words (activities/rollout.ts sampleWave, shared/monitoring/decision.ts
 * waveVerdict): every monitored member counts towards the wave's size, but only automatic-mode
 * breaches and members already rolled back after a breach count as breaching. So a wave with no
 * automatic member halts only on advisory rollbacks, and one whose members are all manual never.
 */
function haltAt(w: Wave): string {
  const modes = new Set(w.members.map((m) => m.thresholds.decisionMode));
  const share = Math.round(w.haltShare * 100);
  if (w.members.length > 0 && !modes.has('automatic')) {
    if (!modes.has('advisory')) return 'no automatic halt: members manual';
    return share === 0 ? 'first rollback' : `${share} % rolled back`;
  }
  return share === 0 ? 'first breach' : `${share} % critical`;
}

/** What the Waves section's terms mean, after its table. */
const WAVE_LEGEND = [
  'halt at N % critical: at each monitoring sample the wave halts, pausing the whole rollout until a person resumes or aborts it, when at least one member breaches and the breaching members are at least N % of the wave\'s monitored members. Breaching means an automatic-mode member at or above its critical error rate for its consecutive samples, or a member already rolled back after a breach (automatically, or by an advisory decision or its default; a rollback a person asks for with the rollback control does not count). "first breach" (0 %) halts on the first one.',
  'N % rolled back: the wave\'s members are advisory (none automatic), so their breaches go to people first, as a rollback decision that rolls back by default at its deadline; the wave halts once the members rolled back that way reach N % of it ("first rollback" at 0 %). "no automatic halt: members manual": a manual member\'s breach pauses the rollout for a person to roll back by hand, so the share never halts such a wave.',
  'one go/no-go: one approval starts the whole wave, and a member whose readiness check says needs-review also needs its own tenant approval; per tenant: each member of the wave needs its own approval before it is switched on.',
  'manual checkpoint: after monitoring, a person confirms the wave looks healthy before its soak; unconfirmed by its deadline, the rollout pauses and asks again once resumed; rejected, the wave halts.',
  'four-eyes: the go/no-go (wave and tenant) and checkpoint decisions, approve or reject, must come from someone other than the person who started the rollout.',
  'health window: after the last wave\'s soak the rollout waits this long, then the health report measures each switched-on tenant over it; the timeline\'s end and totals stop at the last soak and do not include it.',
];

function approval(w: Wave): string {
  const parts = [w.approval === 'per-tenant' ? 'per tenant' : 'one go/no-go'];
  if (w.manualCheckpoint) parts.push('manual checkpoint');
  if (w.fourEyes) parts.push('four-eyes');
  return parts.join(', ');
}

function checklistSection(plan: Plan, { tenants, feature, notices }: RenderContext): Section {
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const asOf = notices?.asOf ?? plan.asOf;
  const rows: string[][] = [];
  for (const w of plan.waves) {
    const results = w.members.flatMap((m) => {
      const tenant = byId.get(m.tenantId);
      return tenant ? [checkReadiness(tenant, feature, w, { asOf, noticeSentAt: notices?.sentAt.get(m.tenantId), noticeLeadSeconds: plan.noticeLeadSeconds, healthFloor: plan.healthFloor })] : [];
    });
    const count = (v: string) => results.filter((r) => r.verdict === v).length;
    rows.push([w.id, `${count('go')} go, ${count('needs-review')} needs review, ${count('no-go')} no-go`, '']);
    const open = results.filter((r) => r.verdict !== 'go');
    for (const r of open.slice(0, CHECKLIST_SHOWN)) {
      const items = r.items.filter((i) => i.status !== 'pass').map((i) => `${i.check} ${i.status}: ${i.evidence}`).join('; ');
      rows.push(['', r.summary, items]);
    }
    if (open.length > CHECKLIST_SHOWN) rows.push(['', `… and ${open.length - CHECKLIST_SHOWN} more not ready`, '']);
  }
  return {
    title: notices ? `Readiness checklist preview (notices as sent by ${notices.asOf})` : 'Readiness checklist preview (notices assumed not yet sent)',
    head: ['wave', 'verdict', 'open items'],
    rows,
  };
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(2)} %`;
}

// East Asian wide characters (CJK, Hangul, full-width forms, the supplementary ideographs) take
// two terminal columns.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/** Terminal columns a cell takes, so tables with Chinese names line up. */
function columns(text: string): number {
  // Most cells have no wide character: one scan, not one test per character.
  if (!WIDE.test(text)) return text.length;
  let n = 0;
  for (const ch of text) n += WIDE.test(ch) ? 2 : 1;
  return n;
}

/** Line breaks and tabs in a cell's text (a tenant's freeze reason, say) would break its row. */
const BREAKS = /[\r\n\t]+/g;

/** The cell's text on one line. */
function flat(text: string): string {
  BREAKS.lastIndex = 0;
  return BREAKS.test(text) ? text.replace(BREAKS, ' ') : text;
}

/**
 * The cell's text in lines of at most `cap` columns, broken after a separator (which stays at the
 * end of the line, trimmed); a single part longer than the cap keeps a line of its own.
 */
function wrapCell(text: string, separator: string, cap: number): string[] {
  if (columns(text) <= cap) return [text];
  const parts = text.split(separator);
  const lines: string[] = [];
  let current = '';
  for (const [i, part] of parts.entries()) {
    const piece = i < parts.length - 1 ? `${part}${separator.trimEnd()}` : part;
    const joined = current === '' ? piece : `${current} ${piece}`;
    if (current !== '' && columns(joined) > cap) { lines.push(current); current = piece; } else current = joined;
  }
  lines.push(current);
  return lines;
}

function* terminal(title: string, sections: Iterable<Section>): Generator<string> {
  yield `${title}\n${'='.repeat(Math.min(title.length, 100))}\n\n`;
  for (const s of sections) {
    const heading = `${s.title}\n${'-'.repeat(s.title.length)}\n${s.lead ? `${s.lead}\n` : ''}`;
    if (s.rows.length === 0) { yield `${heading}(none)\n\n`; continue; }
    // In place: the section's rows are its own, and a 100k-tenant plan need not copy them.
    for (const r of s.rows) for (let i = 0; i < r.length; i++) r[i] = flat(r[i]);
    const widths = s.head.map((h, i) => Math.min(COLUMN_CAP, s.rows.reduce((w, r) => Math.max(w, columns(r[i] ?? '')), columns(h))));
    const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(Math.max(0, widths[i] - columns(c))))).join('  ').trimEnd();
    yield `${heading}${line(s.head)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`;
    yield* inBatches(s.wrap ? wrappedLines(s.rows, s.wrap, line) : rowLines(s.rows, line));
    yield s.notes ? `\nTerms:\n${s.notes.map((n) => `- ${n}`).join('\n')}\n\n` : '\n';
  }
}

function* markdown(title: string, sections: Iterable<Section>): Generator<string> {
  const cell = (c: string) => flat(c).replace(/\|/g, '\\|');
  // Each section opens with the blank line that parts it from what came before.
  yield `# ${title}\n`;
  for (const s of sections) {
    const heading = `\n## ${s.title}\n\n${s.lead ? `${s.lead}\n\n` : ''}`;
    if (s.rows.length === 0) { yield `${heading}_none_\n`; continue; }
    yield `${heading}| ${s.head.map(cell).join(' | ')} |\n|${s.head.map(() => ' --- ').join('|')}|\n`;
    yield* inBatches(rowLines(s.rows, (r) => `| ${r.map(cell).join(' | ')} |`));
    if (s.notes) yield `\n**Terms:**\n\n${s.notes.map((n) => `- ${n}`).join('\n')}\n`;
  }
}

function* rowLines(rows: string[][], line: (cells: string[]) => string): Generator<string> {
  for (const r of rows) yield line(r);
}

/** Each row, its wrapped column's further lines after it with the other cells blank. */
function* wrappedLines(rows: string[][], wrap: NonNullable<Section['wrap']>, line: (cells: string[]) => string): Generator<string> {
  for (const r of rows) {
    const [first, ...more] = wrapCell(r[wrap.column] ?? '', wrap.separator, COLUMN_CAP);
    yield line(r.map((c, i) => (i === wrap.column ? first : c)));
    for (const rest of more) yield line(r.map((_, i) => (i === wrap.column ? rest : '')));
  }
}
