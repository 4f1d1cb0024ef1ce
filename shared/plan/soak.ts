/**
 * Why each wave soaks as long as it does, in plain words: the one place that says it, for the
 * plan's JSON (`soakReason` per wave) and the Waves lead of the table and markdown.
 *
 * The rule (laid out by the timeline): only the last wave of each lane of a stage soaks, for the
 * stage's full soak (by wave risk stage and feature risk, or the feature's override); it is the
 * gate before the next stage, or the wave nothing follows. The sub-waves before it lead into the
 * next wave of their lane once monitored, so their soak is 0 s; so does the main lane's last wave
 * when the stage's other lanes start after it (their last waves soak). Catch-up waves follow the
 * same rule in their own lane.
 */
import type { Feature } from '../model/feature';
import type { Stage } from '../model/plan';
import { explainSoak } from '../monitoring/durations';
import { duration } from '../risk/format';
import { STAGES, type DraftKind } from './waves';

/** The general rule, as the Waves lead of the table and markdown states it. */
export const SOAK_RULE = 'Only the last wave of each lane of a stage soaks (the gate before the next stage, and a wave nothing follows); '
  + 'the sub-waves before it lead into the next wave once monitored, so their soak is 0 s. Each wave\'s `soakReason` (the "why this soak" column) says which case it is.';

/** What the reason of one wave is judged on: where the timeline put it and the soak it gave it. */
export interface SoakFacts {
  stage: Stage;
  lane: string;
  kind: DraftKind;
  /** Start, to tell the last wave of its lane in its stage. */
  start: number;
  soakSeconds: number;
}

/** The stage's full soak without its duration: "24 h for a low wave × 1 for medium feature risk". */
function basis(stage: Stage, feature: Feature): { seconds: number; full: string; because: string } {
  const { seconds, reason } = explainSoak(stage, feature);
  const shown = duration(seconds);
  const because = reason.startsWith(`${shown}: `) ? reason.slice(shown.length + 2) : reason.startsWith(`${shown}, `) ? reason.slice(shown.length + 2) : reason;
  return { seconds, full: reason, because };
}

/** One reason per wave, in the order given. */
export function soakReasons(waves: readonly SoakFacts[], feature: Feature): string[] {
  const bases = new Map(STAGES.map((s) => [s, basis(s, feature)]));
  const lastStart = new Map<string, number>();
  for (const w of waves) {
    const key = `${w.stage}\u0000${w.lane}`;
    lastStart.set(key, Math.max(lastStart.get(key) ?? -Infinity, w.start));
  }
  const staged = new Set(waves.filter((w) => w.kind !== 'catch-up').map((w) => w.stage));
  const nextStage = (stage: Stage) => STAGES.slice(STAGES.indexOf(stage) + 1).find((s) => staged.has(s));
  return waves.map((w) => {
    const b = bases.get(w.stage)!;
    const laneLast = w.start === lastStart.get(`${w.stage}\u0000${w.lane}`);
    const next = nextStage(w.stage);
    const gate = next ? `before the ${next} stage starts` : 'before the health window (no later stage follows)';
    if (w.soakSeconds > 0) {
      if (w.kind === 'catch-up') return `${b.full}; the last catch-up wave of the ${w.stage} stage, so it soaks in full like the last wave of every lane (the next stage does not wait for it)`;
      return `${b.full}; the last wave of lane ${w.lane} in the ${w.stage} stage, so it soaks in full ${gate}`;
    }
    if (b.seconds === 0) return `${b.full}: no wave of the ${w.stage} stage soaks`;
    const fullSoak = `${duration(b.seconds)} (${b.because})`;
    if (w.kind === 'catch-up') return `0 s: a later catch-up wave of the ${w.stage} stage follows once this one is monitored; the last one soaks ${fullSoak}`;
    if (laneLast) return `0 s: the ${w.stage} stage's other lanes start after this wave is monitored, and their last waves soak ${fullSoak} ${gate}`;
    return `0 s: the next wave of lane ${w.lane} in the ${w.stage} stage follows once this one is monitored; the lane's last wave soaks ${fullSoak} ${gate}`;
  });
}
