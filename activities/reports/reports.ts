import { ApplicationFailure } from '@temporalio/common';
import type { Plan } from '../../shared/model/plan';
import type { AuditEntry, WaveOutcome } from '../../shared/model/rollout';
import { buildHealthReport, HealthReport, type HealthSample } from '../../shared/report/health';
import { buildRetrospective } from '../../shared/report/retrospective';
import type { LlmSettings } from '../notices/llm';
import type { MetricsProvider, RolloutStore } from '../ports';
import { narrateRetrospective } from './narrative';

export interface ReportDeps {
  store: RolloutStore;
  metrics: MetricsProvider;
  /** Optional LLM for the retrospective's narrative; the template is used without it. */
  llm?: LlmSettings;
  now?: () => Date;
}

/**
 * The reports the rollout writes after its health window: each is built by the pure functions in
 * shared/report, stored whole, and only its one-line summary goes back into workflow history.
 */
export function createReports(deps: ReportDeps) {
  const now = deps.now ?? (() => new Date());

  return {
    async health(args: { rolloutId: string; plan: Plan; outcomes: WaveOutcome[] }): Promise<{ summary: string }> {
      const asOf = now();
      const enabled = args.outcomes.flatMap((o) => o.tenants.filter((t) => t.state === 'enabled' || t.state === 'rolled-back'));
      // A stored tenant that no longer validates is left out of the ticket counts rather than failing the report.
      const { tenants } = await deps.store.readTenants([...new Set(enabled.map((t) => t.tenantId))]);
      const activationWindowSeconds = args.plan.healthWindowSeconds;
      // The metrics port samples the last N seconds: tenants enabled together share one window,
      // never longer than the activation window nor reaching back before their enable.
      const groups = new Map<number, string[]>();
      for (const t of enabled.filter((x) => x.state === 'enabled')) {
        const since = t.enabledAt ? Math.max(1, Math.round((asOf.getTime() - Date.parse(t.enabledAt)) / 1000)) : activationWindowSeconds;
        const window = Math.min(activationWindowSeconds, since);
        groups.set(window, [...(groups.get(window) ?? []), t.tenantId]);
      }
      const samples: { tenantId: string; after: HealthSample }[] = [];
      for (const [windowSeconds, tenantIds] of groups) {
        const got = await deps.metrics.sample({ featureKey: args.plan.feature.key, tenantIds, windowSeconds });
        samples.push(...got.map((s) => ({ tenantId: s.tenantId, after: s })));
      }
      const report = buildHealthReport({
        rolloutId: args.rolloutId,
        plan: args.plan,
        outcomes: args.outcomes,
        // The store keeps tenants as they are now; tickets count from each tenant's enable time instead.
        tenantsBefore: [],
        tenantsAfter: tenants,
        samples,
        asOf: asOf.toISOString(),
        activationWindowSeconds,
      });
      await deps.store.putReport(args.rolloutId, 'health', report);
      return { summary: report.summary };
    },

    async retrospective(args: { rolloutId: string; plan: Plan; outcomes: WaveOutcome[]; audit: AuditEntry[] }): Promise<{ summary: string; adjustments: number }> {
      const stored = HealthReport.safeParse(await deps.store.getReport(args.rolloutId, 'health'));
      if (!stored.success) {
        throw ApplicationFailure.create({
          type: 'RolloutInputError',
          nonRetryable: true,
          message: `no valid health report stored for rollout ${args.rolloutId}; the retrospective builds on it`,
        });
      }
      const tenantIds = [...new Set(args.plan.waves.flatMap((w) => w.members.map((m) => m.tenantId)))];
      const retro = buildRetrospective({
        rolloutId: args.rolloutId,
        plan: args.plan,
        outcomes: args.outcomes,
        health: stored.data,
        audit: args.audit,
        asOf: now().toISOString(),
        priorAdjustments: await deps.store.getRiskAdjustments(tenantIds),
      });
      const narrative = await narrateRetrospective(retro, deps.llm);
      await deps.store.putReport(args.rolloutId, 'retrospective', { ...retro, narrative });
      // Keyed by tenant + rollout + reason in the store, so a retried activity adds nothing twice.
      await deps.store.addRiskAdjustments(retro.riskAdjustments);
      return { summary: retro.summary, adjustments: retro.riskAdjustments.length };
    },
  };
}

export type Reports = ReturnType<typeof createReports>;
