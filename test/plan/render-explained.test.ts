import { readFileSync } from 'node:fs';
import { buildPlan } from '../../shared/plan/build';
import { renderPlan, type PlanFormat } from '../../shared/plan/render';
import { parseTenants } from '../../shared/import/tenants';
import { parseFeature } from '../../shared/import/feature';
import type { Plan } from '../../shared/model/plan';

/**
 * A PM defends the plan to executives from the table or the markdown: every number there must
 * carry its reason in words (the audit of the example fleet's plan found the ones below did not).
 */
const asOf = '2026-12-04T08:00:00Z';
const tenants = parseTenants(readFileSync('examples/fleet.yaml', 'utf8'), { filename: 'fleet.yaml', asOf }).tenants;
const featureText = readFileSync('examples/feature-smart-routing.yaml', 'utf8');
const parsed = parseFeature(featureText, { filename: 'f.yaml' });
if (!parsed.ok) throw new Error('example feature');
const feature = parsed.feature;
const plan = buildPlan({ tenants, feature, asOf });
const formats: PlanFormat[] = ['table', 'markdown'];
const render = (p: Plan, format: PlanFormat) => renderPlan(p, format, { tenants, feature });

/** The summary's tenant counts: total, planned low / medium / high, scored ones, on hold. */
function counts(text: string) {
  const m = /(\d+): (\d+) low, (\d+) medium, (\d+) high by planned tier \((?:scored (\d+) \/ (\d+) \/ (\d+)|as scored)\), (\d+) on hold/.exec(text);
  if (!m) throw new Error('no tenant counts in the summary');
  const [total, low, medium, high, sLow, sMedium, sHigh, held] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x)));
  return { total, low, medium, high, scored: sLow === undefined ? undefined : [sLow, sMedium, sHigh], held };
}

describe('the rendered plan explains its numbers', () => {
  it('shows each tenant\'s points per factor in Risk tiers, zero ones left out', () => {
    for (const format of formats) {
      const text = render(plan, format);
      const tiers = text.slice(text.indexOf('Risk tiers'));
      expect(tiers).toContain('points per factor');
      const acme = tiers.split('\n').find((l) => l.includes('acme-corp (Acme Corp)'))!;
      expect(acme).toContain('integrations 14.4 · customization 3.9 · sla 15.0 · health 3.0 · strategic 9.6');
      expect(acme).not.toMatch(/tickets 0\.0|history 0\.0/);
    }
  });

  it('counts tenants by planned tier in the summary, with the scored counts where they differ, adding up to the fleet', () => {
    const planned = new Map(plan.waves.flatMap((w) => w.members.map((m) => [m.tenantId, m.tier] as const)));
    const high = [...planned.values()].filter((t) => t === 'high').length;
    const scoredHigh = plan.profiles.filter((p) => p.tier === 'high').length;
    expect(high).toBeGreaterThan(scoredHigh); // anchors and executive escalations go to the high stage
    for (const format of formats) {
      const c = counts(render(plan, format));
      expect(c.high).toBe(high);
      expect(c.scored?.[2]).toBe(scoredHigh);
      expect(c.low! + c.medium! + c.high! + c.held!).toBe(c.total);
      expect(c.total).toBe(plan.profiles.length);
      expect(c.held).toBe(plan.holds.length);
    }
  });

  it('counts a tenant once, as held, when it is in the holds, also when a deadline is missed', () => {
    const late = parseFeature(featureText.replace(/^deadline:.*$/m, 'deadline: "2026-12-15T00:00:00Z"'), { filename: 'f.yaml' });
    if (!late.ok) throw new Error('deadline feature');
    const missed = buildPlan({ tenants, feature: late.feature, asOf });
    expect(missed.warnings.some((w) => w.includes('is infeasible'))).toBe(true);
    const c = counts(render(missed, 'table'));
    expect(c.low! + c.medium! + c.high! + c.held!).toBe(missed.profiles.length);
    // A tenant both in a wave and in the holds (what a planner bug could produce) counts as held only.
    const member = plan.waves[0].members[0];
    const both: Plan = { ...plan, holds: [...plan.holds, { tenantId: member.tenantId, tenantName: member.tenantName, reasons: [{ rule: 'manual', reason: 'test', release: 'test' }] }] };
    const d = counts(render(both, 'table'));
    expect(d.held).toBe(plan.holds.length + 1);
    expect(d.low! + d.medium! + d.high! + d.held!).toBe(plan.profiles.length);
  });

  it('says the timeline ends before the health window', () => {
    for (const format of formats) {
      expect(render(plan, format)).toMatch(/one after another; ends when the last wave's soak ends, without the 2 d health window after it/);
    }
  });

  it('defines halt share, approvals, checkpoint, four-eyes and health window under Waves, and says "first breach" for 0 %', () => {
    expect(plan.waves.some((w) => w.haltShare === 0)).toBe(true);
    for (const format of formats) {
      const text = render(plan, format);
      const waves = text.slice(text.indexOf('Waves'), text.indexOf('Wave members'));
      expect(waves).not.toMatch(/(^|[^0-9])0 % critical/);
      expect(waves).toContain('first breach');
      for (const term of ['halt at N % critical:', '"first breach" (0 %) halts on the first member\'s critical breach', 'per tenant:', 'manual checkpoint:', 'four-eyes:', 'health window:']) {
        expect(waves).toContain(term);
      }
    }
  });

  it('shows each wave member\'s local start time and zone, as Intl gives it', () => {
    const byId = new Map(tenants.map((t) => [t.id, t]));
    for (const format of formats) {
      const text = render(plan, format);
      const members = text.slice(text.indexOf('Wave members'), text.indexOf('Holds'));
      expect(members).toContain('local start');
      for (const w of plan.waves) {
        for (const m of w.members) {
          const zone = byId.get(m.tenantId)!.timeZone;
          const clock = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(w.start));
          const line = members.split('\n').find((l) => l.includes(`${m.tenantId} (`) && l.includes(w.id))!;
          expect(line).toContain(`${clock.replace(',', '')} ${zone}`);
        }
      }
    }
    // A member far from its wave's predominant zone starts at night, and the table says so.
    expect(render(plan, 'table')).toMatch(/w2c +fjordline-marine .*Wed 02:00 Europe\/Oslo/);
  });

  it('leaves the local start out without the tenants (a stored plan rendered alone)', () => {
    expect(renderPlan(plan, 'table')).not.toContain('local start');
  });
});
