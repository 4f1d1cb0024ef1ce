import { noticeRecipient } from '../../shared/notices/facts';
import { NoticeRecord } from '../../activities/store/records';
import type { AppStore } from '../../activities/store/types';
import { ApiError, notFound } from '../errors';
import { can } from '../roles';
import { route } from '../route';
import { rolloutState } from '../temporal';
import { assertInPlan } from '../plan-members';
import { NoticeEditBody, NoticeIdParams, NoticeList, NoticeListQuery, RolloutIdParams, TenantIdParams } from '../schemas';

async function existing(store: AppStore, id: string): Promise<NoticeRecord> {
  const notice = await store.getNotice(id);
  if (!notice) throw notFound(`notice ${id}`);
  return notice;
}

const found = (id: string, notice: NoticeRecord | undefined): NoticeRecord => {
  if (!notice) throw notFound(`notice ${id}`);
  return notice;
};

export const noticeRoutes = [
  route({
    method: 'get', path: '/api/v1/rollouts/{id}/notices', operationId: 'listRolloutNotices', tag: 'notices',
    summary: 'Notices of a rollout, optionally of one wave or tenant',
    roles: can.read, action: 'read notices', params: RolloutIdParams, query: NoticeListQuery,
    responses: { 200: { description: 'Notices', schema: NoticeList }, 404: { description: 'Unknown rollout, or a wave or tenant its plan does not have' } },
    async handler({ params, query, deps }) {
      const notices = await deps.store.listNotices({ rolloutId: params.id, ...query });
      // An empty list must not hide a mistyped rollout id, nor a wave or tenant the plan lacks.
      if (notices.length === 0) {
        await rolloutState(deps.temporal, params.id);
        await assertInPlan(deps.store, params.id, { waveId: query.waveId, tenantId: query.tenantId });
      }
      return { body: { notices } };
    },
  }),
  route({
    method: 'get', path: '/api/v1/tenants/{id}/notices', operationId: 'listTenantNotices', tag: 'notices',
    summary: 'Every notice a tenant got, across rollouts',
    roles: can.read, action: 'read notices', params: TenantIdParams,
    responses: { 200: { description: 'Notices', schema: NoticeList } },
    async handler({ params, deps }) {
      const notices = await deps.store.listNotices({ tenantId: params.id });
      // A removed tenant keeps its notices; an empty list must not hide a mistyped tenant id.
      if (notices.length === 0 && (await deps.store.getStoredTenantDocument(params.id)) === undefined) throw notFound(`tenant ${params.id}`);
      return { body: { notices } };
    },
  }),
  route({
    method: 'get', path: '/api/v1/notices/{noticeId}', operationId: 'getNotice', tag: 'notices',
    summary: 'One notice with its review state', roles: can.read, action: 'read notices', params: NoticeIdParams,
    responses: { 200: { description: 'The notice', schema: NoticeRecord } },
    async handler({ params, deps }) {
      return { body: await existing(deps.store, params.noticeId) };
    },
  }),
  route({
    method: 'patch', path: '/api/v1/notices/{noticeId}', operationId: 'editNotice', tag: 'notices',
    summary: 'Edit the text of a notice; an approved notice goes back to draft (the approval was for the old text)',
    roles: can.reviewNotices, action: 'edit notices', params: NoticeIdParams, body: NoticeEditBody,
    responses: { 200: { description: 'The edited notice', schema: NoticeRecord }, 409: { description: 'The notice was already sent' } },
    async handler({ params, body, actor, deps }) {
      return { body: found(params.noticeId, await deps.store.editNotice(params.noticeId, { ...body, by: actor.id })) };
    },
  }),
  route({
    method: 'post', path: '/api/v1/notices/{noticeId}/approve', operationId: 'approveNotice', tag: 'notices',
    summary: 'Approve a notice for sending', roles: can.reviewNotices, action: 'approve notices', params: NoticeIdParams,
    responses: { 200: { description: 'The approved notice', schema: NoticeRecord }, 409: { description: 'The notice was already sent' } },
    async handler({ params, actor, deps }) {
      return { body: found(params.noticeId, await deps.store.approveNotice(params.noticeId, { by: actor.id })) };
    },
  }),
  route({
    method: 'post', path: '/api/v1/notices/{noticeId}/send', operationId: 'sendNotice', tag: 'notices',
    summary: 'Send an approved notice to the tenant\'s admin (file, Slack or SMTP as configured); sending twice keeps the first send',
    roles: can.reviewNotices, action: 'send notices', params: NoticeIdParams,
    responses: {
      200: { description: 'The sent notice', schema: NoticeRecord },
      409: { description: 'The notice is not approved' },
      502: { description: 'The delivery channel refused or could not be reached; the notice stays approved' },
    },
    async handler({ params, actor, deps }) {
      const notice = await existing(deps.store, params.noticeId);
      if (notice.status === 'draft') throw new ApiError(409, 'conflict', `notice ${params.noticeId} is a draft; approve it before sending`);
      if (notice.status === 'sent' || !deps.delivery) {
        return { body: found(params.noticeId, await deps.store.markNoticeSent(params.noticeId, { via: `api:${actor.id}` })) };
      }
      const [tenant] = await deps.store.getTenants([notice.tenantId]);
      const to = tenant ? noticeRecipient(tenant) : undefined;
      let channel: string;
      try {
        channel = (await deps.delivery.deliver(notice, { email: to?.email, name: to?.name })).channel;
      } catch (err) {
        throw new ApiError(502, 'delivery-failed', `notice ${params.noticeId} could not be sent: ${(err as Error).message}; it stays approved, try again`);
      }
      return { body: found(params.noticeId, await deps.store.markNoticeSent(params.noticeId, { via: `${channel} by api:${actor.id}` })) };
    },
  }),
];
