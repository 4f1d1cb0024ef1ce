import { noticeFacts } from '../../shared/notices/facts';
import { renderNotice } from '../../shared/notices/render';
import { checkNoticeAgainstFacts } from '../../shared/notices/fact-check';
import { acme, approvalsV2, borealis, fleetSystems, lotus, wave2 } from './fixtures';

const render = (t: typeof acme, feature = approvalsV2) => {
  const facts = noticeFacts(t, feature, wave2, { rolloutId: 'rel-2026-12' });
  return { facts, notice: renderNotice(facts) };
};

describe('renderNotice (en)', () => {
  const { notice } = render(acme);

  it('subject names tenant, feature and local window', () => {
    expect(notice.subject).toBe('Scheduled change for Acme Logistics: Approvals v2, Tue 8 Dec 2026, 09:00–11:00 (America/New_York)');
  });

  it('markdown has the sections, the tenant\'s changes, steps and contacts', () => {
    const md = notice.markdown;
    expect(md.startsWith('Dear Dana Whitfield,\n\nWe will enable **Approvals v2**')).toBe(true);
    for (const h of ['Your window', 'What changes for you', 'Before the window', 'If something goes wrong', 'Contacts and escalation']) expect(md).toContain(`\n## ${h}\n`);
    expect(md).toContain('- **When:** Tue 8 Dec 2026, 09:00–11:00 (America/New_York)');
    expect(md).toContain('your Salesforce integration (CRM)');
    expect(md).toContain('your `approval_flow` setting');
    expect(md).toContain('A new approvals inbox appears in the web app — applies to all customers');
    expect(md).toContain("1. Grant the integration user 'Edit' on Opportunity.StageName in Salesforce\n2. Review custom approval flow scripts");
    expect(md).toContain('with a feature flag. That takes effect within minutes');
    expect(md).toContain('1. Rollout Desk (support, rollouts@vendor.example, #rollout-help)\n2. Priya Raman (customer success manager, priya.raman@vendor.example)');
    expect(md).toContain('Dana Whitfield (administrator, dana.whitfield@acme.example)');
  });

  it('plain text says the same without markup', () => {
    expect(notice.text).not.toMatch(/\*\*|`|^## /m);
    expect(notice.text).toContain('When: Tue 8 Dec 2026, 09:00–11:00 (America/New_York)');
    expect(notice.text).toContain('your approval_flow setting');
    expect(notice.text).toContain('\nContacts and escalation\n');
  });

  it('never names an integration Acme lacks', () => {
    expect(`${notice.subject}${notice.markdown}`).not.toMatch(/slack|hubspot|teams|sap\b/i);
  });

  it('an irreversible change says rollback is manual and how', () => {
    const { notice: manual } = render(acme, { ...approvalsV2, rollback: { complexity: 'complex', how: 'Restore the approvals table from the pre-window snapshot', reversible: false } });
    expect(manual.markdown).toContain('cannot be undone by switching the feature off; a rollback is a manual procedure');
    expect(manual.markdown).toContain('Rollback procedure: Restore the approvals table from the pre-window snapshot');
    expect(manual.markdown).not.toContain('within minutes');
  });

  it('a tenant with nothing touched and no steps is told so', () => {
    const bare = { ...borealis, integrations: [], contacts: [] };
    const { notice: n } = render(bare, { ...approvalsV2, changes: approvalsV2.changes.slice(0, 3), preparationSteps: approvalsV2.preparationSteps.slice(0, 3) });
    expect(n.markdown).toContain('Dear Borealis Health team,');
    expect(n.markdown).toContain('None of the changes touch your integrations or settings');
    expect(n.markdown).toContain('Nothing to prepare');
    expect(n.markdown).not.toContain('Contacts on file');
  });
});

describe('renderNotice (zh-CN)', () => {
  const { notice } = render(lotus);

  it('is in Chinese with Shanghai times', () => {
    expect(notice.subject).toBe('【计划变更通知】莲花制造：Approvals v2，2026年12月8日周二 22:00 – 2026年12月9日周三 00:00（Asia/Shanghai）');
    expect(notice.markdown.startsWith('王芳，您好：')).toBe(true);
    for (const h of ['变更窗口', '对贵方的影响', '窗口开始前的准备', '如出现问题', '联系人与升级路径']) expect(notice.markdown).toContain(`\n## ${h}\n`);
    expect(notice.markdown).toContain('- **时间：**2026年12月8日周二 22:00 – 2026年12月9日周三 00:00（Asia/Shanghai）');
    expect(notice.markdown).toContain('贵方的 Microsoft Teams 集成（即时通讯）');
    expect(notice.markdown).toContain('对莲花制造的错误率持续监控 2 小时');
    expect(notice.markdown).toContain('我们可以通过功能开关为莲花制造关闭 Approvals v2，几分钟内即可生效');
    expect(notice.text).toContain('王芳（管理员, wang.fang@lotus.example, +86 21 5555 0100）');
    expect(notice.markdown).not.toMatch(/Dear|Your window|Kind regards/);
  });

  it('names Chinese systems as a Chinese reader knows them, and the fact check knows both names', () => {
    const yunfan = { ...lotus, name: '云帆科技', integrations: [{ kind: 'chat' as const, system: 'dingtalk' }, { kind: 'erp' as const, system: 'kingdee', version: '9.1' }] };
    const { facts, notice: n } = render(yunfan, { ...approvalsV2, changes: [...approvalsV2.changes, { area: 'integration', description: 'Posts approvals to the chat app', touches: { integrationKinds: ['chat'], systems: [], settings: [] } }] });
    expect(n.markdown).toContain('贵方的钉钉集成（即时通讯）');
    expect(n.markdown).not.toContain('dingtalk');
    expect(checkNoticeAgainstFacts(n, facts, [...fleetSystems, 'dingtalk', 'wecom', 'feishu'])).toEqual({ ok: true });
    const foreign = { ...n, text: `${n.text}\n贵方的企业微信也会收到审批消息。` };
    expect(checkNoticeAgainstFacts(foreign, facts, [...fleetSystems, 'dingtalk', 'wecom'])).toEqual({ ok: false, problems: ['mentions WeCom, an integration 云帆科技 does not have'] });
  });

  it('an integration known only by its kind is named once, not as "your crm integration (CRM)"', () => {
    const crmOnly = { ...acme, integrations: [{ kind: 'crm' as const, system: 'crm' }, { kind: 'webhooks' as const, system: 'webhooks' }] };
    const feature = { ...approvalsV2, changes: [{ area: 'integration' as const, description: 'Reads the CRM', touches: { integrationKinds: ['crm' as const, 'webhooks' as const], systems: [], settings: [] } }] };
    const { facts, notice: n } = render(crmOnly, feature);
    expect(n.markdown).toContain('Reads the CRM — your CRM integration and your webhooks integration');
    expect(checkNoticeAgainstFacts(n, facts, fleetSystems)).toEqual({ ok: true });
    const { notice: zh } = render({ ...lotus, integrations: crmOnly.integrations }, feature);
    expect(zh.markdown).toContain('贵方的 CRM 集成以及贵方的 Webhook 集成');
  });

  it('an English notice names them by their product names', () => {
    const { notice: n } = render({ ...acme, integrations: [{ kind: 'chat', system: 'feishu' }] }, { ...approvalsV2, changes: [{ area: 'integration', description: 'Posts approvals to the chat app', touches: { integrationKinds: ['chat'], systems: [], settings: [] } }] });
    expect(n.markdown).toContain('your Feishu integration (chat)');
  });

  it('mentions only Lotus\'s systems', () => {
    expect(notice.markdown).not.toMatch(/salesforce|slack|hubspot/i);
  });
});

describe('templates pass their own fact check', () => {
  it.each([[acme], [lotus], [borealis]])('%#', (tenant) => {
    const { facts, notice } = render(tenant);
    expect(checkNoticeAgainstFacts(notice, facts, fleetSystems)).toEqual({ ok: true });
  });

  it('is deterministic', () => {
    expect(render(acme).notice).toEqual(render(acme).notice);
  });
});
