import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';
import { Plan } from '../../shared/model/plan';

const asOf = '2026-12-04T08:00:00Z';
const fleet = 'examples/fleet.yaml';
const feature = 'examples/feature-smart-routing.yaml';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { now: () => new Date(asOf), stdout: (s) => { out += s; }, stderr: (s) => { err += s; } });
  return { code, out, err };
}

describe('ringmaster plan', () => {
  it('prints a terminal plan with every section a reviewer needs', async () => {
    const r = await run('plan', '--tenants', fleet, '--feature', feature, '--as-of', asOf);
    expect(r.code).toBe(0);
    for (const heading of ['Summary', 'Waves', 'Wave members, thresholds and decision modes', 'Holds', 'Never-together splits', 'Coverage of touched configurations', 'Risk tiers', 'Readiness checklist preview']) {
      expect(r.out).toContain(heading);
    }
    expect(r.out).toContain('four-eyes');
  });

  it('writes stable JSON that parses as a Plan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ringmaster-cli-'));
    const out = join(dir, 'plan.json');
    const a = await run('plan', '--tenants', fleet, '--feature', feature, '--as-of', asOf, '--format', 'json', '--out', out);
    expect(a.code).toBe(0);
    const first = readFileSync(out, 'utf8');
    expect(Plan.safeParse(JSON.parse(first)).success).toBe(true);
    await run('plan', '--tenants', fleet, '--feature', feature, '--as-of', asOf, '--format', 'json', '--out', out);
    expect(readFileSync(out, 'utf8')).toBe(first);
  });

  it('renders markdown tables for a review doc', async () => {
    const r = await run('plan', '--tenants', fleet, '--feature', feature, '--as-of', asOf, '--format=markdown');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# Rollout plan: /);
    expect(r.out).toContain('| wave | stage | lane |');
  });

  it('exits 2 with line numbers for a bad tenant file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ringmaster-cli-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'id,name,users\nacme,Acme,lots\n');
    const r = await run('plan', '--tenants', bad, '--feature', feature, '--as-of', asOf);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad}:2`);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
  });

  it('plans with a config file of what differs from the defaults; flags win over it', async () => {
    const json = async (...extra: string[]) => {
      const r = await run('plan', '--tenants', fleet, '--feature', feature, '--as-of', asOf, '--format', 'json', ...extra);
      expect(r.code).toBe(0);
      return Plan.parse(JSON.parse(r.out));
    };
    const byDefault = await json();
    const configured = await json('--config', 'examples/plan-config.yaml');
    const growth = (p: Plan) => p.waves.filter((w) => w.stage === 'low' && w.reason.startsWith('growth sub-wave')).map((w) => w.reason.match(/at most (\d+)/)![1]);
    expect(growth(byDefault)).toEqual(['1', '10', '100']);
    expect(growth(configured)).toEqual(['1', '5', '25']); // the example's low stage has too few tenants for the 100
    // Two regulated accounts may now share a wave, so fewer splits are needed.
    const regulatedSplits = (p: Plan) => p.conflicts.filter((c) => c.rule === 'highly-regulated').length;
    expect(regulatedSplits(configured)).toBeLessThan(regulatedSplits(byDefault));
    expect(configured.waves.every((w) => w.stage !== 'high' || w.members.length <= 5)).toBe(true);
    // --no-lanes wins over the file (which keeps the default lanes).
    const noLanes = await json('--config', 'examples/plan-config.yaml', '--no-lanes');
    expect(new Set(noLanes.waves.map((w) => w.lane))).toEqual(new Set(['main', 'catch-up']));
  });

  it('exits 2 with line and field for a bad config file, planning nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ringmaster-cli-'));
    const bad = join(dir, 'config.yaml');
    writeFileSync(bad, 'growth:\n  low: [1, 0]\nrisk:\n  weights: { sla: 40 }\nwaveSize: 10\nstartWindow: { fromHour: 11, toHour: 9 }\n');
    const r = await run('plan', '--tenants', fleet, '--feature', feature, '--as-of', asOf, '--config', bad);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(`${bad}:2 growth.low[1]: line 2, field growth.low[1]: expected a number above 0, got 0`);
    expect(r.err).toContain(`${bad}:4 risk.weights: line 4, field risk.weights: factor weights must sum to 100 (these sum to 125)`);
    expect(r.err).toContain(`${bad}:5 waveSize: line 5, field waveSize: unknown field "waveSize"`);
    expect(r.err).toContain(`${bad}:6 startWindow.toHour: line 6, field startWindow.toHour: expected a start window whose fromHour comes before its toHour (local hours within one day)`);
  });

  it('exits 2 for bad arguments and missing files', async () => {
    expect((await run('plan', '--feature', feature)).code).toBe(2);
    expect((await run('plan', '--tenants', fleet, '--feature', feature, '--format', 'pdf')).code).toBe(2);
    const missing = await run('plan', '--tenants', 'no/such.yaml', '--feature', feature);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('ENOENT');
    expect((await run('launch')).code).toBe(2);
  });
});

describe('ringmaster plan --config, precedence and what it reaches', () => {
  const configFile = (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'ringmaster-cli-')), 'config.yaml');
    writeFileSync(file, text);
    return file;
  };
  const json = async (...extra: string[]) => {
    const r = await run('plan', '--tenants', fleet, '--feature', feature, '--as-of', asOf, '--format', 'json', ...extra);
    expect(r.code).toBe(0);
    return Plan.parse(JSON.parse(r.out));
  };

  it('flags win over the file: --no-lanes over lanes, --calendar over calendar', async () => {
    const file = configFile('lanes: { enabled: true, key: timeZone }\ncalendar: continuous\nmaxHighWaveSize: 1\n');
    const byDefault = await json();
    const fromFile = await json('--config', file);
    expect(byDefault.waves.some((w) => w.stage === 'high' && w.members.length > 1)).toBe(true);
    expect(fromFile.waves.every((w) => w.stage !== 'high' || w.members.length === 1)).toBe(true);
    expect(fromFile.waves.some((w) => w.lane.includes('/') && !w.lane.startsWith('catch-up'))).toBe(true);
    const overridden = await json('--config', file, '--no-lanes', '--calendar', 'business');
    expect(new Set(overridden.waves.map((w) => w.lane))).toEqual(new Set(['main', 'catch-up']));
    // Business hours and no lanes take longer than the file's continuous calendar with lanes.
    expect(overridden.timeline.totalSeconds).toBeGreaterThan(fromFile.timeline.totalSeconds);
  });

  it('an empty config file changes nothing; a __proto__ field is refused, not taken as a prototype', async () => {
    expect(await json('--config', configFile('# nothing differs from the defaults\n'))).toEqual(await json());
    for (const [name, text] of [['config.json', '{"__proto__": {"maxWaveSize": 5}}'], ['config.yaml', 'risk:\n  __proto__: { tiers: { medium: 1, high: 2 } }\n']]) {
      const file = join(mkdtempSync(join(tmpdir(), 'ringmaster-cli-')), name);
      writeFileSync(file, text);
      const r = await run('plan', '--tenants', fleet, '--feature', feature, '--as-of', asOf, '--config', file);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/field (risk\.)?__proto__: unknown field "__proto__"/);
    }
  });

  it('the readiness preview uses the config\'s health floor, as the hold rule does', async () => {
    const r = await run('plan', '--tenants', fleet, '--feature', feature, '--as-of', asOf, '--config', configFile('risk: { holds: { healthFloor: 20 } }\n'));
    expect(r.code).toBe(0);
    // Dustbowl Supply (health 28) is held by the default floor of 40; at 20 it is planned, and its checklist agrees.
    expect(r.out).toMatch(/Dustbowl Supply Co in w\S+: (go|needs-review)/);
    expect(r.out).not.toMatch(/below the floor of 40/);
  });
});

describe('ringmaster plan with a feature whose deadline has passed', () => {
  it('exits 2 naming the deadline line, instead of planning holds against a horizon that ends before it starts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ringmaster-cli-'));
    const past = join(dir, 'feature.yaml');
    // earliestStart moves before it too: a deadline before earliestStart is a problem of its own.
    const text = readFileSync(feature, 'utf8').replace(/^deadline: .*$/m, 'deadline: "2026-11-01T00:00:00Z"').replace(/^earliestStart: .*$/m, 'earliestStart: "2026-10-01T09:00:00Z"');
    writeFileSync(past, text);
    const line = text.split('\n').findIndex((l) => l.startsWith('deadline:')) + 1;
    const r = await run('plan', '--tenants', fleet, '--feature', past, '--as-of', asOf);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(`${past}:${line} deadline: deadline 2026-11-01T00:00:00Z has already passed (planning as of ${asOf})`);
  });
});

describe('ringmaster plan explains what a reviewer would ask about', () => {
  it('says why most waves show a soak of 0 s, in the table and the markdown', async () => {
    for (const format of ['table', 'markdown']) {
      const r = await run('plan', '--tenants', fleet, '--feature', feature, '--as-of', asOf, '--format', format);
      expect(r.out).toMatch(/ \/ 0 s /);
      expect(r.out).toContain('the last wave of each lane in the stage\'s last round soaks in full');
      expect(r.out).toContain('why this soak');
    }
  });

  it('says when waves start for the calendar chosen: the start window for business, any hour for continuous', async () => {
    const business = await run('plan', '--tenants', fleet, '--feature', feature, '--as-of', asOf, '--calendar', 'business');
    expect(business.out).toContain('A wave starts inside the start window of its predominant time zone;');
    const continuous = await run('plan', '--tenants', fleet, '--feature', feature, '--as-of', asOf, '--calendar', 'continuous', '--format', 'markdown');
    expect(continuous.out).toContain('On the continuous calendar a wave starts at any hour, with no start window;');
    expect(continuous.out).not.toContain('start window of its predominant time zone');
  });

  it('keeps table columns aligned when names are Chinese (two columns per character on a terminal)', async () => {
    const r = await run('plan', '--tenants', fleet, '--feature', feature, '--as-of', asOf);
    const tiers = r.out.split('\n\n').find((s) => s.startsWith('Risk tiers'))!.split('\n');
    // The header row (after the heading, its underline and the lead sentence).
    const scoreColumn = tiers.find((l) => l.startsWith('tenant '))!.indexOf('score');
    const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
    const chinese = tiers.find((l) => l.startsWith('huayue-group'))!;
    const english = tiers.find((l) => l.startsWith('acme-corp'))!;
    expect(width(chinese.slice(0, chinese.indexOf('42.7')))).toBe(scoreColumn);
    expect(width(english.slice(0, english.indexOf('45.9')))).toBe(scoreColumn);
  });
});
