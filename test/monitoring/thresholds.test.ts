import { decisionModeFor, explainDurations, thresholdMemo, monitoringWindowSeconds, noticeLeadSeconds, sampleIntervalSeconds, soakSeconds, thresholdsFor, healthWindowSeconds, decisionTimeoutSeconds } from '../../shared/monitoring/thresholds';
import { TenantThresholds } from '../../shared/model/plan';
import type { ChangeArea } from '../../shared/model/feature';
import { acme, approvalRouting, feature, mercy, smallco, tenant } from '../risk/fixtures';

const H = 3600;
const areas = (...list: ChangeArea[]) => feature({ changes: list.map((area) => ({ area, description: `${area} change` })) });

describe('thresholdsFor', () => {
  test.each([
    // sla, baseline, warning, critical, minRequests, consecutive
    ['standard', 0.005, 0.015, 0.025, 112, 3], // max(3 × 0.5 %, 0.5 % + 2 pp)
    ['standard', 0.015, 0.03, 0.045, 148, 3], // a noisy tenant: 3 × baseline wins
    ['gold', 0.005, 0.01, 0.015, 448, 3], // max(2 × 0.5 %, 0.5 % + 1 pp)
    ['platinum', 0.003, 0.0055, 0.008, 1077, 2], // max(1.5 × 0.3 %, 0.3 % + 0.5 pp)
    ['platinum', 0.02, 0.025, 0.03, 1764, 2], // 1.5 × baseline wins
    ['platinum', 0, 0.0025, 0.005, 562, 2], // a 0 % baseline is treated as 0.1 % for the sample size
  ] as const)('%s SLA, baseline %s → warning %s, critical %s, %s requests, %s in a row', (sla, errorRate, warning, critical, minRequests, consecutive) => {
    const th = thresholdsFor(tenant({ id: 't', sla, baseline: { errorRate, requestsPerMinute: 1000 } }), approvalRouting, 'low');
    expect(TenantThresholds.parse(th)).toEqual(th);
    expect([th.warningErrorRate, th.criticalErrorRate, th.minRequests, th.consecutiveBreaches]).toEqual([warning, critical, minRequests, consecutive]);
  });

  test('2 % is noise for one tenant and a crisis for another', () => {
    const noisy = thresholdsFor(tenant({ id: 'noisy', baseline: { errorRate: 0.015, requestsPerMinute: 100 } }), approvalRouting, 'low');
    const strict = thresholdsFor(acme, approvalRouting, 'low');
    expect(0.02).toBeLessThan(noisy.warningErrorRate);
    expect(0.02).toBeGreaterThan(strict.criticalErrorRate);
  });

  test('an uptime SLA maps to its class', () => {
    expect(thresholdsFor(mercy, approvalRouting, 'low').consecutiveBreaches).toBe(2);
    expect(thresholdsFor(tenant({ id: 'u', sla: { uptimePercent: 99.9 } }), approvalRouting, 'low').criticalErrorRate).toBe(0.015);
    expect(thresholdsFor(tenant({ id: 'u', sla: { uptimePercent: 99.5 } }), approvalRouting, 'low').criticalErrorRate).toBe(0.025);
  });

  test('the reason explains the maths and warns when traffic is too thin for a sample to count', () => {
    expect(thresholdsFor(acme, approvalRouting, 'low').reason).toBe(
      'platinum SLA: critical at 0.80 % = max(1.5 × baseline 0.30 %, baseline + 0.5 pp), warning at 0.55 %; a sample counts from 1,077 requests; '
      + 'act after 2 consecutive critical samples; advisory: anchor account, platinum SLA, so humans decide before the deadline, rollback by default');
    const quiet = tenant({ id: 'quiet', sla: 'platinum', baseline: { errorRate: 0.003, requestsPerMinute: 20 } });
    expect(thresholdsFor(quiet, approvalRouting, 'low').reason).toContain('(about 300 requests per sample at baseline traffic, so expect insufficient data)');
  });
});

describe('a baseline the tenant has none of', () => {
  test('says the error rate was assumed and how to record it, and the same words are one string for every such tenant', () => {
    const memo = thresholdMemo(approvalRouting);
    const [a, b] = ['a', 'b'].map((id) => thresholdsFor(tenant({ id, baseline: { requestsPerMinute: 1000 } }), approvalRouting, 'low', undefined, memo));
    expect(a.baselineErrorRate).toBe(0.005);
    expect(a.baselineAssumed).toBe(true);
    expect(a.trafficAssumed).toBeUndefined();
    expect(a.reason).toMatch(/^no error-rate baseline on record: assumed 0\.50 % \(the default\); record the tenant's real rate \(baseline\.errorRate in JSON or YAML, CSV column baselineErrorRate, or PATCH \/api\/v1\/tenants\/\{id\} with the whole baseline; the pipe table has no column for it\) to base these thresholds on it; standard SLA: critical at 2\.50 %/);
    expect(b.reason).toBe(a.reason);
  });

  test('says the traffic was assumed even when it is not thin, and flags it apart from the error rate', () => {
    const memo = thresholdMemo(approvalRouting);
    const [a, b] = ['a', 'b'].map((id) => thresholdsFor(tenant({ id, baseline: { errorRate: 0.004 } }), approvalRouting, 'low', undefined, memo));
    expect(a.reason).toMatch(/^no traffic baseline on record: assumed 100 requests\/min \(the default\), so whether its samples reach \d[\d,]* requests is a guess; record the tenant's real traffic \(baseline\.requestsPerMinute in JSON or YAML, CSV column requestsPerMinute, or PATCH \/api\/v1\/tenants\/\{id\} with the whole baseline; the pipe table has no column for it\); standard SLA: critical at /);
    expect(a.reason).not.toContain('insufficient data');
    expect(a.trafficAssumed).toBe(true);
    expect(a.baselineAssumed).toBeUndefined();
    expect(TenantThresholds.parse(a)).toEqual(a);
    expect(b.reason).toBe(a.reason);
  });

  test('says both were assumed where traffic makes samples too thin', () => {
    const th = thresholdsFor(tenant({ id: 'quiet', sla: 'platinum' }), approvalRouting, 'low');
    expect(th.reason).toMatch(/^no error-rate or traffic baseline on record: assumed 0\.50 % and 100 requests\/min \(the defaults\), so these thresholds and whether its samples reach 1,\d{3} requests are guesses; record the tenant's real ones \(baseline\.errorRate and baseline\.requestsPerMinute in JSON or YAML, CSV columns baselineErrorRate and requestsPerMinute, or PATCH \/api\/v1\/tenants\/\{id\} with the whole baseline; the pipe table has no columns for them\); platinum SLA/);
    expect(th.reason).toContain('(about 1,500 requests per sample at the assumed 100 requests/min, so expect insufficient data)');
    expect([th.baselineAssumed, th.trafficAssumed]).toEqual([true, true]);
  });

  test('a baseline given as the default values is measured, not assumed', () => {
    const th = thresholdsFor(tenant({ id: 'm', sla: 'platinum', baseline: { errorRate: 0.005, requestsPerMinute: 100 } }), approvalRouting, 'low');
    expect(th.reason).toMatch(/^platinum SLA: critical at 1\.00 % = max\(1\.5 × baseline 0\.50 %/);
    expect(th.reason).toContain('at baseline traffic, so expect insufficient data');
    expect(th.baselineAssumed).toBeUndefined();
    expect(th.trafficAssumed).toBeUndefined();
  });
});

describe('decision mode', () => {
  test.each([
    ['simple reversible flag, standard tenant, low stage', smallco, approvalRouting, 'low', 'automatic'],
    ['same tenant in the high stage', smallco, approvalRouting, 'high', 'advisory'],
    ['platinum anchor', acme, approvalRouting, 'low', 'advisory'],
    ['executive escalation', tenant({ id: 'e', strategic: { executiveEscalation: true } }), approvalRouting, 'pilot', 'advisory'],
    ['moderate rollback', smallco, feature({ rollback: { complexity: 'moderate', how: 'flag off and re-sync' } }), 'low', 'advisory'],
    ['complex rollback', smallco, feature({ rollback: { complexity: 'complex', how: 'restore from snapshot' } }), 'low', 'manual'],
    ['not reversible', acme, feature({ rollback: { complexity: 'simple', how: 'flag off', reversible: false } }), 'low', 'manual'],
    ['data-model change', smallco, areas('ui', 'data-model'), 'pilot', 'manual'],
  ] as const)('%s → %s', (_name, t, f, stage, mode) => {
    const decided = decisionModeFor(t, f, stage);
    expect(decided.mode).toBe(mode);
    expect(thresholdsFor(t, f, stage).decisionMode).toBe(mode);
    expect(decided.reason.length).toBeGreaterThan(10);
  });

  test('manual reasons name every cause', () => {
    const f = feature({
      changes: [{ area: 'data-model', description: 'split the approvals table' }],
      rollback: { complexity: 'complex', how: 'restore from snapshot', reversible: false },
    });
    expect(decisionModeFor(smallco, f, 'low').reason).toBe(
      'a flag flip cannot undo the change; rollback is complex (restore from snapshot); the feature changes the data model, so a person pauses and rolls back by hand');
  });
});

describe('durations', () => {
  test.each([
    [['ui'], 'low', 2 * H, 300],
    [['ui', 'config'], 'medium', 2 * H, 300],
    [['permissions'], 'medium', 4 * H, 600],
    [['ui', 'integration'], 'medium', 12 * H, 900],
    [['data-model'], 'medium', 24 * H, 900],
    [['data-model'], 'high', 36 * H, 900],
  ] as const)('%j at %s risk → window %s s, sample every %s s', (list, level, window, interval) => {
    const f = feature({ changes: list.map((area) => ({ area, description: area })), risk: { level, why: 'test' } });
    expect([monitoringWindowSeconds(f), sampleIntervalSeconds(f)]).toEqual([window, interval]);
  });

  test('soak grows with wave stage and feature risk', () => {
    const at = (level: 'low' | 'medium' | 'high') => (['pilot', 'low', 'medium', 'high'] as const)
      .map((stage) => soakSeconds(stage, feature({ risk: { level, why: 'test' } })) / H);
    expect(at('low')).toEqual([6, 12, 12, 24]);
    expect(at('medium')).toEqual([12, 24, 24, 48]);
    expect(at('high')).toEqual([18, 36, 36, 72]);
  });

  test('notice lead, health window and decision timeout follow risk and change areas', () => {
    const low = (list: ChangeArea[]) => feature({ changes: list.map((area) => ({ area, description: area })), risk: { level: 'low', why: 'test' } });
    expect(noticeLeadSeconds(low(['ui']))).toBe(24 * H);
    expect(noticeLeadSeconds(low(['ui', 'api']))).toBe(72 * H);
    expect(noticeLeadSeconds(feature({ risk: { level: 'high', why: 'test' } }))).toBe(120 * H);
    expect(healthWindowSeconds(approvalRouting)).toBe(48 * H);
    expect([decisionTimeoutSeconds(low(['ui'])), decisionTimeoutSeconds(approvalRouting), decisionTimeoutSeconds(feature({ risk: { level: 'high', why: 't' } }))]).toEqual([3600, 1800, 900]);
  });

  test('the feature\'s overrides win, and a window override drives the sample interval', () => {
    const f = feature({ durations: { monitoringWindowSeconds: 48, soakSeconds: 5, noticeLeadSeconds: 0, healthWindowSeconds: 10, decisionTimeoutSeconds: 7 } });
    const d = explainDurations(f, 'high');
    expect(Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.seconds]))).toEqual({
      monitoringWindowSeconds: 48, sampleIntervalSeconds: 2, soakSeconds: 5, noticeLeadSeconds: 0, noticeReviewSeconds: 0, healthWindowSeconds: 10, decisionTimeoutSeconds: 7,
    });
    expect(d.soakSeconds.reason).toBe('5 s, set by the feature\'s duration overrides');
    expect(sampleIntervalSeconds(feature({ durations: { sampleIntervalSeconds: 3 } }))).toBe(3);
  });

  test('every duration says why', () => {
    expect(explainDurations(approvalRouting, 'medium')).toEqual({
      monitoringWindowSeconds: { seconds: 12 * H, reason: '12 h: integration changes show their faults within 12 h' },
      sampleIntervalSeconds: { seconds: 900, reason: '15 min: the 12 h window split into 24 samples, at most 15 min apart' },
      soakSeconds: { seconds: 24 * H, reason: '24 h: 24 h for a medium wave × 1 for medium feature risk' },
      noticeLeadSeconds: { seconds: 72 * H, reason: '3 d for medium feature risk' },
      noticeReviewSeconds: { seconds: 0, reason: 'none: notices are sent as soon as they are prepared' },
      healthWindowSeconds: { seconds: 48 * H, reason: '2 d: activation and ticket deltas settle within two days' },
      decisionTimeoutSeconds: { seconds: 1800, reason: '30 min for medium feature risk, then the default (rollback) applies' },
    });
  });
});
