import { rolloutRoutes } from '../../api/routes/rollouts';
import { ApiError } from '../../api/errors';

/**
 * GET /api/v1/rollouts/{id}/reports/{kind} without a stored report: a running rollout has not
 * written it yet; an ended one (aborted, rejected) never will, and must not be told "not yet".
 */
describe('a missing report', () => {
  const route = rolloutRoutes.find((r) => r.path === '/api/v1/rollouts/{id}/reports/{kind}')!;
  const call = async (status: string) => {
    const temporal = {
      namespace: 'default', taskQueue: 'ringmaster',
      client: {
        withDeadline: <T>(_at: number, fn: () => Promise<T>) => fn(),
        workflow: { getHandle: () => ({ describe: async () => ({ type: 'rolloutWorkflow', status: { name: status } }) }) },
      },
    };
    const deps = { store: { getReport: async () => undefined }, temporal };
    try {
      await (route.handler as (ctx: unknown) => Promise<unknown>)({ params: { id: 'r-1', kind: 'health' }, deps });
    } catch (err) {
      return err as ApiError;
    }
    throw new Error('expected an error');
  };

  it('of a running rollout is not written yet', async () => {
    const err = await call('RUNNING');
    expect([err.status, err.code, err.message]).toEqual([409, 'not-ready', 'the health report of rollout r-1 is not written yet (the workflow is running); reports follow the health window after the last wave']);
  });

  it('of an ended rollout will never be written', async () => {
    const err = await call('COMPLETED');
    expect([err.status, err.code, err.message]).toEqual([409, 'not-ready', 'rollout r-1 has ended (workflow completed) without a health report, and will not write one: reports follow the health window after the last wave, and an aborted or rejected rollout writes none']);
  });
});
