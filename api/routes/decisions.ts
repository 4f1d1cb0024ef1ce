/**
 * Decisions are Updates: the workflow's validator accepts or rejects them (wrong wave, wrong
 * role, four-eyes) and a rejection comes back as 409 with the validator's reason. The actor is
 * always the token's principal.
 */
import type { UpdateDefinition } from '@temporalio/client';
import {
  approvePlanUpdate, approveTenantUpdate, approveWaveUpdate, decideRollbackUpdate, rejectPlanUpdate, rejectTenantUpdate, rejectWaveUpdate,
  type DecisionReceipt as Receipt,
} from '../../workflows/messages';
import type { TemporalDeps } from '../deps';
import { ApiError } from '../errors';
import { assertInPlan } from '../plan-members';
import { can } from '../roles';
import { route } from '../route';
import { DecisionBody, DecisionParams, DecisionReceipt, RollbackDecisionBody, RolloutIdParams, WaveParams, WaveTenantParams } from '../schemas';
import { onRollout, rolloutHandle, UPDATE_DEADLINE_MS, waveHandle } from '../temporal';

const RESPONSES = {
  200: { description: 'Accepted: who decided, when, and what happens next', schema: DecisionReceipt },
  404: { description: 'Unknown rollout, or a wave or tenant its plan does not have' },
  409: { description: 'Rejected by the workflow (not awaiting this decision, role, four-eyes) or not running; the message says why' },
};

function decide<A>(temporal: TemporalDeps, rolloutId: string, target: { waveId?: string; label: string }, update: UpdateDefinition<Receipt, [A]>, arg: A): Promise<Receipt> {
  const handle = target.waveId ? waveHandle(temporal, rolloutId, target.waveId) : rolloutHandle(temporal, rolloutId);
  return onRollout(temporal, rolloutId, target.label, () => handle.executeUpdate(update, { args: [arg] }), UPDATE_DEADLINE_MS, target.waveId);
}

function planDecision(approve: boolean) {
  const verb = approve ? 'approve' : 'reject';
  return route({
    method: 'post', path: `/api/v1/rollouts/{id}/plan/${verb}`, operationId: `${verb}Plan`, tag: 'decisions',
    summary: `${approve ? 'Approve' : 'Reject'} the plan of a rollout started with requirePlanApproval`,
    roles: can.decidePlan, action: `${verb} plans`, params: RolloutIdParams, body: DecisionBody, responses: RESPONSES,
    async handler({ params, body, actor, deps }) {
      const receipt = await decide(deps.temporal, params.id, { label: 'the rollout' }, approve ? approvePlanUpdate : rejectPlanUpdate, { actor, comment: body.comment });
      return { body: receipt };
    },
  });
}

function waveDecision(approve: boolean) {
  const verb = approve ? 'approve' : 'reject';
  return route({
    method: 'post', path: `/api/v1/rollouts/{id}/waves/{waveId}/${verb}`, operationId: `${verb}Wave`, tag: 'decisions',
    summary: approve ? 'Go for a wave (or pass its manual checkpoint)' : 'No-go for a wave: it and the rest of the rollout stop',
    roles: can.decideWave, action: `${verb} waves`, params: WaveParams, body: DecisionBody, responses: RESPONSES,
    async handler({ params, body, actor, deps }) {
      await assertInPlan(deps.store, params.id, { waveId: params.waveId });
      const receipt = await decide(deps.temporal, params.id, { waveId: params.waveId, label: `wave ${params.waveId}` },
        approve ? approveWaveUpdate : rejectWaveUpdate, { actor, comment: body.comment, waveId: params.waveId });
      return { body: receipt };
    },
  });
}

function tenantDecision(approve: boolean) {
  const verb = approve ? 'approve' : 'reject';
  return route({
    method: 'post', path: `/api/v1/rollouts/{id}/waves/{waveId}/tenants/{tenantId}/${verb}`, operationId: `${verb}Tenant`, tag: 'decisions',
    summary: `${approve ? 'Go' : 'No-go'} for one tenant in a per-tenant-review wave`,
    roles: can.decideTenant, action: `${verb} tenants`, params: WaveTenantParams, body: DecisionBody, responses: RESPONSES,
    async handler({ params, body, actor, deps }) {
      await assertInPlan(deps.store, params.id, { waveId: params.waveId, tenantId: params.tenantId });
      const receipt = await decide(deps.temporal, params.id, { waveId: params.waveId, label: `wave ${params.waveId}` },
        approve ? approveTenantUpdate : rejectTenantUpdate, { actor, comment: body.comment, waveId: params.waveId, tenantId: params.tenantId });
      return { body: receipt };
    },
  });
}

export const decisionRoutes = [
  planDecision(true),
  planDecision(false),
  waveDecision(true),
  waveDecision(false),
  tenantDecision(true),
  tenantDecision(false),
  route({
    method: 'post', path: '/api/v1/rollouts/{id}/decisions/{decisionId}', operationId: 'decideRollback', tag: 'decisions',
    summary: 'Answer an advisory rollback: roll the tenant back, or keep the feature on',
    description: 'The decision id is the `id` of a pending decision of kind advisory-rollback in the rollout status.',
    roles: can.decideRollback, action: 'decide advisory rollbacks', params: DecisionParams, body: RollbackDecisionBody, responses: RESPONSES,
    async handler({ params, body, actor, deps }) {
      // The decision id starts with the wave id: that is where the update goes.
      const waveId = params.decisionId.split(':')[0];
      if (!waveId || waveId === params.decisionId) {
        throw new ApiError(400, 'validation-failed', `decision id ${params.decisionId} is not an advisory decision id (<waveId>:...)`, [{ path: 'params.decisionId', message: 'expected <waveId>:...' }]);
      }
      await assertInPlan(deps.store, params.id, { waveId });
      const receipt = await decide(deps.temporal, params.id, { waveId, label: `wave ${waveId}` }, decideRollbackUpdate,
        { actor, comment: body.comment, decisionId: params.decisionId, rollback: body.rollback });
      return { body: receipt };
    },
  }),
];
