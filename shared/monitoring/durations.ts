import type { ChangeArea, DurationOverrides, Feature, RiskLevel } from '../model/feature';
import type { Stage } from '../model/plan';
import { duration } from '../risk/format';

/**
 * Every duration a rollout waits, sized from the feature's change areas and risk. A feature's own
 * `durations` win, so tests and demos run the real workflow in seconds.
 */

const HOUR = 3_600;

/** How long a change area takes to show its faults: a UI fault shows in the first sessions, a data-model fault in the nightly jobs. */
const areaWindow: Record<ChangeArea, number> = {
  ui: 2 * HOUR, config: 2 * HOUR, permissions: 4 * HOUR, api: 6 * HOUR, integration: 12 * HOUR, 'data-model': 24 * HOUR,
};
const riskStretch: Record<RiskLevel, number> = { low: 1, medium: 1, high: 1.5 };
/** At least this many samples per window, and never a sample less often than every 15 minutes. */
const samplesPerWindow = 24;
const maxSampleInterval = 15 * 60;
/** Soak before the next wave: later stages hold more valuable tenants, so the evidence must be older. */
const stageSoak: Record<Stage, number> = { pilot: 12 * HOUR, low: 24 * HOUR, medium: 24 * HOUR, high: 48 * HOUR };
const riskSoak: Record<RiskLevel, number> = { low: 0.5, medium: 1, high: 1.5 };
/** Notice lead: tenant admins need time to prepare when the change reaches their integrations or data. */
const riskNotice: Record<RiskLevel, number> = { low: 24 * HOUR, medium: 72 * HOUR, high: 120 * HOUR };
const preparingAreas: ChangeArea[] = ['integration', 'data-model', 'api', 'permissions'];
const preparingNotice = 72 * HOUR;
const healthWindow = 48 * HOUR;
/** Advisory decisions wait less for a riskier feature before the default (rollback) applies. */
const riskDecisionTimeout: Record<RiskLevel, number> = { low: 60 * 60, medium: 30 * 60, high: 15 * 60 };

export type Explained = { seconds: number; reason: string };

/**
 * The monitoring samples a wave takes: a fixed number, so a slow metrics backend lengthens the
 * window rather than thinning the evidence. The wave workflow takes them; the plan warns when they
 * are fewer than a tenant's consecutive critical samples.
 */
export const samplesPerWave = (w: { monitoringWindowSeconds: number; sampleIntervalSeconds: number }): number =>
  Math.max(1, Math.floor(w.monitoringWindowSeconds / w.sampleIntervalSeconds));

function overridden(feature: Feature, key: keyof DurationOverrides, computed: () => Explained): Explained {
  const own = feature.durations[key];
  return own === undefined ? computed() : { seconds: own, reason: `${duration(own)}, set by the feature's duration overrides` };
}

export function explainMonitoringWindow(feature: Feature): Explained {
  return overridden(feature, 'monitoringWindowSeconds', () => {
    const longest = feature.changes.reduce((a, c) => (areaWindow[c.area] > areaWindow[a.area] ? c : a));
    const stretch = riskStretch[feature.risk.level];
    const seconds = Math.round(areaWindow[longest.area] * stretch);
    const why = stretch === 1 ? '' : ` × ${stretch} for ${feature.risk.level} feature risk`;
    return { seconds, reason: `${duration(seconds)}: ${longest.area} changes show their faults within ${duration(areaWindow[longest.area])}${why}` };
  });
}

export function explainSampleInterval(feature: Feature): Explained {
  return overridden(feature, 'sampleIntervalSeconds', () => {
    const window = explainMonitoringWindow(feature).seconds;
    const seconds = Math.max(1, Math.min(maxSampleInterval, Math.round(window / samplesPerWindow)));
    return { seconds, reason: `${duration(seconds)}: the ${duration(window)} window split into ${samplesPerWindow} samples, at most ${duration(maxSampleInterval)} apart` };
  });
}

export function explainSoak(stage: Stage, feature: Feature): Explained {
  return overridden(feature, 'soakSeconds', () => {
    const seconds = Math.round(stageSoak[stage] * riskSoak[feature.risk.level]);
    return { seconds, reason: `${duration(seconds)}: ${duration(stageSoak[stage])} for a ${stage} wave × ${riskSoak[feature.risk.level]} for ${feature.risk.level} feature risk` };
  });
}

export function explainNoticeLead(feature: Feature): Explained {
  return overridden(feature, 'noticeLeadSeconds', () => {
    const byRisk = riskNotice[feature.risk.level];
    const preparing = feature.changes.find((c) => preparingAreas.includes(c.area));
    if (preparing && preparingNotice > byRisk) {
      return { seconds: preparingNotice, reason: `${duration(preparingNotice)}: the ${preparing.area} change may need preparation by the tenant's admins` };
    }
    return { seconds: byRisk, reason: `${duration(byRisk)} for ${feature.risk.level} feature risk` };
  });
}

export function explainNoticeReview(feature: Feature): Explained {
  return overridden(feature, 'noticeReviewSeconds', () => ({ seconds: 0, reason: 'none: notices are sent as soon as they are prepared' }));
}

/** The feature with this review time for its notice drafts, unless its own durations set one. */
export function withNoticeReview(feature: Feature, seconds: number | undefined): Feature {
  if (!seconds || feature.durations.noticeReviewSeconds !== undefined) return feature;
  return { ...feature, durations: { ...feature.durations, noticeReviewSeconds: seconds } };
}

export function explainHealthWindow(feature: Feature): Explained {
  return overridden(feature, 'healthWindowSeconds', () => ({ seconds: healthWindow, reason: `${duration(healthWindow)}: activation and ticket deltas settle within two days` }));
}

export function explainDecisionTimeout(feature: Feature): Explained {
  return overridden(feature, 'decisionTimeoutSeconds', () => {
    const seconds = riskDecisionTimeout[feature.risk.level];
    return { seconds, reason: `${duration(seconds)} for ${feature.risk.level} feature risk, then the default (rollback) applies` };
  });
}

export const monitoringWindowSeconds = (feature: Feature): number => explainMonitoringWindow(feature).seconds;
export const sampleIntervalSeconds = (feature: Feature): number => explainSampleInterval(feature).seconds;
export const soakSeconds = (stage: Stage, feature: Feature): number => explainSoak(stage, feature).seconds;
export const noticeLeadSeconds = (feature: Feature): number => explainNoticeLead(feature).seconds;
export const noticeReviewSeconds = (feature: Feature): number => explainNoticeReview(feature).seconds;
export const healthWindowSeconds = (feature: Feature): number => explainHealthWindow(feature).seconds;
export const decisionTimeoutSeconds = (feature: Feature): number => explainDecisionTimeout(feature).seconds;

/** All durations for a wave of this stage, each with its reason; keys match `Feature['durations']`. */
export function explainDurations(feature: Feature, stage: Stage): Record<keyof DurationOverrides, Explained> {
  return {
    monitoringWindowSeconds: explainMonitoringWindow(feature),
    sampleIntervalSeconds: explainSampleInterval(feature),
    soakSeconds: explainSoak(stage, feature),
    noticeLeadSeconds: explainNoticeLead(feature),
    noticeReviewSeconds: explainNoticeReview(feature),
    healthWindowSeconds: explainHealthWindow(feature),
    decisionTimeoutSeconds: explainDecisionTimeout(feature),
  };
}
