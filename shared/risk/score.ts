import type { Tenant } from '../model/tenant';
import type { Feature } from '../model/feature';
import type { FactorContribution, RiskAdjustment, RiskProfile, Tier } from '../model/plan';
import { defaultRiskConfig, type RiskConfig } from './config';
import { isCustomizationTouched, isIntegrationTouched, touchedConfigs } from './touch';
import { holdReasons } from './holds';
import { describeSla, slaClass } from './sla';
import { highlyRegulatedBy } from './regulated';
import { daysUntil, money, plural, round1 } from './format';

type Factor = FactorContribution['factor'];
type Measured = { value: number; reason: string };

/**
 * A tenant's 0..100 risk for this feature: each factor normalised to 0..1, times its weight,
 * plus retrospective lessons (history). The factor points always add up to the score.
 */
export function scoreTenant(
  tenant: Tenant,
  feature: Feature,
  ctx: {
    asOf: string; config?: RiskConfig; adjustments?: RiskAdjustment[]; horizonEnd?: string;
    /** `touchedConfigs(feature)`, when the caller scores a whole fleet and has it already. */
    touched?: readonly string[];
  },
): RiskProfile {
  const config = ctx.config ?? defaultRiskConfig;
  const touched = ctx.touched ?? touchedConfigs(feature);
  const measured: Record<Exclude<Factor, 'history'>, Measured> = {
    integrations: integrations(tenant, touched, config),
    customization: customization(tenant, touched, config),
    sla: sla(tenant, config),
    health: { value: (100 - tenant.health) / 100, reason: `health ${tenant.health}/100` },
    tickets: tickets(tenant, config),
    strategic: strategic(tenant, ctx.asOf, config),
    regulated: regulated(tenant, config),
  };
  const factors: FactorContribution[] = (Object.keys(measured) as (keyof typeof measured)[]).map((factor) => {
    const weight = config.weights[factor];
    const value = Math.min(1, Math.max(0, measured[factor].value));
    return { factor, weight, value, points: round1(weight * value), reason: measured[factor].reason };
  });
  const base = round1(factors.reduce((sum, f) => sum + f.points, 0));
  factors.push(history(tenant, ctx.adjustments ?? [], base, config));
  const score = round1(factors.reduce((sum, f) => sum + f.points, 0));
  const scoreTier = tierOf(score, config);
  const holds = holdReasons(tenant, feature, { asOf: ctx.asOf, horizonEnd: ctx.horizonEnd, config });
  return {
    tenantId: tenant.id,
    tenantName: tenant.name,
    score,
    scoreTier,
    tier: holds.length > 0 ? 'hold' : scoreTier,
    factors,
    summary: summarise(tenant.name, score, scoreTier, factors, holds.map((h) => h.reason)),
    holds,
  };
}

export function tierOf(score: number, config: RiskConfig = defaultRiskConfig): Exclude<Tier, 'hold'> {
  if (score >= config.tiers.high) return 'high';
  return score >= config.tiers.medium ? 'medium' : 'low';
}

function integrations(tenant: Tenant, touched: readonly string[], config: RiskConfig): Measured {
  const n = config.normalisation;
  const hit = tenant.integrations.filter((i) => isIntegrationTouched(i, touched));
  const load = tenant.integrations.reduce(
    (sum, i) => sum + n.integrationKind[i.kind] * (hit.includes(i) ? 1 : n.untouchedIntegrationShare), 0);
  if (tenant.integrations.length === 0) return { value: 0, reason: 'no integrations' };
  const names = hit.map((i) => (i.version ? `${i.system} ${i.version}` : i.system)).join(', ');
  return {
    value: load / n.integrationSaturation,
    reason: `${plural(tenant.integrations.length, 'integration')}, ${hit.length === 0 ? 'none' : `${hit.length} (${names})`} touched by this feature`,
  };
}

function customization(tenant: Tenant, touched: readonly string[], config: RiskConfig): Measured {
  const n = config.normalisation;
  const hit = tenant.customizations.filter((c) => isCustomizationTouched(c, touched));
  const load = tenant.customizations.reduce(
    (sum, c) => sum + n.customizationKind[c.kind] * (hit.includes(c) ? 1 : n.untouchedCustomizationShare), 0);
  if (tenant.customizations.length === 0) return { value: 0, reason: 'no customizations' };
  const scripts = tenant.customizations.filter((c) => c.kind === 'script').length;
  return {
    value: load / n.customizationSaturation,
    reason: `${plural(tenant.customizations.length, 'customization')}${scripts ? ` (${plural(scripts, 'script')})` : ''}, `
      + `${hit.length === 0 ? 'none' : `${hit.length} (${hit.map((c) => c.key).join(', ')})`} touched by this feature`,
  };
}

function sla(tenant: Tenant, config: RiskConfig): Measured {
  const cls = slaClass(tenant, config);
  const described = describeSla(tenant);
  return { value: config.normalisation.sla[cls], reason: described.startsWith(cls) ? described : `${described} (${cls} class)` };
}

function tickets(tenant: Tenant, config: RiskConfig): Measured {
  if (tenant.openTickets.length === 0) return { value: 0, reason: 'no open tickets' };
  const bySeverity = (['P1', 'P2', 'P3', 'P4'] as const)
    .map((s) => [s, tenant.openTickets.filter((t) => t.severity === s).length] as const)
    .filter(([, count]) => count > 0);
  const ids = tenant.openTickets.slice(0, 3).map((t) => t.id).join(', ') + (tenant.openTickets.length > 3 ? ', …' : '');
  return {
    value: tenant.openTickets.reduce((sum, t) => sum + config.normalisation.ticketSeverity[t.severity], 0),
    reason: `${bySeverity.map(([s, c]) => `${c} ${s}`).join(', ')} open (${ids})`,
  };
}

function strategic(tenant: Tenant, asOf: string, config: RiskConfig): Measured {
  const s = config.normalisation.strategic;
  const parts: [number, string][] = [];
  if (tenant.strategic.anchor) parts.push([s.anchor, 'anchor account']);
  if (tenant.strategic.executiveEscalation) parts.push([s.executiveEscalation, 'executive escalation']);
  const renewal = tenant.contract.renewalDate;
  const days = renewal === undefined ? undefined : daysUntil(asOf, renewal);
  if (days !== undefined && days >= 0 && days <= s.renewalWithinDays) parts.push([s.renewal, `renewal in ${plural(days, 'day')}`]);
  const arr = tenant.contract.arr;
  const band = arr === undefined ? undefined : s.arrBands.find(([min]) => arr >= min);
  if (arr !== undefined) parts.push([band?.[1] ?? 0, `ARR ${money(arr)}`]);
  const flagged = parts.filter(([v]) => v > 0);
  return {
    value: flagged.reduce((sum, [v]) => sum + v, 0),
    reason: flagged.length > 0 ? flagged.map(([, r]) => r).join(', ') : `no strategic flags${arr !== undefined ? ` (ARR ${money(arr)})` : ''}`,
  };
}

function regulated(tenant: Tenant, config: RiskConfig): Measured {
  const r = config.normalisation.regulated;
  const strict = highlyRegulatedBy(tenant, config);
  const { industry, regimes } = tenant.regulated;
  if (!industry && regimes.length === 0) return { value: 0, reason: 'not regulated' };
  const industryValue = industry === undefined ? 0 : strict.includes(industry) ? r.highlyRegulatedIndustry : r.otherIndustry;
  const regimeValue = regimes.reduce((sum, g) => sum + (strict.includes(g) ? r.strictRegime : r.otherRegime), 0);
  const named = [...(industry ? [`${industry} industry`] : []), ...regimes].join(', ');
  return { value: industryValue + regimeValue, reason: strict.length > 0 ? `highly regulated: ${named}` : `regulated: ${named}` };
}

/**
 * Retrospective lessons are added on top of the weighted factors, capped at ±historyCap, and then
 * trimmed so the score stays within 0..100 — the trim shows in the reason, so points still add up.
 */
function history(tenant: Tenant, adjustments: RiskAdjustment[], base: number, config: RiskConfig): FactorContribution {
  const own = adjustments.filter((a) => a.tenantId === tenant.id);
  const cap = config.historyCap;
  const raw = own.reduce((sum, a) => sum + a.points, 0);
  const capped = Math.max(-cap, Math.min(cap, raw));
  const points = round1(Math.max(-base, Math.min(100 - base, capped)));
  const signed = (p: number) => `${p >= 0 ? '+' : ''}${p}`;
  const lessons = own.map((a) => `${a.reason} in rollout ${a.rolloutId} (${signed(a.points)})`).join('; ');
  const limits = [...(capped !== raw ? [`the ±${cap} cap`] : []), ...(points !== capped ? ['0..100'] : [])];
  const trimmed = limits.length > 0 ? `, counted ${signed(points)} to stay within ${limits.join(' and ')}` : '';
  return {
    factor: 'history',
    weight: cap,
    value: cap === 0 ? 0 : Math.min(1, Math.abs(points) / cap),
    points,
    reason: own.length === 0 ? 'no lessons from earlier rollouts' : lessons + trimmed,
  };
}

function summarise(name: string, score: number, tier: Exclude<Tier, 'hold'>, factors: FactorContribution[], holds: string[]): string {
  const drivers = [...factors].filter((f) => f.points > 0).sort((a, b) => b.points - a.points).slice(0, 3).map((f) => f.reason);
  const held = holds.length > 0 ? ` On hold: ${holds.join('; ')}.` : '';
  return `${name} scores ${score} (${tier} risk)${drivers.length ? `: ${drivers.join('; ')}` : ''}.${held}`;
}
