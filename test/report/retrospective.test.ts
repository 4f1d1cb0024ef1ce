import { RiskAdjustment } from '../../shared/model/plan';
import type { WaveOutcome } from '../../shared/model/rollout';
import { buildHealthReport } from '../../shared/report/health';
import { buildRetrospective, renderRetrospective, Retrospective, type RetrospectiveInput } from '../../shared/report/retrospective';
import { scoreTenant } from '../../shared/risk/score';
import { AS_OF, feature, healthInput, outcomes, plan, riskConfig, ROLLOUT, tenant } from './fleet';

const REPORTED = '2026-03-08T19:00:00.000Z';

function retroInput(change: Partial<RetrospectiveInput> = {}): RetrospectiveInput {
  const h = healthInput({ outcomes: change.outcomes ?? outcomes });
  return { rolloutId: ROLLOUT, plan, outcomes, health: buildHealthReport(h), audit: [], asOf: REPORTED, ...change };
}

describe('buildRetrospective', () => {
  const retro = buildRetrospective(retroInput());

  it('compares plan and reality per wave, and says how much was waiting for people', () => {
    expect(retro.waves.map((w) => [w.waveId, w.plannedSeconds / 3600, w.actualSeconds! / 3600, w.deltaSeconds! / 3600, w.waitingSeconds / 60])).toEqual([
      ['w1', 24, 24, 0, 10],
      ['w2', 24, 26, 2, 30],
      ['w3', 24, 30, 6, 360],
      ['w4', 24, 26, 2, 180],
    ]);
    expect(retro.waves[2].reason).toBe('w3 (medium): planned 24 h, took 30 h (+6 h), started +2 h against plan, 6 h of it waiting for decisions');
    expect(retro.timeline).toMatchObject({ plannedSeconds: 4 * 86_400, actualSeconds: 106 * 3600, deltaSeconds: 10 * 3600 });
  });

  it('records the rollback with its cause, its predicted tier and who acted', () => {
    expect(retro.rollbacks).toEqual([expect.objectContaining({
      tenantId: 'fjord-travel', waveId: 'w2', stage: 'low', predictedTier: 'low', by: 'rollout',
      cause: expect.stringMatching(/^3 consecutive samples at or above critical 2\.60 % \(latest 8\.10 % on 1,210 requests\)/),
      covers: ['system:salesforce'],
    })]);
  });

  it('measures decision latency from raised to decided', () => {
    expect(retro.decisions.map((d) => [d.waveId, d.tenantId, d.outcome, d.latencySeconds, d.by])).toEqual([
      ['w1', undefined, 'approved', 600, 'user:dana'],
      ['w2', undefined, 'approved', 1800, 'user:dana'],
      ['w3', undefined, 'approved', 21_600, 'user:dana'],
      ['w4', 'keystone-bank', 'approved', 3600, 'user:li'],
      ['w4', 'lumen-energy', 'approved', 7200, 'user:li'],
    ]);
    expect(retro.decisionLatency).toMatchObject({ count: 5, medianSeconds: 3600, maxSeconds: 21_600, expired: 0, open: 0 });
  });

  it.each([
    ['fjord-travel', 'low', 'rolled-back', 'under-estimated'],
    ['dune-analytics', 'low', 'incident', 'under-estimated'],
    ['acme-logistics', 'low', 'clean', 'confirmed'],
    ['cedar-retail', 'low', 'clean', 'confirmed'],
    ['iris-media', 'medium', 'incident', 'confirmed'],
    ['keystone-bank', 'high', 'clean', 'possibly over-estimated'],
  ])('%s: predicted %s, observed %s → %s', (id, predicted, observed, verdict) => {
    expect(retro.tiers.find((t) => t.tenantId === id)).toMatchObject({ predictedTier: predicted, observed, verdict });
  });

  it('prints a whole-number score with one decimal, as the plan table does', () => {
    const whole = { ...plan, profiles: plan.profiles.map((p) => (p.tenantId === 'acme-logistics' ? { ...p, score: 17 } : p)) };
    const tier = buildRetrospective(retroInput({ plan: whole })).tiers.find((t) => t.tenantId === 'acme-logistics')!;
    expect(tier.reason).toMatch(/^predicted low \(score 17\.0\), observed /);
  });

  it('gives 3–5 recommendations, each resting on facts from the report', () => {
    expect(retro.recommendations.map((r) => r.rule)).toEqual(['rollback-follow-up', 'rescore', 'decisions', 'outreach', 'coverage-gaps']);
    const [followUp, rescore, decisions, outreach, coverage] = retro.recommendations;
    expect(followUp.text).toContain('Fjord Travel');
    expect(followUp.text).toContain('5 of 6 later tenants with system:salesforce ran clean');
    expect(followUp.facts[0]).toContain('latest 8.10 %');
    expect(rescore.text).toContain('Fjord Travel +20 points (was low, score 12.1)');
    expect(decisions.text).toBe('Book the approvers for the go/no-go ahead of w3: the longest decision took 6 h of the 8 h timeout ("Go for wave w3?").');
    expect(outreach.text).toMatch(/^Customer success to contact Cedar Retail, Dune Analytics, Iris Media this week/);
    expect(coverage.facts).toEqual(['coverage system:sap: no low-risk tenant uses SAP; first seen in w4 (Keystone Bank, Lumen Energy)']);
  });

  it('recommends from whatever the rollout got wrong: an expired decision, a stopped wave', () => {
    const stopped: WaveOutcome[] = outcomes.slice(0, 3).map((o) => (o.waveId !== 'w3' ? o : {
      ...o,
      stopReason: '2 of 4 tenants breaching ≥ halt share 30 %, halt the wave',
      audit: [
        { at: '2026-03-04T11:00:00.000Z', actor: 'rollout', action: 'decision-raised', waveId: 'w3', detail: 'Go for wave w3? (deadline 2026-03-04T19:00:00.000Z, default: hold)' },
        { at: '2026-03-04T19:00:00.000Z', actor: 'rollout', action: 'decision-expired', waveId: 'w3', detail: 'Go for wave w3?: nobody decided by 2026-03-04T19:00:00.000Z; default applied: hold' },
      ],
    }));
    const r = buildRetrospective(retroInput({ outcomes: stopped }));
    expect(r.recommendations.map((x) => x.rule)).toEqual(expect.arrayContaining(['stopped-wave', 'decisions']));
    expect(r.recommendations.find((x) => x.rule === 'stopped-wave')!.text).toContain('the waves that did not run (w4) once the cause of the stop in w3 is fixed: 2 of 4 tenants breaching');
    expect(r.recommendations.find((x) => x.rule === 'decisions')!.text).toBe('Name a backup approver for w3: 1 decision expired after the 8 h timeout and the default applied.');
    expect(r.waves[3]).toMatchObject({ waveId: 'w4', phase: 'not-run' });
  });

  /** Every tenant enabled without trouble; the waves keep `timed` hours each (plan: 24 h). */
  function quietRetro(hours: number[], planOverride = plan) {
    let at = Date.parse(plan.timeline.start);
    const quiet = outcomes.map((o, i) => {
      const startedAt = new Date(at).toISOString();
      at += hours[i] * 3_600_000;
      return { ...o, startedAt, endedAt: new Date(at).toISOString(), tenants: o.tenants.map((t) => ({ ...t, state: 'enabled' as const, rolledBackAt: undefined })), audit: [] };
    });
    const h = healthInput({ outcomes: quiet });
    const normal = new Map(h.samples.map((s) => [s.tenantId, s]));
    h.tenantsAfter = h.tenantsBefore;
    h.samples = h.samples.map((s) => ({ ...s, after: { ...normal.get('acme-logistics')!.after!, tenantId: s.tenantId, featureUsage: tenant(s.tenantId).users } }));
    return buildRetrospective({ rolloutId: ROLLOUT, plan: planOverride, outcomes: quiet, health: buildHealthReport({ ...h, plan: planOverride }), audit: [], asOf: REPORTED });
  }

  it('still gives three fact-based recommendations for a quiet rollout', () => {
    const covered = { ...plan, coverage: plan.coverage.map((c) => ({ ...c, firstWave: c.firstWave ?? 'w2', note: c.firstWave ? c.note : 'covered in w2' })) };
    const r = quietRetro([24, 24, 24, 24], covered);
    expect(r.rollbacks).toEqual([]);
    expect(r.recommendations.map((x) => x.rule)).toEqual(['over-estimated', 'schedule', 'coverage-held']);
    expect(r.recommendations[1].text).toBe('Keep the wave durations: every wave ran within 10 % of its plan (the rollout planned 4 d, took 4 d (on time)).');
    expect(r.recommendations[2].text).toBe('Keep the learning-speed picks: the early waves covered 3 touched configurations of 3.');
    expect(r.recommendations.every((x) => x.facts.length > 0)).toBe(true);
  });

  it('asks for a longer estimate when a wave overran without waiting for anyone', () => {
    const r = quietRetro([24, 24, 31, 24]);
    expect(r.recommendations.find((x) => x.rule === 'schedule')!.text).toBe('Lengthen the medium-stage wave estimate by 7 h (or split the wave): w3 ran +7 h over its 24 h plan.');
  });

  it('proposes bounded risk-profile updates with plain reasons', () => {
    expect(retro.riskAdjustments.map((a) => [a.tenantId, a.points])).toEqual([
      ['fjord-travel', 20], ['dune-analytics', 5], ['keystone-bank', 0], ['lumen-energy', 0],
    ]);
    for (const a of retro.riskAdjustments) expect(RiskAdjustment.parse(a)).toEqual(a);
    expect(retro.riskAdjustments[0].reason).toMatch(/^rolled back in wave w2 \(predicted low\): 3 consecutive samples at or above critical 2\.60 % \(latest 8\.10 %/);
  });

  it('learns nothing about tenants that were only undone by an abort', () => {
    const aborted = outcomes.map((o) => (o.waveId !== 'w4' ? o : {
      ...o,
      tenants: o.tenants.map((t) => ({ ...t, state: 'rolled-back' as const, reason: 'rollout aborted', rolledBackAt: '2026-03-06T08:05:00.000Z' })),
    }));
    const abort = { at: '2026-03-06T08:00:00.000Z', actor: 'user:sam', action: 'abort', detail: 'customer escalation at Keystone Bank' };
    const r = buildRetrospective(retroInput({ outcomes: aborted, audit: [abort] }));
    expect(r.rollbacks.map((b) => [b.tenantId, b.compensation])).toEqual([['fjord-travel', false], ['keystone-bank', true], ['lumen-energy', true]]);
    expect(r.tiers.find((t) => t.tenantId === 'keystone-bank')).toMatchObject({ observed: 'no-data', verdict: 'unknown', evidence: 'rolled back when the rollout was aborted (rollout aborted)' });
    expect(r.riskAdjustments.map((a) => a.tenantId)).toEqual(['fjord-travel', 'dune-analytics']);
  });

  it('lowers a high-tier tenant only on its second clean rollout', () => {
    const earlier = { tenantId: 'keystone-bank', points: 0, reason: 'clean at high tier, first time on record', rolloutId: 'ledger-export-2025-11', at: '2025-11-20T10:00:00.000Z' };
    const r = buildRetrospective(retroInput({ priorAdjustments: [earlier] }));
    expect(r.riskAdjustments.find((a) => a.tenantId === 'keystone-bank')).toMatchObject({ points: -10, reason: 'clean again at high tier (also clean in rollout ledger-export-2025-11)' });
    expect(r.riskAdjustments.find((a) => a.tenantId === 'lumen-energy')).toMatchObject({ points: 0 });
  });

  it('a tenant that caused a rollback scores higher in the next plan, with the reason shown', () => {
    const fjord = tenant('fjord-travel');
    const before = scoreTenant(fjord, feature, { asOf: AS_OF, config: riskConfig });
    const next = scoreTenant(fjord, feature, { asOf: '2026-04-01T09:00:00Z', config: riskConfig, adjustments: retro.riskAdjustments });
    const history = next.factors.find((f) => f.factor === 'history')!;
    expect(next.score).toBeGreaterThan(before.score);
    expect(next.score - before.score).toBeCloseTo(20, 5);
    expect([before.scoreTier, next.scoreTier]).toEqual(['low', 'medium']);
    expect(history.points).toBe(20);
    expect(history.reason).toContain(ROLLOUT);
    expect(history.reason).toContain('rolled back in wave w2');
    expect(history.reason).toContain('latest 8.10 %');
    expect(next.summary).toContain('rolled back in wave w2');
    // The lessons are per tenant: a tenant that went through cleanly keeps its score.
    const acme = tenant('acme-logistics');
    expect(scoreTenant(acme, feature, { asOf: AS_OF, config: riskConfig, adjustments: retro.riskAdjustments }).score).toBe(scoreTenant(acme, feature, { asOf: AS_OF, config: riskConfig }).score);
  });

  it('renders markdown with the facts before the recommendations, and JSON that round-trips', () => {
    const md = renderRetrospective(retro, 'markdown');
    const sections = ['## Plan vs actual', '## Rollbacks', '## Decisions', '## Predicted tier vs observed', '## Recommendations', '## Proposed risk-profile updates'];
    // Each heading on a line of its own, in this order: a missing one (indexOf -1) would sort first and pass an order check alone.
    const at = sections.map((s) => md.split('\n').indexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(md).toContain('- **Fjord Travel** in w2 (low, predicted low, by rollout): 3 consecutive samples at or above critical 2.60 %');
    expect(md).toContain('| w3 Medium risk, manual checkpoint | medium | 24 h | 30 h | +6 h | 6 h | 4 | 0 | 0 |');
    expect(md).toContain('- fjord-travel: +20 — rolled back in wave w2');
    expect(Retrospective.parse(JSON.parse(renderRetrospective(retro, 'json')))).toEqual(retro);
  });
});
