import nodemailer, { type Transporter } from 'nodemailer';
import type { Notice } from '../ports';
import { DeliveryError, type DeliveryReceipt, type NoticeDelivery, type Recipient } from './types';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  pass?: string;
  /** Sender, e.g. 'Rollout Desk <rollouts@vendor.example>'. */
  from: string;
}

function domainOf(from: string): string {
  return /@([^>\s]+)/.exec(from)?.[1] ?? 'ringmaster.local';
}

/** Notices by e-mail, in plain text, to the tenant contact the notice is addressed to. */
export class SmtpDelivery implements NoticeDelivery {
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: settings.user ? { user: settings.user, pass: settings.pass ?? '' } : undefined,
    });
  }

  async deliver(notice: Notice, to: Recipient): Promise<DeliveryReceipt> {
    if (!to.email) throw new DeliveryError(`notice ${notice.id} for tenant ${notice.tenantId} has no e-mail recipient`, false);
    try {
      const info = await this.transport.sendMail({
        from: this.settings.from,
        to: to.name ? { name: to.name, address: to.email } : to.email,
        subject: notice.subject,
        text: notice.text,
        // The notice id as Message-ID lets a receiving system drop the copy a retried activity sends.
        messageId: `<${notice.id}@${domainOf(this.settings.from)}>`,
        headers: { 'X-Ringmaster-Notice': notice.id, 'X-Ringmaster-Rollout': notice.rolloutId },
      });
      return { channel: 'smtp', id: info.messageId };
    } catch (err) {
      const e = err as Error & { responseCode?: number };
      // 5xx replies are permanent (bad address, policy); 4xx and broken connections may pass later.
      const permanent = e.responseCode !== undefined && e.responseCode >= 500;
      throw new DeliveryError(`SMTP delivery of notice ${notice.id} to ${to.email} failed: ${e.message}`, !permanent);
    }
  }

  close(): void {
    this.transport.close();
  }
}
