/**
 * Why each wave soaks as long as it does, in plain words: the one place that says it, for the
 * plan's JSON (`soakReason` per wave) and the Waves lead of the table and markdown.
 *
 * The timeline decides which waves soak and records why (`SoakCause`); a wave without a cause
 * leads into a later wave of its stage once monitored, and the facts say which one.
 */
import type { Feature } from '../model/feature';
import type { Stage } from '../model/plan';
import { explainSoak } from '../monitoring/durations';
import { duration } from '../risk/format';
import type { SoakCause } from './timeline';
import { ROUND, STAGES, type DraftKind } from './waves';

/** The general rule, as the Waves lead of the table and markdown states it. */
export const SOAK_RULE = 'A stage soaks once, at its end: the last wave of each lane in the stage\'s last round soaks in full (the gate before the next stage), as do a catch-up lane\'s last wave and a wave nothing of its stage follows; '
  + 'the waves before lead into the next wave or round once monitored, so their soak is 0 s. Each wave\'s `soakReason` (the "why this soak" column) says which case it is.';

/** What the reason of one wave is judged on: where the timeline put it and the soak it gave it. */
export interface SoakFacts {
  stage: Stage;
  lane: string;
  kind: DraftKind;
  /** The wave's round inside its stage (`ROUND`); catch-up and pilot waves have none. */
  round?: number;
  start: number;
  soakSeconds: number;
  soakCause?: SoakCause;
}

const ROUND_NAMES: Record<number, string> = {
  [ROUND.growth]: 'growth sub-waves', [ROUND.standard]: 'standard-SLA waves', [ROUND.canary]: 'premium canaries', [ROUND.premium]: 'gold and platinum waves',
};
/** The pilot's two rounds are our own tenants, then the customers who volunteered (waves.ts). */
const PILOT_ROUND_NAMES: Record<number, string> = { [ROUND.growth]: 'internal tenants\' waves', [ROUND.standard]: 'beta volunteers\' waves' };
const roundName = (stage: Stage, round: number) => (stage === 'pilot' ? PILOT_ROUND_NAMES : ROUND_NAMES)[round];

/** The stage's full soak with its basis, and the basis alone: "24 h for a low wave × 1 for medium feature risk". */
function basis(stage: Stage, feature: Feature): { seconds: number; full: string; because: string } {
  const { seconds, reason } = explainSoak(stage, feature);
  const shown = duration(seconds);
  const because = reason.startsWith(`${shown}: `) || reason.startsWith(`${shown}, `) ? reason.slice(shown.length + 2) : reason;
  return { seconds, full: reason, because };
}

/**
 * One reason per wave, in the order given. The wave's row names its lane, so a reason says "its
 * lane" and is one of a few per plan: each is built once and shared (7,778 waves at 100k).
 */
export function soakReasons(waves: readonly SoakFacts[], feature: Feature): string[] {
  const bases = new Map(STAGES.map((s) => [s, basis(s, feature)]));
  const staged = new Set<Stage>();
  const lastRound = new Map<Stage, number>();
  const rounds = new Map<Stage, Set<number>>();
  const laneLastStart = new Map<string, number>();
  const laneKey = (w: SoakFacts) => `${w.stage}\u0000${w.lane}`;
  for (const w of waves) {
    laneLastStart.set(laneKey(w), Math.max(laneLastStart.get(laneKey(w)) ?? -Infinity, w.start));
    if (w.kind === 'catch-up') continue;
    staged.add(w.stage);
    lastRound.set(w.stage, Math.max(lastRound.get(w.stage) ?? 0, w.round ?? 0));
    if (!rounds.has(w.stage)) rounds.set(w.stage, new Set());
    rounds.get(w.stage)!.add(w.round ?? 0);
  }
  const nextStage = (stage: Stage) => STAGES.slice(STAGES.indexOf(stage) + 1).find((s) => staged.has(s));
  const nextRound = (w: SoakFacts) => {
    const later = [...(rounds.get(w.stage) ?? [])].filter((r) => r > (w.round ?? 0));
    return later.length ? roundName(w.stage, Math.min(...later)) : undefined;
  };
  const shared = new Map<string, string>();
  const once = (key: string, text: () => string) => {
    let reason = shared.get(key);
    if (reason === undefined) shared.set(key, (reason = text()));
    return reason;
  };
  return waves.map((w) => {
    const b = bases.get(w.stage)!;
    if (b.seconds === 0) return once(`none ${w.stage}`, () => `${b.full}: no wave of the ${w.stage} stage soaks`);
    const next = nextStage(w.stage);
    const gate = next ? `before the ${next} stage starts` : 'before the health window (no later stage follows)';
    const then = () => `the stage's last waves soak ${duration(b.seconds)} (${b.because}) ${gate}`;
    const last = lastRound.get(w.stage) ?? 0;
    const inLastRound = last > 0 && w.round === last;
    switch (w.soakCause) {
      case 'gate': return once(`gate ${w.stage} ${inLastRound}`, () => `${b.full}; the last wave of its lane in ${inLastRound ? `the ${w.stage} stage's last round (${roundName(w.stage, last)})` : `the ${w.stage} stage`}, so it soaks in full ${gate}`);
      case 'emptied': return once(`emptied ${w.stage}`, () => `${b.full}; freeze moves emptied the waves of the ${w.stage} stage that were to end after its soak, so it is the last of its lane and soaks in full ${gate}`);
      case 'catch-up': return once(`catch-up ${w.stage}`, () => `${b.full}; the last catch-up wave of the ${w.stage} stage, so its tenants soak in full too (the next stage does not wait for it)`);
      default: break;
    }
    if (w.kind === 'catch-up') return once(`later catch-up ${w.stage}`, () => `0 s: a later catch-up wave of the ${w.stage} stage follows once this one is monitored, and the last one soaks ${duration(b.seconds)}`);
    if (w.start < laneLastStart.get(laneKey(w))!) return once(`next in lane ${w.stage}`, () => `0 s: the next wave of its lane in the ${w.stage} stage follows once this one is monitored; ${then()}`);
    const round = nextRound(w);
    if (round) return once(`next round ${w.stage} ${round}`, () => `0 s: the ${w.stage} stage's ${round} start once this wave and the rest of its round are monitored; ${then()}`);
    return once(`other lanes ${w.stage}`, () => `0 s: the ${w.stage} stage's other lanes start once this wave is monitored; ${then()}`);
  });
}
