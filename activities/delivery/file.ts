import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Notice } from '../ports';
import type { PeopleMessage } from '../rollout';
import type { DeliveryReceipt, NoticeDelivery, Notifier, Recipient } from './types';

/** Rollout ids come from callers; keep them to one harmless path segment. */
function segment(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return /^\.+$/.test(safe) ? safe.replace(/\./g, '_') : safe;
}

/**
 * The embedded default: each notice as `<dir>/<rollout>/<tenant>.md`, with its metadata as front
 * matter, for customer success to review and send by hand. A retry overwrites the same file.
 */
export class FileDelivery implements NoticeDelivery {
  constructor(private readonly dir: string) {}

  async deliver(notice: Notice, to: Recipient): Promise<DeliveryReceipt> {
    const folder = join(this.dir, segment(notice.rolloutId));
    const path = join(folder, `${segment(notice.tenantId)}.md`);
    const meta = { id: notice.id, rollout: notice.rolloutId, wave: notice.waveId, tenant: notice.tenantId, to, subject: notice.subject, locale: notice.locale, source: notice.source, ...(notice.fallbackReason ? { fallbackReason: notice.fallbackReason } : {}) };
    await mkdir(folder, { recursive: true });
    await writeFile(path, `---\n${stringify(meta)}---\n\n${notice.markdown}`, 'utf8');
    return { channel: 'file', id: path };
  }
}

/** Reminders and alerts as JSON lines in `<dir>/notifications.jsonl`, where no chat is configured. */
export class FileNotifier implements Notifier {
  constructor(private readonly dir: string, private readonly now: () => Date = () => new Date()) {}

  async notify(message: PeopleMessage & { rolloutId?: string }): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await appendFile(join(this.dir, 'notifications.jsonl'), `${JSON.stringify({ at: this.now().toISOString(), ...message })}\n`, 'utf8');
  }
}
