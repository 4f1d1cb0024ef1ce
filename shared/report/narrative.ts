import { duration, plural } from '../risk/format';
import { renderRetrospective, type Retrospective } from './retrospective';

/**
 * The retrospective told as prose: a deterministic template that always works, and the fact check
 * an LLM-written version must pass — every number, date and name in it must come from the facts.
 */

export function narrativeTemplate(r: Retrospective): string {
  const tiers = (verdict: Retrospective['tiers'][number]['verdict']) => r.tiers.filter((t) => t.verdict === verdict).map((t) => t.tenantName);
  const under = tiers('under-estimated');
  const over = tiers('possibly over-estimated');
  const ran = r.waves.filter((w) => w.phase !== 'not-run').length;
  const paragraphs = [
    `${r.featureName} (${r.rolloutId}) ran ${ran} of ${plural(r.waves.length, 'wave')}: the rollout ${r.timeline.reason}.`,
    r.rollbacks.length === 0
      ? 'No tenant was rolled back.'
      : `${plural(r.rollbacks.length, 'tenant')} rolled back: ${r.rollbacks.map((b) => `${b.tenantName} in ${b.waveId} (predicted ${b.predictedTier}): ${b.cause}`).join('; ')}.`,
    `Decisions: ${r.decisionLatency.reason}.`,
    [
      under.length > 0 ? `${plural(under.length, 'tier')} proved under-estimated (${under.join(', ')}).` : 'No tier proved under-estimated.',
      over.length > 0 ? `${plural(over.length, 'high-tier tenant')} went through cleanly (${over.join(', ')}).` : '',
    ].filter(Boolean).join(' '),
    ['Recommendations:', ...r.recommendations.map((c, i) => `${i + 1}. ${c.text}`)].join('\n'),
    r.riskAdjustments.length === 0
      ? 'No risk-profile updates are proposed.'
      : `Proposed risk-profile updates: ${r.riskAdjustments.map((a) => `${nameOf(r, a.tenantId)} ${a.points >= 0 ? '+' : ''}${a.points}`).join(', ')}.`,
  ];
  return paragraphs.join('\n\n');
}

function nameOf(r: Retrospective, tenantId: string): string {
  return r.tiers.find((t) => t.tenantId === tenantId)?.tenantName ?? tenantId;
}

/** Words that may start a sentence in any retrospective without being a fact. */
const CONNECTIVES = new Set(('a an the in on at after before during of for to we our it its this that these those there overall however next also all no '
  + 'one two three four five six both each every most some while when because so but and their then since as by with only first second third finally '
  + 'meanwhile although though despite given if once until where which who what how why summary recommendations decisions rollbacks timeline lessons').split(' '));

const NUMBER_WORDS: Record<string, number> = { zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12 };

/** Everything the narrative may draw on: the retrospective as JSON, as markdown and as the template tells it. */
function factSources(r: Retrospective): string {
  return [JSON.stringify(r), renderRetrospective(r, 'markdown'), narrativeTemplate(r)].join('\n');
}

function numbersIn(text: string): number[] {
  return [...text.matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((m) => Number(m[0].replace(/,/g, ''))).filter((n) => Number.isFinite(n));
}

/**
 * Problems that make an LLM narrative unusable, in words a reviewer can act on; empty when it
 * only says what the facts say. Numbers may be rounded (8.10 → 8.1 or 8), never made up.
 */
export function checkNarrative(text: string, r: Retrospective): string[] {
  const sources = factSources(r);
  const problems: string[] = [];

  const dates = /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?|\b\d{1,2}:\d{2}\b/g;
  const sourceDates = sources.replace(/T(\d{2}:\d{2})/g, ' $1');
  for (const d of text.match(dates) ?? []) {
    const [day, time] = d.replace('T', ' ').replace(/(:\d{2})(:\d{2}(\.\d+)?)?Z?$/, '$1').split(' ');
    if (!sourceDates.includes(day) || (time !== undefined && !sourceDates.includes(time))) problems.push(`mentions the date or time "${d}", which is not in the facts`);
  }

  const counts = [r.waves.length, r.rollbacks.length, r.decisions.length, r.tiers.length, r.recommendations.length, r.riskAdjustments.length];
  const allowed = new Set<number>([...numbersIn(sources), ...counts]);
  const rounded = new Set<number>([...allowed].flatMap((n) => [n, Math.round(n * 10) / 10, Math.round(n)]));
  const prose = text.replace(dates, ' ').replace(/^\s*\d+[.)]\s/gm, ' ');
  for (const n of new Set(numbersIn(prose))) {
    if (!rounded.has(n)) problems.push(`mentions the number ${n}, which is not in the facts`);
  }
  for (const [word, n] of Object.entries(NUMBER_WORDS)) {
    if (new RegExp(`\\b${word}\\b`, 'i').test(text) && !allowed.has(n) && n > 1) problems.push(`says "${word}", but no fact counts ${n}`);
  }

  const vocabulary = new Set(sources.toLowerCase().match(/[\p{L}][\p{L}'’-]*/gu) ?? []);
  const unknown = new Set<string>();
  for (const m of text.matchAll(/\b\p{Lu}[\p{L}'’-]*/gu)) {
    const word = m[0].replace(/['’]s$/, '');
    if (!vocabulary.has(word.toLowerCase()) && !CONNECTIVES.has(word.toLowerCase())) unknown.add(word);
  }
  for (const word of unknown) problems.push(`mentions "${word}", which is not a tenant, wave or term in the facts`);

  for (const b of r.rollbacks) {
    if (!text.includes(b.tenantName)) problems.push(`leaves out the rollback of ${b.tenantName}`);
  }
  return problems;
}

/** The facts handed to a model: the retrospective minus the long per-item reasons it would only repeat. */
export function narrativeFacts(r: Retrospective) {
  return {
    rollout: { id: r.rolloutId, feature: r.featureName, timeline: r.timeline.reason },
    waves: r.waves.map((w) => w.reason),
    rollbacks: r.rollbacks.map((b) => ({ tenant: b.tenantName, wave: b.waveId, predictedTier: b.predictedTier, cause: b.cause })),
    decisions: r.decisionLatency.reason,
    tiers: r.tiers.filter((t) => t.verdict !== 'confirmed').map((t) => ({ tenant: t.tenantName, predicted: t.predictedTier, verdict: t.verdict, evidence: t.evidence })),
    recommendations: r.recommendations.map((c) => c.text),
    riskProfileUpdates: r.riskAdjustments.map((a) => ({ tenant: nameOf(r, a.tenantId), points: a.points, reason: a.reason })),
    decisionTimeout: duration(r.decisionLatency.timeoutSeconds),
  };
}
