import { readFileSync } from 'node:fs';
import { buildPlan } from '../../shared/plan/build';
import { renderPlan, type PlanFormat } from '../../shared/plan/render';
import { parseTenants } from '../../shared/import/tenants';
import { parseFeature } from '../../shared/import/feature';
import type { Plan } from '../../shared/model/plan';
import { PlanConfig } from '../../shared/plan/config';

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
  const m = /(\d+): (\d+) low, (\d+) medium, (\d+) high by planned tier \((?:scored, not counting the held: (\d+) \/ (\d+) \/ (\d+)|as scored)\), (\d+) on hold/.exec(text);
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
      const lines = tiers.split('\n');
      const at = lines.findIndex((l) => l.includes('acme-corp (Acme Corp)'));
      // The table wraps the factor points onto the next line, the other cells blank there.
      const head = lines.find((l) => l.startsWith('tenant ')) ?? '';
      const [from, to] = [head.indexOf('points per factor'), head.indexOf('summary')];
      const acme = format === 'table' ? `${lines[at].slice(from, to).trim()} ${lines[at + 1].slice(from).trim()}` : lines[at];
      if (format === 'table') expect(lines[at + 1].slice(0, from).trim()).toBe('');
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

  it('defines halt share, approvals, checkpoint, four-eyes and health window under Waves, and never says "0 % critical"', () => {
    expect(plan.waves.some((w) => w.haltShare === 0)).toBe(true);
    for (const format of formats) {
      const text = render(plan, format);
      const waves = text.slice(text.indexOf('Waves'), text.indexOf('Wave members'));
      expect(waves).not.toMatch(/(^|[^0-9])0 % critical/);
      // Every member here is advisory, so no wave shows its halt share ("first breach": see below).
      for (const term of ['halt at N % critical:', '"first breach" (0 %) halts on the first one', '"first rollback" at 0 %', 'per tenant:', 'manual checkpoint:', 'four-eyes:', 'health window:']) {
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

/** The Waves table's rows by wave id, in either format. */
function waveRows(text: string): Map<string, string> {
  const waves = text.slice(text.indexOf('Waves\n'), text.indexOf('Wave members'));
  return new Map(waves.split('\n').flatMap((l) => {
    const m = /^(?:\| )?(w\d+[a-z]*)[ |]/.exec(l);
    return m ? [[m[1], l] as const] : [];
  }));
}

const modesOf = (w: Plan['waves'][number]) => new Set(w.members.map((m) => m.thresholds.decisionMode));

describe('the halt column and the Terms say what the rollout does (only automatic-mode breaches and rollbacks count as breaching)', () => {
  it('says a wave of advisory members halts on the share rolled back, not on breaches', () => {
    expect(plan.waves.every((w) => [...modesOf(w)].every((m) => m === 'advisory'))).toBe(true);
    for (const format of formats) {
      const rows = waveRows(render(plan, format));
      expect(rows.size).toBe(plan.waves.length);
      for (const row of rows.values()) {
        expect(row).toMatch(/first rollback|\d+ % rolled back/);
        expect(row).not.toMatch(/first breach|% critical/);
      }
    }
  });

  it('says a wave of manual members does not halt by itself', () => {
    const ledger = parseFeature(readFileSync('examples/feature-ledger-migration.yaml', 'utf8'), { filename: 'l.yaml' });
    if (!ledger.ok) throw new Error('ledger feature');
    const manual = buildPlan({ tenants, feature: ledger.feature, asOf });
    expect(manual.waves.every((w) => [...modesOf(w)].every((m) => m === 'manual'))).toBe(true);
    for (const format of formats) {
      const rows = waveRows(renderPlan(manual, format, { tenants, feature: ledger.feature }));
      expect(rows.size).toBe(manual.waves.length);
      for (const row of rows.values()) expect(row).toContain('no automatic halt: members manual');
    }
  });

  it('shows the halt share, and "first breach" for 0 %, for waves with automatic members', () => {
    const simple = parseFeature(featureText.replace(/complexity: moderate/, 'complexity: simple'), { filename: 'f.yaml' });
    if (!simple.ok) throw new Error('simple feature');
    const auto = buildPlan({ tenants, feature: simple.feature, asOf, config: PlanConfig.parse({ haltShare: { low: 0 } }) });
    const withAutomatic = auto.waves.filter((w) => modesOf(w).has('automatic'));
    expect(withAutomatic.some((w) => w.stage === 'low')).toBe(true);
    expect(auto.waves.some((w) => !modesOf(w).has('automatic'))).toBe(true);
    const rows = waveRows(renderPlan(auto, 'markdown', { tenants, feature: simple.feature }));
    for (const w of auto.waves) {
      const halt = rows.get(w.id)!.split(' | ')[9];
      if (!modesOf(w).has('automatic')) expect(halt).toBe(w.haltShare === 0 ? 'first rollback' : `${Math.round(w.haltShare * 100)} % rolled back`);
      else expect(halt).toBe(w.haltShare === 0 ? 'first breach' : `${Math.round(w.haltShare * 100)} % critical`);
    }
  });

  it('defines the halt share over the wave\'s monitored members and gives needs-review members their own approval', () => {
    for (const format of formats) {
      const text = render(plan, format);
      const terms = text.slice(text.indexOf('Terms'), text.indexOf('Wave members'));
      expect(terms).toContain('the breaching members are at least N % of the wave\'s monitored members. Breaching means an automatic-mode member at or above its critical error rate');
      expect(terms).toContain('or a member already rolled back after a breach');
      expect(terms).toContain('N % rolled back: the wave\'s members are advisory');
      expect(terms).toContain('"no automatic halt: members manual"');
      expect(terms).toContain('one go/no-go: one approval starts the whole wave, and a member whose readiness check says needs-review also needs its own tenant approval');
      expect(terms).not.toContain('only members in automatic decision mode count');
    }
  });
});

describe('the members table says when waves start on the calendar the plan used', () => {
  const lead = (text: string) => text.slice(text.indexOf('Wave members'), text.indexOf('wave  tenant') >= 0 ? text.indexOf('wave  tenant') : text.indexOf('| wave | tenant'));
  const window = 'A wave starts inside the start window of its predominant time zone;';

  it('the business calendar (and auto with waves of an hour or more): inside the start window', () => {
    for (const format of formats) {
      expect(lead(renderPlan(plan, format, { tenants, feature, calendar: 'business' }))).toContain(window);
      expect(lead(renderPlan(plan, format, { tenants, feature, calendar: 'auto' }))).toContain(window);
    }
  });

  it('the continuous calendar: at any hour', () => {
    const continuous = buildPlan({ tenants, feature, asOf, config: PlanConfig.parse({ calendar: 'continuous' }) });
    for (const format of formats) {
      const text = lead(renderPlan(continuous, format, { tenants, feature, calendar: 'continuous' }));
      expect(text).toContain('On the continuous calendar a wave starts at any hour, with no start window;');
      expect(text).not.toContain('start window of its predominant');
    }
  });

  it('auto with waves shorter than an hour: at any hour; with some: which stages', () => {
    const short = (w: Plan['waves'][number]) => ({ ...w, monitoringWindowSeconds: 600, soakSeconds: Math.min(w.soakSeconds, 600) });
    const allShort: Plan = { ...plan, waves: plan.waves.map(short) };
    expect(lead(renderPlan(allShort, 'table', { tenants, feature, calendar: 'auto' }))).toContain('On the auto calendar a wave shorter than an hour, as all of these are, starts at any hour, with no start window;');
    const pilotShort: Plan = { ...plan, waves: plan.waves.map((w) => (w.stage === 'pilot' ? short(w) : w)) };
    expect(lead(renderPlan(pilotShort, 'table', { tenants, feature, calendar: 'auto' }))).toContain('On the auto calendar a wave of the low, medium and high stages, an hour or more long with its stage\'s full soak, starts inside the start window of its predominant time zone; one of the pilot stage, shorter, starts at any hour');
  });

  it('without the calendar, words true for both', () => {
    expect(lead(render(plan, 'table'))).toContain('On the business calendar a wave starts inside the start window of its predominant time zone; on the continuous one (and on auto for a wave shorter than an hour) it starts at any hour');
  });
});

describe('table layout', () => {
  // Terminal columns: East Asian wide characters take two.
  const wide = (line: string) => line.replace(/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g, 'xx');

  it('keeps "points per factor" within its 60-column cap, so the summary column stays in line', () => {
    const text = render(plan, 'table');
    const tiers = text.slice(text.indexOf('Risk tiers')).split('\n\n')[0].split('\n').map(wide);
    const head = tiers.findIndex((l) => l.startsWith('tenant '));
    const [from, to] = [tiers[head].indexOf('points per factor'), tiers[head].indexOf('summary')];
    expect(to - from).toBe(62);
    const rows = tiers.slice(head + 2);
    expect(rows.length).toBeGreaterThan(plan.profiles.length);
    for (const row of rows) {
      expect(row.slice(to - 2, to)).toBe(row.length > to - 2 ? '  ' : row.slice(to - 2, to));
      if (row.length > to) expect(row[to]).not.toBe(' ');
    }
    for (const id of ['huayue-group', 'globex-retail', 'stratos-aviation']) expect(rows.some((r) => r.startsWith(id))).toBe(true);
  });

  it('flattens line breaks and tabs in table cells as the markdown does', () => {
    const h = plan.holds[0];
    const odd: Plan = {
      ...plan,
      holds: [{ ...h, reasons: [{ ...h.reasons[0], reason: 'frozen for the\nyear-end close\tuntil January' }] }, ...plan.holds.slice(1)],
      profiles: plan.profiles.map((p) => (p.tenantId === h.tenantId ? { ...p, summary: 'held:\r\nfrozen for the\nyear-end close' } : p)),
    };
    for (const format of formats) {
      const text = render(odd, format);
      expect(text).toMatch(/frozen for the year-end close until January/);
      expect(text).toMatch(/held: frozen for the year-end close/);
      expect(text).not.toMatch(/\t/);
    }
  });

  it('says the scored counts leave out the held', () => {
    for (const format of formats) expect(render(plan, format)).toMatch(/by planned tier \(scored, not counting the held: \d+ \/ \d+ \/ \d+\), \d+ on hold/);
  });
});
