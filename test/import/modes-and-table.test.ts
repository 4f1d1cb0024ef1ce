import { detectFormat } from '../../shared/import/detect-format';
import { parseTenants } from '../../shared/import/tenants';
import type { Tenant } from '../../shared/model/tenant';

const asOf = '2026-12-04';

describe('all-or-nothing vs skip-invalid', () => {
  const csv = [
    'id,name,users,sla,health',
    'good-one,Good One,100,gold,80',
    'bad-sla,Bad Sla,50,diamond,80',
    'good-two,Good Two,20,standard,75',
    'good-one,Good One Again,30,standard,70',
  ].join('\n');

  it('all-or-nothing rejects the whole file and lists every error', () => {
    const result = parseTenants(csv, { filename: 'fleet.csv', asOf });
    expect(result).toMatchObject({ ok: false, tenants: [], skipped: [], format: 'csv' });
    expect(result.errors.map((e) => [e.line, e.column ?? e.field])).toEqual([[3, 'sla'], [5, 'id']]);
  });

  it('skip-invalid keeps the good rows and reports each skipped row with its reason', () => {
    const result = parseTenants(csv, { filename: 'fleet.csv', asOf, mode: 'skip-invalid' });
    expect(result.ok).toBe(true);
    expect(result.tenants.map((t) => t.id)).toEqual(['good-one', 'good-two']);
    expect(result.skipped).toEqual([
      { line: 3, id: 'bad-sla', reason: expect.stringMatching(/line 3, column sla \("diamond"\): not a known SLA; expected standard, gold or platinum, or an uptime such as 99\.95/) },
      { line: 5, id: 'good-one', reason: expect.stringMatching(/duplicate tenant id "good-one" \(first used at line 2\)/) },
    ]);
    expect(result.errors).toHaveLength(2);
  });

  it('skip-invalid still refuses a file it cannot read', () => {
    const result = parseTenants('[{"id": "a",', { asOf, mode: 'skip-invalid' });
    expect(result).toMatchObject({ ok: false, tenants: [], format: 'json' });
  });
});

describe('pipe table', () => {
  const parseOne = (line: string): Tenant => {
    const result = parseTenants(line, { format: 'table', asOf });
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
    return result.tenants[0];
  };
  const sameApartFromNameAndPlace = ({ id: _i, name: _n, locale: _l, region: _r, timeZone: _t, ...rest }: Tenant) => rest;

  it.each([
    ['the issue example', 'Acme Corp | 2000 users | 4 integrations (CRM, SSO, Slack, Webhooks) | Platinum SLA | renewal in 60 days | health: good', '甲公司 | 2000用户 | 4个集成（CRM、SSO、Slack、Webhooks）| 白金SLA | 60天内续约 | 健康：良好'],
    ['strategic, regulated, tickets', 'Initech | 4500 users | anchor | finance (SOX) | 2 P2 tickets | Gold SLA | health: fair | 2 integrations (SAP 7.5, Okta)', '丙集团 | 4500用户 | 锚定客户 | 金融（SOX）| 2个P2工单 | 金牌SLA | 健康：一般 | 2个集成（SAP 7.5、Okta）'],
    ['beta, internal, uptime SLA, renewal date', 'Lab | 30 users | beta | internal | 99.95% SLA | renewal 2027-03-01 | health: 72 | no integrations', '实验室 | 30用户 | 内测 | 内部 | 99.95%可用性 | 续约：2027-03-01 | 健康：72 | 无集成'],
  ])('English and Chinese rows of the same tenant give equivalent records: %s', (_what, en, zh) => {
    const english = parseOne(en);
    const chinese = parseOne(zh);
    expect(sameApartFromNameAndPlace(chinese)).toEqual(sameApartFromNameAndPlace(english));
    expect([english.locale, english.region, english.timeZone]).toEqual(['en', 'us', 'America/New_York']);
    expect([chinese.locale, chinese.region, chinese.timeZone]).toEqual(['zh-CN', 'cn', 'Asia/Shanghai']);
  });

  it('maps words to records as documented', () => {
    const acme = parseOne('Acme Corp | 2000 users | 4 integrations (CRM, SSO, Slack, Webhooks) | Platinum SLA | renewal in 60 days | health: good');
    expect(acme).toMatchObject({
      id: 'acme-corp', users: 2000, sla: 'platinum', health: 80, contract: { renewalDate: '2027-02-02' },
      integrations: [{ kind: 'crm', system: 'crm' }, { kind: 'sso', system: 'sso' }, { kind: 'chat', system: 'slack' }, { kind: 'webhooks', system: 'webhooks' }],
    });
    const mixed = parseOne('Mix | 10 users | 6 integrations (Salesforce@52.0, Teams, NetSuite, BigQuery, API, Zendesk) | 1 P1 ticket | HIPAA | region: eu');
    expect(mixed.integrations).toEqual([
      { kind: 'crm', system: 'salesforce', version: '52.0' }, { kind: 'chat', system: 'teams' }, { kind: 'erp', system: 'netsuite' },
      { kind: 'data-warehouse', system: 'bigquery' }, { kind: 'api', system: 'api' }, { kind: 'custom', system: 'zendesk' },
    ]);
    expect(mixed).toMatchObject({ region: 'eu', timeZone: 'Europe/Berlin', regulated: { industry: 'healthcare', regimes: ['HIPAA'] }, openTickets: [{ id: 'P1-1', severity: 'P1', opened: '2026-12-04' }] });
  });

  it('derives a stable ASCII id for Chinese names and keeps explicit ids', () => {
    const a = parseOne('甲公司 | 10用户');
    expect(a.id).toMatch(/^t-[0-9a-f]{8}$/);
    expect(parseOne('甲公司 | 99用户').id).toBe(a.id);
    expect(parseOne('乙公司 | 10用户').id).not.toBe(a.id);
    expect(parseOne('甲公司 | 10用户 | id: jia-corp').id).toBe('jia-corp');
  });

  it('tolerates comments, blank lines and a markdown header', () => {
    const text = '# our fleet\n\n| Name | Users | SLA |\n|---|---|---|\n| Acme Corp | 2000 users | Gold SLA |\n| 甲公司 | 2000用户 | 金牌SLA |\n';
    const result = parseTenants(text, { filename: 'fleet.md', asOf });
    expect(result.errors).toEqual([]);
    expect(result.tenants.map((t) => [t.name, t.sla])).toEqual([['Acme Corp', 'gold'], ['甲公司', 'gold']]);
  });

  it('says when a cell repeats a field', () => {
    const result = parseTenants('Acme | 10 users | Gold SLA | Platinum SLA', { format: 'table', asOf });
    expect(result.errors).toEqual([expect.objectContaining({ line: 1, column: 'cell 4', message: expect.stringMatching(/repeats sla already given in cell 3 \("Gold SLA"\)/) })]);
  });
});

describe('format detection', () => {
  it.each([
    ['fleet.CSV', 'anything', 'csv'],
    ['fleet.yml', 'anything', 'yaml'],
    ['fleet.txt', 'anything', 'table'],
    [undefined, '  [ {"id": "a"} ]', 'json'],
    [undefined, '# comment\n{"tenants": []}', 'json'],
    [undefined, '# PM table\nAcme | 10 users', 'table'],
    [undefined, '甲公司 ｜ 10用户', 'table'],
    [undefined, 'id,name,users\na,A,1', 'csv'],
    [undefined, 'tenants:\n  - id: a', 'yaml'],
  ] as const)('%s / %j → %s', (filename, text, format) => {
    expect(detectFormat(text, filename)).toBe(format);
  });
});

describe('a date-only freeze end means through that day, in every format', () => {
  const files: [string, string][] = [
    ['fleet.csv', 'id,name,users,freezeWindows\nfrost-co,Frost Co,50,2026-12-10/2026-12-20:audit'],
    ['fleet.txt', 'Frost Co | 50 users | id: frost-co | freeze 2026-12-10/2026-12-20 audit'],
    ['fleet.yaml', '- id: frost-co\n  name: Frost Co\n  users: 50\n  freezeWindows: [{ start: "2026-12-10", end: "2026-12-20", reason: audit }]\n'],
    ['fleet.json', JSON.stringify([{ id: 'frost-co', name: 'Frost Co', users: 50, freezeWindows: [{ start: '2026-12-10', end: '2026-12-20', reason: 'audit' }] }])],
  ];

  it.each(files)('%s: the freeze covers 20 December', (filename, text) => {
    const result = parseTenants(text, { filename, asOf });
    expect(result.errors).toEqual([]);
    const [freeze] = result.tenants[0].freezeWindows;
    // YAML and JSON read "2026-12-20" as its first second, so a wave could start on the last frozen day.
    expect(Date.parse(freeze.end)).toBe(Date.parse('2026-12-20T23:59:59Z'));
    expect(Date.parse(freeze.start)).toBe(Date.parse('2026-12-10T00:00:00Z'));
  });

  it('a freeze of one day (start = end) covers that day', () => {
    const result = parseTenants('[{"id":"one-day","name":"One Day","users":5,"freezeWindows":[{"start":"2026-12-24","end":"2026-12-24","reason":"holiday"}]}]', { filename: 'f.json', asOf });
    expect(result.tenants[0].freezeWindows[0].end).toBe('2026-12-24T23:59:59Z');
  });
});

describe('a Chinese row keeps what the PM typed', () => {
  it('the name keeps its full-width punctuation; the id stays the one the normalised name gave', () => {
    const result = parseTenants('华东建设（上海）有限公司 ｜ 500用户 ｜ 健康：良好', { filename: 'fleet.txt', asOf });
    expect(result.errors).toEqual([]);
    // Stored as "华东建设(上海)有限公司" before, which is not the customer's name in a notice.
    expect(result.tenants[0].name).toBe('华东建设（上海）有限公司');
    expect(result.tenants[0].id).toBe(parseTenants('华东建设(上海)有限公司 | 500用户 | 健康:良好', { filename: 'fleet.txt', asOf }).tenants[0].id);
  });

  it('an error quotes the cell as it is in the file, so a search finds it', () => {
    const result = parseTenants('乙公司 | 300用户 | 健康：棒', { filename: 'fleet.txt', asOf });
    expect(result.errors.map((e) => [e.message.slice(0, 31), e.value])).toEqual([['line 1, cell 3 ("健康：棒"): health', '健康：棒']]);
  });
});
