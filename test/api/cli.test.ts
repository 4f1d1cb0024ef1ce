/**
 * The token and rollout commands in-process, against the API over real HTTP and the store file
 * the API uses.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { UnavailableError, UsageError } from '../../cli/args';
import { renderStatus, runRollout } from '../../cli/commands/rollout';
import { runToken } from '../../cli/commands/token';
import { example, startApi, type ApiHarness } from './support';

let api: ApiHarness;
const started: string[] = [];

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { now: () => new Date('2026-12-07T10:00:00Z'), stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) } };
}

beforeAll(async () => {
  api = await startApi();
  process.env.RINGMASTER_DB_FILE = api.dbFile;
  await api.call('POST', '/api/v1/tenants/import', { body: example('fleet.csv'), headers: { 'Content-Type': 'text/csv' } });
  await api.call('POST', '/api/v1/features', { body: example('feature-smart-routing.yaml'), headers: { 'Content-Type': 'application/yaml' } });
});
afterAll(async () => {
  delete process.env.RINGMASTER_DB_FILE;
  for (const id of started) await api.client.workflow.getHandle(id).terminate('test over').catch(() => undefined);
  await api.close();
});

describe('ringmaster token', () => {
  test('create prints a working token once; the API knows its name and role', async () => {
    const t = io();
    expect(await runToken(['create', '--name', 'dora', '--role', 'approver'], t.io)).toBe(0);
    const token = t.out.join('').trim();
    expect(t.err.join('')).toMatch(/dora \(approver\); it is shown only now/);
    const res = await api.call('POST', '/api/v1/tenants/import', { token, body: 'id,name,users\nx,X,1\n' });
    expect([res.status, res.data.message]).toEqual([403, expect.stringMatching(/^dora has role approver/)]);

    const list = io();
    await runToken(['list'], list.io);
    expect(list.out.join('')).toMatch(/dora\s+approver/);
    expect(list.out.join('')).not.toContain(token);
  });

  test.each([
    [['create', '--name', 'eve', '--role', 'root'], /--role must be one of admin, pm, approver, sre, viewer, not "root"/],
    [['create', '--role', 'pm'], /--name is required/],
    [['revoke', 'no-such-id'], /no active token with id no-such-id/],
    [['mint'], /unknown token action "mint"/],
  ])('%j is refused', async (argv, message) => {
    await expect(runToken(argv, io().io)).rejects.toThrow(message);
  });
});

describe('ringmaster rollout', () => {
  const env = () => ({ RINGMASTER_API_URL: api.url, RINGMASTER_TOKEN: api.token.pm });

  test('start prints the id and the UI link and starts the spec with the token as starter; pause is signalled', async () => {
    const rolloutId = `cli-start-${Date.now()}`;
    started.push(rolloutId);
    const t = io();
    expect(await runRollout(['start', '--feature', 'smart-approval-routing', '--id', rolloutId, '--tenants', 'globex-retail,halcyon-hotels', '--calendar', 'continuous'], t.io, env())).toBe(0);
    expect(t.out.join('')).toContain(`started rollout ${rolloutId}\nTemporal UI: http://ui.example:8233/namespaces/${api.namespace}/workflows/${rolloutId}`);
    const history = await api.client.workflow.getHandle(rolloutId).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(defaultPayloadConverter.fromPayload(payload!)).toMatchObject({
      rolloutId, featureKey: 'smart-approval-routing', tenantIds: ['globex-retail', 'halcyon-hotels'], calendar: 'continuous',
      startedBy: { id: 'paula-pm', role: 'pm' },
    });

    const p = io();
    await runRollout(['pause', rolloutId, '--reason', 'checking'], p.io, { ...env(), RINGMASTER_TOKEN: api.token.sre });
    expect(p.out.join('')).toMatch(/^pause: signalled/);
  });

  test('the API refusal comes back in its own words', async () => {
    await expect(runRollout(['approve', 'no-such-rollout', '--wave', 'w1'], io().io, { ...env(), RINGMASTER_TOKEN: api.token.approver }))
      .rejects.toThrow('404 not-found: rollout no-such-rollout does not exist');
    await expect(runRollout(['approve', 'r1', '--wave', 'w1'], io().io, env()))
      .rejects.toThrow(/403 forbidden: paula-pm has role pm, which cannot approve waves/);
  });

  test.each([
    [['approve', 'r1'], /either --plan or --wave W/],
    [['decide', 'r1', '--decision', 'w1:x'], /exactly one of --rollback or --keep/],
    [['pause', 'r1'], /--reason is required/],
    [['report', 'r1', '--kind', 'weekly'], /--kind must be health or retrospective/],
    [['status'], /status needs a rollout id/],
    [['launch'], /unknown rollout action "launch"/],
  ])('%j is a usage error', async (argv, message) => {
    const run = runRollout(argv, io().io, env());
    await expect(run).rejects.toBeInstanceOf(UsageError);
    await expect(runRollout(argv, io().io, env())).rejects.toThrow(message);
  });

  test('no token set says how to get one', async () => {
    await expect(runRollout(['list'], io().io, { RINGMASTER_API_URL: api.url })).rejects.toThrow(/RINGMASTER_TOKEN is not set/);
  });

  test('an unreachable API is named', async () => {
    await expect(runRollout(['list'], io().io, { RINGMASTER_API_URL: 'http://127.0.0.1:9', RINGMASTER_TOKEN: 'x' })).rejects.toThrow(/cannot reach the API at http:\/\/127.0.0.1:9/);
    await expect(runRollout(['list'], io().io, { RINGMASTER_API_URL: 'http://127.0.0.1:9', RINGMASTER_TOKEN: 'x' })).rejects.toBeInstanceOf(UnavailableError);
  });
});

describe('the status view', () => {
  test('shows waves, the running wave\'s tenants and what waits for whom, with the command to answer', () => {
    const view = renderStatus({
      rolloutId: 'sar-1', featureKey: 'smart-approval-routing', phase: 'AWAITING_APPROVAL', paused: false, startedBy: 'paula-pm', auditSegments: 0,
      currentWaves: [{ waveId: 'w2', workflowId: 'sar-1/wave-w2' }],
      waves: [{ waveId: 'w1', phase: 'completed' }, { waveId: 'w2', phase: 'awaiting-go' }, { waveId: 'w3', phase: 'scheduled' }],
      tenants: [], counts: { enabled: 2, rolledBack: 0, deferred: 1, held: 3, excluded: 0 },
      pendingDecisions: [{
        id: 'w2:go', kind: 'wave-go', waveId: 'w2', workflowId: 'sar-1/wave-w2', question: 'Go for wave w2 (5 low-risk tenants)?',
        raisedAt: '2026-12-07T09:58:00Z', deadline: '2026-12-07T10:05:00Z', defaultAction: 'pause the rollout', fourEyes: true,
      }],
      runningWaves: [{
        waveId: 'w2', workflowId: 'sar-1/wave-w2', phase: 'awaiting-go', paused: false, pendingDecisions: [],
        tenants: [{ tenantId: 'tallgrass-software', state: 'notified', reason: 'notice sent 2026-12-06' }],
      }],
      uiUrl: 'http://localhost:8233/namespaces/default/workflows/sar-1',
    }, new Date('2026-12-07T10:00:00Z'));
    expect(view).toContain('Rollout sar-1 (smart-approval-routing): AWAITING_APPROVAL');
    expect(view).toMatch(/w2\s+awaiting-go\s+← running/);
    expect(view).toMatch(/tallgrass-software\s+notified\s+notice sent/);
    expect(view).toContain('deadline 2026-12-07T10:05:00Z (in 5m), then: pause the rollout');
    expect(view).toContain('(four-eyes: not the starter)');
    expect(view).toContain('ringmaster rollout approve sar-1 --wave w2');
  });
});
