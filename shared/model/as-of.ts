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

/**
 * What is wrong with a YYYY-MM-DD's numbers, one problem each: a month that does not exist
 * (2027-13-45 names no month, so not that the month has fewer days), a day 00, or a day past the
 * month's last (Date.parse rolls 2026-02-30 over to 2 March). Undefined for a real day.
 */
export function calendarDayProblem(yyyy: string, mm: string, dd: string): string | undefined {
  const [year, month, day] = [Number(yyyy), Number(mm), Number(dd)];
  if (month < 1 || month > 12) return `expected a real calendar date (there is no month ${mm}; months run 01–12)`;
  if (day < 1) return `expected a real calendar date (there is no day ${dd})`;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return 'expected a real calendar date (that month has fewer days)';
  return undefined;
}

/** What is wrong with an asOf text, or undefined when it is usable. */
export function asOfProblem(text: string): string | undefined {
  const m = DATE.exec(text) ?? DATE_TIME.exec(text);
  if (!m) {
    if (NO_OFFSET.test(text)) return `expected ${AS_OF_FORMS}; add Z (UTC) or the offset, e.g. ${text}Z`;
    return `expected ${AS_OF_FORMS}`;
  }
  const wrongDay = calendarDayProblem(m[1], m[2], m[3]);
  if (wrongDay) return wrongDay;
  if (Number.isNaN(Date.parse(text))) return `expected ${AS_OF_FORMS}`;
  return undefined;
}

/** asOf in a request body: the same forms as `--as-of`, with the reason when it is not one. */
export const AsOf = z.string().superRefine((text, ctx) => {
  const problem = asOfProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
