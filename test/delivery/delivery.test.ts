import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DeliveryError, deliveryFromEnv, FileDelivery, FileNotifier, notifierFromEnv, SlackNotifier, SlackWebhookDelivery, SmtpDelivery, toSlackMrkdwn } from '../../activities/delivery';
import { prepareNotice } from '../../activities/notices/prepare';
import { noticeRecipient } from '../../shared/notices/facts';
import { acme, approvalsV2, fleetSystems, lotus, wave2 } from '../notices/fixtures';
import { parseMail, startSmtpReceiver, startWebhookReceiver } from './receivers';

const notice = (tenant = acme, rolloutId = 'rel-2026-12') => prepareNotice(tenant, approvalsV2, wave2, { rolloutId, now: '2026-12-01T09:00:00.000Z', allSystemsKnown: fleetSystems });
const to = (tenant = acme) => {
  const r = noticeRecipient(tenant)!;
  return { name: r.name, email: r.email };
};

describe('SlackWebhookDelivery', () => {
  it('posts text and blocks: header, context with recipient, the notice in mrkdwn', async () => {
    const hook = await startWebhookReceiver();
    try {
      const n = await notice();
      expect(await new SlackWebhookDelivery(hook.url).deliver(n, to())).toEqual({ channel: 'slack', id: n.id });
      expect(hook.received).toHaveLength(1);
      const { body, contentType } = hook.received[0];
      expect(contentType).toMatch(/^application\/json/);
      expect(body.text.startsWith(`${n.subject}\n\n${n.text}`)).toBe(true);
      const blocks = body.blocks as { type: string; text?: { text: string }; elements?: { text: string }[] }[];
      expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: n.subject } });
      expect(blocks[1].elements![0].text).toBe(`For Dana Whitfield &lt;dana.whitfield@acme.example&gt; · tenant acme · wave w2 · template · ${n.id}`);
      const sectionText = blocks.slice(2).map((b) => b.text!.text).join('\n\n');
      expect(sectionText).toContain('*Your window*');
      expect(sectionText).toContain('• *When:* Tue 8 Dec 2026, 09:00–11:00 (America/New_York)');
      expect(blocks.slice(2).every((b) => b.type === 'section' && b.text!.text.length <= 3000)).toBe(true);
    } finally {
      await hook.close();
    }
  });

  it('retries a 500 and succeeds on the 200 that follows', async () => {
    const hook = await startWebhookReceiver([500]);
    try {
      const n = await notice();
      await expect(new SlackWebhookDelivery(hook.url, { backoffMs: 10 }).deliver(n, to())).resolves.toEqual({ channel: 'slack', id: n.id });
      expect(hook.received).toHaveLength(2);
      expect(hook.received[1].body).toEqual(hook.received[0].body);
    } finally {
      await hook.close();
    }
  });

  it('gives up after its attempts on repeated 5xx, as retryable', async () => {
    const hook = await startWebhookReceiver([503, 502, 500]);
    try {
      const err = await new SlackWebhookDelivery(hook.url, { attempts: 3, backoffMs: 5 }).deliver(await notice(), to()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryError);
      expect(err).toMatchObject({ retryable: true, message: 'webhook failed after 3 attempts: HTTP 500 (server_error)' });
      expect(hook.received).toHaveLength(3);
    } finally {
      await hook.close();
    }
  });

  it('does not repeat a 4xx', async () => {
    const hook = await startWebhookReceiver([400]);
    try {
      const err = await new SlackWebhookDelivery(hook.url, { backoffMs: 5 }).deliver(await notice(), to()).catch((e: unknown) => e);
      expect(err).toMatchObject({ retryable: false, message: 'webhook rejected the message: HTTP 400 (invalid_blocks)' });
      expect(hook.received).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it.each([
    ['## Your window\n- **When:** 09:00', '*Your window*\n• *When:* 09:00'],
    ['Use `approval_flow` & <b>', 'Use `approval_flow` &amp; &lt;b&gt;'],
  ])('mrkdwn of %j', (md, expected) => {
    expect(toSlackMrkdwn(md)).toBe(expected);
  });
});

describe('SlackNotifier', () => {
  it('sends reminders and alerts with their severity over the same webhook', async () => {
    const hook = await startWebhookReceiver();
    try {
      const notifier = new SlackNotifier(hook.url);
      await notifier.notify({ subject: 'Rollout rel-2026-12 paused: acme needs a manual rollback', text: 'Data migration ran; restore from snapshot.', severity: 'critical', rolloutId: 'rel-2026-12' });
      await notifier.notify({ subject: 'Plan approval overdue', text: 'Approve or reject the plan', severity: 'warning' });
      expect(hook.received.map((r) => r.body.text)).toEqual([
        ':rotating_light: *Rollout rel-2026-12 paused: acme needs a manual rollback*\nData migration ran; restore from snapshot.',
        ':warning: *Plan approval overdue*\nApprove or reject the plan',
      ]);
      expect(JSON.stringify(hook.received[0].body.blocks)).toContain('rollout rel-2026-12 · critical');
    } finally {
      await hook.close();
    }
  });
});

describe('SmtpDelivery', () => {
  it('delivers the notice to the tenant contact with subject and body intact', async () => {
    const smtp = await startSmtpReceiver();
    const delivery = new SmtpDelivery({ host: '127.0.0.1', port: smtp.port, secure: false, user: 'ringmaster', pass: 's3cret', from: 'Rollout Desk <rollouts@vendor.example>' });
    try {
      const n = await notice(lotus);
      const receipt = await delivery.deliver(n, to(lotus));
      expect(receipt).toEqual({ channel: 'smtp', id: `<${n.id}@vendor.example>` });
      expect(smtp.logins).toEqual(['ringmaster:s3cret']);
      expect(smtp.mails).toHaveLength(1);
      const mail = smtp.mails[0];
      expect(mail.from).toBe('rollouts@vendor.example');
      expect(mail.to).toEqual(['wang.fang@lotus.example']);
      const { headers, body } = parseMail(mail.raw);
      expect(headers.subject).toBe(n.subject);
      expect(headers.to).toBe('王芳 <wang.fang@lotus.example>');
      expect(headers['message-id']).toBe(`<${n.id}@vendor.example>`);
      expect(headers['x-ringmaster-notice']).toBe(n.id);
      expect(body.trimEnd()).toBe(n.text.trimEnd());
    } finally {
      delivery.close();
      await smtp.close();
    }
  });

  it('a notice without an e-mail recipient is refused before connecting, not retried', async () => {
    const delivery = new SmtpDelivery({ host: '127.0.0.1', port: 9, secure: false, from: 'rollouts@vendor.example' });
    await expect(delivery.deliver(await notice(), { name: 'Dana Whitfield' })).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('has no e-mail recipient') });
  });

  it('a 5xx from the server is permanent', async () => {
    const smtp = await startSmtpReceiver({ rejectRecipient: 'dana.whitfield@acme.example' });
    const delivery = new SmtpDelivery({ host: '127.0.0.1', port: smtp.port, secure: false, from: 'rollouts@vendor.example' });
    try {
      const err = await delivery.deliver(await notice(), to()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryError);
      expect(err).toMatchObject({ retryable: false, message: expect.stringMatching(/to dana.whitfield@acme.example failed: .*mailbox unavailable/) });
      expect(smtp.mails).toHaveLength(0);
    } finally {
      delivery.close();
      await smtp.close();
    }
  });
});

describe('FileDelivery and FileNotifier', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'ringmaster-notices-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('writes <dir>/<rollout>/<tenant>.md with front matter; a retry overwrites it', async () => {
    const n = await notice();
    const delivery = new FileDelivery(dir);
    const receipt = await delivery.deliver(n, to());
    expect(receipt).toEqual({ channel: 'file', id: join(dir, 'rel-2026-12', 'acme.md') });
    await delivery.deliver(n, to());
    const content = await readFile(receipt.id, 'utf8');
    const [, front, body] = content.split(/^---\n/m);
    expect(parseYaml(front)).toEqual({ id: n.id, rollout: 'rel-2026-12', wave: 'w2', tenant: 'acme', to: to(), subject: n.subject, locale: 'en', source: 'template' });
    expect(body).toBe(`\n${n.markdown}`);
  });

  it('keeps a hostile rollout id inside the directory', async () => {
    const receipt = await new FileDelivery(dir).deliver(await notice(acme, '../../etc'), to());
    expect(receipt.id).toBe(join(dir, '.._.._etc', 'acme.md'));
  });

  it('appends reminders and alerts as JSON lines', async () => {
    const notifier = new FileNotifier(dir, () => new Date('2026-12-08T14:05:00Z'));
    await notifier.notify({ subject: 'Advisory rollback for acme', text: 'Decide before 15:00', severity: 'warning', rolloutId: 'rel-2026-12' });
    await notifier.notify({ subject: 'Wave w2 done', text: 'all green', severity: 'info' });
    const lines = (await readFile(join(dir, 'notifications.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { at: '2026-12-08T14:05:00.000Z', subject: 'Advisory rollback for acme', text: 'Decide before 15:00', severity: 'warning', rolloutId: 'rel-2026-12' },
      { at: '2026-12-08T14:05:00.000Z', subject: 'Wave w2 done', text: 'all green', severity: 'info' },
    ]);
  });
});

describe('deliveryFromEnv and notifierFromEnv', () => {
  it.each([
    [{}, FileDelivery],
    [{ RINGMASTER_DELIVERY: '' }, FileDelivery],
    [{ RINGMASTER_DELIVERY: 'slack', RINGMASTER_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X' }, SlackWebhookDelivery],
    [{ RINGMASTER_DELIVERY: 'smtp', RINGMASTER_SMTP_HOST: 'smtp.vendor.example', RINGMASTER_SMTP_FROM: 'rollouts@vendor.example' }, SmtpDelivery],
  ])('%j', (env, kind) => {
    const d = deliveryFromEnv(env);
    expect(d).toBeInstanceOf(kind);
    if (d instanceof SmtpDelivery) d.close();
  });

  it.each([
    [{ RINGMASTER_DELIVERY: 'slack' }, 'delivery settings: RINGMASTER_SLACK_WEBHOOK_URL is required when RINGMASTER_DELIVERY=slack'],
    [{ RINGMASTER_DELIVERY: 'smtp', RINGMASTER_SMTP_HOST: 'smtp.vendor.example' }, 'delivery settings: RINGMASTER_SMTP_FROM is required when RINGMASTER_DELIVERY=smtp'],
    [{ RINGMASTER_DELIVERY: 'pigeon' }, /^delivery settings: RINGMASTER_DELIVERY: /],
    [{ RINGMASTER_DELIVERY: 'smtp', RINGMASTER_SMTP_HOST: 'h', RINGMASTER_SMTP_FROM: 'a@b.c', RINGMASTER_SMTP_PORT: 'twenty-five' }, /^delivery settings: RINGMASTER_SMTP_PORT: /],
    [{ RINGMASTER_DELIVERY: 'smtp', RINGMASTER_SMTP_HOST: 'h', RINGMASTER_SMTP_FROM: 'a@b.c', RINGMASTER_SMTP_SECURE: 'yes' }, /^delivery settings: RINGMASTER_SMTP_SECURE: /],
  ])('rejects %j', (env, message) => {
    expect(() => deliveryFromEnv(env)).toThrow(message);
  });

  it('notifies over Slack when a webhook is configured, to a file otherwise', () => {
    expect(notifierFromEnv({ RINGMASTER_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X' })).toBeInstanceOf(SlackNotifier);
    expect(notifierFromEnv({ RINGMASTER_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/X', RINGMASTER_NOTIFY: 'file' })).toBeInstanceOf(FileNotifier);
    expect(notifierFromEnv({})).toBeInstanceOf(FileNotifier);
    expect(() => notifierFromEnv({ RINGMASTER_NOTIFY: 'slack' })).toThrow('RINGMASTER_SLACK_WEBHOOK_URL is required when RINGMASTER_NOTIFY=slack');
  });
});
