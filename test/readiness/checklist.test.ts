import { checkReadiness } from '../../shared/readiness/checklist';
import { Readiness } from '../../shared/model/plan';
import type { Tenant } from '../../shared/model/tenant';
import { acme, approvalRouting, asOf, euretail, feature, globex, mercy, smallco, tenant } from '../risk/fixtures';

const wave = { id: 'w2', start: '2026-03-10T14:00:00Z', end: '2026-03-11T14:00:00Z' };
const lead = 72 * 3600;
const sentEarly = '2026-03-05T09:00:00Z';
const check = (t: Tenant, opts: { noticeSentAt?: string; f?: typeof approvalRouting; w?: typeof wave; now?: string } = {}) =>
  checkReadiness(t, opts.f ?? approvalRouting, opts.w ?? wave, { asOf: opts.now ?? asOf, noticeSentAt: opts.noticeSentAt, noticeLeadSeconds: lead });
const status = (r: Readiness) => Object.fromEntries(r.items.map((i) => [i.check, i.status]));
const evidence = (r: Readiness, c: string) => r.items.find((i) => i.check === c)?.evidence;

describe('checkReadiness', () => {
  test('a ready tenant with the notice sent in time is go', () => {
    const r = check(acme, { noticeSentAt: sentEarly });
    expect(Readiness.parse(r)).toEqual(r);
    expect(r.verdict).toBe('go');
    expect(r.summary).toBe('Acme Corp in w2: go (all 6 checks pass)');
    expect(evidence(r, 'integration-compatibility')).toBe('salesforce 52.0 ≥ 50.0; slack: no minimum version');
    expect(evidence(r, 'contact-present')).toBe('Wei Chen (technical)');
    expect(evidence(r, 'instability-tickets')).toBe('no open P1/P2 tickets (1 P3/P4 open)');
  });

  test('every failing item gives its evidence and the verdict is no-go', () => {
    const r = check(globex, { noticeSentAt: '2026-03-09T09:00:00Z' });
    expect(r.verdict).toBe('no-go');
    expect(status(r)).toEqual({
      'integration-compatibility': 'fail', 'instability-tickets': 'fail', 'freeze-collision': 'fail',
      'health-floor': 'fail', 'notice-lead-time': 'fail', 'contact-present': 'review',
    });
    expect(evidence(r, 'integration-compatibility')).toBe('salesforce 48.0 < 50.0 required');
    expect(evidence(r, 'instability-tickets')).toBe('P1 T-88 "Sync outage" open since 2026-02-27; P2 T-90 "Slow reports" open since 2026-02-28');
    expect(evidence(r, 'freeze-collision')).toBe('wave window 2026-03-10T14:00:00Z – 2026-03-11T14:00:00Z overlaps quarter-end close (2026-02-20 – 2026-03-20T23:59:59Z)');
    expect(evidence(r, 'health-floor')).toBe('health 35/100 is below the floor of 40');
    expect(evidence(r, 'notice-lead-time')).toBe('notice sent 2026-03-09T09:00:00Z, only 29 h ahead; needs 3 d before the wave starts at 2026-03-10T14:00:00Z');
    expect(evidence(r, 'contact-present')).toBe('no admin or technical contact; only Hank Scorpio (business)');
    expect(r.summary).toBe('Globex in w2: no-go (integration-compatibility fail, instability-tickets fail, freeze-collision fail, health-floor fail, notice-lead-time fail, contact-present review)');
  });

  test.each([
    ['a P2 ticket asks for review', tenant({ id: 'p2', contacts: [{ role: 'admin', name: 'A' }], openTickets: [{ id: 'T-7', severity: 'P2', opened: '2026-03-01', subject: 'Timeouts' }] }), 'instability-tickets', 'review', 'needs-review'],
    ['an unknown connector version asks for review', tenant({ id: 'uv', contacts: [{ role: 'admin', name: 'A' }], integrations: [{ kind: 'crm', system: 'salesforce' }] }), 'integration-compatibility', 'review', 'needs-review'],
    ['no contact at all fails', tenant({ id: 'nc' }), 'contact-present', 'fail', 'no-go'],
    ['untouched integrations pass', euretail, 'integration-compatibility', 'pass', 'go'],
  ] as const)('%s', (_name, t, item, itemStatus, verdict) => {
    const r = check(t, { noticeSentAt: sentEarly });
    expect(status(r)[item]).toBe(itemStatus);
    expect(r.verdict).toBe(verdict);
  });

  test('an integration named only by its kind ("CRM" in a table row) cannot pass the feature\'s version minimums', () => {
    const t = tenant({ id: 'kind-only', contacts: [{ role: 'admin', name: 'A' }], integrations: [{ kind: 'crm', system: 'crm' }, { kind: 'webhooks', system: 'webhooks' }] });
    const r = check(t, { noticeSentAt: sentEarly });
    expect(status(r)['integration-compatibility']).toBe('review');
    const minimums = Object.entries(approvalRouting.compatibility).map(([s, v]) => `${s} ≥ ${v}`).join(', ');
    expect(evidence(r, 'integration-compatibility')).toBe(`crm: product not named, so the feature's minimum versions (${minimums}) cannot be checked`);
  });

  test('unknown connector version names what is needed', () => {
    const t = tenant({ id: 'uv', integrations: [{ kind: 'crm', system: 'salesforce' }] });
    expect(evidence(check(t), 'integration-compatibility')).toBe('salesforce: version unknown, needs ≥ 50.0');
  });

  test.each([
    ['freeze ends as the wave starts', '2026-03-01T00:00:00Z', '2026-03-10T14:00:00Z', 'pass'],
    ['freeze starts as the wave ends', '2026-03-11T14:00:00Z', '2026-03-20T00:00:00Z', 'pass'],
    ['freeze overlaps the wave by an hour', '2026-03-11T13:00:00Z', '2026-03-20T00:00:00Z', 'fail'],
    ['freeze inside the wave', '2026-03-10T18:00:00Z', '2026-03-10T20:00:00Z', 'fail'],
  ])('%s → %s', (_name, start, end, expected) => {
    const t = tenant({ id: 'fz', freezeWindows: [{ start, end, reason: 'peak season' }] });
    expect(status(check(t, { noticeSentAt: sentEarly }))['freeze-collision']).toBe(expected);
  });

  test.each([
    // sent at, now, status
    ['2026-03-07T14:00:00Z', asOf, 'pass'], // exactly 72 h
    ['2026-03-07T14:00:01Z', asOf, 'fail'], // a second short
    [undefined, asOf, 'review'], // still time to send
    [undefined, '2026-03-08T09:00:00Z', 'fail'], // too late to give 72 h
  ])('notice sent %s, now %s → %s', (noticeSentAt, now, expected) => {
    expect(status(check(smallco, { noticeSentAt, now }))['notice-lead-time']).toBe(expected);
  });

  test('notice evidence says when to send', () => {
    expect(evidence(check(smallco), 'notice-lead-time')).toBe('notice not sent yet; send by 2026-03-07T14:00:00.000Z for 3 d before the wave starts at 2026-03-10T14:00:00Z');
    expect(check(smallco).verdict).toBe('needs-review');
  });

  test('the health floor comes from the plan', () => {
    const r = (floor: number) => checkReadiness(mercy, approvalRouting, wave, { asOf, noticeSentAt: sentEarly, noticeLeadSeconds: lead, healthFloor: floor });
    expect(status(r(60))['health-floor']).toBe('pass');
    expect(status(r(70))['health-floor']).toBe('fail');
  });

  test('a compatibility minimum applies even to an integration the feature does not touch', () => {
    const f = feature({ compatibility: { salesforce: '50.0', sap: '8.0' } });
    expect(evidence(check(euretail, { f }), 'integration-compatibility')).toBe('sap 7.5 < 8.0 required');
  });
});
