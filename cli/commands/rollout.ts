/**
 * `ringmaster rollout`: rollouts over the REST API (RINGMASTER_API_URL, RINGMASTER_TOKEN). The
 * CLI holds no state and makes no decisions of its own: the API (and behind it the workflow)
 * says yes or no, and why.
 */
import axios, { type AxiosInstance } from 'axios';
import YAML from 'yaml';
import type { z } from 'zod';
import type { RolloutStatusView } from '../../api/schemas';
import type { PendingDecision, RolloutPhase } from '../../shared/model/rollout';
import { parseDocument } from '../../shared/import/document';
import { PlanConfigOverrides } from '../../shared/plan/config';
import { parseFlags, readInput, UnavailableError, UsageError, type Flags } from '../args';

export const rolloutUsage = `Usage: ringmaster rollout <action> [ID] [options]

  start --feature KEY [--tenants a,b,c] [--durations FILE] [--config FILE] [--id ID]
        [--calendar business|continuous] [--require-plan-approval]
                                            start a rollout; prints its id and Temporal UI link
  list [--status PHASE] [--feature KEY]     rollouts from Temporal visibility
  status ID [--watch]                       waves, tenants, pending decisions (--watch: live, every 2 s)
  approve ID --wave W [--tenant T] [--comment TEXT]    go for a wave (or one tenant of it)
  approve ID --plan [--comment TEXT]        approve the plan
  reject ID --wave W [--tenant T] | --plan [--comment TEXT]
  decide ID --decision D --rollback|--keep [--comment TEXT]   answer an advisory rollback
  pause|resume|abort ID --reason TEXT
  exclude|hold|rollback ID --tenant T --reason TEXT
  notices ID [--wave W] [--tenant T]        the rollout's notices and their review state
  report ID --kind health|retrospective     a report, as JSON
  audit ID                                  who decided what, when, and why

Talks to the API at $RINGMASTER_API_URL (default http://localhost:8080) with the bearer token in
$RINGMASTER_TOKEN (create one with \`ringmaster token create\`). --durations FILE is JSON or YAML
with soakSeconds, monitoringWindowSeconds, sampleIntervalSeconds, noticeLeadSeconds,
healthWindowSeconds, decisionTimeoutSeconds. --config FILE is a plan config as for
\`ringmaster plan --config\` (only what differs from the defaults); --calendar wins over it.`;

type Io = { now: () => Date; stdout: (s: string) => void; stderr: (s: string) => void };
type StatusView = z.infer<typeof RolloutStatusView>;

const TERMINAL: RolloutPhase[] = ['COMPLETED', 'ABORTED', 'REJECTED'];
export const WATCH_INTERVAL_MS = 2000;

interface ApiErrorBody { error?: string; message?: string; issues?: Array<{ path: string; message: string; line?: number }> }

/** An answer the API refused: the client's to fix, so a usage-style failure (exit 2) with the API's words. */
function refusal(status: number, body: ApiErrorBody | string): UsageError {
  if (typeof body === 'string' || !body?.message) return new UsageError(`the API answered ${status}: ${String(body).slice(0, 300)}`);
  const issues = (body.issues ?? []).slice(0, 10).map((i) => `\n  ${i.path}${i.line ? ` (line ${i.line})` : ''}: ${i.message}`).join('');
  return new UsageError(`${status} ${body.error}: ${body.message}${issues}`);
}

const DEFAULT_API_URL = 'http://localhost:8080';

/** Where the URL came from, for a message about not reaching it. */
const urlSource = new WeakMap<AxiosInstance, 'env' | 'default'>();

export function apiClient(env: NodeJS.ProcessEnv = process.env): AxiosInstance {
  const token = env.RINGMASTER_TOKEN;
  if (!token) throw new UsageError('RINGMASTER_TOKEN is not set; create a token with `ringmaster token create --name NAME --role ROLE` and export it');
  const client = axios.create({
    baseURL: (env.RINGMASTER_API_URL || DEFAULT_API_URL).replace(/\/+$/, ''),
    headers: { Authorization: `Bearer ${token}` },
    timeout: 60_000,
    validateStatus: () => true,
  });
  urlSource.set(client, env.RINGMASTER_API_URL ? 'env' : 'default');
  return client;
}

/** No answer from the API: which URL, why, and what to check. */
export function unreachable(api: AxiosInstance, err: unknown): UnavailableError {
  const url = api.defaults.baseURL;
  const e = err as { code?: string; message?: string };
  const why = e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' ? `no answer within ${(api.defaults.timeout ?? 0) / 1000} s` : (e.message || e.code || String(err));
  const where = urlSource.get(api) === 'default'
    ? `RINGMASTER_API_URL is not set, so the default ${DEFAULT_API_URL} was used; set it to where the API runs`
    : `check RINGMASTER_API_URL (${url})`;
  return new UnavailableError(`cannot reach the API at ${url} (${why}). Is the API running there (npm run api)? ${where[0].toUpperCase()}${where.slice(1)}.`);
}

async function request<T>(api: AxiosInstance, method: 'get' | 'post', url: string, body?: unknown): Promise<T> {
  let res;
  try {
    res = await api.request({ method, url, data: body });
  } catch (err) {
    throw unreachable(api, err);
  }
  // Temporal down, or no worker answering: nothing the command can fix, try again once it is up.
  if (res.status === 503 || res.status === 504) {
    throw new UnavailableError(`the API at ${api.defaults.baseURL} is unavailable (${res.status}${res.data?.error ? ` ${res.data.error}` : ''}): ${res.data?.message ?? res.statusText}`);
  }
  if (res.status >= 500) throw new Error(`the API failed (${res.status}): ${res.data?.message ?? res.statusText}`);
  if (res.status >= 400) throw refusal(res.status, res.data);
  return res.data as T;
}

function relative(deadline: string, now: Date): string {
  const s = Math.round((Date.parse(deadline) - now.getTime()) / 1000);
  if (s <= 0) return 'due now';
  return s < 120 ? `in ${s}s` : s < 7200 ? `in ${Math.round(s / 60)}m` : `in ${Math.round(s / 3600)}h`;
}

function hint(rolloutId: string, d: PendingDecision): string {
  switch (d.kind) {
    case 'plan': return `ringmaster rollout approve ${rolloutId} --plan`;
    case 'tenant-go': return `ringmaster rollout approve ${rolloutId} --wave ${d.waveId} --tenant ${d.tenantId}`;
    case 'advisory-rollback': return `ringmaster rollout decide ${rolloutId} --decision ${d.id} --rollback|--keep`;
    default: return `ringmaster rollout approve ${rolloutId} --wave ${d.waveId}`;
  }
}

/** The live view: one screen of what a person needs to act on the rollout. */
export function renderStatus(s: StatusView, now: Date): string {
  const c = s.counts;
  const lines = [
    `Rollout ${s.rolloutId} (${s.featureKey}): ${s.phase}${s.paused ? ` — PAUSED${s.pauseReason ? `: ${s.pauseReason}` : ''}` : ''}`,
    `started by ${s.startedBy} · enabled ${c.enabled} · rolled back ${c.rolledBack} · deferred ${c.deferred} · held ${c.held} · excluded ${c.excluded}`,
    `Temporal UI: ${s.uiUrl}`,
    '',
    'Waves',
  ];
  const running = new Map(s.runningWaves.map((w) => [w.waveId, w]));
  for (const w of s.waves) {
    const live = running.get(w.waveId);
    lines.push(`  ${w.waveId.padEnd(6)} ${(live?.phase ?? w.phase).padEnd(20)}${live ? ' ← running' : ''}${w.stopReason ? `  (${w.stopReason})` : ''}`);
  }
  for (const w of s.runningWaves) {
    lines.push('', `Tenants of wave ${w.waveId}${w.paused ? ' (paused)' : ''}`);
    for (const t of w.tenants) lines.push(`  ${t.tenantId.padEnd(28)} ${t.state.padEnd(12)} ${t.reason}`);
  }
  lines.push('', s.pendingDecisions.length ? 'Waiting for people' : 'Nothing waits for people.');
  for (const d of s.pendingDecisions) {
    lines.push(`  [${d.kind}] ${d.question}${d.fourEyes ? ' (four-eyes: not the starter)' : ''}`);
    lines.push(`      deadline ${d.deadline} (${relative(d.deadline, now)}), then: ${d.defaultAction}`);
    lines.push(`      ${hint(s.rolloutId, d)}`);
  }
  return `${lines.join('\n')}\n`;
}

function idOf(positional: string[], action: string): string {
  const [id, ...extra] = positional;
  if (!id) throw new UsageError(`${action} needs a rollout id`, rolloutUsage);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`, rolloutUsage);
  return encodeURIComponent(id);
}

/** Positional arguments first (the rollout id), then --options. */
function split(argv: string[]): { positional: string[]; options: string[] } {
  const at = argv.findIndex((a) => a.startsWith('--'));
  return at < 0 ? { positional: argv, options: [] } : { positional: argv.slice(0, at), options: argv.slice(at) };
}

function text(flags: Flags, name: string, required: boolean): string | undefined {
  const v = flags[name];
  if (v === true) throw new UsageError(`--${name} needs a value`, rolloutUsage);
  if (required && v === undefined) throw new UsageError(`--${name} is required`, rolloutUsage);
  return v;
}

/** A plan config file, checked here so a problem names its line, as `ringmaster plan --config` does. */
function readPlanConfig(file: string): unknown {
  const raw = readInput(file, 'config');
  const parsed = parseDocument(PlanConfigOverrides, raw, { filename: file });
  // Only what the file says goes to the API, which merges it over its own defaults.
  if (parsed.ok) return YAML.parse(raw) as unknown;
  const lines = parsed.errors.map((e) => `  ${file}:${e.line} ${e.field}: ${e.message}`);
  throw new UsageError(`${file} has ${parsed.errors.length} problem${parsed.errors.length === 1 ? '' : 's'}; nothing was started:\n${lines.join('\n')}`);
}

function readDurations(file: string): unknown {
  const raw = readInput(file, 'durations');
  try {
    return /\.json$/i.test(file) ? JSON.parse(raw) : YAML.parse(raw);
  } catch (e) {
    throw new UsageError(`${file} is not valid ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
}

async function watch(api: AxiosInstance, id: string, io: Io): Promise<number> {
  const clear = process.stdout.isTTY ? '\x1b[2J\x1b[H' : '';
  for (;;) {
    const s = await request<StatusView>(api, 'get', `/api/v1/rollouts/${id}`);
    io.stdout(`${clear}${renderStatus(s, io.now())}${clear ? `\n(refreshing every ${WATCH_INTERVAL_MS / 1000} s; Ctrl-C to stop)\n` : '\n'}`);
    if (TERMINAL.includes(s.phase)) return 0;
    await new Promise((r) => setTimeout(r, WATCH_INTERVAL_MS));
  }
}

export async function runRollout(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [action, ...rest] = argv;
  if (!action || action === '--help' || action === '-h') { io.stdout(`${rolloutUsage}\n`); return action ? 0 : 2; }
  const { positional, options } = split(rest);
  const print = (v: unknown) => io.stdout(`${JSON.stringify(v, null, 2)}\n`);
  switch (action) {
    case 'start': {
      const flags = parseFlags(options, { feature: 'value', tenants: 'value', durations: 'value', config: 'value', id: 'value', calendar: 'value', 'require-plan-approval': 'flag' }, rolloutUsage);
      if (positional.length) throw new UsageError(`unexpected argument "${positional[0]}"`, rolloutUsage);
      const tenants = text(flags, 'tenants', false);
      const durations = text(flags, 'durations', false);
      const config = text(flags, 'config', false);
      const body = {
        featureKey: text(flags, 'feature', true),
        ...(flags.id ? { rolloutId: text(flags, 'id', false) } : {}),
        ...(tenants ? { tenantIds: tenants.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
        ...(durations ? { durations: readDurations(durations) } : {}),
        ...(config ? { planConfig: readPlanConfig(config) } : {}),
        ...(flags.calendar ? { calendar: text(flags, 'calendar', false) } : {}),
        ...(flags['require-plan-approval'] ? { requirePlanApproval: true } : {}),
      };
      const started = await request<{ rolloutId: string; uiUrl: string }>(apiClient(env), 'post', '/api/v1/rollouts', body);
      io.stdout(`started rollout ${started.rolloutId}\nTemporal UI: ${started.uiUrl}\nfollow it:   ringmaster rollout status ${started.rolloutId} --watch\n`);
      return 0;
    }
    case 'list': {
      const flags = parseFlags(options, { status: 'value', feature: 'value' }, rolloutUsage);
      const query = new URLSearchParams(Object.entries(flags).map(([k, v]): [string, string] => [k, String(v)]));
      const list = await request<{ rollouts: Array<{ rolloutId: string; featureKey: string | null; status: string | null; workflowStatus: string; startedAt: string }> }>(
        apiClient(env), 'get', `/api/v1/rollouts${query.size ? `?${query}` : ''}`);
      if (list.rollouts.length === 0) io.stdout('no rollouts match\n');
      for (const r of list.rollouts) io.stdout(`${r.rolloutId.padEnd(44)} ${(r.featureKey ?? '-').padEnd(28)} ${(r.status ?? '-').padEnd(18)} ${r.workflowStatus.padEnd(10)} ${r.startedAt}\n`);
      return 0;
    }
    case 'status': {
      const flags = parseFlags(options, { watch: 'flag' }, rolloutUsage);
      const id = idOf(positional, action);
      const api = apiClient(env);
      if (flags.watch) return watch(api, id, io);
      io.stdout(renderStatus(await request<StatusView>(api, 'get', `/api/v1/rollouts/${id}`), io.now()));
      return 0;
    }
    case 'approve':
    case 'reject': {
      const flags = parseFlags(options, { wave: 'value', tenant: 'value', plan: 'flag', comment: 'value' }, rolloutUsage);
      const id = idOf(positional, action);
      const wave = text(flags, 'wave', false);
      const tenant = text(flags, 'tenant', false);
      if (Boolean(flags.plan) === Boolean(wave)) throw new UsageError(`${action} needs either --plan or --wave W`, rolloutUsage);
      if (tenant && !wave) throw new UsageError('--tenant needs --wave', rolloutUsage);
      const url = flags.plan
        ? `/api/v1/rollouts/${id}/plan/${action}`
        : `/api/v1/rollouts/${id}/waves/${encodeURIComponent(wave!)}${tenant ? `/tenants/${encodeURIComponent(tenant)}` : ''}/${action}`;
      const comment = text(flags, 'comment', false);
      const receipt = await request<{ decisionId: string; by: string; at: string; outcome: string }>(apiClient(env), 'post', url, comment ? { comment } : {});
      io.stdout(`${receipt.decisionId}: ${receipt.outcome} (by ${receipt.by} at ${receipt.at})\n`);
      return 0;
    }
    case 'decide': {
      const flags = parseFlags(options, { decision: 'value', rollback: 'flag', keep: 'flag', comment: 'value' }, rolloutUsage);
      const id = idOf(positional, action);
      if (Boolean(flags.rollback) === Boolean(flags.keep)) throw new UsageError('decide needs exactly one of --rollback or --keep', rolloutUsage);
      const decision = text(flags, 'decision', true)!;
      const comment = text(flags, 'comment', false);
      const receipt = await request<{ decisionId: string; by: string; at: string; outcome: string }>(apiClient(env), 'post',
        `/api/v1/rollouts/${id}/decisions/${encodeURIComponent(decision)}`, { rollback: Boolean(flags.rollback), ...(comment ? { comment } : {}) });
      io.stdout(`${receipt.decisionId}: ${receipt.outcome} (by ${receipt.by} at ${receipt.at})\n`);
      return 0;
    }
    case 'pause':
    case 'resume':
    case 'abort':
    case 'exclude':
    case 'hold':
    case 'rollback': {
      const perTenant = action === 'exclude' || action === 'hold' || action === 'rollback';
      const flags = parseFlags(options, perTenant ? { tenant: 'value', reason: 'value' } : { reason: 'value' }, rolloutUsage);
      const id = idOf(positional, action);
      const reason = text(flags, 'reason', true);
      const url = perTenant
        ? `/api/v1/rollouts/${id}/tenants/${encodeURIComponent(text(flags, 'tenant', true)!)}/${action}`
        : `/api/v1/rollouts/${id}/${action}`;
      const accepted = await request<{ control: string; note: string }>(apiClient(env), 'post', url, { reason });
      io.stdout(`${accepted.control}: signalled; ${accepted.note}\n`);
      return 0;
    }
    case 'notices': {
      const flags = parseFlags(options, { wave: 'value', tenant: 'value' }, rolloutUsage);
      const id = idOf(positional, action);
      const query = new URLSearchParams();
      if (flags.wave) query.set('waveId', String(flags.wave));
      if (flags.tenant) query.set('tenantId', String(flags.tenant));
      const { notices } = await request<{ notices: Array<{ id: string; tenantId: string; waveId: string; locale: string; status: string; source: string; subject: string }> }>(
        apiClient(env), 'get', `/api/v1/rollouts/${id}/notices${query.size ? `?${query}` : ''}`);
      if (notices.length === 0) io.stdout('no notices yet\n');
      for (const n of notices) io.stdout(`${n.waveId.padEnd(6)} ${n.tenantId.padEnd(28)} ${n.status.padEnd(9)} ${n.locale.padEnd(6)} ${n.source.padEnd(9)} ${n.subject}\n`);
      return 0;
    }
    case 'report': {
      const flags = parseFlags(options, { kind: 'value' }, rolloutUsage);
      const id = idOf(positional, action);
      const kind = text(flags, 'kind', true);
      if (kind !== 'health' && kind !== 'retrospective') throw new UsageError(`--kind must be health or retrospective, not "${kind}"`, rolloutUsage);
      print(await request(apiClient(env), 'get', `/api/v1/rollouts/${id}/reports/${kind}`));
      return 0;
    }
    case 'audit': {
      parseFlags(options, {}, rolloutUsage);
      const id = idOf(positional, action);
      const { entries } = await request<{ entries: Array<{ at: string; actor: string; action: string; waveId?: string; tenantId?: string; detail: string }> }>(
        apiClient(env), 'get', `/api/v1/rollouts/${id}/audit`);
      for (const e of entries) io.stdout(`${e.at}  ${e.actor.padEnd(22)} ${e.action.padEnd(22)} ${[e.waveId, e.tenantId].filter(Boolean).join('/').padEnd(28)} ${e.detail}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown rollout action "${action}"`, rolloutUsage);
  }
}
