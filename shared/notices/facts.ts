import { z } from 'zod';
import type { Feature, Touches } from '../model/feature';
import { Contact, Customization, Integration, type Tenant } from '../model/tenant';
import { formatDuration, formatLocalWindow } from './window';

/**
 * Everything a notice may say about one tenant, and nothing about any other. The renderer and the
 * LLM work only from these facts; the fact check holds their output against them.
 */
export const NoticeContact = z.strictObject({
  /** Tenant-side contacts are 'admin' / 'technical'; 'csm' is the account's customer success manager. */
  role: z.enum(['admin', 'technical', 'csm', 'support']),
  name: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  channel: z.string().optional(),
});
export type NoticeContact = z.infer<typeof NoticeContact>;

export const NoticeFacts = z.strictObject({
  rolloutId: z.string(),
  waveId: z.string(),
  locale: z.enum(['en', 'zh-CN']),
  tenant: z.strictObject({
    id: z.string(),
    name: z.string(),
    timeZone: z.string(),
    /** Every integration system the tenant has, touched or not: the only systems a notice may name. */
    systems: z.array(z.string()),
  }),
  feature: z.strictObject({ key: z.string(), name: z.string(), summary: z.string() }),
  /** Only the changes that reach this tenant. */
  changes: z.array(z.strictObject({
    area: z.string(),
    description: z.string(),
    /** A change that names no configuration reaches every tenant. */
    everyone: z.boolean(),
    integrations: z.array(Integration.pick({ kind: true, system: true })),
    settings: z.array(Customization.pick({ kind: true, key: true })),
  })),
  window: z.strictObject({ start: z.string(), end: z.string(), timeZone: z.string(), local: z.string() }),
  monitoring: z.strictObject({ seconds: z.number(), label: z.string() }).optional(),
  preparationSteps: z.array(z.string()),
  /** Steps for other configurations: never shown, kept so the fact check can catch them. */
  notApplicableSteps: z.array(z.string()),
  /** Who receives the notice on the tenant's side, when the tenant has an admin or technical contact. */
  recipient: NoticeContact.optional(),
  contacts: z.array(NoticeContact),
  /** Whom to reach, in order, when something is urgent. */
  escalation: z.array(NoticeContact),
  rollback: z.strictObject({ byFlag: z.boolean(), complexity: z.enum(['simple', 'moderate', 'complex']), how: z.string() }),
});
export type NoticeFacts = z.infer<typeof NoticeFacts>;

export interface NoticeWave {
  id: string;
  start: string;
  end: string;
  monitoringWindowSeconds?: number;
}

function reach(touches: Touches, tenant: Tenant): { everyone: boolean; integrations: NoticeFacts['changes'][number]['integrations']; settings: NoticeFacts['changes'][number]['settings'] } {
  const systems = touches.systems.map((s) => s.toLowerCase());
  return {
    everyone: touches.integrationKinds.length === 0 && touches.systems.length === 0 && touches.settings.length === 0,
    integrations: tenant.integrations
      .filter((i) => touches.integrationKinds.includes(i.kind) || systems.includes(i.system.toLowerCase()))
      .map((i) => ({ kind: i.kind, system: i.system })),
    settings: tenant.customizations.filter((c) => touches.settings.includes(c.key)).map((c) => ({ kind: c.kind, key: c.key })),
  };
}

function reaches(r: ReturnType<typeof reach>): boolean {
  return r.everyone || r.integrations.length > 0 || r.settings.length > 0;
}

function tenantContact(c: Contact): NoticeContact {
  return { role: c.role as 'admin' | 'technical' | 'csm', name: c.name, email: c.email, phone: c.phone };
}

/** The tenant-side person a notice is addressed to: its admin, else its technical contact. */
export function noticeRecipient(tenant: Tenant): NoticeContact | undefined {
  const onTenantSide = tenant.contacts.filter((c) => c.role === 'admin' || c.role === 'technical').map(tenantContact);
  return onTenantSide.find((c) => c.role === 'admin') ?? onTenantSide[0];
}

export function noticeFacts(tenant: Tenant, feature: Feature, wave: NoticeWave, ctx: { rolloutId: string }): NoticeFacts {
  const locale = tenant.locale;
  const changes = feature.changes
    .map((c) => ({ change: c, r: reach(c.touches, tenant) }))
    .filter(({ r }) => reaches(r))
    .map(({ change, r }) => ({ area: change.area, description: change.description, ...r }));
  const steps = feature.preparationSteps.map((s) => ({ step: s.step, applies: reaches(reach(s.appliesTo, tenant)) }));

  const onTenantSide = tenant.contacts.filter((c) => c.role === 'admin' || c.role === 'technical').map(tenantContact);
  const csms = tenant.contacts.filter((c) => c.role === 'csm').map(tenantContact);
  const support: NoticeContact = { role: 'support', name: feature.supportContact.name, email: feature.supportContact.email, channel: feature.supportContact.channel };

  return {
    rolloutId: ctx.rolloutId,
    waveId: wave.id,
    locale,
    tenant: { id: tenant.id, name: tenant.name, timeZone: tenant.timeZone, systems: [...new Set(tenant.integrations.map((i) => i.system.toLowerCase()))] },
    feature: { key: feature.key, name: feature.name, summary: feature.summary },
    changes,
    window: { start: wave.start, end: wave.end, timeZone: tenant.timeZone, local: formatLocalWindow(wave.start, wave.end, tenant.timeZone, locale) },
    monitoring: wave.monitoringWindowSeconds === undefined ? undefined : { seconds: wave.monitoringWindowSeconds, label: formatDuration(wave.monitoringWindowSeconds, locale) },
    preparationSteps: steps.filter((s) => s.applies).map((s) => s.step),
    notApplicableSteps: steps.filter((s) => !s.applies).map((s) => s.step),
    recipient: noticeRecipient(tenant),
    contacts: [support, ...csms, ...onTenantSide],
    escalation: [support, ...csms],
    rollback: { byFlag: feature.rollback.reversible, complexity: feature.rollback.complexity, how: feature.rollback.how },
  };
}
