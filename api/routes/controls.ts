/**
 * Controls are Signals: durable even while no worker runs, so the API answers 202 and the
 * workflow applies them (and writes them to the audit trail) when it next runs.
 */
import type { SignalDefinition } from '@temporalio/client';
import type { TokenRole } from '../../activities/store/records';
import {
  abortSignal, excludeTenantSignal, pauseSignal, resumeSignal, rollbackTenantSignal, type ControlInput, type TenantControlInput,
} from '../../workflows/messages';
import { assertInPlan } from '../plan-members';
import { can } from '../roles';
import { route } from '../route';
import { Accepted, ControlBody, RolloutIdParams, RolloutTenantParams } from '../schemas';
import { onRollout, rolloutHandle } from '../temporal';

const NOTE = 'the rollout applies the control and records it in its audit trail; GET the rollout to see the effect';
const RESPONSES = {
  202: { description: 'Signalled', schema: Accepted },
  409: { description: 'The rollout is no longer running' },
};
const TENANT_RESPONSES = { ...RESPONSES, 404: { description: 'Unknown rollout, or a tenant its plan does not have' } };

function rolloutControl(name: 'pause' | 'resume' | 'abort', signal: SignalDefinition<[ControlInput]>, roles: readonly TokenRole[], summary: string) {
  return route({
    method: 'post', path: `/api/v1/rollouts/{id}/${name}`, operationId: `${name}Rollout`, tag: 'controls', summary,
    roles, action: `${name} rollouts`, params: RolloutIdParams, body: ControlBody, responses: RESPONSES,
    async handler({ params, body, actor, deps }) {
      const { temporal } = deps;
      await onRollout(temporal, params.id, 'the rollout', () => rolloutHandle(temporal, params.id).signal(signal, { actor, reason: body.reason }));
      return { status: 202, body: { accepted: true, rolloutId: params.id, control: name, note: NOTE } };
    },
  });
}

function tenantControl(name: 'exclude' | 'hold' | 'rollback', roles: readonly TokenRole[], summary: string) {
  return route({
    method: 'post', path: `/api/v1/rollouts/{id}/tenants/{tenantId}/${name}`, operationId: `${name}Tenant`, tag: 'controls', summary,
    roles, action: `${name} tenants`, params: RolloutTenantParams, body: ControlBody, responses: TENANT_RESPONSES,
    async handler({ params, body, actor, deps }) {
      const { temporal } = deps;
      await assertInPlan(deps.store, params.id, { tenantId: params.tenantId });
      const input: TenantControlInput = { actor, reason: body.reason, tenantId: params.tenantId };
      const handle = rolloutHandle(temporal, params.id);
      await onRollout(temporal, params.id, 'the rollout', () => (name === 'rollback'
        ? handle.signal(rollbackTenantSignal, input)
        : handle.signal(excludeTenantSignal, { ...input, mode: name })));
      return { status: 202, body: { accepted: true, rolloutId: params.id, control: `${name} ${params.tenantId}`, note: NOTE } };
    },
  });
}

export const controlRoutes = [
  rolloutControl('pause', pauseSignal, can.pauseResume, 'Pause: no new wave starts, soaks and waits stop at the next step'),
  rolloutControl('resume', resumeSignal, can.pauseResume, 'Resume a paused rollout'),
  rolloutControl('abort', abortSignal, can.abortOrRollback, 'Abort: roll back every enabled tenant, newest first'),
  tenantControl('exclude', can.exclude, 'Keep a tenant out of every wave that has not enabled it yet'),
  tenantControl('hold', can.exclude, 'Put a tenant on hold: it waits out this rollout, with the reason'),
  tenantControl('rollback', can.abortOrRollback, 'Roll back one tenant now (one its running wave has not enabled yet is kept out of the rollout instead)'),
];
