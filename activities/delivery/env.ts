import { z } from 'zod';
import { FileDelivery, FileNotifier } from './file';
import { SlackNotifier, SlackWebhookDelivery } from './slack';
import { SmtpDelivery } from './smtp';
import type { NoticeDelivery, Notifier } from './types';

const Flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const DeliveryEnv = z.object({
  RINGMASTER_DELIVERY: z.enum(['file', 'slack', 'smtp']).default('file'),
  RINGMASTER_NOTIFY: z.enum(['file', 'slack']).optional(),
  RINGMASTER_NOTICE_DIR: z.string().min(1).default('.data/notices'),
  RINGMASTER_SLACK_WEBHOOK_URL: z.url({ message: 'expected the incoming-webhook URL, e.g. https://hooks.slack.com/services/…' }).optional(),
  RINGMASTER_SMTP_HOST: z.string().min(1).optional(),
  RINGMASTER_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  RINGMASTER_SMTP_SECURE: Flag.default(false),
  RINGMASTER_SMTP_USER: z.string().min(1).optional(),
  RINGMASTER_SMTP_PASS: z.string().optional(),
  RINGMASTER_SMTP_FROM: z.string().min(3).optional(),
});
type DeliveryEnv = z.infer<typeof DeliveryEnv>;

function parse(env: Record<string, string | undefined>): DeliveryEnv {
  // An exported-but-empty variable means "not set", as it does to a shell user.
  const parsed = DeliveryEnv.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!parsed.success) throw new Error(`delivery settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function required<T>(value: T | undefined, name: string, because: string): T {
  if (value === undefined) throw new Error(`delivery settings: ${name} is required ${because}`);
  return value;
}

/** Files on disk unless RINGMASTER_DELIVERY picks Slack or SMTP, whose settings must then be complete. */
export function deliveryFromEnv(env: Record<string, string | undefined>): NoticeDelivery {
  const e = parse(env);
  switch (e.RINGMASTER_DELIVERY) {
    case 'file':
      return new FileDelivery(e.RINGMASTER_NOTICE_DIR);
    case 'slack':
      return new SlackWebhookDelivery(required(e.RINGMASTER_SLACK_WEBHOOK_URL, 'RINGMASTER_SLACK_WEBHOOK_URL', 'when RINGMASTER_DELIVERY=slack'));
    case 'smtp': {
      const because = 'when RINGMASTER_DELIVERY=smtp';
      return new SmtpDelivery({
        host: required(e.RINGMASTER_SMTP_HOST, 'RINGMASTER_SMTP_HOST', because),
        port: e.RINGMASTER_SMTP_PORT ?? (e.RINGMASTER_SMTP_SECURE ? 465 : 587),
        secure: e.RINGMASTER_SMTP_SECURE,
        user: e.RINGMASTER_SMTP_USER,
        pass: e.RINGMASTER_SMTP_PASS,
        from: required(e.RINGMASTER_SMTP_FROM, 'RINGMASTER_SMTP_FROM', because),
      });
    }
  }
}

/** Reminders and alerts go to the Slack webhook when one is configured, else to a JSONL file. */
export function notifierFromEnv(env: Record<string, string | undefined>): Notifier {
  const e = parse(env);
  const mode = e.RINGMASTER_NOTIFY ?? (e.RINGMASTER_SLACK_WEBHOOK_URL ? 'slack' : 'file');
  return mode === 'slack'
    ? new SlackNotifier(required(e.RINGMASTER_SLACK_WEBHOOK_URL, 'RINGMASTER_SLACK_WEBHOOK_URL', 'when RINGMASTER_NOTIFY=slack'))
    : new FileNotifier(e.RINGMASTER_NOTICE_DIR);
}
