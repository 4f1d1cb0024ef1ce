/**
 * The README's first command, end to end: `scripts/demo.ts --ci` as a child process starts its
 * own Temporal dev server (next to the one jest's global setup runs), the worker, the API and
 * the fleet simulator, runs the compressed rollout and writes its reports. Checked from outside:
 * exit code, report files, the one automatic rollback, and that nothing it started survives it.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import type { Plan } from '../../shared/model/plan';
import type { RolloutStatus } from '../../shared/model/rollout';
import { parseTenants } from '../../shared/import/tenants';
import { Faults, matchFaults } from '../../simulator/fault-model';

jest.setTimeout(480_000);

const ROOT = path.resolve(__dirname, '..', '..');
let dir: string;
let run: { code: number | null; stdout: string; stderr: string };

function runDemo(args: string[]): Promise<typeof run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'scripts/demo.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const read = (name: string) => fs.readFileSync(path.join(dir, 'out', name), 'utf8');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ringmaster-demo-'));
  run = await runDemo(['--ci', '--state-dir', path.join(dir, 'state'), '--out', path.join(dir, 'out')]);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the CI run exits 0 and says which tenant was rolled back automatically', () => {
  if (run.code !== 0) throw new Error(`demo exited ${run.code}\n--- stdout (tail) ---\n${run.stdout.slice(-4000)}\n--- stderr (tail) ---\n${run.stderr.slice(-4000)}`);
  expect(run.stdout).toMatch(/imported 57 tenants/);
  expect(run.stdout).toMatch(/decision: bob-approver says go for wave w1a/);
  expect(run.stdout).toMatch(/verified: [a-z0-9-]+ was rolled back automatically/);
  expect(run.stdout).toMatch(/done; nothing left running/);
});

test('exactly one tenant, one the fault model breaks, was rolled back by the decision tree; the rest went on', () => {
  const status = JSON.parse(read('status.json')) as RolloutStatus;
  expect(status.phase).toBe('COMPLETED');
  const rolledBack = status.tenants.filter((t) => t.state === 'rolled-back');
  expect(rolledBack).toHaveLength(1);
  expect(rolledBack[0].reason).toMatch(/^automatic rollback: .*critical/);

  const fleet = parseTenants(fs.readFileSync(path.join(ROOT, 'examples/fleet.yaml'), 'utf8'), { filename: 'fleet.yaml', asOf: new Date().toISOString() });
  if (!fleet.ok) throw new Error('example fleet does not parse');
  const faults = Faults.parse(YAML.parse(fs.readFileSync(path.join(ROOT, 'simulator/faults.example.yaml'), 'utf8')).faults);
  const faulty = fleet.tenants.filter((t) => matchFaults(t, faults).length > 0).map((t) => t.id);
  expect(faulty).toContain(rolledBack[0].tenantId);
  // The other tenants the fault would hit were held by the SRE, not enabled.
  for (const id of faulty.filter((x) => x !== rolledBack[0].tenantId)) {
    expect(status.tenants.find((t) => t.tenantId === id)?.state ?? 'held').not.toBe('enabled');
  }
  expect(status.counts.enabled).toBeGreaterThanOrEqual(30);

  const audit = JSON.parse(read('audit.json')) as { entries: Array<{ actor: string; action: string; tenantId?: string }> };
  expect(audit.entries.filter((e) => e.action === 'rollback')).toEqual([expect.objectContaining({ actor: 'rollout', tenantId: rolledBack[0].tenantId })]);
  // Four-eyes held: the starter approved nothing, the demo approver everything.
  expect(audit.entries.some((e) => e.actor === 'user:bob-approver')).toBe(true);
  expect(audit.entries.filter((e) => e.actor === 'user:paula-pm')).toEqual([]);
});

test('the report files: plan lists the waves, health names the enabled tenants, the retrospective the rolled-back one', () => {
  const plan = JSON.parse(read('plan.json')) as Plan;
  const status = JSON.parse(read('status.json')) as RolloutStatus;
  const names = new Map(plan.profiles.map((p) => [p.tenantId, p.tenantName]));

  const planMd = read('plan.md');
  expect(plan.waves.length).toBeGreaterThan(3);
  for (const w of plan.waves) expect(planMd).toContain(`| ${w.id} |`);

  const health = read('health.md');
  expect(health).toMatch(/^# Health report/);
  const enabled = status.tenants.filter((t) => t.state === 'enabled');
  for (const t of enabled) expect(health).toContain(names.get(t.tenantId));
  expect(health).toContain(`${enabled.length} tenants enabled`);

  const retro = read('retrospective.md');
  const rolledBack = status.tenants.find((t) => t.state === 'rolled-back')!;
  expect(retro).toContain(names.get(rolledBack.tenantId));
  expect(retro).toContain(rolledBack.tenantId);
});

test('nothing the demo started outlives it', () => {
  const pid = Number(/dev server pid (\d+)/.exec(run.stdout)?.[1]);
  expect(pid).toBeGreaterThan(0);
  expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  // The Temporal server's command line names the demo's state dir; no process may still carry it.
  const ps = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  expect(ps.split('\n').filter((l) => l.includes(dir))).toEqual([]);
  expect(fs.existsSync(path.join(dir, 'state', 'demo.pid'))).toBe(false);
});
