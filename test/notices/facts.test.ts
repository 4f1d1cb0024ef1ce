import { noticeFacts } from '../../shared/notices/facts';
import { formatDuration, formatLocalWindow } from '../../shared/notices/window';
import { acme, approvalsV2, borealis, lotus, wave2 } from './fixtures';

const facts = (t: typeof acme, wave = wave2) => noticeFacts(t, approvalsV2, wave, { rolloutId: 'rel-2026-12' });

describe('noticeFacts: only what reaches this tenant', () => {
  it.each([
    ['Acme (Salesforce, Okta, approval_flow)', acme, ['salesforce'], ['approval_flow'], 3],
    ['Lotus (Teams, SAP)', lotus, ['microsoft-teams'], [], 2],
    ['Borealis (Slack, HubSpot)', borealis, ['hubspot', 'slack'], [], 3],
  ])('%s hears about the changes that touch its integrations and settings', (_name, tenant, systems, settings, count) => {
    const f = facts(tenant);
    expect(f.changes).toHaveLength(count);
    expect(f.changes.flatMap((c) => c.integrations.map((i) => i.system)).sort()).toEqual(systems);
    expect(f.changes.flatMap((c) => c.settings.map((s) => s.key))).toEqual(settings);
    // The untouched UI change reaches everyone.
    expect(f.changes.find((c) => c.area === 'ui')?.everyone).toBe(true);
  });

  it('a tenant without Slack never hears about Slack', () => {
    const f = facts(acme);
    expect(JSON.stringify({ ...f, notApplicableSteps: [] })).not.toMatch(/slack/i);
    expect(f.notApplicableSteps).toContain('Reinstall the Slack app from the admin console to accept the chat:write scope');
  });

  it.each([
    [acme, ["Grant the integration user 'Edit' on Opportunity.StageName in Salesforce", 'Review custom approval flow scripts for hard-coded step numbers', 'Tell your approvers about the new inbox']],
    [lotus, ['Tell your approvers about the new inbox']],
    [borealis, ['Reinstall the Slack app from the admin console to accept the chat:write scope', 'Tell your approvers about the new inbox']],
  ])('preparation steps for %#: those whose appliesTo matches, plus the ones for everyone', (tenant, steps) => {
    expect(facts(tenant).preparationSteps).toEqual(steps);
  });

  it.each([
    [acme, 'Tue 8 Dec 2026, 09:00–11:00 (America/New_York)'],
    [borealis, 'Tue 8 Dec 2026, 15:00–17:00 (Europe/Berlin)'],
    [lotus, '2026年12月8日周二 22:00 – 2026年12月9日周三 00:00（Asia/Shanghai）'],
  ])('the window is on the tenant\'s own clock (%#)', (tenant, local) => {
    expect(facts(tenant).window).toEqual({ start: wave2.start, end: wave2.end, timeZone: tenant.timeZone, local });
  });

  it('contacts: the feature\'s support desk, the account CSM, the tenant\'s admin; escalation leads with support', () => {
    const f = facts(acme);
    expect(f.contacts.map((c) => `${c.role}:${c.name}`)).toEqual(['support:Rollout Desk', 'csm:Priya Raman', 'admin:Dana Whitfield']);
    expect(f.escalation.map((c) => c.name)).toEqual(['Rollout Desk', 'Priya Raman']);
    expect(f.recipient?.email).toBe('dana.whitfield@acme.example');
    expect(facts(borealis).recipient?.name).toBe('Jonas Keller');
  });

  it('rollback: a flag flip when reversible, a manual procedure otherwise', () => {
    expect(facts(acme).rollback).toMatchObject({ byFlag: true, complexity: 'simple' });
    const migration = { ...approvalsV2, rollback: { complexity: 'complex' as const, how: 'Restore the approvals table from the pre-window snapshot', reversible: false } };
    expect(noticeFacts(acme, migration, wave2, { rolloutId: 'r' }).rollback).toEqual({ byFlag: false, complexity: 'complex', how: 'Restore the approvals table from the pre-window snapshot' });
  });

  it('monitoring is stated only when the wave says how long', () => {
    expect(facts(acme).monitoring).toEqual({ seconds: 7200, label: '2 hours' });
    expect(facts(lotus).monitoring?.label).toBe('2 小时');
    expect(facts(acme, { id: 'w2', start: wave2.start, end: wave2.end } as typeof wave2).monitoring).toBeUndefined();
  });
});

describe('formatLocalWindow and formatDuration', () => {
  it.each([
    ['2026-07-01T13:00:00Z', '2026-07-01T15:30:00Z', 'America/New_York', 'en', 'Wed 1 Jul 2026, 09:00–11:30 (America/New_York)'],
    ['2026-07-01T13:00:00Z', '2026-07-01T15:30:00Z', 'Asia/Shanghai', 'zh-CN', '2026年7月1日周三 21:00–23:30（Asia/Shanghai）'],
    ['2026-03-08T06:00:00Z', '2026-03-08T08:00:00Z', 'America/New_York', 'en', 'Sun 8 Mar 2026, 01:00–04:00 (America/New_York)'],
  ])('%s–%s in %s (%s)', (start, end, zone, locale, expected) => {
    expect(formatLocalWindow(start, end, zone, locale as 'en' | 'zh-CN')).toBe(expected);
  });

  it('says which instant is not a date', () => {
    expect(() => formatLocalWindow('next tuesday', '2026-07-01T15:30:00Z', 'UTC', 'en')).toThrow('window start: expected an ISO-8601 date-time, got "next tuesday"');
  });

  it.each([[7200, 'en', '2 hours'], [90, 'en', '90 seconds'], [5400, 'en', '90 minutes'], [86400, 'en', '1 day'], [1800, 'zh-CN', '30 分钟']])('%i s → %s %s', (s, locale, label) => {
    expect(formatDuration(s, locale as 'en' | 'zh-CN')).toBe(label);
  });
});
