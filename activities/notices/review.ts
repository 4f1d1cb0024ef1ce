/**
 * How long customer success has to review and send notice drafts before the notice lead counts.
 * The worker plans rollouts with it and the API previews plans with it, so both read it here.
 */
import { z } from 'zod';
import { formatIssues } from '../store/records';

const NoticeEnv = z.object({
  RINGMASTER_NOTICE_AUTOSEND: z.string().optional(),
  RINGMASTER_NOTICE_REVIEW_HOURS: z.coerce.number({ error: 'must be a number of hours' }).min(0).max(720).default(24),
});

/** Notices delivered as prepared need no review time; drafts get RINGMASTER_NOTICE_REVIEW_HOURS. */
export function noticeReviewSecondsFromEnv(env: NodeJS.ProcessEnv): number {
  const parsed = NoticeEnv.safeParse(env);
  if (!parsed.success) throw new Error(`notice configuration: ${formatIssues(parsed.error)}`);
  return parsed.data.RINGMASTER_NOTICE_AUTOSEND === 'true' ? 0 : Math.round(parsed.data.RINGMASTER_NOTICE_REVIEW_HOURS * 3600);
}
