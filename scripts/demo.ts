/**
 * `npm run demo`: the whole system on one machine, one command. Starts the Temporal dev server
 * (Web UI on :8233), the Ringmaster worker, the REST API and the fleet simulator; imports the
 * example fleet and feature through the API; runs a time-compressed rollout, approving as a demo
 * approver; watches the fault model break one tenant, which the decision tree rolls back on its
 * own; writes the plan, health report and retrospective to files. Ctrl-C stops everything.
 *
 * Worker, API and simulator run in this process (one place to stop them); only the Temporal
 * server is a child process. The state dir is reset at every start, so runs never depend on
 * each other (the retrospective's risk adjustments would otherwise reshape the next plan).
 */
import fs from 'node:fs';
import path from 'node:path';
import axios, { type AxiosResponse } from 'axios';
import pino from 'pino';
import YAML from 'yaml';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startApiServer, type RunningApi } from '../api/main';
import { parseFeature } from '../shared/import/feature';
import type { Plan } from '../shared/model/plan';
import type { PendingDecision, RolloutStatus, TenantOutcome } from '../shared/model/rollout';
import type { Tenant } from '../shared/model/tenant';
import { HealthReport, renderHealthReport } from '../shared/report/health';
import { Retrospective, renderRetrospective } from '../shared/report/retrospective';
import { Faults, type Fault } from '../simulator/fault-model';
import { startSimulator } from '../simulator/simulator';
import { rolloutDepsFromEnv } from '../workers/deps';
import { createRolloutWorker } from '../workers/worker';
import { ROOT, startDevServer } from './dev-server';
import { DEMO_DURATIONS, demoFeature, faultExposure, simulatorSpeed, type FaultExposure } from './demo/fleet';
import { demoOptions, demoUsage, DemoUsageError, type DemoOptions } from './demo/options';
import { emptySnapshot, progressLines, type StatusView } from './demo/progress';

const FLEET_FILE = 'examples/fleet.yaml';
const FEATURE_FILE = 'examples/feature-smart-routing.yaml';
const FAULTS_FILE = 'simulator/faults.example.yaml';
/** A marker that the state dir is the demo's own, so resetting it never deletes anything else. */
const MARKER = '.ringmaster-demo';
const PEOPLE = { pm: 'paula-pm', approver: 'bob-approver', sre: 'sam-sre', viewer: 'vic-viewer' } as const;
const TERMINAL = ['COMPLETED', 'ABORTED', 'REJECTED'];
const POLL_MS = 400;
const ROLLOUT_TIMEOUT_MS = 6 * 60_000;

/** A failed expectation of the demo: printed as is, exit code 1, no stack trace. */
class DemoFailure extends Error {}

type View = StatusView & Pick<RolloutStatus, 'rolloutId' | 'featureKey' | 'counts' | 'pendingDecisions'> & { uiUrl: string };

const startedAt = Date.now();
const say = (line: string) => process.stdout.write(`[${((Date.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Everything started, stopped newest first, once, whichever of Ctrl-C, an error or the end comes first. */
class Lifecycle {
  private readonly stops: Array<{ what: string; stop: () => Promise<void> }> = [];
  private stopping?: Promise<void>;
  childPids: number[] = [];

  get stopped(): boolean { return this.stopping !== undefined; }

  add(what: string, stop: () => Promise<void>): void {
    this.stops.push({ what, stop });
  }

  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      for (const { what, stop } of this.stops.reverse()) {
        try {
          await stop();
        } catch (err) {
          process.stderr.write(`demo: stopping ${what} failed: ${(err as Error).message}\n`);
        }
      }
    })();
    return this.stopping;
  }
}

/** A state dir of the demo's own: refuse one in use by a kept demo, or one the demo did not create. */
function resetStateDir(dir: string): void {
  const pidFile = path.join(dir, 'demo.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    if (pid && pid !== process.pid && alive(pid)) {
      throw new DemoFailure(`a demo (pid ${pid}) still runs on ${path.relative(ROOT, dir) || dir}, probably with --keep; stop it with Ctrl-C in its terminal or \`kill ${pid}\``);
    }
  }
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0 && !fs.existsSync(path.join(dir, MARKER))) {
    throw new DemoFailure(`${dir} is not empty and was not made by the demo; pick another --state-dir`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, MARKER), 'state of `npm run demo`; reset at every start\n');
  fs.writeFileSync(pidFile, String(process.pid));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The demo's components see only the settings it gives them, never a shell's cluster or Slack settings. */
function demoEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const own = /^(TEMPORAL_|RINGMASTER_|TASK_QUEUE$|PORT$|HOST$)/;
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !own.test(k))), ...extra };
}

interface Http {
  call<T = unknown>(token: string, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<AxiosResponse<T>>;
}

function http(base: string): Http {
  return {
    async call(token, method, url, body, headers) {
      const res = await axios.request({
        method, url: `${base}${url}`, data: body, headers: { Authorization: `Bearer ${token}`, ...headers },
        validateStatus: () => true, timeout: 20_000, maxBodyLength: Infinity, maxContentLength: Infinity,
      });
      if (res.status >= 400) {
        const data = res.data as { error?: string; message?: string };
        throw new DemoFailure(`${method.toUpperCase()} ${url} answered ${res.status} ${data?.error ?? ''}: ${data?.message ?? JSON.stringify(res.data)}`);
      }
      return res;
    },
  };
}

async function run(opts: DemoOptions, life: Lifecycle): Promise<void> {
  resetStateDir(opts.stateDir);
  life.add('the state dir lock', async () => fs.rmSync(path.join(opts.stateDir, 'demo.pid'), { force: true }));
  fs.mkdirSync(opts.outDir, { recursive: true });
  // The worker's native runtime must not stop itself on Ctrl-C: the demo stops it, in order.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });

  say(`state in ${path.relative(ROOT, opts.stateDir) || opts.stateDir} (reset at every start)`);
  say('finding the Temporal CLI (built from source on first use, which takes a few minutes) and starting the dev server…');
  const server = await startDevServer({
    headless: opts.ci, port: 7233, uiPort: 8233, dbFile: path.join(opts.stateDir, 'temporal.sqlite'),
    log: (l) => say(`temporal: ${l}`),
  });
  life.add('the Temporal dev server', () => server.stop());
  life.childPids.push(server.pid);
  say(`temporal: dev server pid ${server.pid}`);

  const env = demoEnv({
    TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: server.namespace, TASK_QUEUE: 'ringmaster',
    RINGMASTER_DB_FILE: path.join(opts.stateDir, 'ringmaster.sqlite'),
    RINGMASTER_NOTICE_DIR: path.join(opts.stateDir, 'notices'),
    // Notices go out (as files) as soon as they are written, instead of waiting for a reviewer.
    RINGMASTER_NOTICE_AUTOSEND: 'true',
    RINGMASTER_UI_URL: server.uiUrl ?? 'http://localhost:8233',
    HOST: '127.0.0.1', PORT: '8080',
  });

  const deps = rolloutDepsFromEnv(env);
  life.add('the worker\'s store', () => deps.close());
  const tokens = {
    pm: (await deps.store.createToken({ name: PEOPLE.pm, role: 'pm' })).token,
    approver: (await deps.store.createToken({ name: PEOPLE.approver, role: 'approver' })).token,
    sre: (await deps.store.createToken({ name: PEOPLE.sre, role: 'sre' })).token,
    viewer: (await deps.store.createToken({ name: PEOPLE.viewer, role: 'viewer' })).token,
  };
  fs.writeFileSync(path.join(opts.stateDir, 'tokens.env'), Object.entries(tokens).map(([role, t]) => `${role.toUpperCase()}_TOKEN=${t}`).join('\n') + '\n', { mode: 0o600 });
  say(`tokens for ${Object.values(PEOPLE).join(', ')} created in the store (also in ${path.relative(ROOT, path.join(opts.stateDir, 'tokens.env'))})`);

  say('worker: bundling the workflows and connecting…');
  const connection = await NativeConnection.connect({ address: server.address });
  life.add('the worker connection', () => connection.close());
  const worker = await createRolloutWorker({ connection, namespace: server.namespace, taskQueue: 'ringmaster', deps, identity: `ringmaster-demo@${process.pid}` });
  const workerRun = worker.run();
  life.add('the worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    // A worker whose server is already gone (Ctrl-C reaches it too) may not drain; do not wait forever.
    await Promise.race([workerRun.catch(() => undefined), sleep(15_000)]);
  });
  say('worker: polling task queue ringmaster');

  let api: RunningApi;
  const logger = pino({ name: 'ringmaster-api', level: 'error' }, pino.destination(2));
  try {
    api = await startApiServer(env, logger);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    say('api: port 8080 is taken; using a free port');
    api = await startApiServer({ ...env, PORT: '0' }, logger);
  }
  life.add('the API', () => api.close());
  say(`api: ${api.url} (docs at ${api.url}/docs)`);
  const client = http(api.url);

  // The registry, through the API.
  const fleetText = fs.readFileSync(path.join(ROOT, FLEET_FILE), 'utf8');
  const imported = await client.call<{ saved: number; tenants: string[] }>(tokens.pm, 'post', `/api/v1/tenants/import?filename=${encodeURIComponent(path.basename(FLEET_FILE))}`, fleetText, { 'Content-Type': 'application/yaml' });
  say(`imported ${imported.data.saved} tenants from ${FLEET_FILE} (POST /api/v1/tenants/import as ${PEOPLE.pm})`);
  const parsed = parseFeature(fs.readFileSync(path.join(ROOT, FEATURE_FILE), 'utf8'), { filename: FEATURE_FILE });
  if (!parsed.ok) throw new DemoFailure(`${FEATURE_FILE} does not parse`);
  const { feature, changes } = demoFeature(parsed.feature);
  await client.call(tokens.pm, 'put', `/api/v1/features/${feature.key}`, feature);
  say(`feature ${feature.key} stored from ${FEATURE_FILE} (PUT /api/v1/features/${feature.key})${changes.map((c) => `\n           demo change: ${c}`).join('')}`);

  const listing = await client.call<{ tenants: Array<{ tenant: Tenant }> }>(tokens.viewer, 'get', '/api/v1/tenants?limit=1000');
  const tenants = listing.data.tenants.map((t) => t.tenant);
  const faults: Fault[] = Faults.parse((YAML.parse(fs.readFileSync(path.join(ROOT, FAULTS_FILE), 'utf8')) as { faults: unknown }).faults);
  const { speed, reason: speedReason } = simulatorSpeed(tenants, feature);
  const simulator = await startSimulator({
    tenants, featureKey: feature.key, ofrepUrl: api.url, faults, tickMs: 500, speed, seed: 7,
    push: async (samples) => { await client.call(tokens.sre, 'post', '/api/v1/metrics', { samples }); },
  });
  life.add('the fleet simulator', () => simulator.stop());
  say(`simulator: ${tenants.length} tenants read ${feature.key} over OFREP from the API and push counts to POST /api/v1/metrics every 500 ms; traffic ×${speed} (${speedReason})`);
  say(`simulator: faults from ${FAULTS_FILE}: ${faults.map((f) => (f.kind === 'integration-version' ? `${f.system} below ${f.below} errs at ${f.errorRate * 100} %` : `customization ${f.key} errs at ${f.errorRate * 100} %`)).join('; ')}`);

  const rolloutId = `demo-${new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
  await client.call(tokens.pm, 'post', '/api/v1/rollouts', {
    featureKey: feature.key, rolloutId, calendar: 'continuous', durations: DEMO_DURATIONS, onDecisionTimeout: 'pause',
  });
  say(`rollout ${rolloutId} started by ${PEOPLE.pm} (POST /api/v1/rollouts): continuous calendar, monitoring ${DEMO_DURATIONS.monitoringWindowSeconds} s in ${DEMO_DURATIONS.sampleIntervalSeconds} s samples, soak ${DEMO_DURATIONS.soakSeconds} s, health window ${DEMO_DURATIONS.healthWindowSeconds} s`);

  const result = await watch({ client, tokens, rolloutId, tenants, faults, life });
  await writeReports(client, tokens.viewer, rolloutId, opts.outDir, result);
  verify(result);

  const ui = server.uiUrl ?? 'http://localhost:8233 (the CI run is headless: no UI)';
  const query = encodeURIComponent(`RolloutFeature="${feature.key}"`);
  process.stdout.write([
    '',
    'Look at:',
    `  API              ${api.url}/api/v1/rollouts/${rolloutId}   (tokens in ${path.relative(ROOT, path.join(opts.stateDir, 'tokens.env'))})`,
    `  API docs         ${api.url}/docs   (OpenAPI: ${api.url}/openapi.json)`,
    `  Temporal UI      ${server.uiUrl ? `${server.uiUrl}/namespaces/${server.namespace}/workflows/${rolloutId}` : ui}`,
    `  by feature       ${server.uiUrl ? `${server.uiUrl}/namespaces/${server.namespace}/workflows?query=${query}` : ui}`,
    `  reports          ${opts.outDir}/{plan,health,retrospective}.md (and plan, status, audit as JSON)`,
    `  notices          ${path.join(opts.stateDir, 'notices')}`,
    '',
  ].join('\n'));
}

interface WatchResult {
  final: View;
  plan: Plan;
  expected: FaultExposure;
  held: string[];
}

async function watch(ctx: { client: Http; tokens: Record<keyof typeof PEOPLE, string>; rolloutId: string; tenants: Tenant[]; faults: Fault[]; life: Lifecycle }): Promise<WatchResult> {
  const { client, tokens, rolloutId } = ctx;
  const base = `/api/v1/rollouts/${rolloutId}`;
  let plan: Plan | undefined;
  let exposure: FaultExposure[] = [];
  let expected: FaultExposure | undefined;
  let snapshot = emptySnapshot();
  const answered = new Set<string>();
  const held: string[] = [];
  let reacted = false;
  let resumedFor = '';
  let polls = 0;
  const deadline = Date.now() + ROLLOUT_TIMEOUT_MS;
  const label = (waveId: string) => {
    const w = plan?.waves.find((x) => x.id === waveId);
    return w ? `${w.id} (${w.stage}, ${w.lane} lane, ${w.members.length} tenant${w.members.length === 1 ? '' : 's'})` : waveId;
  };

  for (;;) {
    if (ctx.life.stopped) throw new DemoFailure('stopped');
    if (Date.now() > deadline) throw new DemoFailure(`rollout ${rolloutId} did not finish within ${ROLLOUT_TIMEOUT_MS / 60_000} min; last phase ${snapshot.phase}`);
    const status = (await client.call<View>(tokens.viewer, 'get', base)).data;
    if (++polls % 10 === 0) await failIfClosedBadly(client, tokens.viewer, rolloutId, status.featureKey);

    if (!plan && status.phase !== 'PLANNING') {
      plan = (await client.call<Plan>(tokens.viewer, 'get', `${base}/plan`)).data;
      say(`plan: ${plan.waves.length} waves, ${plan.profiles.length} tenants scored, ${plan.holds.length} on hold (${plan.holds.map((h) => `${h.tenantId}: ${h.reasons[0]?.rule}`).join(', ')})`);
      exposure = faultExposure(plan, ctx.tenants, ctx.faults);
      expected = exposure.find((e) => e.decisionMode === 'automatic');
      for (const e of exposure) say(`  fault model: ${e.tenantId} in wave ${e.waveId} (${e.decisionMode}, planned start ${e.waveStart.slice(11, 19)}) will err: ${e.reason}`);
      if (!expected) throw new DemoFailure('no planned tenant in automatic decision mode is hit by the fault model; the demo has nothing to show');
      say(`  expected: ${expected.tenantId} breaches first and is rolled back automatically in wave ${expected.waveId}`);
    }

    const { lines, next } = progressLines(snapshot, status, label);
    snapshot = next;
    for (const l of lines) say(l);

    const rolledBack = status.tenants.filter((t) => t.state === 'rolled-back');
    if (!reacted && rolledBack.length > 0 && plan) {
      reacted = true;
      await holdSameFault(client, tokens.sre, base, rolledBack[0], exposure, status.tenants, held);
    }

    if (TERMINAL.includes(status.phase)) {
      if (!plan || !expected) throw new DemoFailure(`rollout ended in ${status.phase} before its plan was read`);
      return { final: status, plan, expected, held };
    }

    for (const d of status.pendingDecisions) {
      if (answered.has(d.id)) continue;
      answered.add(d.id);
      await decide(client, tokens.approver, base, d, status);
    }

    const stopKey = `${status.phase}:${status.pauseReason ?? ''}`;
    if ((status.phase === 'HALTED' || status.paused) && resumedFor !== stopKey) {
      resumedFor = stopKey;
      say(`the rollout stopped (${status.phase}${status.pauseReason ? `: ${status.pauseReason}` : ''}); ${PEOPLE.sre} resumes it so the demo goes on`);
      await client.call(tokens.sre, 'post', `${base}/resume`, { reason: 'demo: looked at it, carry on' });
    }
    await sleep(POLL_MS);
  }
}

/** A failed workflow still answers its status query with its last phase: ask visibility too. */
async function failIfClosedBadly(client: Http, token: string, rolloutId: string, featureKey: string): Promise<void> {
  const list = await client.call<{ rollouts: Array<{ rolloutId: string; workflowStatus: string }> }>(token, 'get', `/api/v1/rollouts?feature=${encodeURIComponent(featureKey)}&limit=20`);
  const mine = list.data.rollouts.find((r) => r.rolloutId === rolloutId);
  if (mine && !['RUNNING', 'COMPLETED'].includes(mine.workflowStatus)) {
    throw new DemoFailure(`the rollout workflow ${rolloutId} is ${mine.workflowStatus}; its history in the Temporal UI (and the worker's log above) says why`);
  }
}

/** The approver answers every decision the rollout waits for, and says so. */
async function decide(client: Http, token: string, base: string, d: PendingDecision, status: View): Promise<void> {
  const waveUrl = `${base}/waves/${d.waveId}`;
  const inWave = (state: string) => status.tenants.filter((t) => t.state === state).length;
  let url: string;
  let body: { comment: string; rollback?: boolean };
  let what: string;
  switch (d.kind) {
    case 'plan':
      [url, body, what] = [`${base}/plan/approve`, { comment: 'plan reviewed' }, 'approves the plan'];
      break;
    case 'wave-go':
      [url, body, what] = [`${waveUrl}/approve`, { comment: `go: ${inWave('enabled')} tenants enabled so far, ${inWave('rolled-back')} rolled back` }, `says go for wave ${d.waveId}${d.fourEyes ? ' (four-eyes: not the starter)' : ''}`];
      break;
    case 'tenant-go':
      [url, body, what] = [`${waveUrl}/tenants/${d.tenantId}/approve`, { comment: 'readiness reviewed, contacts informed' }, `says go for tenant ${d.tenantId} in wave ${d.waveId}${d.fourEyes ? ' (four-eyes)' : ''}`];
      break;
    case 'wave-checkpoint':
      [url, body, what] = [`${waveUrl}/approve`, { comment: 'monitoring window over, dashboards green' }, `passes the checkpoint of wave ${d.waveId}`];
      break;
    case 'advisory-rollback':
      [url, body, what] = [`${base}/decisions/${encodeURIComponent(d.id)}`, { comment: 'errors above critical: follow the advice', rollback: true }, `answers the advisory rollback of ${d.tenantId}: roll back`];
      break;
  }
  try {
    const res = await client.call<{ by: string; outcome: string }>(token, 'post', url, body);
    say(`decision: ${res.data.by} ${what}: "${body.comment}" → ${res.data.outcome}`);
  } catch (err) {
    // The wave may have moved on between the status and the answer (e.g. a deadline passed).
    say(`decision: ${PEOPLE.approver} could not answer ${d.id}: ${(err as Error).message}`);
  }
}

/**
 * After the first automatic rollback the SRE holds the other tenants the same fault would hit,
 * so they wait for the connector fix instead of breaching one wave later.
 */
async function holdSameFault(client: Http, token: string, base: string, first: TenantOutcome, exposure: FaultExposure[], states: TenantOutcome[], held: string[]): Promise<void> {
  const state = new Map(states.map((t) => [t.tenantId, t.state]));
  const cause = exposure.find((e) => e.tenantId === first.tenantId)?.reason ?? first.reason;
  const others = exposure.filter((e) => e.tenantId !== first.tenantId && !['enabled', 'rolled-back', 'held', 'excluded'].includes(state.get(e.tenantId) ?? 'pending'));
  if (others.length === 0) return;
  say(`${PEOPLE.sre} reads the rollback of ${first.tenantId} (${cause}) and holds the ${others.length} other planned tenant(s) with the same connector:`);
  for (const e of others) {
    await client.call(token, 'post', `${base}/tenants/${e.tenantId}/hold`, { reason: `same fault as ${first.tenantId}: ${e.reason}; waits for the connector upgrade` });
    held.push(e.tenantId);
    say(`  hold ${e.tenantId} (wave ${e.waveId}): ${e.reason}`);
  }
}

async function writeReports(client: Http, token: string, rolloutId: string, outDir: string, { plan, final }: WatchResult): Promise<void> {
  const base = `/api/v1/rollouts/${rolloutId}`;
  const audit = (await client.call(token, 'get', `${base}/audit`)).data;
  const planMd = (await client.call<string>(token, 'get', `${base}/plan?format=markdown`, undefined, { Accept: 'text/markdown' })).data;
  const health = HealthReport.parse((await client.call(token, 'get', `${base}/reports/health`)).data);
  const retro = Retrospective.parse((await client.call(token, 'get', `${base}/reports/retrospective`)).data);
  const files = {
    'plan.md': planMd,
    'health.md': renderHealthReport(health, 'markdown'),
    'retrospective.md': renderRetrospective(retro, 'markdown'),
    'plan.json': JSON.stringify(plan, null, 2),
    'status.json': JSON.stringify(final, null, 2),
    'audit.json': JSON.stringify(audit, null, 2),
  };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(outDir, name), text.endsWith('\n') ? text : `${text}\n`);
  say(`health report: ${health.summary}`);
  say(`retrospective: ${retro.summary}`);
  say(`written: ${Object.keys(files).map((f) => path.join(outDir, f)).join(', ')}`);
}

/** What the demo promises: one automatic rollback of the expected tenant, everyone else carried on. */
function verify({ final, expected, held }: WatchResult): void {
  const rolledBack = final.tenants.filter((t) => t.state === 'rolled-back');
  const problems = [
    ...(final.phase === 'COMPLETED' ? [] : [`the rollout ended ${final.phase}, not COMPLETED`]),
    ...(rolledBack.length === 1 && rolledBack[0].tenantId === expected.tenantId ? []
      : [`expected exactly ${expected.tenantId} rolled back, got ${rolledBack.map((t) => t.tenantId).join(', ') || 'none'}`]),
    ...(rolledBack.every((t) => t.reason.startsWith('automatic rollback')) ? [] : [`the rollback was not automatic: ${rolledBack.map((t) => t.reason).join('; ')}`]),
    ...(final.counts.enabled > 0 ? [] : ['no tenant ended enabled']),
  ];
  if (problems.length) throw new DemoFailure(`the demo did not go as expected:\n  - ${problems.join('\n  - ')}`);
  say(`verified: ${expected.tenantId} was rolled back automatically (${rolledBack[0].reason}); ${final.counts.enabled} tenants enabled, ${held.length} held by the SRE for the same fault, ${final.counts.held} held in total`);
}

async function main(): Promise<number> {
  let opts: DemoOptions | 'help';
  try {
    opts = demoOptions(process.argv.slice(2), process.env);
  } catch (err) {
    if (!(err instanceof DemoUsageError)) throw err;
    process.stderr.write(`demo: ${err.message}\n\n${demoUsage}`);
    return 2;
  }
  if (opts === 'help') {
    process.stdout.write(demoUsage);
    return 0;
  }
  const life = new Lifecycle();
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      // Second Ctrl-C: do not wait for a graceful stop any more.
      for (const pid of life.childPids) if (alive(pid)) process.kill(pid, 'SIGKILL');
      process.exit(130);
    }
    interrupted = true;
    process.stdout.write(`\n${signal}: stopping everything the demo started…\n`);
    void life.stopAll().then(() => {
      process.stdout.write('stopped.\n');
      process.exit(130);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    await run(opts, life);
  } catch (err) {
    if (interrupted) return new Promise<number>(() => {}); // the signal handler exits
    process.stderr.write(`\ndemo failed: ${err instanceof DemoFailure ? err.message : (err as Error).stack ?? String(err)}\n`);
    await life.stopAll();
    return 1;
  }
  if (opts.keep && !interrupted) {
    process.stdout.write(`Everything keeps running for browsing (--keep). Ctrl-C (or \`kill ${process.pid}\`) stops it all.\n`);
    return new Promise<number>(() => {});
  }
  say('stopping everything the demo started…');
  await life.stopAll();
  const left = life.childPids.filter(alive);
  if (left.length) {
    process.stderr.write(`demo: process(es) ${left.join(', ')} still running after the stop\n`);
    return 1;
  }
  say('done; nothing left running.');
  return 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`demo failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
