/**
 * Every message of the rollout, defined once: the workflows, the API and the tests import these.
 * Decisions are Updates (the caller hears accepted/rejected and why); controls are Signals
 * (durable even while no worker runs); state is read with Queries.
 *
 * Routing: plan approval and controls go to the rollout workflow (id = rollout id); wave and
 * tenant decisions go to the wave's child workflow, whose id is `waveWorkflowId(rolloutId, waveId)`.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, AuditEntry, RolloutStatus, WaveStatus, PlanSummary } from '../shared/model/rollout';

export function waveWorkflowId(rolloutId: string, waveId: string): string {
  return `${rolloutId}/wave-${waveId}`;
}

export interface DecisionInput {
  actor: Actor;
  comment?: string;
}
export interface WaveDecisionInput extends DecisionInput {
  waveId: string;
}
export interface TenantDecisionInput extends WaveDecisionInput {
  tenantId: string;
}
export interface RollbackDecisionInput extends DecisionInput {
  decisionId: string;
  /** true: roll the tenant back; false: keep the feature on. */
  rollback: boolean;
}
export interface DecisionReceipt {
  decisionId: string;
  accepted: true;
  by: string;
  at: string;
  outcome: string;
}

export interface ControlInput {
  actor: Actor;
  reason: string;
}
export interface TenantControlInput extends ControlInput {
  tenantId: string;
}

// Rollout (parent) workflow
export const approvePlanUpdate = defineUpdate<DecisionReceipt, [DecisionInput]>('approvePlan');
export const rejectPlanUpdate = defineUpdate<DecisionReceipt, [DecisionInput]>('rejectPlan');
export const pauseSignal = defineSignal<[ControlInput]>('pause');
export const resumeSignal = defineSignal<[ControlInput]>('resume');
export const abortSignal = defineSignal<[ControlInput]>('abort');
/** Keep a tenant out of every wave that has not enabled it yet. */
export const excludeTenantSignal = defineSignal<[TenantControlInput & { mode: 'exclude' | 'hold' }]>('excludeTenant');
export const rollbackTenantSignal = defineSignal<[TenantControlInput]>('rollbackTenant');
export const statusQuery = defineQuery<RolloutStatus>('status');
export const planQuery = defineQuery<PlanSummary | undefined>('plan');
export const auditQuery = defineQuery<AuditEntry[]>('audit');

// Wave (child) workflow
export const approveWaveUpdate = defineUpdate<DecisionReceipt, [WaveDecisionInput]>('approveWave');
export const rejectWaveUpdate = defineUpdate<DecisionReceipt, [WaveDecisionInput]>('rejectWave');
export const approveTenantUpdate = defineUpdate<DecisionReceipt, [TenantDecisionInput]>('approveTenant');
export const rejectTenantUpdate = defineUpdate<DecisionReceipt, [TenantDecisionInput]>('rejectTenant');
export const decideRollbackUpdate = defineUpdate<DecisionReceipt, [RollbackDecisionInput]>('decideRollback');
export const waveStatusQuery = defineQuery<WaveStatus>('waveStatus');
/** Parent → child: controls forwarded to the waves that are running. */
export type WaveControl = {
  kind: 'pause' | 'resume' | 'abort' | 'exclude' | 'rollback'; tenantId?: string; actor: string; reason: string;
  /** For `exclude`: whether the tenant is excluded or held (signals sent before this field: excluded). */
  state?: 'excluded' | 'held';
};
export const waveControlSignal = defineSignal<[WaveControl]>('waveControl');

/** Child → parent: a wave is (or no longer is) waiting for people; drives RolloutStatus. */
export const waveAwaitingSignal = defineSignal<[{ waveId: string; waiting: boolean }]>('waveAwaiting');

/** Roles allowed to make each decision. Four-eyes is checked on top, per wave. */
export const decisionRoles = {
  plan: ['admin', 'pm', 'approver'],
  wave: ['admin', 'approver'],
  tenant: ['admin', 'approver'],
  rollback: ['admin', 'approver', 'sre'],
} as const satisfies Record<string, readonly Actor['role'][]>;
