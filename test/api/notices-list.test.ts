import { noticeRoutes } from '../../api/routes/notices';
import type { ApiError } from '../../api/errors';

/**
 * GET /api/v1/rollouts/{id}/notices?waveId=… with a wave the plan does not have: docs/API.md
 * promises a 404 naming the plan's waves, not an empty list that reads as "no notices yet".
 */
describe('notices of a rollout, filtered', () => {
  const route = noticeRoutes.find((r) => r.path === '/api/v1/rollouts/{id}/notices')!;
  const deps = {
    store: {
      listNotices: async () => [],
      getPlan: async () => ({ waves: [{ id: 'w1a' }, { id: 'w1b' }], profiles: [{ tenantId: 'acme-corp' }] }),
    },
    temporal: {
      namespace: 'default', taskQueue: 'ringmaster',
      client: {
        withDeadline: <T>(_at: number, fn: () => Promise<T>) => fn(),
        workflow: { getHandle: () => ({ describe: async () => ({ type: 'rolloutWorkflow', status: { name: 'RUNNING' } }) }) },
      },
    },
  };
  const call = (query: Record<string, string>) => (route.handler as (ctx: unknown) => Promise<{ body: unknown }>)({ params: { id: 'r-1' }, query, deps });

  it('a wave the plan does not have is a 404 naming its waves', async () => {
    await expect(call({ waveId: 'w9' })).rejects.toMatchObject({ status: 404, code: 'not-found', message: 'wave w9 is not in the plan of rollout r-1; its waves are w1a, w1b' } satisfies Partial<ApiError>);
  });

  it('a tenant the plan does not have is a 404', async () => {
    await expect(call({ tenantId: 'ghost-co' })).rejects.toMatchObject({ status: 404, code: 'not-found' });
  });

  it('a planned wave without notices yet is an empty list', async () => {
    await expect(call({ waveId: 'w1b' })).resolves.toEqual({ body: { notices: [] } });
  });
});
