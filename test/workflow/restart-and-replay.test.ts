import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { startHarness } from '../support/rollout-harness';
import { feature, fastDurations, tenant } from '../support/fleet';
import { approveWaveUpdate, waveWorkflowId } from '../../workflows/messages';
import { WORKFLOWS_PATH } from '../../workers/worker';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'histories');
const pilotFleet = () => [
  tenant({ id: 'ringmaster-internal', internal: true, users: 40 }),
  tenant({ id: 'bluebird-labs', betaOptIn: true, integrations: [{ kind: 'chat', system: 'slack' }] }),
  tenant({ id: 'quill-notes', betaOptIn: true }),
];

describe('durability', () => {
  test('the worker is killed mid-soak; a new worker finishes the rollout and every enable is applied once', async () => {
    const h = await startHarness(pilotFleet(), feature({ durations: { ...fastDurations, soakSeconds: 8 } }));
    try {
      const handle = await h.start({});
      const plan = await h.waitFor('plan', () => h.store.getPlan(handle.workflowId));
      expect(plan.waves.every((w) => w.stage === 'pilot')).toBe(true);
      for (const wave of plan.waves) {
        await h.waitFor(`go for ${wave.id}`, async () => (await h.waveStatus(handle.workflowId, wave.id)).pendingDecisions.length > 0);
        await h.client.workflow.getHandle(waveWorkflowId(handle.workflowId, wave.id)).executeUpdate(approveWaveUpdate, { args: [{ actor: { id: 'ann', role: 'approver' }, waveId: wave.id }] });
        if (wave === plan.waves[plan.waves.length - 1]) break;
      }
      const last = plan.waves[plan.waves.length - 1];
      await h.waitFor('soak', async () => (await h.waveStatus(handle.workflowId, last.id)).phase === 'soaking');
      await h.stopWorker();
      await new Promise((r) => setTimeout(r, 2000));
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await h.startWorker();
      expect((await handle.result()).phase).toBe('COMPLETED');
      for (const t of pilotFleet()) {
        const enables = (await h.flags.history('smart-routing', t.id)).filter((e) => e.enabled && e.rolloutId === handle.workflowId);
        expect(enables).toHaveLength(1);
      }

      // The histories just made replay cleanly against today's workflow code.
      const histories = [await handle.fetchHistory(), ...await Promise.all(plan.waves.map((w) => h.client.workflow.getHandle(waveWorkflowId(handle.workflowId, w.id)).fetchHistory()))];
      for (const history of histories) await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH }, history);
      if (process.env.RINGMASTER_RECORD_HISTORIES === '1') {
        fs.mkdirSync(FIXTURES, { recursive: true });
        const ids = [handle.workflowId, ...plan.waves.map((w) => waveWorkflowId(handle.workflowId, w.id))];
        // The CLI writes the proto-JSON form the replayer reads back.
        const cli = path.join(__dirname, '..', '..', '.tools', 'bin', 'temporal');
        ids.forEach((workflowId, i) => {
          const json = execFileSync(cli, ['workflow', 'show', '--output', 'json', '--address', process.env.TEMPORAL_ADDRESS!, '-w', workflowId], { encoding: 'utf8' });
          fs.writeFileSync(path.join(FIXTURES, `${i === 0 ? 'rollout' : `wave-${plan.waves[i - 1].id}`}.json`), JSON.stringify({ workflowId, history: JSON.parse(json) }, null, 1));
        });
      }
    } finally {
      await h.close();
    }
  });

  test('recorded histories replay against the current workflow code (a non-deterministic change fails here)', async () => {
    const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const { workflowId, history } = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
      await Worker.runReplayHistory({ workflowsPath: WORKFLOWS_PATH, replayName: workflowId }, history);
    }
  });
});
