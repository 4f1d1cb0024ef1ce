import { DEFAULT_BASELINE, type Tenant } from '../model/tenant';
import type { Feature } from '../model/feature';
import type { DecisionMode, Stage, TenantThresholds } from '../model/plan';
import { defaultRiskConfig, type RiskConfig, type SlaClass } from '../risk/config';
import { slaClass } from '../risk/sla';
import { pct, plural, thousands } from '../risk/format';
import { sampleIntervalSeconds } from './durations';
import { KeyTree } from '../memo';

export {
  monitoringWindowSeconds, sampleIntervalSeconds, soakSeconds, noticeLeadSeconds, noticeReviewSeconds, healthWindowSeconds, decisionTimeoutSeconds,
  explainDurations, type Explained,
} from './durations';

/**
 * Memo for `thresholdsFor` across one plan: thresholds and their reasons depend on a handful of
 * tenant traits (SLA class, baseline, strategic flags), so a fleet has few distinct ones and each
 * reason is built once and shared. Only valid for one feature and config.
 */
export interface ThresholdMemo {
  sampleIntervalSeconds: number;
  /** Error rates and the reason's head, by SLA class and baseline. */
  rates: KeyTree<Rates>;
  /** Decision mode and the reason's tail, by SLA class, stage and strategic flags. */
  decisions: KeyTree<Decision>;
  /** Both, with the whole reason, by SLA class, baseline, stage and strategic flags. */
  shared: KeyTree<Shared>;
}

type ErrorRates = Omit<TenantThresholds, 'tenantId' | 'decisionMode' | 'reason' | 'baselineAssumed' | 'trafficAssumed'>;
type Rates = ErrorRates & { head: string; errorAssumed: boolean; trafficAssumed: boolean };
type Decision = { decisionMode: DecisionMode; tail: string };
/** What tenants with the same traits share: the reason, and the reason of sparse tenants by traffic. */
type Shared = { rates: Rates; decision: Decision; reason: string; sparse?: Map<number, string> };

export function thresholdMemo(feature: Feature): ThresholdMemo {
  return { sampleIntervalSeconds: sampleIntervalSeconds(feature), rates: new KeyTree(), decisions: new KeyTree(), shared: new KeyTree() };
}

/**
 * A tenant's error-rate thresholds from its own baseline and SLA: 2 % is noise for a tenant that
 * runs at 1.5 % and a crisis for a platinum tenant at 0.2 %.
 */
export function thresholdsFor(tenant: Tenant, feature: Feature, stage: Stage, config: RiskConfig = defaultRiskConfig, memo?: ThresholdMemo): TenantThresholds {
  const cls = slaClass(tenant, config);
  const baseline = tenant.baseline.errorRate;
  const perSample = Math.floor((tenant.baseline.requestsPerMinute * (memo?.sampleIntervalSeconds ?? sampleIntervalSeconds(feature))) / 60);
  const assumed = tenant.baseline.assumed;
  const node = memo && withFlags(memo.shared.at(cls).at(baseline).at(assumed).at(stage), tenant);
  let shared = node?.value;
  if (!shared) {
    // A plan has a few hundred combinations of baseline and stage but only a few dozen
    // decisions: each half of the reason is built once, in its own memo.
    const rates = ratesFor(cls, baseline, assumed?.includes('errorRate') ?? false, assumed?.includes('requestsPerMinute') ?? false, config, memo);
    const decision = decisionFor(tenant, feature, stage, cls, config, memo);
    shared = { rates, decision, reason: rates.head + decision.tail };
    if (node) node.value = shared;
  }
  const { rates } = shared;
  const thresholds: TenantThresholds = {
    tenantId: tenant.id,
    baselineErrorRate: rates.baselineErrorRate,
    warningErrorRate: rates.warningErrorRate,
    criticalErrorRate: rates.criticalErrorRate,
    minRequests: rates.minRequests,
    consecutiveBreaches: rates.consecutiveBreaches,
    decisionMode: shared.decision.decisionMode,
    reason: perSample < rates.minRequests ? sparseReason(shared, perSample) : shared.reason,
  };
  // Added only to the few with an assumed baseline, so the others' JSON and shape stay as they were.
  if (rates.errorAssumed) thresholds.baselineAssumed = true;
  if (rates.trafficAssumed) thresholds.trafficAssumed = true;
  return thresholds;
}

/** The memo entry one step further for each strategic flag the tenant has, each its own. */
function withFlags<V>(node: KeyTree<V>, tenant: Tenant): KeyTree<V> {
  if (tenant.strategic.anchor) node = node.at('anchor');
  if (tenant.strategic.executiveEscalation) node = node.at('escalation');
  return node;
}

/** Where a tenant's baseline is recorded, for the advice in an assumed baseline's reason. */
const WHERE = {
  errorRate: 'baseline.errorRate in JSON or YAML, CSV column baselineErrorRate',
  requestsPerMinute: 'baseline.requestsPerMinute in JSON or YAML, CSV column requestsPerMinute',
  both: 'baseline.errorRate and baseline.requestsPerMinute in JSON or YAML, CSV columns baselineErrorRate and requestsPerMinute',
  // A patch replaces the whole baseline: one naming only the error rate would drop recorded traffic.
  patch: 'or PATCH /api/v1/tenants/{id} with the whole baseline',
};

/**
 * Said first in the reason of a tenant whose error-rate or traffic baseline was not given (every
 * pipe-table row lacks both): the thresholds, or whether a sample reaches the requests it needs,
 * rest on the default, not on its traffic; and where to record the real values. One string per
 * baseline value, sample size and pair of flags, in the rates memo with the rest of the head.
 */
function assumedBaseline(baseline: number, minRequests: number, error: boolean, traffic: boolean): string {
  const rpm = `${DEFAULT_BASELINE.requestsPerMinute} requests/min`;
  const reach = `whether its samples reach ${thousands(minRequests)} requests`;
  if (error && traffic) {
    return `no error-rate or traffic baseline on record: assumed ${pct(baseline)} and ${rpm} (the defaults), so these thresholds and ${reach} are guesses; `
      + `record the tenant's real ones (${WHERE.both}, ${WHERE.patch}; the pipe table has no columns for them); `;
  }
  if (error) {
    return `no error-rate baseline on record: assumed ${pct(baseline)} (the default); record the tenant's real rate `
      + `(${WHERE.errorRate}, ${WHERE.patch}; the pipe table has no column for it) to base these thresholds on it; `;
  }
  if (traffic) {
    return `no traffic baseline on record: assumed ${rpm} (the default), so ${reach} is a guess; record the tenant's real traffic `
      + `(${WHERE.requestsPerMinute}, ${WHERE.patch}; the pipe table has no column for it); `;
  }
  return '';
}

function ratesFor(cls: SlaClass, baseline: number, errorAssumed: boolean, trafficAssumed: boolean, config: RiskConfig, memo?: ThresholdMemo): Rates {
  const node = memo?.rates.at(cls).at(baseline).at(errorAssumed).at(trafficAssumed);
  if (node?.value) return node.value;
  const rule = config.monitoring.thresholds[cls];
  const base = errorRates(cls, baseline, config);
  const { warningErrorRate: warning, criticalErrorRate: critical, minRequests } = base;
  const head = `${assumedBaseline(baseline, minRequests, errorAssumed, trafficAssumed)}${cls} SLA: critical at ${pct(critical)} = max(${rule.criticalFactor} × baseline ${pct(baseline)}, baseline + ${pp(rule.criticalMargin)}), `
    + `warning at ${pct(warning)}; a sample counts from ${thousands(minRequests)} requests`;
  const rates = { ...base, head, errorAssumed, trafficAssumed };
  if (node) node.value = rates;
  return rates;
}

/** Who acts on a breach, and the reason's tail saying so; decided by the SLA class, stage and strategic flags. */
function decisionFor(tenant: Tenant, feature: Feature, stage: Stage, cls: SlaClass, config: RiskConfig, memo?: ThresholdMemo): Decision {
  const node = memo && withFlags(memo.decisions.at(cls).at(stage), tenant);
  if (node?.value) return node.value;
  const rule = config.monitoring.thresholds[cls];
  const decision = decisionModeFor(tenant, feature, stage, config);
  const tail = `; act after ${plural(rule.consecutiveBreaches, 'consecutive critical sample')}; ${decision.mode}: ${decision.reason}`;
  const made = { decisionMode: decision.mode, tail };
  if (node) node.value = made;
  return made;
}

/**
 * The reason of a tenant whose baseline traffic gives fewer requests per sample than one counts
 * from; by traffic. Whether that traffic is the default (assumed: not given) is in the rates, and
 * the head has said so already.
 */
function sparseReason(shared: Shared, perSample: number): string {
  shared.sparse ??= new Map();
  let reason = shared.sparse.get(perSample);
  if (reason === undefined) {
    const traffic = shared.rates.trafficAssumed ? `the assumed ${DEFAULT_BASELINE.requestsPerMinute} requests/min` : 'baseline traffic';
    reason = `${shared.rates.head} (about ${thousands(perSample)} requests per sample at ${traffic}, so expect insufficient data)${shared.decision.tail}`;
    shared.sparse.set(perSample, reason);
  }
  return reason;
}

function errorRates(cls: SlaClass, baseline: number, config: RiskConfig): ErrorRates {
  const m = config.monitoring;
  const rule = m.thresholds[cls];
  const critical = ratio(Math.max(baseline * rule.criticalFactor, baseline + rule.criticalMargin));
  const warning = ratio(Math.max(baseline * rule.warningFactor, baseline + rule.warningMargin));
  const p = Math.max(baseline, m.baselineFloor);
  const needed = (m.significanceZ ** 2 * p * (1 - p)) / (critical - p) ** 2;
  // toPrecision keeps floating-point dust (1764.0000001) from adding a request.
  const minRequests = Math.max(m.minRequestsFloor, Math.ceil(Number(needed.toPrecision(12))));
  return { baselineErrorRate: baseline, warningErrorRate: warning, criticalErrorRate: critical, minRequests, consecutiveBreaches: rule.consecutiveBreaches };
}

/**
 * Who acts on a breach. Never automatic when a flag flip cannot undo the change; humans decide
 * for valuable tenants and late stages; otherwise the tree rolls back by itself.
 */
export function decisionModeFor(tenant: Tenant, feature: Feature, stage: Stage, config: RiskConfig = defaultRiskConfig): { mode: DecisionMode; reason: string } {
  const manual = [
    ...(feature.rollback.reversible ? [] : ['a flag flip cannot undo the change']),
    ...(feature.rollback.complexity === 'complex' ? [`rollback is complex (${feature.rollback.how})`] : []),
    ...(feature.changes.some((c) => c.area === 'data-model') ? ['the feature changes the data model'] : []),
  ];
  if (manual.length > 0) return { mode: 'manual', reason: `${manual.join('; ')}, so a person pauses and rolls back by hand` };
  const advisory = [
    ...(stage === 'high' ? ['high-stage wave'] : []),
    ...(tenant.strategic.anchor ? ['anchor account'] : []),
    ...(tenant.strategic.executiveEscalation ? ['executive escalation'] : []),
    ...(slaClass(tenant, config) === 'platinum' ? ['platinum SLA'] : []),
    ...(feature.rollback.complexity === 'moderate' ? ['rollback is moderate'] : []),
  ];
  if (advisory.length > 0) return { mode: 'advisory', reason: `${advisory.join(', ')}, so humans decide before the deadline, rollback by default` };
  return { mode: 'automatic', reason: 'a simple, reversible flag flip for a non-strategic tenant, so the tree rolls back by itself' };
}

function ratio(n: number): number {
  return Math.min(1, Number(n.toFixed(6)));
}

function pp(margin: number): string {
  return `${Number((margin * 100).toFixed(2))} pp`;
}
