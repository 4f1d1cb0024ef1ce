import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { flagProviderFromEnv } from '../../activities/flags';
import { BuiltinFlagProvider } from '../../activities/flags/builtin';
import { flagWebhookProblem, signFlagWebhook } from '../../activities/flags/signature';
import { FlagWebhookUnavailableError, NonRetryableFlagError, WebhookFlagProvider } from '../../activities/flags/webhook';
import type { FlagChange } from '../../activities/ports';
import { openSqliteStore, type SqliteStore } from '../../activities/store/sqlite';
import { applyFlagWorkflow } from './support/flag-workflows';

const SECRET = 'whsec-test-0123456789abcdef';

const change: FlagChange = {
  featureKey: 'smart-export', tenantId: 'fabrikam', enabled: true, rolloutId: 'r-12',
  actor: 'rollout:r-12', reason: 'wave w3 go from cs-lead:omar', idempotencyKey: 'r-12:fabrikam:enable',
};

interface Received { headers: IncomingHttpHeaders; body: string }

/** A flag system's receiver that answers with the scripted statuses in turn, then 200. */
class Receiver {
  readonly received: Received[] = [];
  script: number[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => {
        this.received.push({ headers: req.headers, body });
        const status = this.script.shift() ?? 200;
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(status < 300 ? { ok: true } : { error: `scripted ${status}` }));
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/flags`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let receiver: Receiver;
let store: SqliteStore;
let provider: WebhookFlagProvider;

beforeEach(async () => {
  receiver = new Receiver();
  await receiver.start();
  store = openSqliteStore(':memory:');
  provider = new WebhookFlagProvider({ url: receiver.url, secret: SECRET, attempts: 3, backoffMs: 20 }, store);
});
afterEach(async () => {
  await receiver.stop();
  await store.close();
});

describe('WebhookFlagProvider', () => {
  it('POSTs the change signed over timestamp and raw body, with its idempotency key', async () => {
    expect(await provider.apply(change)).toEqual({ applied: true });

    expect(receiver.received).toHaveLength(1);
    const [{ headers, body }] = receiver.received;
    expect(JSON.parse(body)).toEqual(change);
    expect(headers['idempotency-key']).toBe('r-12:fabrikam:enable');
    expect(headers['content-type']).toMatch(/^application\/json/);
    const timestamp = headers['x-ringmaster-timestamp'] as string;
    expect(Math.abs(Date.now() / 1000 - Number(timestamp))).toBeLessThan(60);
    const expected = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex');
    expect(headers['x-ringmaster-signature']).toBe(`sha256=${expected}`);

    expect(await provider.isEnabled('smart-export', 'fabrikam')).toBe(true);
    expect((await store.flagHistory('smart-export', 'fabrikam')).map((h) => h.actor)).toEqual(['rollout:r-12']);
  });

  it('does not send a change whose idempotency key was already applied', async () => {
    await provider.apply(change);
    expect(await provider.apply({ ...change, enabled: false })).toEqual({ applied: false });
    expect(receiver.received).toHaveLength(1);
  });

  it('retries a 500 (and a 503) with the same idempotency key until the receiver accepts', async () => {
    receiver.script = [500, 503];
    expect(await provider.apply(change)).toEqual({ applied: true });
    expect(receiver.received.map((r) => r.headers['idempotency-key'])).toEqual(['r-12:fabrikam:enable', 'r-12:fabrikam:enable', 'r-12:fabrikam:enable']);
    expect(await provider.isEnabled('smart-export', 'fabrikam')).toBe(true);
  });

  it('fails a 400 at once with a non-retryable ApplicationFailure and leaves the mirror untouched', async () => {
    receiver.script = [400];
    const error = await provider.apply(change).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableFlagError);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: 'NonRetryableFlagError', nonRetryable: true, status: 400 });
    expect((error as Error).message).toContain('refused enabling smart-export for fabrikam: HTTP 400');
    expect(receiver.received).toHaveLength(1);
    expect(await provider.isEnabled('smart-export', 'fabrikam')).toBe(false);
    expect(await store.hasFlagChange(change.idempotencyKey)).toBe(false);
  });

  it('keeps the error retryable when every attempt fails, so the activity retry takes over', async () => {
    receiver.script = [502, 502, 502];
    const error = await provider.apply(change).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlagWebhookUnavailableError);
    expect(error).not.toBeInstanceOf(ApplicationFailure);
    expect((error as Error).message).toMatch(/failed 3 time\(s\) for r-12:fabrikam:enable; last: HTTP 502/);
    expect(receiver.received).toHaveLength(3);
  });

  it('treats an unreachable endpoint as retryable', async () => {
    const closed = new Receiver();
    await closed.start();
    await closed.stop();
    const unreachable = new WebhookFlagProvider({ url: closed.url, secret: SECRET, attempts: 2, backoffMs: 10 }, store);
    await expect(unreachable.apply(change)).rejects.toThrow(/failed 2 time\(s\) for r-12:fabrikam:enable; last: .*ECONNREFUSED/);
  });
});

describe('WebhookFlagProvider inside a real Temporal activity', () => {
  it('is attempted once on a 4xx, retried by Temporal on a 5xx, and never re-sent once applied', async () => {
    const address = process.env.TEMPORAL_ADDRESS!;
    const taskQueue = `flags-${process.pid}-${Date.now()}`;
    const oneShot = new WebhookFlagProvider({ url: receiver.url, secret: SECRET, attempts: 1 }, store);
    const nativeConnection = await NativeConnection.connect({ address });
    const worker = await Worker.create({
      connection: nativeConnection, taskQueue,
      workflowsPath: require.resolve('./support/flag-workflows'),
      activities: { applyFlag: (c: FlagChange) => oneShot.apply(c) },
    });
    const connection = await Connection.connect({ address });
    const client = new Client({ connection });
    const run = (id: string, c: FlagChange) => client.workflow.execute(applyFlagWorkflow, { taskQueue, workflowId: `${taskQueue}-${id}`, args: [c] });
    try {
      await worker.runUntil(async () => {
        receiver.script = [400];
        expect(await run('refused', change)).toEqual({ outcome: 'failed', type: 'NonRetryableFlagError', nonRetryable: true });
        expect(receiver.received).toHaveLength(1);

        receiver.script = [500, 500];
        expect(await run('flaky', change)).toEqual({ outcome: 'applied' });
        expect(receiver.received).toHaveLength(4);

        expect(await run('replayed', change)).toEqual({ outcome: 'skipped' });
        expect(receiver.received).toHaveLength(4);
      });
    } finally {
      await connection.close();
      await nativeConnection.close();
    }
  });
});

describe('flag webhook signatures for receivers', () => {
  const now = new Date('2026-12-10T09:00:00Z');
  const ts = Math.floor(now.getTime() / 1000);
  const body = JSON.stringify(change);
  const genuine = { secret: SECRET, rawBody: body, signature: signFlagWebhook(SECRET, ts, body), timestamp: String(ts), now };

  it.each([
    ['a genuine, fresh request', {}, undefined],
    ['a tampered body', { rawBody: body.replace('"enabled":true', '"enabled":false') }, 'signature does not match the body and timestamp'],
    ['the wrong secret', { secret: 'another-secret-0123456789' }, 'signature does not match the body and timestamp'],
    ['a replay ten minutes later', { now: new Date(now.getTime() + 600_000) }, 'timestamp is 600 s away from now (more than 300 s): possible replay'],
    ['a replay with a fresh timestamp header', { timestamp: String(ts + 600), now: new Date(now.getTime() + 600_000) }, 'signature does not match the body and timestamp'],
    ['no signature', { signature: undefined }, 'missing X-Ringmaster-Signature header'],
  ])('judges %s', (_case, overrides, problem) => {
    expect(flagWebhookProblem({ ...genuine, ...overrides })).toBe(problem);
  });
});

describe('flagProviderFromEnv', () => {
  it('uses the built-in store by default and the webhook when a URL is set', async () => {
    const local = openSqliteStore(':memory:');
    expect(flagProviderFromEnv({}, local)).toBeInstanceOf(BuiltinFlagProvider);
    expect(flagProviderFromEnv({ RINGMASTER_FLAG_WEBHOOK_URL: 'https://flags.example.com/hook', RINGMASTER_FLAG_WEBHOOK_SECRET: SECRET }, local)).toBeInstanceOf(WebhookFlagProvider);
    await local.close();
  });

  it.each([
    [{ RINGMASTER_FLAG_WEBHOOK_URL: 'https://flags.example.com/hook' }, 'RINGMASTER_FLAG_WEBHOOK_SECRET: is required when RINGMASTER_FLAG_WEBHOOK_URL is set'],
    [{ RINGMASTER_FLAG_WEBHOOK_URL: 'ftp://flags.example.com', RINGMASTER_FLAG_WEBHOOK_SECRET: SECRET }, 'RINGMASTER_FLAG_WEBHOOK_URL: must be an http(s) URL'],
    [{ RINGMASTER_FLAG_WEBHOOK_URL: 'https://flags.example.com/hook', RINGMASTER_FLAG_WEBHOOK_SECRET: SECRET, RINGMASTER_FLAG_WEBHOOK_ATTEMPTS: 'many' }, 'RINGMASTER_FLAG_WEBHOOK_ATTEMPTS: '],
  ])('explains a bad webhook configuration (%#)', (env, message) => {
    expect(() => flagProviderFromEnv(env, store)).toThrow(message);
  });
});
