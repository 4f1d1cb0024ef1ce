import { z } from 'zod';
import type { Plan, Stage, WaveMember } from '../model/plan';
import type { WaveOutcome, TenantOutcome } from '../model/rollout';
import { TicketSeverity, type Tenant, type Ticket } from '../model/tenant';
import { duration, pct, plural } from '../risk/format';
import { cell, count, fixed, pp, signedFixed } from './format';
import { median, mad, quantile, robustZ } from './stats';

/**
 * The post-release health report: per enabled tenant, activation in the first hours, error and
 * ticket deltas, and the tenants that behave unlike their cohort, each with the reason, so
 * customer success knows whom to call and why.
 */

/** Structurally the metrics port's TenantSample; kept here so `shared/` does not import activities. */
export const HealthSample = z.strictObject({
  tenantId: z.string(),
  requests: z.number().nonnegative(),
  errors: z.number().nonnegative(),
  errorRate: z.number().min(0).max(1),
  featureUsage: z.number().nonnegative(),
  at: z.string(),
});
export type HealthSample = z.infer<typeof HealthSample>;

export const HealthOptions = z.strictObject({
  /** |modified z| above which a tenant is unlike its cohort (Iglewicz–Hoaglin's 3.5). */
  outlierZ: z.number().positive().default(3.5),
  /** Fewer comparable tenants than this in a stage and the tenant is compared with the whole rollout. */
  minCohortSize: z.number().int().min(3).default(4),
  /** Error increases smaller than this (ratio, 0.002 = 0.2 pp) are not worth a call, however unusual. */
  minErrorDelta: z.number().nonnegative().default(0.002),
  /** Activation is "far below" only under this share of the cohort median as well. */
  activationShareOfMedian: z.number().min(0).max(1).default(0.5),
  /** A tenant with no usage at all is flagged when at least this share of its cohort used the feature. */
  activatedShareForZero: z.number().min(0).max(1).default(0.75),
});
export type HealthOptions = z.infer<typeof HealthOptions>;

const SeverityCounts = z.strictObject({ P1: z.number(), P2: z.number(), P3: z.number(), P4: z.number() });

export const HealthFlag = z.strictObject({
  kind: z.enum(['activation', 'errors', 'tickets']),
  reason: z.string(),
});
export type HealthFlag = z.infer<typeof HealthFlag>;

export const TenantHealth = z.strictObject({
  tenantId: z.string(),
  tenantName: z.string(),
  waveId: z.string(),
  stage: z.string(),
  /** Which group the tenant was compared with: its stage, or the whole rollout when the stage is too small. */
  cohort: z.string(),
  enabledAt: z.string().optional(),
  activation: z.strictObject({
    activated: z.boolean(),
    featureUsage: z.number().optional(),
    users: z.number(),
    usagePerUser: z.number().optional(),
    reason: z.string(),
  }),
  errors: z.strictObject({
    baselineErrorRate: z.number(),
    baselineSource: z.enum(['sample-before', 'tenant-baseline']),
    errorRate: z.number().optional(),
    delta: z.number().optional(),
    requests: z.number().optional(),
    minRequests: z.number(),
    /** The sample had enough requests to judge the error rate. */
    enough: z.boolean(),
    reason: z.string(),
  }),
  tickets: z.strictObject({
    newBySeverity: SeverityCounts,
    newIds: z.array(z.string()),
    resolvedIds: z.array(z.string()),
    reason: z.string(),
  }),
  flags: z.array(HealthFlag),
  outreach: z.boolean(),
});
export type TenantHealth = z.infer<typeof TenantHealth>;

const Spread = z.strictObject({ median: z.number(), mad: z.number(), p90: z.number(), n: z.number() });

export const HealthCohort = z.strictObject({
  id: z.string(),
  tenantIds: z.array(z.string()),
  activation: Spread.optional(),
  errorDelta: Spread.optional(),
  note: z.string(),
});

export const HealthReport = z.strictObject({
  rolloutId: z.string(),
  featureKey: z.string(),
  featureName: z.string(),
  asOf: z.string(),
  rolloutStart: z.string(),
  activationWindowSeconds: z.number(),
  /** One line for the workflow history and the rollout's audit trail. */
  summary: z.string(),
  totals: z.strictObject({
    enabled: z.number(),
    activated: z.number(),
    activationRate: z.number(),
    rolledBack: z.number(),
    outreach: z.number(),
    newTickets: SeverityCounts,
  }),
  cohorts: z.array(HealthCohort),
  tenants: z.array(TenantHealth),
  rolledBack: z.array(z.strictObject({
    tenantId: z.string(), tenantName: z.string(), waveId: z.string(), rolledBackAt: z.string().optional(), reason: z.string(),
  })),
  outreach: z.array(z.strictObject({ tenantId: z.string(), tenantName: z.string(), reasons: z.array(z.string()) })),
  warnings: z.array(z.string()),
});
export type HealthReport = z.infer<typeof HealthReport>;

export interface HealthInput {
  rolloutId: string;
  plan: Plan;
  outcomes: WaveOutcome[];
  tenantsBefore: Tenant[];
  tenantsAfter: Tenant[];
  samples: { tenantId: string; before?: HealthSample; after?: HealthSample }[];
  asOf: string;
  activationWindowSeconds: number;
  options?: z.input<typeof HealthOptions>;
}

interface Reached {
  waveId: string;
  stage: Stage;
  member?: WaveMember;
  outcome: TenantOutcome;
}

export function buildHealthReport(input: HealthInput): HealthReport {
  const options = HealthOptions.parse(input.options ?? {});
  const { plan } = input;
  const rolloutStart = earliest(input.outcomes.map((o) => o.startedAt)) ?? plan.timeline.start;
  const reached = reachedTenants(input);
  const before = new Map(input.tenantsBefore.map((t) => [t.id, t]));
  const after = new Map(input.tenantsAfter.map((t) => [t.id, t]));
  const samples = new Map(input.samples.map((s) => [s.tenantId, s]));
  const window = duration(input.activationWindowSeconds);
  const warnings: string[] = [];

  const enabled = [...reached.values()].filter((r) => r.outcome.state === 'enabled');
  const measured = enabled.map((r) => {
    const tenant = after.get(r.outcome.tenantId) ?? before.get(r.outcome.tenantId);
    if (!tenant) throw new Error(`health report: tenant ${r.outcome.tenantId} was enabled but is in neither tenant list`);
    const sample = samples.get(tenant.id);
    if (!sample?.after) warnings.push(`${tenant.name}: no metrics sample after enable, so activation and errors are unknown`);
    return {
      reached: r,
      tenant,
      activation: activation(tenant, sample?.after, window),
      errors: errors(tenant, before.get(tenant.id) ?? tenant, r.member, sample),
      tickets: tickets(before.get(tenant.id), tenant, r.outcome.enabledAt ?? rolloutStart),
    };
  });

  const byStage = new Map<string, typeof measured>();
  for (const m of measured) byStage.set(m.reached.stage, [...(byStage.get(m.reached.stage) ?? []), m]);
  const comparable = (group: typeof measured) => ({
    activation: group.filter((m) => m.activation.usagePerUser !== undefined),
    errors: group.filter((m) => m.errors.enough && m.errors.delta !== undefined),
  });
  const fleet = comparable(measured);
  const cohorts: z.infer<typeof HealthCohort>[] = [];
  const tenants: TenantHealth[] = [];

  for (const [stage, group] of byStage) {
    const own = comparable(group);
    const pick = (key: 'activation' | 'errors') => {
      if (own[key].length >= options.minCohortSize) return { peers: own[key], label: `${stage} stage` };
      if (fleet[key].length >= options.minCohortSize) return { peers: fleet[key], label: 'all enabled tenants' };
      return undefined;
    };
    const act = pick('activation');
    const err = pick('errors');
    const actValues = act?.peers.map((m) => m.activation.usagePerUser as number) ?? [];
    const errValues = err?.peers.map((m) => m.errors.delta as number) ?? [];
    const note = [
      act ? `activation compared with ${act.label} (${plural(actValues.length, 'tenant')})` : `activation not compared: fewer than ${options.minCohortSize} tenants with users and usage data`,
      err ? `errors compared with ${err.label} (${plural(errValues.length, 'tenant')})` : `errors not compared: fewer than ${options.minCohortSize} tenants with enough requests`,
    ].join('; ');
    cohorts.push({
      id: `stage:${stage}`,
      tenantIds: group.map((m) => m.tenant.id),
      activation: act ? spread(actValues) : undefined,
      errorDelta: err ? spread(errValues) : undefined,
      note,
    });

    for (const m of group) {
      const flags: HealthFlag[] = [];
      if (act && m.activation.usagePerUser !== undefined) {
        const flag = activationFlag(m.activation.usagePerUser, act.peers.map((p) => p.activation), act.label, window, options);
        if (flag) flags.push(flag);
      }
      if (err && m.errors.enough && m.errors.delta !== undefined) {
        const flag = errorFlag(m.errors, errValues, err.label, options);
        if (flag) flags.push(flag);
      }
      const serious = m.tickets.newBySeverity.P1 + m.tickets.newBySeverity.P2;
      if (serious > 0) flags.push({ kind: 'tickets', reason: `${m.tickets.reason}; P1/P2 tickets after enable need a call whatever the cohort does` });
      tenants.push({
        tenantId: m.tenant.id,
        tenantName: m.tenant.name,
        waveId: m.reached.waveId,
        stage,
        cohort: [act?.label, err?.label].filter((l, i, all) => l && all.indexOf(l) === i).join(' / ') || 'none',
        enabledAt: m.reached.outcome.enabledAt,
        activation: m.activation,
        errors: m.errors,
        tickets: m.tickets,
        flags,
        outreach: flags.length > 0,
      });
    }
  }
  if (measured.length > 0 && fleet.activation.length < options.minCohortSize && fleet.errors.length < options.minCohortSize) {
    warnings.push(`only ${plural(measured.length, 'enabled tenant')} with data: too few to compare tenants with their cohort`);
  }

  const rolledBack = [...reached.values()].filter((r) => r.outcome.state === 'rolled-back').map((r) => ({
    tenantId: r.outcome.tenantId,
    tenantName: nameOf(r.outcome.tenantId, plan, before),
    waveId: r.waveId,
    rolledBackAt: r.outcome.rolledBackAt,
    reason: r.outcome.reason,
  }));
  const outreach = tenants.filter((t) => t.outreach).map((t) => ({ tenantId: t.tenantId, tenantName: t.tenantName, reasons: t.flags.map((f) => f.reason) }));
  const activated = tenants.filter((t) => t.activation.activated).length;
  const newTickets = sumSeverities(tenants.map((t) => t.tickets.newBySeverity));
  const activationRate = tenants.length === 0 ? 0 : activated / tenants.length;
  const summary = `${plural(tenants.length, 'tenant')} enabled; ${activated} used ${plan.feature.name} in the ${window} activation window (${Math.round(activationRate * 100)} %); `
    + `${rolledBack.length} rolled back; ${outreach.length} flagged for customer-success outreach; `
    + `new tickets after enable: ${severityText(newTickets)}.`;

  return HealthReport.parse({
    rolloutId: input.rolloutId,
    featureKey: plan.feature.key,
    featureName: plan.feature.name,
    asOf: input.asOf,
    rolloutStart,
    activationWindowSeconds: input.activationWindowSeconds,
    summary,
    totals: { enabled: tenants.length, activated, activationRate, rolledBack: rolledBack.length, outreach: outreach.length, newTickets },
    cohorts,
    tenants,
    rolledBack,
    outreach,
    warnings,
  });
}

/** Every tenant a wave enabled, with the wave that enabled it and its latest state. */
function reachedTenants(input: HealthInput): Map<string, Reached> {
  const waves = new Map(input.plan.waves.map((w) => [w.id, w]));
  const reached = new Map<string, Reached>();
  for (const outcome of input.outcomes) {
    const wave = waves.get(outcome.waveId);
    for (const t of outcome.tenants) {
      const first = reached.get(t.tenantId);
      if (first) {
        if (t.state === 'rolled-back') first.outcome = { ...first.outcome, ...t, enabledAt: first.outcome.enabledAt ?? t.enabledAt };
        continue;
      }
      if (t.state !== 'enabled' && t.state !== 'rolled-back') continue;
      if (!wave) throw new Error(`health report: wave ${outcome.waveId} of the outcomes is not in the plan`);
      reached.set(t.tenantId, { waveId: wave.id, stage: wave.stage, member: wave.members.find((m) => m.tenantId === t.tenantId), outcome: t });
    }
  }
  return reached;
}

function activation(tenant: Tenant, after: HealthSample | undefined, window: string): TenantHealth['activation'] {
  if (!after) return { activated: false, users: tenant.users, reason: `no usage data for the ${window} activation window` };
  const activated = after.featureUsage > 0;
  const perUser = tenant.users > 0 ? after.featureUsage / tenant.users : undefined;
  const used = activated ? `${count(after.featureUsage)} uses in the ${window} activation window` : `not used in the ${window} activation window`;
  return {
    activated,
    featureUsage: after.featureUsage,
    users: tenant.users,
    usagePerUser: perUser,
    reason: perUser === undefined ? `${used} (user count unknown)` : `${used}, ${fixed(perUser)} per user (${tenant.users} users)`,
  };
}

function errors(
  tenant: Tenant, before: Tenant, member: WaveMember | undefined, sample: HealthInput['samples'][number] | undefined,
): TenantHealth['errors'] {
  const minRequests = member?.thresholds.minRequests ?? 0;
  const fromSample = sample?.before && sample.before.requests >= Math.max(1, minRequests);
  const baselineErrorRate = fromSample ? sample.before!.errorRate : before.baseline.errorRate;
  const baselineSource = fromSample ? 'sample-before' : 'tenant-baseline';
  const baselineText = `${pct(baselineErrorRate)} ${fromSample ? 'before enable' : 'usual baseline'}`;
  const after = sample?.after;
  if (!after) return { baselineErrorRate, baselineSource, minRequests, enough: false, reason: `no sample after enable (baseline ${baselineText})` };
  const delta = after.errorRate - baselineErrorRate;
  const enough = after.requests >= Math.max(1, minRequests);
  return {
    baselineErrorRate,
    baselineSource,
    errorRate: after.errorRate,
    delta,
    requests: after.requests,
    minRequests,
    enough,
    reason: enough
      ? `error rate ${pct(after.errorRate)} vs ${baselineText} (${pp(delta)}) over ${count(after.requests)} requests`
      : `${count(after.requests)} requests, fewer than the ${count(minRequests)} needed to judge the error rate`,
  };
}

function tickets(before: Tenant | undefined, after: Tenant, since: string): TenantHealth['tickets'] {
  const known = new Set((before?.openTickets ?? []).map((t) => t.id));
  const open = new Set(after.openTickets.map((t) => t.id));
  const fresh = after.openTickets.filter((t) => !known.has(t.id) && Date.parse(t.opened) >= Date.parse(since));
  const resolvedIds = [...known].filter((id) => !open.has(id));
  const newBySeverity = sumSeverities(fresh.map((t) => ({ P1: 0, P2: 0, P3: 0, P4: 0, [t.severity]: 1 })));
  return {
    newBySeverity,
    newIds: fresh.map((t) => t.id),
    resolvedIds,
    reason: fresh.length === 0
      ? `no new tickets since enable${resolvedIds.length ? `, ${resolvedIds.length} resolved` : ''}`
      : `new since enable: ${fresh.map(ticketText).join(', ')}`,
  };
}

function activationFlag(
  x: number, peers: TenantHealth['activation'][], label: string, window: string, options: HealthOptions,
): HealthFlag | undefined {
  const values = peers.map((p) => p.usagePerUser as number);
  const m = median(values);
  const z = robustZ(x, values);
  const cohort = `${label} (${plural(values.length, 'tenant')})`;
  if (x === 0) {
    const used = peers.filter((p) => p.activated).length;
    if (used / peers.length >= options.activatedShareForZero) {
      return { kind: 'activation', reason: `not used in the ${window} activation window while ${used} of ${peers.length} tenants in ${label} used it (median ${fixed(m)} per user)` };
    }
  }
  if (m > 0 && x < m * options.activationShareOfMedian && z < -options.outlierZ) {
    return {
      kind: 'activation',
      reason: `activation ${fixed(x)} uses per user, under ${Math.round(options.activationShareOfMedian * 100)} % of the median ${fixed(m)} of ${cohort}; robust z ${signedFixed(z)} below −${options.outlierZ}`,
    };
  }
  return undefined;
}

function errorFlag(e: TenantHealth['errors'], values: number[], label: string, options: HealthOptions): HealthFlag | undefined {
  const delta = e.delta as number;
  const p90 = quantile(values, 0.9);
  const z = robustZ(delta, values);
  if (delta < options.minErrorDelta || delta <= p90 || z <= options.outlierZ) return undefined;
  return {
    kind: 'errors',
    reason: `error rate ${pct(e.errorRate as number)} vs ${pct(e.baselineErrorRate)} baseline (${pp(delta)}), above the p90 ${pp(p90)} `
      + `and median ${pp(median(values))} of ${label} (${plural(values.length, 'tenant')}); robust z ${signedFixed(z)} over +${options.outlierZ}`,
  };
}

function spread(values: number[]) {
  return { median: median(values), mad: mad(values), p90: quantile(values, 0.9), n: values.length };
}

function sumSeverities(counts: z.infer<typeof SeverityCounts>[]): z.infer<typeof SeverityCounts> {
  const total = { P1: 0, P2: 0, P3: 0, P4: 0 };
  for (const c of counts) for (const s of TicketSeverity.options) total[s] += c[s];
  return total;
}

function severityText(c: z.infer<typeof SeverityCounts>): string {
  const parts = TicketSeverity.options.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

function ticketText(t: Ticket): string {
  return `${t.id} (${t.severity}${t.subject ? `, "${t.subject}"` : ''}, opened ${t.opened.slice(0, 16).replace('T', ' ')})`;
}

function earliest(isos: string[]): string | undefined {
  return isos.length === 0 ? undefined : isos.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

function nameOf(tenantId: string, plan: Plan, tenants: Map<string, Tenant>): string {
  return tenants.get(tenantId)?.name ?? plan.profiles.find((p) => p.tenantId === tenantId)?.tenantName ?? tenantId;
}

export function renderHealthReport(report: HealthReport, format: 'markdown' | 'json'): string {
  if (format === 'json') return JSON.stringify(report, null, 2);
  const lines = [
    `# Health report: ${report.featureName} (${report.rolloutId})`,
    '',
    `As of ${report.asOf}; rollout started ${report.rolloutStart}; activation window ${duration(report.activationWindowSeconds)}.`,
    '',
    report.summary,
    '',
  ];
  if (report.outreach.length > 0) {
    lines.push('## Customer-success outreach', '');
    for (const o of report.outreach) lines.push(`- **${o.tenantName}** (${o.tenantId}): ${o.reasons.join('; ')}`);
    lines.push('');
  }
  lines.push('## Tenants', '', '| tenant | wave | activation | errors | new tickets | outreach |', '| --- | --- | --- | --- | --- | --- |');
  for (const t of report.tenants) {
    lines.push(`| ${cell(t.tenantName)} | ${t.waveId} (${t.stage}) | ${cell(t.activation.reason)} | ${cell(t.errors.reason)} | ${cell(t.tickets.reason)} | ${t.outreach ? 'yes' : '–'} |`);
  }
  lines.push('');
  if (report.rolledBack.length > 0) {
    lines.push('## Rolled back', '');
    for (const r of report.rolledBack) lines.push(`- **${r.tenantName}** in wave ${r.waveId}${r.rolledBackAt ? ` at ${r.rolledBackAt}` : ''}: ${r.reason}`);
    lines.push('');
  }
  lines.push('## Cohorts', '');
  for (const c of report.cohorts) {
    const act = c.activation ? `activation median ${fixed(c.activation.median)} per user (MAD ${fixed(c.activation.mad)})` : undefined;
    const err = c.errorDelta ? `error delta median ${pp(c.errorDelta.median)}, p90 ${pp(c.errorDelta.p90)}` : undefined;
    lines.push(`- ${c.id}: ${plural(c.tenantIds.length, 'tenant')}; ${[act, err, c.note].filter(Boolean).join('; ')}`);
  }
  if (report.warnings.length > 0) lines.push('', '## Warnings', '', ...report.warnings.map((w) => `- ${w}`));
  return `${lines.join('\n')}\n`;
}
