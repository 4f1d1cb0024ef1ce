/**
 * A tenant reads its window on its own clock: the wave's instants formatted in the tenant's IANA
 * zone and language, with the zone named so nobody has to guess.
 */
export type NoticeLocale = 'en' | 'zh-CN';

function part(parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes): string {
  return parts.find((p) => p.type === type)?.value ?? '';
}

function localDate(at: Date, zone: string, locale: NoticeLocale): string {
  const opts: Intl.DateTimeFormatOptions = { timeZone: zone, weekday: 'short', day: 'numeric', month: locale === 'en' ? 'short' : 'long', year: 'numeric' };
  if (locale === 'zh-CN') return new Intl.DateTimeFormat('zh-CN', opts).format(at);
  // en-GB's order (day before month) without its comma after the weekday: "Tue 8 Dec 2026".
  const parts = new Intl.DateTimeFormat('en-GB', opts).formatToParts(at);
  return `${part(parts, 'weekday')} ${part(parts, 'day')} ${part(parts, 'month')} ${part(parts, 'year')}`;
}

function localTime(at: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  return `${part(parts, 'hour')}:${part(parts, 'minute')}`;
}

function instant(iso: string, field: string): Date {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new Error(`${field}: expected an ISO-8601 date-time, got "${iso}"`);
  return at;
}

/**
 * "Tue 8 Dec 2026, 09:00–11:00 (America/New_York)"; a window that ends on another local day
 * names both days: "Tue 8 Dec 2026, 22:00 – Wed 9 Dec 2026, 02:00 (America/New_York)".
 */
export function formatLocalWindow(startIso: string, endIso: string, zone: string, locale: NoticeLocale): string {
  const start = instant(startIso, 'window start');
  const end = instant(endIso, 'window end');
  const [startDay, endDay] = [localDate(start, zone, locale), localDate(end, zone, locale)];
  const sep = locale === 'en' ? ', ' : ' ';
  const zoneLabel = locale === 'en' ? ` (${zone})` : `（${zone}）`;
  const range = startDay === endDay
    ? `${startDay}${sep}${localTime(start, zone)}–${localTime(end, zone)}`
    : `${startDay}${sep}${localTime(start, zone)} – ${endDay}${sep}${localTime(end, zone)}`;
  return range + zoneLabel;
}

/** Whole hours, minutes or seconds, the largest unit that divides the duration exactly. */
export function formatDuration(seconds: number, locale: NoticeLocale): string {
  const units = locale === 'en'
    ? [[86400, 'day'], [3600, 'hour'], [60, 'minute'], [1, 'second']] as const
    : [[86400, '天'], [3600, '小时'], [60, '分钟'], [1, '秒']] as const;
  const [size, name] = units.find(([s]) => seconds % s === 0 && seconds >= s) ?? units[3];
  const n = Math.round(seconds / size);
  return locale === 'en' ? `${n} ${name}${n === 1 ? '' : 's'}` : `${n} ${name}`;
}
