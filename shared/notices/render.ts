import type { NoticeContact, NoticeFacts } from './facts';
import { type Block, type Line, toMarkdown, toText } from './document';
import { phrases, type Phrases } from './phrases';
import { systemDisplayName } from './systems';

/** System names that are only a kind of integration, as the importers store "CRM" or "Webhooks". */
const GENERIC_SYSTEMS = new Set(['crm', 'sso', 'chat', 'webhooks', 'webhook', 'api', 'erp', 'data-warehouse', 'custom']);

export interface RenderedNotice {
  subject: string;
  markdown: string;
  text: string;
}

function contactLine(c: NoticeContact, p: Phrases, withRole: boolean): string {
  const details = [withRole ? p.roles[c.role] : undefined, c.email, c.phone, c.channel].filter((d): d is string => Boolean(d));
  return details.length ? `${c.name}${p.parens[0]}${details.join(', ')}${p.parens[1]}` : c.name;
}

function changeLine(change: NoticeFacts['changes'][number], p: Phrases, locale: NoticeFacts['locale']): Line {
  const reaches: Line[] = [
    // A system stored under its kind's own name ("crm", "webhooks") names no product: say the kind once.
    ...change.integrations.map((i): Line => [GENERIC_SYSTEMS.has(i.system.toLowerCase())
      ? p.touchesKind(p.kinds[i.kind])
      : p.touchesIntegration(systemDisplayName(i.system, locale), p.kinds[i.kind])]),
    ...change.settings.map((s): Line => {
      const [before, after] = p.touchesSetting(p.customizationKinds[s.kind]);
      return [before, { code: s.key }, after];
    }),
  ];
  const scope: Line = reaches.length ? reaches.flatMap((r, i) => (i === 0 ? r : [p.and, ...r])) : [p.forEveryone];
  return [change.description, p.dash, ...scope];
}

/** The template notice: always available, offline, and limited to the facts it is given. */
export function renderNotice(facts: NoticeFacts): RenderedNotice {
  const p = phrases(facts.locale);
  const tenant = facts.tenant.name;
  const support = facts.contacts.find((c) => c.role === 'support');
  const onFile = facts.contacts.filter((c) => c.role === 'admin' || c.role === 'technical');

  const blocks: Block[] = [
    { kind: 'p', line: [p.greeting(facts.recipient?.name, tenant)] },
    { kind: 'p', line: [p.intro[0], { strong: facts.feature.name }, p.intro[1]] },
    ...(facts.feature.summary ? [{ kind: 'p' as const, line: [facts.feature.summary] }] : []),
    { kind: 'h', text: p.headings.window },
    { kind: 'ul', items: [
      [{ strong: p.when }, p.gap, facts.window.local],
      ...(facts.monitoring ? [[p.afterEnablement(tenant, facts.monitoring.label)]] : []),
    ] },
    { kind: 'h', text: p.headings.changes },
    facts.changes.length
      ? { kind: 'ul', items: facts.changes.map((c) => changeLine(c, p, facts.locale)) }
      : { kind: 'p', line: [p.noDirectChanges] },
    { kind: 'h', text: p.headings.preparation },
    facts.preparationSteps.length
      ? { kind: 'ol', items: facts.preparationSteps.map((s) => [s]) }
      : { kind: 'p', line: [p.nothingToPrepare] },
    { kind: 'h', text: p.headings.rollback },
    { kind: 'p', line: [facts.rollback.byFlag ? p.rollbackByFlag(facts.feature.name, tenant) : p.rollbackManual] },
    { kind: 'p', line: [p.rollbackSteps(facts.rollback.how)] },
    { kind: 'h', text: p.headings.contacts },
    ...(support ? [{ kind: 'p' as const, line: [{ strong: p.questions }, p.gap, contactLine(support, p, false)] }] : []),
    { kind: 'p', line: [p.escalation] },
    { kind: 'ol', items: facts.escalation.map((c) => [contactLine(c, p, true)]) },
    ...(onFile.length ? [{ kind: 'p' as const, line: [p.onFile(tenant), onFile.map((c) => contactLine(c, p, true)).join(p.listSeparator)] }] : []),
    { kind: 'p', line: [p.closing] },
    ...(support ? [{ kind: 'p' as const, line: [support.name] }] : []),
  ];
  return { subject: p.subject(tenant, facts.feature.name, facts.window.local), markdown: toMarkdown(blocks), text: toText(blocks) };
}
