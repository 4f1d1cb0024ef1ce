import type { IntegrationKind } from '../model/tenant';
import type { NoticeContact } from './facts';
import type { NoticeLocale } from './window';

/** The wording of a notice per language; facts are passed in, never looked up. */
export interface Phrases {
  subject(tenant: string, feature: string, window: string): string;
  greeting(recipient: string | undefined, tenant: string): string;
  intro: [before: string, after: string];
  headings: { window: string; changes: string; preparation: string; rollback: string; contacts: string };
  /** Labels are set bold; the gap separates a label from its value. */
  when: string;
  gap: string;
  afterEnablement(tenant: string, duration: string): string;
  touchesIntegration(system: string, kind: string): string;
  /** An integration known only by its kind ("4 integrations (CRM, SSO, ...)" in a table row). */
  touchesKind(kind: string): string;
  /** Wording around the setting key, which the renderer sets as code. */
  touchesSetting(kind: string): [before: string, after: string];
  forEveryone: string;
  noDirectChanges: string;
  parens: [open: string, close: string];
  listSeparator: string;
  and: string;
  dash: string;
  nothingToPrepare: string;
  rollbackByFlag(feature: string, tenant: string): string;
  rollbackManual: string;
  rollbackSteps(how: string): string;
  questions: string;
  escalation: string;
  onFile(tenant: string): string;
  roles: Record<NoticeContact['role'], string>;
  kinds: Record<IntegrationKind, string>;
  customizationKinds: Record<'setting' | 'script' | 'field', string>;
  closing: string;
}

const en: Phrases = {
  subject: (tenant, feature, window) => `Scheduled change for ${tenant}: ${feature}, ${window}`,
  greeting: (recipient, tenant) => `Dear ${recipient ?? `${tenant} team`},`,
  intro: ['We will enable ', ' for your organisation during the window below. This notice covers what changes for you, what to prepare and whom to contact.'],
  headings: { window: 'Your window', changes: 'What changes for you', preparation: 'Before the window', rollback: 'If something goes wrong', contacts: 'Contacts and escalation' },
  when: 'When:',
  gap: ' ',
  afterEnablement: (tenant, duration) => `After enablement: we monitor error rates for ${tenant} for ${duration} against thresholds set for your account.`,
  touchesIntegration: (system, kind) => `your ${system} integration (${kind})`,
  touchesKind: (kind) => `your ${kind} integration`,
  touchesSetting: (kind) => ['your ', ` ${kind}`],
  forEveryone: 'applies to all customers',
  noDirectChanges: 'None of the changes touch your integrations or settings; your users may notice the new feature, but nothing in your configuration changes.',
  parens: [' (', ')'],
  listSeparator: '; ',
  and: ' and ',
  dash: ' — ',
  nothingToPrepare: 'Nothing to prepare: none of the preparation steps for this change apply to your configuration.',
  rollbackByFlag: (feature, tenant) => `We can switch ${feature} off for ${tenant} with a feature flag. That takes effect within minutes and needs no action from your team.`,
  rollbackManual: 'This change cannot be undone by switching the feature off; a rollback is a manual procedure, and we will agree each step with you before we act.',
  rollbackSteps: (how) => `Rollback procedure: ${how}`,
  questions: 'Questions about this change:',
  escalation: 'If something is urgent during the window, contact in this order:',
  onFile: (tenant) => `Contacts on file for ${tenant} (please tell us if these should change): `,
  roles: { admin: 'administrator', technical: 'technical contact', csm: 'customer success manager', support: 'support' },
  kinds: { sso: 'SSO', crm: 'CRM', chat: 'chat', webhooks: 'webhooks', api: 'API', erp: 'ERP', 'data-warehouse': 'data warehouse', custom: 'custom integration' },
  customizationKinds: { setting: 'setting', script: 'script', field: 'field' },
  closing: 'Kind regards,',
};

/** Chinese text sets Latin words apart with a space and runs Chinese words on. */
function cjkSpaced(word: string): string {
  return `${/^[A-Za-z0-9]/.test(word) ? ' ' : ''}${word}${/[A-Za-z0-9]$/.test(word) ? ' ' : ''}`;
}

const zh: Phrases = {
  subject: (tenant, feature, window) => `【计划变更通知】${tenant}：${feature}，${window}`,
  greeting: (recipient, tenant) => `${recipient ?? `${tenant} 团队`}，您好：`,
  intro: ['我们将在以下时间窗口为贵方启用 ', '。本通知说明此次变更对贵方的影响、需要提前准备的事项以及联系方式。'],
  headings: { window: '变更窗口', changes: '对贵方的影响', preparation: '窗口开始前的准备', rollback: '如出现问题', contacts: '联系人与升级路径' },
  when: '时间：',
  gap: '',
  afterEnablement: (tenant, duration) => `启用后：我们将按照为贵方设定的阈值，对${cjkSpaced(tenant)}的错误率持续监控 ${duration}。`,
  touchesIntegration: (system, kind) => `贵方的${cjkSpaced(system)}集成（${kind}）`,
  touchesKind: (kind) => `贵方的${cjkSpaced(kind)}集成`,
  touchesSetting: (kind) => [`贵方的${kind} `, ''],
  forEveryone: '适用于所有客户',
  noDirectChanges: '此次变更不涉及贵方的任何集成或设置；贵方用户可能会注意到新功能，但贵方配置不会发生变化。',
  parens: ['（', '）'],
  listSeparator: '；',
  and: '以及',
  dash: ' —— ',
  nothingToPrepare: '无需准备：此次变更的准备步骤均不适用于贵方的配置。',
  rollbackByFlag: (feature, tenant) => `我们可以通过功能开关为${cjkSpaced(tenant)}关闭${cjkSpaced(feature).trimEnd()}，几分钟内即可生效，贵方无需任何操作。`,
  rollbackManual: '此变更无法通过关闭功能来撤销，回滚需要人工操作；每一步操作前我们都会先与贵方确认。',
  rollbackSteps: (how) => `回滚步骤：${how}`,
  questions: '有关此次变更的问题：',
  escalation: '如窗口期间出现紧急情况，请按以下顺序联系：',
  onFile: (tenant) => `${cjkSpaced(tenant).trimStart()}登记的联系人（如需变更请告知我们）：`,
  roles: { admin: '管理员', technical: '技术联系人', csm: '客户成功经理', support: '支持团队' },
  kinds: { sso: '单点登录', crm: 'CRM', chat: '即时通讯', webhooks: 'Webhook', api: 'API', erp: 'ERP', 'data-warehouse': '数据仓库', custom: '自定义集成' },
  customizationKinds: { setting: '设置', script: '脚本', field: '字段' },
  closing: '顺颂商祺，',
};

export function phrases(locale: NoticeLocale): Phrases {
  return locale === 'zh-CN' ? zh : en;
}
