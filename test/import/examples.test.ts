import { readFileSync } from 'fs';
import { join } from 'path';
import { parse as parseYaml } from 'yaml';
import { parseFeature } from '../../shared/import/feature';
import { parseTenants } from '../../shared/import/tenants';
import type { Tenant } from '../../shared/model/tenant';

const examples = join(__dirname, '..', '..', 'examples');
const read = (name: string) => readFileSync(join(examples, name), 'utf8');
const asOf = '2026-12-04';

function fleet(): Tenant[] {
  const result = parseTenants(read('fleet.yaml'), { filename: 'fleet.yaml', asOf });
  expect(result.errors).toEqual([]);
  return result.tenants;
}

describe('example fleet (examples/fleet.yaml)', () => {
  const tenants = fleet();
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const count = (pred: (t: Tenant) => boolean) => tenants.filter(pred).length;

  it('has at least 50 tenants with unique ids', () => {
    expect(tenants.length).toBeGreaterThanOrEqual(50);
    expect(byId.size).toBe(tenants.length);
  });

  it('covers every kind of tenant the planner has a rule for', () => {
    expect(count((t) => t.internal)).toBe(2);
    expect(count((t) => t.betaOptIn)).toBeGreaterThanOrEqual(3);
    expect(count((t) => t.strategic.anchor)).toBeGreaterThanOrEqual(3);
    expect(count((t) => t.regulated.industry !== undefined || t.regulated.regimes.length > 0)).toBeGreaterThanOrEqual(5);
    for (const regime of ['SOX', 'HIPAA', 'GDPR'] as const) expect(count((t) => t.regulated.regimes.includes(regime))).toBeGreaterThan(0);
    for (const industry of ['finance', 'healthcare', 'public-sector'] as const) expect(count((t) => t.regulated.industry === industry)).toBeGreaterThan(0);
    expect(count((t) => t.locale === 'zh-CN' && t.timeZone === 'Asia/Shanghai')).toBeGreaterThanOrEqual(5);
    for (const area of ['America/', 'Europe/', 'Asia/']) expect(count((t) => t.timeZone.startsWith(area))).toBeGreaterThan(3);
  });

  it('has the tenants that must be held or moved', () => {
    expect(byId.get('wavecrest-media')?.openTickets.some((t) => t.severity === 'P1')).toBe(true);
    expect(byId.get('dustbowl-supply')?.health).toBeLessThan(40);
    expect(byId.get('oldtown-mercantile')?.integrations.find((i) => i.system === 'salesforce')?.version).toBe('48.0');
    const renewal = Date.parse(byId.get('beacon-hill-consulting')?.contract.renewalDate ?? '');
    expect(renewal - Date.parse(asOf)).toBeLessThan(30 * 86_400_000);
    const juniper = byId.get('juniper-retail')?.freezeWindows[0];
    expect(juniper && Date.parse(juniper.start) <= Date.parse('2026-12-07T09:00:00Z')).toBe(true);
    const polaris = byId.get('polaris-grid')?.freezeWindows[0];
    expect(polaris && Date.parse(polaris.start) < Date.parse('2026-12-07') && Date.parse(polaris.end) > Date.parse('2027-02-26')).toBe(true);
  });

  it('reads identically from JSON, with the same tenants and wrapper-free array form', () => {
    const value = parseYaml(read('fleet.yaml')) as { tenants: unknown[] };
    const json = parseTenants(JSON.stringify(value.tenants, null, 2), { asOf });
    expect(json.format).toBe('json');
    expect(json.tenants).toEqual(tenants);
  });
});

describe('example features', () => {
  it('smart routing touches salesforce, slack, webhooks and approval_flow, which fleet tenants have and one fails', () => {
    const result = parseFeature(read('feature-smart-routing.yaml'), { filename: 'feature-smart-routing.yaml' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const { feature } = result;
    expect(feature.risk.level).toBe('medium');
    expect(feature.rollback.complexity).toBe('moderate');
    const touched = feature.changes.flatMap((c) => [...c.touches.systems, ...c.touches.settings]);
    expect(touched).toEqual(expect.arrayContaining(['salesforce', 'slack', 'webhooks', 'approval_flow']));
    const tenants = fleet();
    expect(tenants.filter((t) => t.customizations.some((c) => c.key === 'approval_flow')).length).toBeGreaterThan(5);
    const below = tenants.filter((t) => t.integrations.some((i) => feature.compatibility[i.system] && Number(i.version) < Number(feature.compatibility[i.system])));
    expect(below.map((t) => t.id).sort()).toEqual(['gaslight-theatre', 'oldtown-mercantile']);
    expect(feature.earliestStart).toBe('2026-12-07T09:00:00Z');
    expect(feature.deadline).toBe('2027-02-26T00:00:00Z');
  });

  it('ledger migration is a high-risk irreversible data-model change', () => {
    const result = parseFeature(read('feature-ledger-migration.yaml'));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.feature.risk.level).toBe('high');
    expect(result.feature.rollback).toMatchObject({ complexity: 'complex', reversible: false });
    expect(result.feature.changes.some((c) => c.area === 'data-model')).toBe(true);
  });
});

describe('table and CSV example fleets', () => {
  it('reads fleet-table.txt: English and Chinese rows, held tenants included', () => {
    const result = parseTenants(read('fleet-table.txt'), { filename: 'fleet-table.txt', asOf });
    expect(result.errors).toEqual([]);
    expect(result.format).toBe('table');
    expect(result.tenants.length).toBeGreaterThanOrEqual(12);
    expect(result.tenants.filter((t) => t.locale === 'zh-CN').length).toBeGreaterThanOrEqual(5);
    const acme = result.tenants.find((t) => t.id === 'acme-corp');
    expect(acme).toMatchObject({ users: 2000, sla: 'platinum', health: 80, contract: { renewalDate: '2027-02-02' }, strategic: { anchor: true } });
    expect(acme?.integrations).toEqual([
      { kind: 'crm', system: 'salesforce', version: '56.0' }, { kind: 'sso', system: 'okta' }, { kind: 'chat', system: 'slack', version: '4.6' }, { kind: 'webhooks', system: 'webhooks' },
    ]);
    const wavecrest = result.tenants.find((t) => t.id === 'wavecrest-media');
    expect(wavecrest?.openTickets.map((t) => t.severity)).toEqual(['P1']);
    const bank = result.tenants.find((t) => t.id === 'first-harbor-bank');
    expect(bank?.regulated).toEqual({ industry: 'finance', regimes: ['SOX', 'PCI-DSS'] });
    expect(bank?.freezeWindows).toEqual([{ start: '2026-12-21T00:00:00Z', end: '2027-01-08T23:59:59Z', reason: 'year-end close' }]);
  });

  it('reads fleet.csv into the same records as the YAML fleet for the tenants both list', () => {
    const result = parseTenants(read('fleet.csv'), { filename: 'fleet.csv', asOf });
    expect(result.errors).toEqual([]);
    expect(result.tenants.length).toBeGreaterThanOrEqual(10);
    const yaml = new Map(fleet().map((t) => [t.id, t]));
    for (const id of ['tallgrass-software', 'first-harbor-bank', 'juniper-retail', 'polaris-grid', 'oldtown-mercantile']) {
      const csv = result.tenants.find((t) => t.id === id);
      const full = yaml.get(id)!;
      expect(csv).toMatchObject({
        users: full.users, timeZone: full.timeZone, sla: full.sla, integrations: full.integrations, freezeWindows: full.freezeWindows, regulated: full.regulated, health: full.health,
      });
    }
    expect(result.tenants.find((t) => t.id === 'fjordline-marine')?.baseline.errorRate).toBeCloseTo(0.004);
  });
});
