/**
 * The planning instant (`asOf`), one parser for every place that takes it: `ringmaster plan
 * --as-of`, `POST /api/v1/plans/preview` and `POST /api/v1/rollouts`. A date alone means midnight
 * UTC that day; a date-time needs Z or an offset, since without one it would mean the clock of
 * whichever machine reads it. The text is kept as given (plans show it).
 */
import { z } from 'zod';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const NO_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

export const AS_OF_FORMS = 'an ISO-8601 date (2026-12-04, midnight UTC) or date-time with Z or an offset (2026-12-04T09:00:00Z, 2026-12-04T17:00:00+08:00)';

/** What is wrong with an asOf text, or undefined when it is usable. */
export function asOfProblem(text: string): string | undefined {
  const m = DATE.exec(text) ?? DATE_TIME.exec(text);
  if (!m) {
    if (NO_OFFSET.test(text)) return `expected ${AS_OF_FORMS}; add Z (UTC) or the offset, e.g. ${text}Z`;
    return `expected ${AS_OF_FORMS}`;
  }
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return 'expected a real calendar date (that month has fewer days)';
  if (Number.isNaN(Date.parse(text))) return `expected ${AS_OF_FORMS}`;
  return undefined;
}

/** asOf in a request body: the same forms as `--as-of`, with the reason when it is not one. */
export const AsOf = z.string().superRefine((text, ctx) => {
  const problem = asOfProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
