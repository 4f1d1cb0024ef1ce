import { scoreTenant, tierOf } from '../../shared/risk/score';
import { defaultRiskConfig, parseRiskConfig } from '../../shared/risk/config';
import { RiskProfile } from '../../shared/model/plan';
import { acme, approvalRouting, asOf, euretail, firstbank, globex, mercy, smallco, tenant } from './fixtures';

const all = [smallco, acme, globex, mercy, firstbank, euretail];
const points = (p: RiskProfile, factor: string) => p.factors.find((f) => f.factor === factor)?.points;
const reason = (p: RiskProfile, factor: string) => p.factors.find((f) => f.factor === factor)?.reason;

describe('scoreTenant', () => {
  test('weights of the seven factors sum to 100', () => {
    const { weights } = defaultRiskConfig;
    expect(Object.values(weights).reduce((a, b) => a + b, 0)).toBe(100);
  });

  test.each(all.map((t) => [t.id, t] as const))('%s: factor points add up to the score and the profile is valid', (_id, t) => {
    const p = scoreTenant(t, approvalRouting, { asOf });
    expect(RiskProfile.parse(p)).toEqual(p);
    expect(p.factors.map((f) => f.factor)).toEqual(['integrations', 'customization', 'sla', 'health', 'tickets', 'strategic', 'regulated', 'history']);
    expect(p.factors.reduce((s, f) => s + f.points, 0)).toBeCloseTo(p.score, 6);
    for (const f of p.factors) expect(f.reason.length).toBeGreaterThan(3);
  });

  test.each([
    // tenant, score, score tier, tier
    [smallco, 7, 'low', 'low'],
    [acme, 45.8, 'high', 'high'],
    [firstbank, 27.5, 'medium', 'medium'],
    [mercy, 41.2, 'medium', 'medium'],
    [globex, 41.2, 'medium', 'hold'],
  ] as const)('%# scores and tiers', (t, score, scoreTier, tier) => {
    const p = scoreTenant(t, approvalRouting, { asOf });
    expect([p.score, p.scoreTier, p.tier]).toEqual([score, scoreTier, tier]);
  });

  test('integration complexity counts touched systems in full and untouched ones at a quarter', () => {
    const p = scoreTenant(acme, approvalRouting, { asOf });
    // salesforce crm 0.8 + slack chat 0.3 touched; okta sso 0.5 and zapier webhooks 0.5 at 25 % → 1.35 / 3 × 25
    expect(points(p, 'integrations')).toBe(11.3);
    expect(reason(p, 'integrations')).toBe('4 integrations, 2 (salesforce 52.0, slack) touched by this feature');
    expect(reason(scoreTenant(euretail, approvalRouting, { asOf }), 'integrations')).toBe('1 integration, none touched by this feature');
  });

  test('health counts inverted: 65/100 is 0.35 of the weight, rounded to one decimal', () => {
    expect(points(scoreTenant(mercy, approvalRouting, { asOf }), 'health')).toBe(5.3);
  });

  test('reasons are plain words for each factor', () => {
    const p = scoreTenant(acme, approvalRouting, { asOf });
    expect(reason(p, 'customization')).toBe('2 customizations (1 script), 1 (approval_flow) touched by this feature');
    expect(reason(p, 'sla')).toBe('platinum SLA');
    expect(reason(p, 'health')).toBe('health 78/100');
    expect(reason(p, 'tickets')).toBe('1 P3 open (T-301)');
    expect(reason(p, 'strategic')).toBe('anchor account, renewal in 60 days, ARR $1.2M');
    expect(reason(p, 'regulated')).toBe('not regulated');
    expect(reason(scoreTenant(mercy, approvalRouting, { asOf }), 'sla')).toBe('99.95 % uptime SLA (platinum class)');
    expect(reason(scoreTenant(mercy, approvalRouting, { asOf }), 'regulated')).toBe('highly regulated: healthcare industry, HIPAA, SOC2');
    expect(reason(scoreTenant(euretail, approvalRouting, { asOf }), 'regulated')).toBe('regulated: GDPR');
    expect(p.summary).toBe('Acme Corp scores 45.8 (high risk): platinum SLA; 4 integrations, 2 (salesforce 52.0, slack) touched by this feature; anchor account, renewal in 60 days, ARR $1.2M.');
  });

  test('names the regime "other" as a regime the list does not name, not as "other"', () => {
    const regulated = (input: Parameters<typeof tenant>[0]['regulated']) => reason(scoreTenant(tenant({ id: 'r', regulated: input }), approvalRouting, { asOf }), 'regulated');
    expect(regulated({ industry: 'public-sector', regimes: ['other'] })).toBe('highly regulated: public-sector industry, another regime');
    expect(regulated({ regimes: ['GDPR', 'other'] })).toBe('regulated: GDPR, another regime');
    expect(regulated({ regimes: ['other'] })).toBe('regulated: an unnamed regime');
  });

  test('a feature that touches nothing of the tenant scores its integrations lower', () => {
    const ui = { ...approvalRouting, changes: [{ area: 'ui' as const, description: 'inbox', touches: { integrationKinds: [], systems: [], settings: [] } }] };
    expect(points(scoreTenant(acme, ui, { asOf }), 'integrations')!).toBeLessThan(points(scoreTenant(acme, approvalRouting, { asOf }), 'integrations')!);
  });

  test('ticket load grows with severity and saturates at the full weight', () => {
    const load = (sev: ('P1' | 'P2' | 'P3' | 'P4')[]) => points(scoreTenant(tenant({
      id: 'x', openTickets: sev.map((s, i) => ({ id: `T-${i}`, severity: s, opened: '2026-03-01' })),
    }), approvalRouting, { asOf }), 'tickets');
    expect([load([]), load(['P4']), load(['P3']), load(['P2']), load(['P1']), load(['P1', 'P2', 'P2'])]).toEqual([0, 0.5, 1.5, 4, 10, 10]);
  });

  test('retrospective lessons add on top and say where they came from', () => {
    const p = scoreTenant(smallco, approvalRouting, {
      asOf,
      adjustments: [
        { tenantId: 'smallco', points: 10, reason: 'caused rollback', rolloutId: 'r-123', at: '2026-01-10' },
        { tenantId: 'acme', points: 30, reason: 'not this tenant', rolloutId: 'r-1', at: '2026-01-10' },
      ],
    });
    expect(p.score).toBe(17);
    expect(reason(p, 'history')).toBe('caused rollback in rollout r-123 (+10)');
  });

  test('history is capped and trimmed so the score stays within 0..100 and the points still add up', () => {
    const adj = (points: number) => [1, 2].map((n) => ({ tenantId: 'smallco', points, reason: 'lesson', rolloutId: `r-${n}`, at: '2026-01-01' }));
    const up = scoreTenant(smallco, approvalRouting, { asOf, adjustments: adj(25) });
    expect([up.score, points(up, 'history')]).toEqual([37, 30]);
    expect(reason(up, 'history')).toMatch(/counted \+30 to stay within the ±30 cap$/);
    const down = scoreTenant(smallco, approvalRouting, { asOf, adjustments: adj(-20) });
    expect([down.score, points(down, 'history')]).toEqual([0, -7]);
    expect(reason(down, 'history')).toMatch(/counted -7 to stay within the ±30 cap and 0\.\.100$/);
  });

  test.each([[0, 'low'], [24.9, 'low'], [25, 'medium'], [44.9, 'medium'], [45, 'high'], [100, 'high']] as const)('score %s is tier %s', (score, tier) => {
    expect(tierOf(score)).toBe(tier);
  });

  test('a hold makes the tier hold but keeps the score tier, and the summary says why', () => {
    const p = scoreTenant(globex, approvalRouting, { asOf, horizonEnd: '2026-04-01' });
    expect(p.tier).toBe('hold');
    expect(p.holds.map((h) => h.rule)).toEqual(['open-p1', 'health-floor', 'incompatible-version', 'renewal-soon', 'freeze-covers-horizon']);
    expect(p.summary).toContain('On hold: open P1 ticket T-88 "Sync outage" since 2026-02-27;');
  });
});

describe('parseRiskConfig', () => {
  test('accepts the default', () => {
    expect(parseRiskConfig(structuredClone(defaultRiskConfig))).toEqual(defaultRiskConfig);
  });
  test('refuses weights that do not sum to 100, naming the field', () => {
    const bad = structuredClone(defaultRiskConfig);
    bad.weights.sla = 50;
    expect(() => parseRiskConfig(bad)).toThrow('invalid risk config: weights: factor weights must sum to 100');
  });
  test('names a mistyped field path', () => {
    expect(() => parseRiskConfig({ ...defaultRiskConfig, holds: { ...defaultRiskConfig.holds, healthFloor: 'forty' } }))
      .toThrow(/holds\.healthFloor: /);
  });
});
