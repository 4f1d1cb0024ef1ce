/**
 * Signing of flag webhooks. The HMAC covers `<timestamp>.<raw body>`, not the body alone: with
 * the body alone, whoever captured one request could resend it later under a fresh timestamp
 * header, and the timestamp would stop nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Ringmaster-Signature';
export const TIMESTAMP_HEADER = 'X-Ringmaster-Timestamp';

/** `sha256=<hex>` for a body sent at `timestamp` (Unix seconds). */
export function signFlagWebhook(secret: string, timestamp: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}

/** For receivers: why a request must be refused, or undefined when it is genuine and fresh. */
export function flagWebhookProblem(req: {
  secret: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  now?: Date;
  toleranceSeconds?: number;
}): string | undefined {
  const { secret, rawBody, signature, timestamp, now = new Date(), toleranceSeconds = 300 } = req;
  if (!signature) return `missing ${SIGNATURE_HEADER} header`;
  if (!timestamp || !/^\d+$/.test(timestamp)) return `missing or non-numeric ${TIMESTAMP_HEADER} header`;
  const age = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (age > toleranceSeconds) return `timestamp is ${Math.round(age)} s away from now (more than ${toleranceSeconds} s): possible replay`;
  const expected = Buffer.from(signFlagWebhook(secret, Number(timestamp), rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'signature does not match the body and timestamp';
  return undefined;
}
