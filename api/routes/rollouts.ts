import { WorkflowNotFoundError } from '@temporalio/client';
import { z } from 'zod';
import { Plan } from '../../shared/model/plan';
import { RolloutSpec, WaveOutcome, type RolloutStatus, type TenantOutcome, type WaveStatus } from '../../shared/model/rollout';
import { RolloutFeature, RolloutStatus as RolloutStatusKey } from '../../shared/temporal/search-attributes';
import { firstSentNotices } from '../../shared/readiness/checklist';
import { auditQuery, statusQuery, waveStatusQuery } from '../../workflows/messages';
import { fullAudit, storedWaveOutcomes } from '../../activities/rollout';
import { workflowUiUrl, type TemporalDeps } from '../deps';
import { ApiError } from '../errors';
import { can } from '../roles';
import { route } from '../route';
import {
  AuditTrail, PlanFormat, ReportParams, RolloutIdParams, RolloutList, RolloutListQuery, RolloutStarted, RolloutStatusView, StartRolloutBody,
} from '../schemas';
import { onRollout, QUERY_DEADLINE_MS, rolloutHandle, rolloutState, waveHandle, withDeadline } from '../temporal';
import { assertDeadlineAhead, planResult, storedFeature, tenantsFor } from './plans';

/** A readable default id: the feature and the UTC minute it started, plus a little randomness. */
function defaultRolloutId(featureKey: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  return `${featureKey}-${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

async function runningWaveStatus(temporal: TemporalDeps, rolloutId: string, waveId: string): Promise<WaveStatus | undefined> {
  try {
    return await waveHandle(temporal, rolloutId, waveId).query(waveStatusQuery);
  } catch (err) {
    // The wave finished between the two queries: the parent's next status has its outcome.
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** Parent status merged with its running waves, which know their tenants and pending decisions best. */
/**
 * One view of a rollout: every tenant of the finished waves (stored outcomes), then what the
 * rollout itself knows since (rollbacks, exclusions, holds), then the running waves live.
 */
export function mergeStatus(parent: RolloutStatus, waves: WaveStatus[], finished: WaveOutcome[] = []): Omit<z.infer<typeof RolloutStatusView>, 'uiUrl'> {
  const tenants = new Map<string, TenantOutcome>();
  for (const o of finished) for (const t of o.tenants) tenants.set(t.tenantId, t);
  for (const t of parent.tenants) tenants.set(t.tenantId, t);
  for (const wave of waves) for (const t of wave.tenants) tenants.set(t.tenantId, t);
  const pending = new Map(parent.pendingDecisions.map((d) => [d.id, d]));
  for (const wave of waves) for (const d of wave.pendingDecisions) pending.set(d.id, d);
  return { ...parent, tenants: [...tenants.values()], pendingDecisions: [...pending.values()], runningWaves: waves };
}

function escapeQueryValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

export const rolloutRoutes = [
  route({
    method: 'post', path: '/api/v1/rollouts', operationId: 'startRollout', tag: 'rollouts',
    summary: 'Start a rollout of a stored feature; you (the token) are its starter',
    description: 'Returns the rollout id and its link in the Temporal Web UI. Durations (seconds) override the feature\'s, e.g. to compress a demo.',
    roles: can.startRollout, action: 'start rollouts', body: StartRolloutBody,
    responses: {
      201: { description: 'Started', schema: RolloutStarted },
      404: { description: 'Unknown feature' },
      409: { description: 'The rollout id is taken, the registry is empty, a stored tenant of the rollout no longer validates (`stored-tenant-invalid`, naming each tenant, field and fix), or the stored feature does not (`stored-feature-invalid`)' },
      422: { description: 'The feature\'s deadline has already passed' },
    },
    async handler({ body, actor, deps }) {
      assertDeadlineAhead(await storedFeature(deps.store, body.featureKey), body.asOf ?? new Date().toISOString(), true);
      // The workflow plans from the same stored tenants: refuse here, with the fix, rather than start a rollout that fails.
      await tenantsFor(deps.store, body.tenantIds);
      const rolloutId = body.rolloutId ?? defaultRolloutId(body.featureKey, new Date());
      const spec = RolloutSpec.parse({ ...body, rolloutId, startedBy: actor });
      const { temporal } = deps;
      const handle = await withDeadline(temporal, QUERY_DEADLINE_MS, () => temporal.client.workflow.start('rolloutWorkflow', {
        workflowId: rolloutId,
        taskQueue: temporal.taskQueue,
        args: [spec],
        // One id, one rollout: a finished rollout's id is not reused for another.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: RolloutFeature, value: spec.featureKey },
          { key: RolloutStatusKey, value: 'PLANNING' },
        ],
        staticSummary: `Rollout of ${spec.featureKey}, started by ${actor.id} (${actor.role})`,
        staticDetails: [
          `**Feature** ${spec.featureKey} · **started by** ${actor.id} (${actor.role}) · **calendar** ${spec.calendar}`,
          `**Tenants** ${spec.tenantIds ? spec.tenantIds.join(', ') : 'every tenant in the registry'}`,
          `**Unanswered decisions** at their deadline: ${spec.onDecisionTimeout}${spec.requirePlanApproval ? ' · the plan needs approval first' : ''}`,
          `Waves run as child workflows \`${rolloutId}/wave-<id>\`; decisions and automatic actions are in their histories and in the \`audit\` query.`,
        ].join('\n\n'),
      }));
      const uiUrl = workflowUiUrl(temporal, rolloutId);
      return {
        status: 201,
        headers: { Location: `/api/v1/rollouts/${rolloutId}` },
        body: { rolloutId, workflowId: handle.workflowId, runId: handle.firstExecutionRunId, uiUrl, statusUrl: `/api/v1/rollouts/${rolloutId}` },
      };
    },
  }),
  route({
    method: 'get', path: '/api/v1/rollouts', operationId: 'listRollouts', tag: 'rollouts',
    summary: 'Rollouts from Temporal visibility, newest first, filtered by status and feature',
    roles: can.read, action: 'list rollouts', query: RolloutListQuery,
    responses: { 200: { description: 'Rollouts and the visibility query used', schema: RolloutList } },
    async handler({ query, deps }) {
      const clauses = [`WorkflowType = 'rolloutWorkflow'`];
      if (query.status) clauses.push(`${RolloutStatusKey.name} = '${query.status}'`);
      if (query.feature) clauses.push(`${RolloutFeature.name} = '${escapeQueryValue(query.feature)}'`);
      const visibility = clauses.join(' AND ');
      const limit = query.limit ?? 50;
      const rollouts: z.infer<typeof RolloutList>['rollouts'] = [];
      await withDeadline(deps.temporal, QUERY_DEADLINE_MS, async () => {
        for await (const info of deps.temporal.client.workflow.list({ query: visibility, pageSize: Math.min(limit, 100) })) {
          rollouts.push({
            rolloutId: info.workflowId,
            featureKey: info.typedSearchAttributes.get(RolloutFeature) ?? null,
            status: info.typedSearchAttributes.get(RolloutStatusKey) ?? null,
            workflowStatus: info.status.name,
            startedAt: info.startTime.toISOString(),
            closedAt: info.closeTime?.toISOString() ?? null,
            uiUrl: workflowUiUrl(deps.temporal, info.workflowId),
          });
          if (rollouts.length >= limit) break;
        }
      });
      return { body: { rollouts, query: visibility } };
    },
  }),
  route({
    method: 'get', path: '/api/v1/rollouts/{id}', operationId: 'getRollout', tag: 'rollouts',
    summary: 'Status: phase, waves, per-tenant state, pending decisions with deadlines and defaults',
    roles: can.read, action: 'read rollouts', params: RolloutIdParams,
    responses: { 200: { description: 'The merged status of the rollout and its running waves', schema: RolloutStatusView } },
    async handler({ params, deps }) {
      const { temporal } = deps;
      const status = await onRollout(temporal, params.id, 'the rollout', () => rolloutHandle(temporal, params.id).query(statusQuery));
      const waves = await Promise.all(status.currentWaves.map((w) => runningWaveStatus(temporal, params.id, w.waveId)));
      const ended = status.waves.filter((w) => !['scheduled', 'waiting-for-start'].includes(w.phase) && !status.currentWaves.some((c) => c.waveId === w.waveId));
      const finished = await storedWaveOutcomes(deps.store, params.id, ended.map((w) => w.waveId));
      const merged = mergeStatus(status, waves.filter((w): w is WaveStatus => w !== undefined), finished);
      return { body: { ...merged, uiUrl: workflowUiUrl(temporal, params.id) } };
    },
  }),
  route({
    method: 'get', path: '/api/v1/rollouts/{id}/plan', operationId: 'getRolloutPlan', tag: 'rollouts',
    summary: 'The full plan the rollout runs (stored when it was built), as JSON, markdown or table',
    roles: can.read, action: 'read plans', params: RolloutIdParams, query: z.strictObject({ format: PlanFormat.optional() }),
    responses: {
      200: { description: 'The plan', schema: Plan },
      409: { description: 'The rollout has not built its plan yet' },
    },
    async handler({ params, query, deps }) {
      const plan = await deps.store.getPlan(params.id);
      if (!plan) {
        const state = await rolloutState(deps.temporal, params.id);
        throw new ApiError(409, 'not-ready', `rollout ${params.id} (${state.status.toLowerCase()}) has no stored plan yet; it is built at the start of the rollout`);
      }
      const format = query.format ?? 'json';
      if (format === 'json') return planResult(plan, format);
      const [feature, tenants, notices] = await Promise.all([
        deps.store.getFeature(plan.feature.key),
        deps.store.getTenants(plan.profiles.map((p) => p.tenantId)),
        deps.store.listNotices({ rolloutId: params.id }),
      ]);
      // The readiness preview of a running rollout counts the notices it has sent, as the
      // wave's readiness check will (each tenant's first sent notice), not "none sent yet".
      const sentAt = firstSentNotices(notices);
      return planResult(plan, format, feature ? { feature, tenants, notices: { sentAt, asOf: new Date().toISOString() } } : undefined);
    },
  }),
  route({
    method: 'get', path: '/api/v1/rollouts/{id}/audit', operationId: 'getRolloutAudit', tag: 'rollouts',
    summary: 'Every decision and automatic action: who, when, what, why',
    roles: can.read, action: 'read audit trails', params: RolloutIdParams,
    responses: { 200: { description: 'The audit trail, oldest first', schema: AuditTrail } },
    async handler({ params, deps }) {
      const { temporal } = deps;
      // Earlier runs and finished waves stored their entries; the current run answers the query.
      const [status, live] = await onRollout(temporal, params.id, 'the rollout', () => Promise.all([
        rolloutHandle(temporal, params.id).query(statusQuery), rolloutHandle(temporal, params.id).query(auditQuery),
      ]));
      const entries = await fullAudit(deps.store, params.id, status.auditSegments, live);
      return { body: { rolloutId: params.id, entries } };
    },
  }),
  route({
    method: 'get', path: '/api/v1/rollouts/{id}/reports/{kind}', operationId: 'getRolloutReport', tag: 'reports',
    summary: 'The health report or the retrospective of a rollout (written after the health window)',
    roles: can.read, action: 'read reports', params: ReportParams,
    responses: {
      200: { description: 'The report as the rollout stored it' },
      409: { description: 'The report is not written yet' },
    },
    async handler({ params, deps }) {
      const report = await deps.store.getReport(params.id, params.kind);
      if (report !== undefined) return { body: report };
      const state = await rolloutState(deps.temporal, params.id);
      // An ended rollout without the report will never write it: only one that ran through its
      // last wave and health window does, an aborted or rejected one writes none.
      if (!state.running) throw new ApiError(409, 'not-ready', `rollout ${params.id} has ended (workflow ${state.status.toLowerCase()}) without a ${params.kind} report, and will not write one: reports follow the health window after the last wave, and an aborted or rejected rollout writes none`);
      throw new ApiError(409, 'not-ready', `the ${params.kind} report of rollout ${params.id} is not written yet (the workflow is ${state.status.toLowerCase()}); reports follow the health window after the last wave`);
    },
  }),
];
