import type { Notice } from '../ports';
import type { PeopleMessage } from '../rollout';

export interface Recipient {
  email?: string;
  name?: string;
}

/** Where a notice went: the channel and that channel's handle for it (file path, message id). */
export interface DeliveryReceipt {
  channel: string;
  id: string;
}

export interface NoticeDelivery {
  deliver(notice: Notice, to: Recipient): Promise<DeliveryReceipt>;
}

/** Reminders and alerts for the people running the rollout (pending decisions, manual rollbacks). */
export interface Notifier {
  notify(message: PeopleMessage & { rolloutId?: string }): Promise<void>;
}

/**
 * A delivery that did not happen. `retryable` says whether trying again can help (a 5xx or a
 * dropped connection) or not (a rejected address, a missing recipient), so the caller's retry
 * policy can stop early.
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}
