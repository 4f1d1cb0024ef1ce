/**
 * Flag provider for teams whose flags live in another system: each FlagChange is POSTed as JSON
 * to their endpoint, signed (see signature.ts) and carrying an Idempotency-Key header so the
 * receiver can drop a repeat.
 *
 * Ringmaster keeps a local mirror of what it applied (the same flag tables the built-in provider
 * uses): `isEnabled` reads the mirror, the mirror's history answers "who changed it", and a
 * change whose key the mirror already holds is not sent again. The mirror only knows changes
 * Ringmaster made; a flag flipped by hand in the other system is not reflected.
 *
 * Failures: 5xx, 408, 429 and network errors are retried here with exponential backoff; when the
 * attempts run out the error stays retryable so the Temporal activity retry takes over. Any other
 * 4xx (or a redirect) means the request itself is wrong and will not get better: it throws
 * NonRetryableFlagError, a non-retryable ApplicationFailure of type 'NonRetryableFlagError'.
 */
import axios, { type AxiosResponse } from 'axios';
import { ApplicationFailure } from '@temporalio/common';
import type { FlagChange, FlagProvider } from '../ports';
import type { FlagStore } from '../store/types';
import { SIGNATURE_HEADER, signFlagWebhook, TIMESTAMP_HEADER } from './signature';

export const NON_RETRYABLE_FLAG_ERROR = 'NonRetryableFlagError';

export class NonRetryableFlagError extends ApplicationFailure {
  constructor(message: string, readonly status?: number) {
    super(message, NON_RETRYABLE_FLAG_ERROR, true, status === undefined ? [] : [{ status }]);
  }
}

/** The endpoint stayed unreachable or kept failing for every attempt; worth retrying later. */
export class FlagWebhookUnavailableError extends Error {
  override name = 'FlagWebhookUnavailable';
}

export interface WebhookFlagProviderOptions {
  url: string;
  secret: string;
  /** Tries per change, the first included. */
  attempts?: number;
  /** Delay before the first retry; it doubles on each further retry, up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
  now?: () => Date;
}

const RETRYABLE_STATUS = new Set([408, 429]);

function snippet(data: unknown): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data ?? '');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Retry-After in seconds, when the receiver sent one. */
function retryAfterMs(res: AxiosResponse): number | undefined {
  const value = Number(res.headers['retry-after']);
  return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
}

export class WebhookFlagProvider implements FlagProvider {
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => Date;

  constructor(private readonly options: WebhookFlagProviderOptions, private readonly mirror: FlagStore) {
    if (!options.secret) throw new Error('the flag webhook needs a signing secret');
    this.attempts = Math.max(1, options.attempts ?? 4);
    this.backoffMs = options.backoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 5000;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.now = options.now ?? (() => new Date());
  }

  async apply(change: FlagChange): Promise<{ applied: boolean }> {
    if (await this.mirror.hasFlagChange(change.idempotencyKey)) return { applied: false };
    await this.deliver(change);
    return this.mirror.applyFlagChange(change);
  }

  async isEnabled(featureKey: string, tenantId: string): Promise<boolean> {
    return (await this.mirror.getFlagState(featureKey, tenantId))?.enabled ?? false;
  }

  private async deliver(change: FlagChange): Promise<void> {
    const body = JSON.stringify(change);
    let lastProblem = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      // Signed per attempt, so a retry after a long backoff is not refused as stale.
      const timestamp = Math.floor(this.now().getTime() / 1000);
      let wait = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (attempt - 1));
      try {
        const res = await axios.post(this.options.url, body, {
          headers: {
            'Content-Type': 'application/json',
            'Idempotency-Key': change.idempotencyKey,
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: signFlagWebhook(this.options.secret, timestamp, body),
          },
          timeout: this.timeoutMs,
          maxRedirects: 0,
          validateStatus: () => true,
          transformRequest: [(data: string) => data],
        });
        if (res.status >= 200 && res.status < 300) return;
        lastProblem = `HTTP ${res.status} ${snippet(res.data)}`;
        if (res.status < 500 && !RETRYABLE_STATUS.has(res.status)) {
          throw new NonRetryableFlagError(
            `flag webhook ${this.options.url} refused ${change.enabled ? 'enabling' : 'disabling'} ${change.featureKey} for ${change.tenantId}: ${lastProblem}`,
            res.status,
          );
        }
        wait = Math.min(this.maxBackoffMs, retryAfterMs(res) ?? wait);
      } catch (e) {
        if (e instanceof NonRetryableFlagError) throw e;
        lastProblem = (e as Error).message;
      }
      if (attempt < this.attempts) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    throw new FlagWebhookUnavailableError(`flag webhook ${this.options.url} failed ${this.attempts} time(s) for ${change.idempotencyKey}; last: ${lastProblem}`);
  }
}
