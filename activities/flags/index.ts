/**
 * Chooses the flag provider from the environment: the built-in store unless a webhook URL is set.
 */
import { z } from 'zod';
import type { FlagProvider } from '../ports';
import { formatIssues } from '../store/records';
import type { FlagStore } from '../store/types';
import { BuiltinFlagProvider } from './builtin';
import { WebhookFlagProvider } from './webhook';

const WebhookEnv = z.object({
  RINGMASTER_FLAG_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  RINGMASTER_FLAG_WEBHOOK_SECRET: z.string({ error: 'is required when RINGMASTER_FLAG_WEBHOOK_URL is set (it signs every request)' }).min(16, 'must be at least 16 characters'),
  RINGMASTER_FLAG_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(4),
  RINGMASTER_FLAG_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
});

export function flagProviderFromEnv(env: NodeJS.ProcessEnv, store: FlagStore): FlagProvider {
  if (!env.RINGMASTER_FLAG_WEBHOOK_URL) return new BuiltinFlagProvider(store);
  const parsed = WebhookEnv.safeParse(env);
  if (!parsed.success) throw new Error(`flag webhook configuration: ${formatIssues(parsed.error)}`);
  const cfg = parsed.data;
  return new WebhookFlagProvider({
    url: cfg.RINGMASTER_FLAG_WEBHOOK_URL,
    secret: cfg.RINGMASTER_FLAG_WEBHOOK_SECRET,
    attempts: cfg.RINGMASTER_FLAG_WEBHOOK_ATTEMPTS,
    timeoutMs: cfg.RINGMASTER_FLAG_WEBHOOK_TIMEOUT_MS,
  }, store);
}
