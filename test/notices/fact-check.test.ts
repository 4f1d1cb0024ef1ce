import { noticeFacts } from '../../shared/notices/facts';
import { renderNotice } from '../../shared/notices/render';
import { checkNoticeAgainstFacts } from '../../shared/notices/fact-check';
import { acme, approvalsV2, fleetSystems, lotus, wave2 } from './fixtures';

const facts = noticeFacts(acme, approvalsV2, wave2, { rolloutId: 'rel-2026-12' });
const good = renderNotice(facts);
type Edit = (s: string) => string;
const edit = (f: Edit) => ({ subject: f(good.subject), markdown: f(good.markdown), text: f(good.text) });
const problems = (c: typeof good, f = facts) => {
  const r = checkNoticeAgainstFacts(c, f, [...fleetSystems, 'teams']);
  return r.ok ? [] : r.problems;
};

describe('checkNoticeAgainstFacts', () => {
  it.each<[string, Edit, string[]]>([
    ['tenant name missing', (s) => s.replaceAll('Acme Logistics', 'your company'), [
      'markdown does not name the tenant "Acme Logistics"', 'text does not name the tenant "Acme Logistics"']],
    ['window moved', (s) => s.replaceAll('09:00–11:00', '10:00–12:00'), [
      'markdown does not state the window "Tue 8 Dec 2026, 09:00–11:00 (America/New_York)"', 'text does not state the window "Tue 8 Dec 2026, 09:00–11:00 (America/New_York)"']],
    ['contacts dropped', (s) => s.replace(/Rollout Desk|Priya Raman|Dana Whitfield|[a-z.]+@[a-z.]+/g, 'our team'), [
      'markdown names none of the contacts (Rollout Desk, Priya Raman, Dana Whitfield)', 'text names none of the contacts (Rollout Desk, Priya Raman, Dana Whitfield)']],
    ['invented Slack integration', (s) => `${s}\nYour Slack workspace will also receive approval messages.`, [
      'mentions Slack, an integration Acme Logistics does not have']],
    ['product spelling of a stored name', (s) => `${s}\nMicrosoft Teams users are covered too.`, [
      'mentions Microsoft Teams, an integration Acme Logistics does not have', 'mentions Microsoft Teams, an integration Acme Logistics does not have']],
    ['a step for another configuration', (s) => `${s}\n- Reinstall the Slack app from the admin console to accept the chat:write scope`, [
      'mentions Slack, an integration Acme Logistics does not have',
      'includes the preparation step "Reinstall the Slack app from the admin console to accept the chat:write scope", which does not apply to Acme Logistics']],
    ['an invented address', (s) => `${s}\nWrite to help@approvals.example.`, [
      'names the e-mail address help@approvals.example, which is not one of the notice\'s contacts']],
  ])('catches: %s', (_name, f, expected) => {
    expect(problems(edit(f))).toEqual(expected);
  });

  it('accepts rewording that keeps the facts (markup, dashes and case do not matter)', () => {
    const reworded = edit((s) => s.replace('We will enable', 'We are pleased to enable').replace('09:00–11:00', '09:00-11:00').replace('Acme Logistics', 'ACME LOGISTICS'));
    expect(problems(reworded)).toEqual([]);
  });

  it('does not read "sap" into "sapphire", nor the tenant\'s own systems as foreign', () => {
    expect(problems(edit((s) => `${s}\nThe sapphire theme stays. Okta sign-in is unchanged.`))).toEqual([]);
  });

  it('a Chinese notice naming a foreign system between Chinese characters is caught', () => {
    const lf = noticeFacts(lotus, approvalsV2, wave2, { rolloutId: 'r' });
    const n = renderNotice(lf);
    const bad = { ...n, text: `${n.text}\n贵方的Salesforce数据也会同步。` };
    expect(problems(bad, lf)).toEqual(['mentions Salesforce, an integration 莲花制造 does not have']);
  });

  it('a system named by the facts themselves may be named', () => {
    const f = noticeFacts(acme, { ...approvalsV2, summary: 'Slack and Teams users get the same inbox.' }, wave2, { rolloutId: 'r' });
    expect(problems(renderNotice(f), f)).toEqual([]);
  });
});
