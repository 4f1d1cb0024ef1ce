import { parseFeature } from '../../shared/import/feature';
import { parseTenants, type ImportError } from '../../shared/import/tenants';

const asOf = '2026-12-04';
const csvHeader = 'id,name,users,integrations,sla,tickets,timeZone';

/** One tenant per case, so each error's line is the line of the injected mistake. */
const jsonFleet = (broken: string) => `[
  { "id": "fine-co", "name": "Fine Co", "users": 10 },
  {
    "id": "broken-co",
    "name": "Broken Co",
${broken}
  }
]`;

const yamlFleet = (broken: string) => `tenants:
  - id: fine-co
    name: Fine Co
    users: 10
  - id: broken-co
    name: Broken Co
${broken}
`;

interface Case {
  name: string;
  text: string;
  format?: 'csv' | 'json' | 'yaml' | 'table';
  expected: Partial<Omit<ImportError, 'message'>> & { line: number; message: RegExp };
}

const cases: Case[] = [
  {
    name: 'JSON: wrong type',
    text: jsonFleet('    "users": "many"'),
    expected: { line: 6, field: 'users', message: /line 6, tenant "broken-co", field users: expected a number, got "many"/ },
  },
  {
    name: 'JSON: unknown field',
    text: jsonFleet('    "users": 5,\n    "seats": 5'),
    expected: { line: 7, field: 'seats', message: /unknown field "seats"/ },
  },
  {
    name: 'JSON: bad enum in a nested list',
    text: jsonFleet('    "users": 5,\n    "integrations": [\n      { "kind": "crm", "system": "salesforce" },\n      { "kind": "crmx", "system": "hubspot" }\n    ]'),
    expected: { line: 9, field: 'integrations[1].kind', message: /expected one of: sso, crm, chat, webhooks, api, erp, data-warehouse, custom, got "crmx"/ },
  },
  {
    name: 'JSON: bad time zone',
    text: jsonFleet('    "users": 5,\n    "timeZone": "Mars/Olympus_Mons"'),
    expected: { line: 7, field: 'timeZone', message: /IANA time zone such as Europe\/Berlin, got "Mars\/Olympus_Mons"/ },
  },
  {
    name: 'JSON: missing required field',
    text: jsonFleet('    "region": "eu"'),
    expected: { line: 3, field: 'users', message: /users: required field is missing; expected a number/ },
  },
  {
    name: 'JSON: malformed (trailing comma)',
    text: jsonFleet('    "users": 5,'),
    expected: { line: 7, field: '(file)', message: /line 7: not valid JSON: expected a field name in double quotes, found "}"/ },
  },
  {
    name: 'YAML: malformed indentation',
    text: yamlFleet('    users: 5\n      region: eu'),
    expected: { line: 7, field: '(file)', message: /line 7 \(to line 8\): not valid YAML: Implicit keys need to be on a single line/ },
  },
  {
    name: 'YAML: bad e-mail in a contact',
    text: yamlFleet('    users: 5\n    contacts:\n      - role: admin\n        name: Jo\n        email: jo-at-broken'),
    expected: { line: 11, field: 'contacts[0].email', message: /expected an e-mail address/ },
  },
  {
    name: 'YAML: SLA that is neither a tier nor an uptime',
    text: yamlFleet('    users: 5\n    sla: diamond'),
    expected: { line: 8, field: 'sla', message: /expected one of: standard, gold, platinum, or an object/ },
  },
  {
    name: 'YAML: unquoted version read as a number',
    text: yamlFleet('    users: 5\n    integrations:\n      - { kind: crm, system: salesforce, version: 52.0 }'),
    expected: { line: 9, field: 'integrations[0].version', message: /expected text, got 52 \(put it in quotes/ },
  },
  {
    name: 'YAML: duplicate tenant id names both lines',
    text: yamlFleet('    users: 5\n  - id: fine-co\n    name: Fine Again\n    users: 3'),
    expected: { line: 8, field: 'id', message: /duplicate tenant id "fine-co" \(first used at line 2\)/ },
  },
  {
    name: 'CSV: malformed integrations cell',
    text: `${csvHeader}\nfine-co,Fine Co,10,,,,\nbroken-co,Broken Co,5,crm:salesforce;okta,,,`,
    expected: { line: 3, column: 'integrations', message: /line 3, column integrations \("crm:salesforce;okta"\): item 2 \("okta"\) is not in the expected shape; expected kind:system\[@version\]/ },
  },
  {
    name: 'CSV: users not a number',
    text: `${csvHeader}\nbroken-co,Broken Co,lots,,,,`,
    expected: { line: 2, column: 'users', field: 'users', message: /column users \("lots"\): expected a number, got "lots"/ },
  },
  {
    name: 'CSV: bad ticket severity',
    text: `${csvHeader}\nbroken-co,Broken Co,5,,,T-9:P7:2026-11-02:Login slow,`,
    expected: { line: 2, column: 'tickets', field: 'openTickets[0].severity', message: /expected one of: P1, P2, P3, P4, got "P7"/ },
  },
  {
    // A CSV cell holds text, so the SLA it takes is a tier word or an uptime, never an object.
    name: 'CSV: unknown SLA',
    text: `${csvHeader}\nbroken-co,Broken Co,5,,diamond,,`,
    expected: { line: 2, column: 'sla', field: 'sla', message: /^line 2, column sla \("diamond"\): not a known SLA; expected standard, gold or platinum, or an uptime such as 99\.95$/ },
  },
  {
    name: 'CSV: bad time zone',
    text: `${csvHeader}\nbroken-co,Broken Co,5,,,,Europe/Atlantis`,
    expected: { line: 2, column: 'timeZone', message: /IANA time zone/ },
  },
  {
    name: 'CSV: an impossible date is refused, not rolled over into the next month',
    text: 'id,name,users,renewalDate\nbroken-co,Broken Co,5,2026-02-30',
    expected: { line: 2, column: 'renewalDate', field: 'contract.renewalDate', message: /column renewalDate \("2026-02-30"\): expected a real calendar date/ },
  },
  {
    name: 'CSV: a freeze window that ends before it starts',
    text: 'id,name,users,freezeWindows\nbroken-co,Broken Co,5,2026-12-20/2026-12-01:year-end close',
    expected: { line: 2, column: 'freezeWindows', message: /expected a freeze window that ends after it starts/ },
  },
  {
    name: 'YAML: a freeze window that ends before it starts',
    text: yamlFleet('    users: 5\n    freezeWindows:\n      - { start: "2027-01-05", end: "2026-12-20", reason: year-end close }'),
    expected: { line: 9, message: /expected a freeze window that ends after it starts/ },
  },
  {
    name: 'table: a freeze window that ends before it starts',
    text: 'Broken Co | 5 users | freeze 2027-01-05/2026-12-20 year-end close',
    expected: { line: 1, message: /expected a freeze window that ends after it starts/ },
  },
  {
    name: 'JSON: an impossible ticket date',
    text: jsonFleet('    "users": 5,\n    "openTickets": [{ "id": "T-1", "severity": "P2", "opened": "2026-11-31", "subject": "slow" }]'),
    expected: { line: 7, field: 'openTickets[0].opened', message: /expected a real calendar date/ },
  },
  {
    name: 'CSV: unknown column',
    text: 'name,users,seats\nBroken Co,5,5',
    expected: { line: 1, column: 'seats', message: /line 1, column "seats": unknown column; expected one of: id, name, users/ },
  },
  {
    name: 'CSV: a row with too many cells',
    text: 'id,name,users\nfine-co,Fine Co,10\nbroken-co,Broken Co,5,extra',
    expected: { line: 3, field: '(row)', message: /^line 3: 4 cells where the header has 3 columns: put double quotes around values that contain commas; the row's values are checked once its cells match the header$/ },
  },
  {
    name: 'table: stated integration count differs from the list',
    text: '# fleet\nFine Co | 10 users\n\nBroken Co | 5 users | 4 integrations (CRM, SSO) | Gold SLA',
    expected: { line: 4, column: 'cell 3', field: 'integrations', message: /^line 4, cell 3 \("4 integrations \(CRM, SSO\)"\): says 4 integrations but lists 2/ },
  },
  {
    name: 'table (zh): count mismatch with full-width punctuation',
    text: '乙公司 ｜ 500用户 ｜ 3个集成（CRM、Slack）｜ 金牌SLA',
    expected: { line: 1, column: 'cell 3', message: /says 3 integrations but lists 2/ },
  },
  {
    name: 'table: unknown health word',
    text: 'Broken Co | 5 users | health: meh',
    expected: { line: 1, column: 'cell 3', field: 'health', message: /health "meh" is not a known word; expected a number 0-100 or one of: excellent \(90\)/ },
  },
  {
    name: 'table: health out of range goes through the schema to the right cell',
    text: 'Broken Co | 5 users | health: 140',
    expected: { line: 1, column: 'cell 3', field: 'health', message: /cell 3 \("health: 140"\): expected a number of at most 100, got 140/ },
  },
  {
    name: 'table: cell not recognised',
    text: 'Broken Co | 5 users | loves pizza',
    expected: { line: 1, column: 'cell 3', message: /cell 3 \("loves pizza"\): not recognised; expected a cell such as "2000 users"/ },
  },
  {
    name: 'table: no users cell',
    text: 'Broken Co | Gold SLA',
    expected: { line: 1, field: 'users', message: /no users cell; expected a cell such as "2000 users"/ },
  },
  {
    name: 'table: bad time zone',
    text: 'Broken Co | 5 users | tz: Mars/Base',
    expected: { line: 1, column: 'cell 3', field: 'timeZone', message: /IANA time zone/ },
  },
  {
    name: 'table: same tenant twice',
    text: 'Acme Corp | 5 users\nOther | 3 users\nAcme Corp | 7 users',
    expected: { line: 3, field: 'id', message: /duplicate tenant id "acme-corp" \(first used at line 1\)/ },
  },
];

describe('bad tenant input gives line, field/column and what was expected', () => {
  it.each(cases)('$name', ({ text, format, expected }) => {
    const result = parseTenants(text, { asOf, ...(format ? { format } : {}) });
    expect(result.ok).toBe(false);
    expect(result.tenants).toEqual([]);
    const { message, ...rest } = expected;
    const match = result.errors.find((e) => message.test(e.message));
    if (!match) throw new Error(`no error matches ${message}; got:\n${result.errors.map((e) => e.message).join('\n')}`);
    expect(match).toMatchObject(rest);
    for (const error of result.errors) expect(error.message).toMatch(/^line \d+/);
  });

  it('a CSV header problem comes with the errors its rows have in the known columns', () => {
    const text = 'name,seats,users,sla\nFine Co,5,10,gold\nBroken Co,5,lots,diamond\nFine Co,7,3,gold';
    for (const mode of ['all-or-nothing', 'skip-invalid'] as const) {
      const result = parseTenants(text, { asOf, mode });
      expect(result).toMatchObject({ ok: false, tenants: [] });
      expect(result.errors.map((e) => [e.line, e.column, e.field])).toEqual([
        [1, 'seats', 'seats'], [3, 'sla', 'sla'], [3, 'users', 'users'], [4, 'id', 'id'],
      ]);
    }
    // A missing required column is said once, in the header, not again on every row it leaves short.
    const missing = parseTenants('id,name,sla\na,A,gold\nb,B,diamond', { asOf, format: 'csv' });
    expect(missing.errors.map((e) => e.message)).toEqual([
      'line 1 (header): required column "users" is missing',
      'line 3, column sla ("diamond"): not a known SLA; expected standard, gold or platinum, or an uptime such as 99.95',
    ]);
    const nameless = parseTenants('users,sla\n5,gold', { asOf, format: 'csv' });
    expect(nameless.errors.map((e) => e.message)).toEqual(['line 1 (header): required column "name" is missing']);
  });

  it('a row with a cell its reader refused still has its other fields checked', () => {
    const csv = parseTenants('name,users,sla\nBroken Co,lots,diamond', { asOf, format: 'csv' });
    expect(csv.errors.map((e) => [e.line, e.field])).toEqual([[2, 'sla'], [2, 'users']]);
    const table = parseTenants('Broken Co | loves pizza | health: 140', { asOf, format: 'table' });
    expect(table.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^line 1, cell 2 \("loves pizza"\): not recognised; /),
      'line 1: no users cell; expected a cell such as "2000 users" / "2000用户"',
      'line 1, cell 3 ("health: 140"): expected a number of at most 100, got 140',
    ]);
  });

  it('an empty file is an error, not an empty fleet', () => {
    const result = parseTenants('# nothing yet\n', { asOf, format: 'table' });
    expect(result).toMatchObject({ ok: false, errors: [{ line: 1, message: expect.stringMatching(/no tenants found/) }] });
  });

  it('a bad asOf is reported, not thrown', () => {
    expect(parseTenants('A | 1 users', { asOf: 'soon' }).errors[0]).toMatchObject({ field: 'asOf', message: expect.stringMatching(/not a date/) });
  });
});

describe('bad feature input', () => {
  const feature = `key: smart-routing
name: Smart routing
changes:
  - area: ui
    description: inbox
  - area: database
    description: new table
risk:
  level: medium
rollback:
  complexity: moderate
  how: flag off
supportContact:
  name: Team
`;

  it('names the line and path of each problem', () => {
    const result = parseFeature(feature, { filename: 'f.yaml' });
    if (result.ok) throw new Error('expected errors');
    expect(result.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ line: 6, field: 'changes[1].area', message: expect.stringMatching(/expected one of: ui, data-model, integration, permissions, api, config, got "database"/) }),
      expect.objectContaining({ line: 9, field: 'risk.why', message: expect.stringMatching(/required field is missing/) }),
    ]));
  });

  it('an earliestStart after the deadline is a problem on the deadline\'s line, not a crash of the planner', () => {
    const text = 'key: k\nname: K\nchanges: [{ area: ui, description: d }]\nrisk: { level: low, why: x }\nrollback: { complexity: simple, how: flag }\nsupportContact: { name: S }\nearliestStart: "2027-01-10"\ndeadline: "2027-01-05"\n';
    expect(parseFeature(text, { filename: 'f.yaml' })).toEqual({ ok: false, errors: [expect.objectContaining({
      line: 8, field: 'deadline', message: 'line 8, field deadline: expected a deadline after earliestStart (earliestStart/deadline swapped?), got "2027-01-05"',
    })] });
  });

  it('reports malformed JSON features with the line', () => {
    const result = parseFeature('{\n  "key": "x",\n  "name": "X"\n  "changes": []\n}', { filename: 'f.json' });
    expect(result).toMatchObject({ ok: false, errors: [{ line: 4, field: '(file)' }] });
  });
});
