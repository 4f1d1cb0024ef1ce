/**
 * Who may do what. Decision roles come from the workflow messages, so the API's 403 and the
 * workflow validator's rejection can never disagree about a role.
 */
import type { TokenRole } from '../activities/store/records';
import { decisionRoles } from '../workflows/messages';

export const ROLES: readonly TokenRole[] = ['admin', 'pm', 'approver', 'sre', 'viewer'];

export const can = {
  read: ROLES,
  manageRegistry: ['admin', 'pm'],
  preview: ['admin', 'pm', 'approver', 'sre'],
  startRollout: ['admin', 'pm'],
  decidePlan: decisionRoles.plan,
  decideWave: decisionRoles.wave,
  decideTenant: decisionRoles.tenant,
  decideRollback: decisionRoles.rollback,
  /** Stopping or slowing a rollout is safe to allow widely; aborting and rolling back are SRE calls. */
  pauseResume: ['admin', 'pm', 'sre'],
  exclude: ['admin', 'pm', 'sre'],
  abortOrRollback: ['admin', 'sre'],
  reviewNotices: ['admin', 'pm'],
  postMetrics: ['admin', 'sre'],
} as const satisfies Record<string, readonly TokenRole[]>;
