import axios from 'axios';
import type { Notice } from '../ports';
import type { PeopleMessage } from '../rollout';
import { DeliveryError, type DeliveryReceipt, type NoticeDelivery, type Notifier, type Recipient } from './types';

export interface WebhookOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** Wait before the second attempt; doubles after each failure. */
  backoffMs?: number;
  timeoutMs?: number;
}

type Block = Record<string, unknown>;

/**
 * Posts to a Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat). A 5xx, a 429 or
 * a dropped connection is tried again with backoff; any other 4xx means the payload or URL is
 * wrong, and repeating it cannot help.
 */
export async function postToWebhook(url: string, payload: { text: string; blocks?: Block[] }, opts: WebhookOptions = {}): Promise<void> {
  const attempts = opts.attempts ?? 4;
  let wait = opts.backoffMs ?? 500;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await axios.post(url, payload, { timeout: opts.timeoutMs ?? 10_000, validateStatus: () => true, headers: { 'content-type': 'application/json' } });
      if (res.status >= 200 && res.status < 300) return;
      last = `HTTP ${res.status}${typeof res.data === 'string' && res.data ? ` (${res.data.slice(0, 200)})` : ''}`;
      if (res.status < 500 && res.status !== 429) throw new DeliveryError(`webhook rejected the message: ${last}`, false);
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      last = (err as Error).message;
    }
    if (attempt < attempts) {
      await new Promise((r) => setTimeout(r, wait));
      wait *= 2;
    }
  }
  throw new DeliveryError(`webhook failed after ${attempts} attempts: ${last}`, true);
}

/** Slack escapes only these three; everything else is literal. */
function escapeSlack(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack's mrkdwn is not markdown: bold is *one star*, there are no headings, bullets are literal. */
export function toSlackMrkdwn(markdown: string): string {
  return escapeSlack(markdown)
    .replace(/^#{1,6}\s+(.+)$/gm, '*$1*')
    .replace(/\*\*(.+?)\*\*/g, '*$1*')
    .replace(/^- /gm, '• ');
}

const SECTION_LIMIT = 3000;
const HEADER_LIMIT = 150;

/** Section blocks hold at most 3000 characters: fill them paragraph by paragraph, cutting only a paragraph too long for one. */
function sections(mrkdwn: string): Block[] {
  const pieces = mrkdwn.split(/\n{2,}/).flatMap((p) => Array.from({ length: Math.ceil(p.length / SECTION_LIMIT) || 1 }, (_, i) => p.slice(i * SECTION_LIMIT, (i + 1) * SECTION_LIMIT)));
  const chunks: string[] = [];
  for (const piece of pieces) {
    const lastChunk = chunks.at(-1);
    if (lastChunk !== undefined && lastChunk.length + piece.length + 2 <= SECTION_LIMIT) chunks[chunks.length - 1] = `${lastChunk}\n\n${piece}`;
    else chunks.push(piece);
  }
  return chunks.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
}

function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: text.length > HEADER_LIMIT ? `${text.slice(0, HEADER_LIMIT - 1)}…` : text } };
}

function recipientLabel(to: Recipient): string {
  if (to.name && to.email) return `${to.name} <${to.email}>`;
  return to.name ?? to.email ?? 'no recipient on file';
}

/**
 * Notices into a channel where customer success picks them up. Webhooks return no message id,
 * so the receipt carries the notice id.
 */
export class SlackWebhookDelivery implements NoticeDelivery {
  constructor(private readonly url: string, private readonly opts: WebhookOptions = {}) {}

  async deliver(notice: Notice, to: Recipient): Promise<DeliveryReceipt> {
    const context = `For ${recipientLabel(to)} · tenant ${notice.tenantId} · wave ${notice.waveId} · ${notice.source === 'llm' ? 'LLM-polished' : 'template'} · ${notice.id}`;
    await postToWebhook(this.url, {
      text: `${notice.subject}\n\n${notice.text}`,
      blocks: [
        header(notice.subject),
        { type: 'context', elements: [{ type: 'mrkdwn', text: escapeSlack(context) }] },
        ...sections(toSlackMrkdwn(notice.markdown)),
      ],
    }, this.opts);
    return { channel: 'slack', id: notice.id };
  }
}

const SEVERITY_MARK: Record<PeopleMessage['severity'], string> = { info: ':information_source:', warning: ':warning:', critical: ':rotating_light:' };

export class SlackNotifier implements Notifier {
  constructor(private readonly url: string, private readonly opts: WebhookOptions = {}) {}

  async notify(message: PeopleMessage & { rolloutId?: string }): Promise<void> {
    const title = `${SEVERITY_MARK[message.severity]} *${escapeSlack(message.subject)}*`;
    await postToWebhook(this.url, {
      text: `${title}\n${escapeSlack(message.text)}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: title } },
        ...sections(escapeSlack(message.text)),
        ...(message.rolloutId ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: `rollout ${escapeSlack(message.rolloutId)} · ${message.severity}` }] }] : []),
      ],
    }, this.opts);
  }
}
