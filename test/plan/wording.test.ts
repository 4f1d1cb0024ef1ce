import { readFileSync } from 'node:fs';
import { buildPlan } from '../../shared/plan/build';
import { parseTenants } from '../../shared/import/tenants';
import { parseFeature } from '../../shared/import/feature';
import { benchFeature, generateFleet } from '../../bench/fleet-gen';
import type { Plan } from '../../shared/model/plan';
import { slaClass } from '../../shared/risk/sla';
import { defaultRiskConfig } from '../../shared/risk/config';

// The reviewer's reproduction: a freeze moves the low stage's first coverage pick out of w2a.
const asOf = '2026-12-04T00:00:00Z';
const parsed = parseTenants(readFileSync('examples/fleet.yaml', 'utf8'), { filename: 'fleet.yaml', asOf });
const feature = parseFeature(readFileSync('examples/feature-smart-routing.yaml', 'utf8'), { filename: 'feature-smart-routing.yaml' });
if (!parsed.ok || !feature.ok) throw new Error('examples do not parse');
const example = buildPlan({ tenants: parsed.tenants, feature: feature.feature, asOf });
const wave = (plan: Plan, id: string) => plan.waves.find((w) => w.id === id)!;

const fleetAsOf = '2026-03-02T08:00:00Z';
const generated = [0.08, 0.3].flatMap((freezeShare) => {
  const tenants = generateFleet(1_000, 7, { asOf: fleetAsOf, freezeShare });
  return [{}, { calendar: 'continuous' as const }, { lanes: { enabled: false } }]
    .map((config) => buildPlan({ tenants, feature: benchFeature(), asOf: fleetAsOf, config }));
});

describe('growth sub-wave reasons', () => {
  const picks = 'pulled forward to exercise early each touched configuration';

  it('say they hold coverage picks only where a coverage pick is', () => {
    expect(wave(example, 'w2a').reason).not.toContain(picks);
    // One: gold cobalt-freight, once the second pick (for complex tenants), is not low-stakes.
    expect(wave(example, 'w2b').reason).toContain(`holds one of the low-stakes tenants ${picks}`);
    expect(wave(example, 'w2c').reason).not.toContain(picks);
    let checked = 0;
    for (const plan of [example, ...generated]) {
      for (const w of plan.waves.filter((x) => x.reason.startsWith('growth sub-wave'))) {
        const held = w.members.filter((m) => m.reason.includes('pulled forward to exercise')).length;
        if (held === 0) expect(w.reason).not.toContain(picks);
        else expect(w.reason).toContain(`holds ${held === 1 ? 'one' : held} of the low-stakes tenants ${picks}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('promise early coverage only of what a low-stakes tenant can exercise, as the coverage section says', () => {
    // The coverage section says no low-stakes tenant can exercise complex or large tenants: the
    // growth reason must not promise every stratum.
    expect(example.coverage.filter((c) => c.note.includes('no low-stakes tenant can exercise')).map((c) => c.config)).toEqual(['stratum:complex', 'stratum:large']);
    expect(wave(example, 'w2b').reason).toContain('; holds one of the low-stakes tenants pulled forward to exercise early each touched configuration and size or complexity stratum that a low-stakes low-risk tenant can (the coverage section names those none can)');
    for (const plan of [example, ...generated]) for (const w of plan.waves) expect(w.reason).not.toContain('size or complexity stratum early');
  });

  it('call every growth sub-wave after a stage\'s first its next growth step, after the one before', () => {
    expect(wave(example, 'w2a').reason).toBe('growth sub-wave of 1 (at most 1): the low stage starts small so a fault shows on few tenants');
    expect(wave(example, 'w2b').reason).toMatch(/^growth sub-wave of 10 \(at most 10\): the low stage's next growth step, after 1 tenant in w2a; /);
    expect(wave(example, 'w2c').reason).toBe('growth sub-wave of 11 (at most 100): the low stage\'s next growth step, after 10 tenants in w2b');
    for (const plan of generated) {
      for (const stage of ['low', 'medium', 'high']) {
        const growth = plan.waves.filter((w) => w.stage === stage && w.reason.startsWith('growth sub-wave'));
        growth.forEach((w, i) => {
          if (i === 0) expect(w.reason).toContain('starts small');
          else expect(w.reason).toContain(`the ${stage} stage's next growth step, after ${growth[i - 1].members.length} tenant${growth[i - 1].members.length === 1 ? '' : 's'} in ${growth[i - 1].id}`);
        });
      }
    }
  });
});

describe('a tenant moved up into a growth sub-wave left short', () => {
  it('names who left it short and why', () => {
    const tallgrass = wave(example, 'w2a').members.find((m) => m.tenantId === 'tallgrass-software')!;
    expect(tallgrass.reason).toBe('low risk (score 21.3); moved up into w2a, left short by juniper-retail\'s freeze, so the stage\'s growth sub-waves keep their sizes');
    let named = 0;
    for (const [seed, growth] of [[6, [2, 5, 8, 20]], [2, [1, 10, 100]]] as const) {
      const tenants = generateFleet(800, seed, { asOf: fleetAsOf, freezeShare: 0.9 });
      const plan = buildPlan({ tenants, feature: benchFeature(), asOf: fleetAsOf, config: { growth: { low: [...growth], medium: [3], high: [1] } } });
      const reasons = new Map(plan.waves.flatMap((w) => w.members.map((m) => [m.tenantId, m.reason] as const)));
      for (const reason of reasons.values()) {
        const up = reason.match(/moved up into (w\d+[a-z]*), left short by (.*), so the stage's growth sub-waves keep their sizes/);
        if (!up) continue;
        const [, into, causes] = up;
        const ids = (list: string) => list.match(/t\d{6}/g) ?? [];
        const list = '((?:t\\d{6}(?:, | and ))*t\\d{6})';
        for (const [, who, wave] of causes.matchAll(new RegExp(`${list} moving up into (w\\d+[a-z]*)`, 'g'))) {
          for (const id of ids(who)) { expect(reasons.get(id)).toContain(`moved up into ${wave},`); named++; }
        }
        for (const [, many, one] of causes.matchAll(new RegExp(`(?:the freezes of ${list}|(t\\d{6})'s freeze)`, 'g'))) {
          for (const id of ids(many ?? one)) { expect(reasons.get(id)).toMatch(new RegExp(`moved out of ${into} \\([^)]*\\): freeze `)); named++; }
        }
      }
    }
    expect(named).toBeGreaterThan(5);
  });
});

describe('gold and platinum wave reasons', () => {
  const classes = (w: Plan['waves'][number], byId: Map<string, string>) => [...new Set(w.members.map((m) => byId.get(m.tenantId)!))].sort().join(' and ');

  it('name the SLA classes their members have, for one tenant or many', () => {
    expect(wave(example, 'w2d').reason).toMatch(/^1 low-risk gold tenant of lane apac /);
    expect(wave(example, 'w3a').reason).toMatch(/^premium canary \(1\): a (gold|platinum) tenant that exercises configurations no tenant before it does, picked to cover as many of those as it can, /);
    const tenants = generateFleet(1_000, 7, { asOf: fleetAsOf, freezeShare: 0.08 });
    const byId = new Map([...tenants, ...parsed.tenants].map((t) => [t.id, slaClass(t, defaultRiskConfig)]));
    const seen = new Set<string>();
    for (const plan of [example, generated[0]]) {
      for (const w of plan.waves.filter((x) => x.reason.includes('gold and platinum tenant') || /^\d+ \w+-risk (gold|platinum)/.test(x.reason) || x.reason.startsWith('premium canar'))) {
        const sla = classes(w, byId);
        const n = w.members.length;
        if (w.reason.startsWith('premium canar')) {
          expect(w.reason).toContain(n === 1 ? `premium canary (1): a ${sla} tenant that exercises` : `premium canaries (${n}): ${sla} tenants that exercise`);
        } else expect(w.reason).toMatch(new RegExp(`^${n} ${w.stage}-risk ${sla} tenants? of lane`));
        seen.add(`${sla}/${n === 1}`);
      }
    }
    expect(seen).toEqual(new Set(['gold/true', 'gold/false', 'platinum/true', 'platinum/false', 'gold and platinum/false']));
  });
});

describe('scores in words', () => {
  it('read as the table prints them, with one decimal, in summaries and member reasons', () => {
    const kestrel = example.profiles.find((p) => p.tenantId === 'kestrel-analytics')!;
    expect(kestrel.score).toBe(17);
    expect(kestrel.summary).toContain('Kestrel Analytics scores 17.0 (low risk)');
    expect(wave(example, 'w1b').members.find((m) => m.tenantId === 'kestrel-analytics')!.reason).toBe('opted into beta, low risk (score 17.0): pilot');
    for (const plan of [example, generated[0]]) {
      const scores = new Map(plan.profiles.map((p) => [p.tenantId, p.score.toFixed(1)]));
      for (const p of plan.profiles) expect(p.summary).toContain(` scores ${scores.get(p.tenantId)} (`);
      for (const m of plan.waves.flatMap((w) => w.members)) {
        for (const [, shown] of m.reason.matchAll(/\(score ([\d.]+)[ )]/g)) expect(shown).toBe(scores.get(m.tenantId));
      }
    }
  });
});

describe('never-together resolutions', () => {
  it('say where the split tenant is, and do not credit the rule with a catch-up wave a freeze moved it into', () => {
    const plans = [example, ...generated];
    let catchUps = 0;
    for (const plan of plans) {
      for (const c of plan.conflicts) {
        const tenantId = c.tenants[c.tenants.length - 1];
        const w = plan.waves.find((x) => x.members.some((m) => m.tenantId === tenantId))!;
        if (w.lane.startsWith('catch-up')) {
          catchUps++;
          expect(c.resolution).toContain(`${tenantId} was kept out of a wave with`);
          expect(c.resolution).toContain(`is now in catch-up wave ${w.id}`);
        } else {
          expect(c.resolution).toContain(`${tenantId} goes to ${w.id} instead of sharing a wave with`);
        }
      }
    }
    expect(catchUps).toBeGreaterThan(0);
    expect(example.conflicts.find((c) => c.tenants.includes('first-harbor-bank'))!.resolution).toContain('first-harbor-bank was kept out of a wave with cedar-valley-health (w3e), and is now in catch-up wave w3g');
  });

  // examples/plan-config.yaml's rules: at most two highly regulated accounts per wave.
  const rules = defaultRiskConfig.neverTogether.map((r) => (r.id === 'highly-regulated' ? { ...r, maxPerWave: 2, description: 'at most two highly regulated accounts per wave' } : r));
  const two = buildPlan({ tenants: parsed.tenants, feature: feature.feature, asOf, config: { risk: { ...defaultRiskConfig, neverTogether: rules } } });

  it('join the tenants a rule kept apart with "and" before the last', () => {
    const bank = two.conflicts.find((c) => c.tenants.includes('first-harbor-bank'))!;
    expect(bank.tenants).toEqual(['cedar-valley-health', 'commonwealth-benefits', 'first-harbor-bank']);
    expect(bank.resolution).toBe('at most two highly regulated accounts per wave: first-harbor-bank was kept out of a wave with cedar-valley-health (w3e) and commonwealth-benefits (w3e), and is now in catch-up wave w3f (its member reason says what moved it there)');
    for (const plan of [example, two, ...generated]) {
      for (const c of plan.conflicts) expect(c.resolution).not.toMatch(/\(w\w+\), [^,]+ \(w\w+\), and is now/);
    }
  });
});

describe('a never-together rule\'s side-by-side and one-after-another sub-waves', () => {
  const withRules = (change: (r: (typeof defaultRiskConfig.neverTogether)[number]) => object) => buildPlan({
    tenants: parsed.tenants, feature: feature.feature, asOf,
    config: { risk: { ...defaultRiskConfig, neverTogether: defaultRiskConfig.neverTogether.map((r) => ({ ...r, ...change(r) })) } },
  });

  it('does not say a rule with the default has sideBySide: false, and says what setting it would do', () => {
    for (const id of ['w3f', 'w4d']) {
      const w = wave(example, id);
      expect(w.lane).toMatch(/\/(anchor|highly-regulated)-2$/);
      expect(w.reason).not.toContain('the rule\'s sideBySide: false runs them');
      expect(w.reason).toMatch(/exposed in the same hours \(setting sideBySide: false on the rule would run them one after another\)$/);
    }
    // Written out with sideBySide: true, the rule is said to set it.
    const set = withRules(() => ({ sideBySide: true }));
    expect(wave(set, 'w4d').reason).toMatch(/exposed in the same hours \(the rule sets sideBySide: true; setting it to false would run them one after another\)$/);
  });

  it('says a rule with sideBySide: false keeps its sub-wave after the wave it kept the tenant out of, in the resolution and the wave reason', () => {
    const apart = withRules((r) => (r.id === 'anchor' ? { sideBySide: false } : {}));
    const initech = apart.conflicts.find((c) => c.rule === 'anchor')!;
    const w4c = wave(apart, 'w4c');
    const w4d = wave(apart, 'w4d');
    expect(w4c.members.map((m) => m.tenantId)).toContain('acme-corp');
    expect(w4d.members.map((m) => m.tenantId)).toEqual(['initech-global']);
    expect([w4c.lane, w4d.lane]).toEqual(['us', 'us']);
    expect(Date.parse(w4d.start)).toBeGreaterThanOrEqual(Date.parse(w4c.start) + w4c.monitoringWindowSeconds * 1000);
    expect(initech.resolution).toBe('at most one anchor account per wave (sideBySide: false, so the waves it splits run one after another in their lane, the later once the earlier has been monitored): initech-global goes to w4d instead of sharing a wave with acme-corp (w4c)');
    expect(w4d.reason).toMatch(/; opened when the never-together rule "anchor" kept its members out of an earlier wave of this lane; the rule sets sideBySide: false, so the two waves run one after another in the lane, not side by side$/);
    expect(w4c.reason).not.toContain('sideBySide');
    // The other rule keeps the default.
    expect(wave(apart, 'w3f').reason).toContain('(setting sideBySide: false on the rule would run them one after another)');
  });
});

describe('reasons a PM can follow in the example plan', () => {
  const member = (id: string) => example.waves.flatMap((w) => w.members.map((m) => ({ wave: w, m }))).find((x) => x.m.tenantId === id)!;

  it('says a coverage pick a freeze sent to catch-up no longer exercises its targets early, and the coverage section does not count it', () => {
    const juniper = member('juniper-retail');
    expect(juniper.wave.lane).toBe('catch-up/low');
    expect(juniper.m.reason).toMatch(/^low risk \(score 21\.9\); was pulled forward to exercise kind:chat, .* early; moved out of w2a \(monitoring window [^)]+\): freeze "holiday peak season" .* overlaps it; so it is in this catch-up wave, after the low stage's other waves, and no longer exercises those early/);
    for (const c of example.coverage) {
      expect(c.coveredBy).not.toContain('juniper-retail');
      expect(c.note).not.toContain('juniper-retail');
    }
  });

  it('says "outside the pilot" where the low stage first exercises what the pilot did, in finished clauses', () => {
    const chat = example.coverage.find((c) => c.config === 'kind:chat')!;
    expect(chat.note).toBe('kind:chat first exercised in w1a (pilot) by rm-dogfood-eu, rm-staging; outside the pilot, first in w2a by tallgrass-software');
    const complex = example.coverage.find((c) => c.config === 'stratum:complex')!;
    expect(complex.note).toBe('complex tenants (> 3 integrations or > 3 customizations) first exercised in w1a (pilot) by rm-dogfood-eu; outside the pilot, no low-stakes tenant can exercise it, since only high-stakes tenants use it (15 tenants: 9 platinum SLA, 6 gold SLA, 4 anchor accounts, 3 highly regulated, 2 executive escalation, 1 renewal within 90 days; 8 medium-tier, 6 high-tier, 1 low-tier); of them, cobalt-freight exercises it first, in w2e (low), where the plan placed it as it places any high-stakes tenant, not as a coverage pick');
    for (const plan of [example, ...generated]) {
      for (const c of plan.coverage) {
        expect(c.note).not.toContain('on customer tenants');
        expect(c.note).not.toMatch(/canaries place$/);
        // No chained colons: at most one outside the parentheses and configuration names (kind:chat).
        expect(c.note.replace(/\([^()]*\)/g, '').replace(/\b[a-z]+:[\w-]+/g, '').split(':').length).toBeLessThanOrEqual(2);
      }
    }
  });

  it('names the side-by-side sub-wave First Harbor Bank left by its never-together rule, not by a lane the plan never shows', () => {
    const bank = member('first-harbor-bank');
    expect(bank.m.reason).toContain('moved out of a side-by-side sub-wave of the medium stage (opened by the never-together rule highly-regulated), which the plan drops since no member is left in it (monitoring window');
    const lanes = new Set(example.waves.map((w) => w.lane));
    for (const [, lane] of bank.m.reason.matchAll(/lane (\S+)/g)) expect(lanes.has(lane)).toBe(true);
  });
});
