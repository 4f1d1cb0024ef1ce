import { closeSync, openSync, writeSync } from 'node:fs';
import { parseTenants } from '../../shared/import/tenants';
import { parseFeature } from '../../shared/import/feature';
import { parseDocument } from '../../shared/import/document';
import { defaultPlanConfig, PlanConfigOverrides, withCalendarAndLanes, type PlanConfig } from '../../shared/plan/config';
import type { ImportError } from '../../shared/import/errors';
import { buildPlan } from '../../shared/plan/build';
import { renderPlanPieces, type PlanFormat } from '../../shared/plan/render';
import { deadlinePassed } from '../../shared/plan/warnings';
import { asOfProblem } from '../../shared/model/as-of';
import { parseFlags, readInput, UsageError } from '../args';

export const planUsage = `Usage: ringmaster plan --tenants FILE --feature FILE [--config FILE] [--format table|markdown|json] [--out FILE] [--as-of ISO] [--calendar auto|business|continuous] [--no-lanes]

Scores every tenant for the feature and prints the rollout plan: tiers with reasons, holds with
what releases them, waves with members, soak and timeline, never-together splits, thresholds and
decision modes, coverage of touched configurations, warnings and a readiness checklist preview.

  --tenants FILE   tenant fleet: .yaml, .json, .csv or a PM's pipe table (.txt, en / zh-CN)
  --feature FILE   feature description (.yaml or .json)
  --config FILE    plan config (.yaml or .json): only what differs from the defaults, e.g. growth
                   sizes, wave sizes, start window, never-together rules, risk weights (README)
  --format         table (terminal, default), markdown (review doc) or json (stable, for tools)
  --out FILE       write the plan to FILE instead of standard output
  --as-of ISO      the moment to plan for (default: now): a date (midnight UTC) or a date-time with Z
                   or an offset; fixes relative phrases and the timeline
  --calendar       auto (default): business hours for waves of an hour or more; business; continuous
  --no-lanes       run every wave one after another instead of in parallel region lanes
                   (both override the config file)`;

const FORMATS: PlanFormat[] = ['table', 'markdown', 'json'];

/** The line of a key in a YAML or JSON file, for a problem found after parsing. */
function keyLine(text: string, key: string): number {
  const pattern = new RegExp(`(^|[\\s{,])"?${key}"?\\s*:`);
  return text.split('\n').findIndex((l) => pattern.test(l)) + 1 || 1;
}

function importFailure(path: string, errors: ImportError[]): UsageError {
  const lines = errors.map((e) => `  ${path}:${e.line}${e.column ? ` (${e.column})` : ''} ${e.field}: ${e.message}`);
  return new UsageError(`${path} has ${errors.length} problem${errors.length === 1 ? '' : 's'}; nothing was planned:\n${lines.join('\n')}`);
}

/** Runs `plan`; `now` is the caller's clock, used only when --as-of is absent. */
export function runPlan(argv: string[], io: { now: () => Date; stdout: (s: string) => void; stderr: (s: string) => void }): number {
  const flags = parseFlags(argv, { tenants: 'value', feature: 'value', config: 'value', format: 'value', out: 'value', 'as-of': 'value', calendar: 'value', 'no-lanes': 'flag', help: 'flag' }, planUsage);
  if (flags.help) { io.stdout(`${planUsage}\n`); return 0; }
  const tenantsPath = flags.tenants;
  const featurePath = flags.feature;
  if (typeof tenantsPath !== 'string') throw new UsageError('--tenants FILE is required', planUsage);
  if (typeof featurePath !== 'string') throw new UsageError('--feature FILE is required', planUsage);
  const format = (flags.format ?? 'table') as PlanFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${String(flags.format)}"`, planUsage);
  const calendar = flags.calendar;
  if (calendar !== undefined && calendar !== 'auto' && calendar !== 'business' && calendar !== 'continuous') throw new UsageError(`--calendar must be auto, business or continuous, not "${String(calendar)}"`, planUsage);
  const asOf = typeof flags['as-of'] === 'string' ? flags['as-of'] : io.now().toISOString();
  const asOfWrong = asOfProblem(asOf);
  if (asOfWrong) throw new UsageError(`--as-of "${asOf}": ${asOfWrong}`);

  const fleet = parseTenants(readInput(tenantsPath, 'tenants'), { filename: tenantsPath, asOf });
  if (!fleet.ok) throw importFailure(tenantsPath, fleet.errors);
  const featureText = readInput(featurePath, 'feature');
  const parsedFeature = parseFeature(featureText, { filename: featurePath });
  if (!parsedFeature.ok) throw importFailure(featurePath, parsedFeature.errors);
  const passed = deadlinePassed(parsedFeature.feature, asOf);
  if (passed) throw importFailure(featurePath, [{ line: keyLine(featureText, 'deadline'), field: 'deadline', message: passed }]);
  let config: PlanConfig = defaultPlanConfig;
  if (typeof flags.config === 'string') {
    const parsedConfig = parseDocument(PlanConfigOverrides, readInput(flags.config, 'config'), { filename: flags.config });
    if (!parsedConfig.ok) throw importFailure(flags.config, parsedConfig.errors);
    config = parsedConfig.value;
  }

  const planConfig = withCalendarAndLanes(config, { calendar, lanes: flags['no-lanes'] ? false : undefined });
  const plan = buildPlan({ tenants: fleet.tenants, feature: parsedFeature.feature, asOf, config: planConfig });
  const pieces = renderPlanPieces(plan, format, { tenants: fleet.tenants, feature: parsedFeature.feature, calendar: planConfig.calendar });
  if (typeof flags.out === 'string') {
    try {
      writePieces(flags.out, pieces);
    } catch (e) {
      throw new UsageError(`cannot write ${flags.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    io.stderr(`plan for ${plan.feature.key}: ${plan.waves.length} waves, ${plan.holds.length} holds, ${plan.warnings.length} warnings → ${flags.out}\n`);
  } else {
    for (const piece of pieces) io.stdout(piece);
  }
  return 0;
}

function writePieces(file: string, pieces: Iterable<string>): void {
  const fd = openSync(file, 'w');
  try {
    for (const piece of pieces) writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
}
