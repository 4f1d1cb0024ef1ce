import type { Tenant } from '../model/tenant';
import type { Feature } from '../model/feature';
import type { Readiness, ReadinessItem } from '../model/plan';
import { defaultRiskConfig } from '../risk/config';
import { touchedConfigs, isIntegrationTouched } from '../risk/touch';
import { compareVersions, requiredVersion } from '../risk/version';
import { day, duration } from '../risk/format';

type Wave = { id: string; start: string; end: string };

/**
 * When each tenant was first told of a rollout: its earliest *sent* notice (a draft tells nobody).
 * The readiness check and the readiness preview of a running rollout judge the notice lead by it.
 */
export function firstSentNotices(notices: Iterable<{ tenantId: string; status: string; sentAt?: string }>, into = new Map<string, string>()): Map<string, string> {
  for (const n of notices) {
    const first = into.get(n.tenantId);
    if (n.status === 'sent' && n.sentAt && (first === undefined || n.sentAt < first)) into.set(n.tenantId, n.sentAt);
  }
  return into;
}

/**
 * Go / no-go for one tenant in one wave, with evidence per item. A fail is something that must be
 * fixed; a review is something a person must look at before saying go.
 */
export function checkReadiness(
  tenant: Tenant,
  feature: Feature,
  wave: Wave,
  ctx: { asOf: string; noticeSentAt?: string; noticeLeadSeconds: number; healthFloor?: number },
): Readiness {
  const items: ReadinessItem[] = [
    integrationCompatibility(tenant, feature),
    instabilityTickets(tenant),
    freezeCollision(tenant, wave),
    healthFloor(tenant, ctx.healthFloor ?? defaultRiskConfig.holds.healthFloor),
    noticeLeadTime(wave, ctx),
    contactPresent(tenant),
  ];
  const fails = items.filter((i) => i.status === 'fail');
  const reviews = items.filter((i) => i.status === 'review');
  const verdict = fails.length > 0 ? 'no-go' : reviews.length > 0 ? 'needs-review' : 'go';
  const open = [...fails, ...reviews].map((i) => `${i.check} ${i.status}`).join(', ');
  return {
    tenantId: tenant.id,
    waveId: wave.id,
    verdict,
    items,
    summary: `${tenant.name} in ${wave.id}: ${verdict}${open ? ` (${open})` : ` (all ${items.length} checks pass)`}`,
  };
}

function item(check: ReadinessItem['check'], status: ReadinessItem['status'], evidence: string): ReadinessItem {
  return { check, status, evidence };
}

/** Integrations stored by their kind alone ("4 integrations (CRM, SSO, Slack, Webhooks)"): which product, and so which version, is unknown. */
const UNNAMED_PRODUCTS = new Set(['crm', 'sso', 'chat', 'erp', 'data-warehouse']);

function integrationCompatibility(tenant: Tenant, feature: Feature): ReadinessItem {
  const touched = touchedConfigs(feature);
  const relevant = tenant.integrations.filter((i) => isIntegrationTouched(i, touched) || requiredVersion(feature.compatibility, i.system));
  if (relevant.length === 0) return item('integration-compatibility', 'pass', 'the feature touches none of the tenant\'s integrations');
  const minimums = Object.entries(feature.compatibility).map(([system, version]) => `${system} ≥ ${version}`).join(', ');
  const checked = relevant.map((i) => {
    const minimum = requiredVersion(feature.compatibility, i.system);
    // "CRM" in a table row names no product: it may be one the feature needs a version of.
    if (!minimum && minimums && UNNAMED_PRODUCTS.has(i.system.toLowerCase())) {
      return { status: 'review' as const, text: `${i.system}: product not named, so the feature's minimum versions (${minimums}) cannot be checked` };
    }
    if (!minimum) return { status: 'pass' as const, text: `${i.system}: no minimum version` };
    if (!i.version) return { status: 'review' as const, text: `${i.system}: version unknown, needs ≥ ${minimum}` };
    const cmp = compareVersions(i.version, minimum);
    if (cmp === undefined) return { status: 'review' as const, text: `${i.system} ${i.version}: cannot compare with ≥ ${minimum}` };
    return cmp < 0
      ? { status: 'fail' as const, text: `${i.system} ${i.version} < ${minimum} required` }
      : { status: 'pass' as const, text: `${i.system} ${i.version} ≥ ${minimum}` };
  });
  const status = checked.some((c) => c.status === 'fail') ? 'fail' : checked.some((c) => c.status === 'review') ? 'review' : 'pass';
  return item('integration-compatibility', status, checked.map((c) => c.text).join('; '));
}

function instabilityTickets(tenant: Tenant): ReadinessItem {
  const describe = (sev: 'P1' | 'P2') => {
    const open = tenant.openTickets.filter((t) => t.severity === sev);
    // A table row only says how many: its tickets have no id or opening date to quote.
    const counted = open.filter((t) => t.counted).length;
    return [
      ...open.filter((t) => !t.counted).map((t) => `${sev} ${t.id}${t.subject ? ` "${t.subject}"` : ''} open since ${day(t.opened)}`),
      ...(counted > 0 ? [`${counted} ${sev} counted in the tenant table (no ticket id or opening date given)`] : []),
    ];
  };
  const p1 = describe('P1');
  const p2 = describe('P2');
  if (p1.length > 0) return item('instability-tickets', 'fail', [...p1, ...p2].join('; '));
  if (p2.length > 0) return item('instability-tickets', 'review', p2.join('; '));
  const minor = tenant.openTickets.length;
  return item('instability-tickets', 'pass', minor === 0 ? 'no open tickets' : `no open P1/P2 tickets (${minor} P3/P4 open)`);
}

function freezeCollision(tenant: Tenant, wave: Wave): ReadinessItem {
  const start = Date.parse(wave.start);
  const end = Date.parse(wave.end);
  const hits = tenant.freezeWindows.filter((w) => Date.parse(w.start) < end && Date.parse(w.end) > start);
  const window = `wave window ${wave.start} – ${wave.end}`;
  if (hits.length === 0) {
    return item('freeze-collision', 'pass', tenant.freezeWindows.length === 0 ? `no freeze windows; ${window}` : `${window} avoids ${tenant.freezeWindows.length} freeze window(s)`);
  }
  return item('freeze-collision', 'fail', `${window} overlaps ${hits.map((w) => `${w.reason} (${w.start} – ${w.end})`).join(', ')}`);
}

function healthFloor(tenant: Tenant, floor: number): ReadinessItem {
  return tenant.health < floor
    ? item('health-floor', 'fail', `health ${tenant.health}/100 is below the floor of ${floor}`)
    : item('health-floor', 'pass', `health ${tenant.health}/100 ≥ floor ${floor}`);
}

function noticeLeadTime(wave: Wave, ctx: { asOf: string; noticeSentAt?: string; noticeLeadSeconds: number }): ReadinessItem {
  const lead = ctx.noticeLeadSeconds * 1000;
  const start = Date.parse(wave.start);
  const latest = new Date(start - lead).toISOString();
  const needs = `${duration(ctx.noticeLeadSeconds)} before the wave starts at ${wave.start}`;
  if (ctx.noticeSentAt === undefined) {
    return Date.parse(ctx.asOf) > start - lead
      ? item('notice-lead-time', 'fail', `notice not sent and it is too late for ${needs} (latest send ${latest})`)
      : item('notice-lead-time', 'review', `notice not sent yet; send by ${latest} for ${needs}`);
  }
  const given = start - Date.parse(ctx.noticeSentAt);
  return given >= lead
    ? item('notice-lead-time', 'pass', `notice sent ${ctx.noticeSentAt}, ${duration(Math.floor(given / 1000))} ahead; needs ${needs}`)
    : item('notice-lead-time', 'fail', `notice sent ${ctx.noticeSentAt}, only ${duration(Math.max(0, Math.floor(given / 1000)))} ahead; needs ${needs}`);
}

function contactPresent(tenant: Tenant): ReadinessItem {
  const named = (c: Tenant['contacts'][number]) => `${c.name} (${c.role}${c.email ? `, ${c.email}` : ''})`;
  const reachable = tenant.contacts.filter((c) => c.role === 'admin' || c.role === 'technical');
  if (reachable.length > 0) return item('contact-present', 'pass', reachable.map(named).join(', '));
  return tenant.contacts.length > 0
    ? item('contact-present', 'review', `no admin or technical contact; only ${tenant.contacts.map(named).join(', ')}`)
    : item('contact-present', 'fail', 'no contact on record');
}
