import { calendarStart } from '../../shared/plan/timeline';
import { PlanConfig } from '../../shared/plan/config';

const business = (startWindow = { fromHour: 9, toHour: 11 }) => PlanConfig.parse({ calendar: 'business', startWindow });
const wave = (...zones: string[]) => zones.map((timeZone) => ({ tenant: { timeZone } }));
const DAY_LONG = 86_400;

/** The local wall-clock time of t in a zone, as Intl shows it: '2026-03-27 09:00 Fri'. */
function local(t: number, timeZone: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' })
    .formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.weekday}`;
}

// Around daylight-saving changes: the start is the window's opening hour in local time on the
// next allowed day, whatever the offset did overnight (or on a half hour, as in Adelaide and St John's).
it.each([
  // Cairo springs forward at 00:00 local on Friday 24 April 2026: Thursday noon is past the window.
  ['Africa/Cairo', '2026-04-23T10:00:00Z', { fromHour: 9, toHour: 11 }, '2026-04-24 09:00 Fri'],
  ['Africa/Cairo', '2026-04-23T10:00:00Z', { fromHour: 9, toHour: 10 }, '2026-04-24 09:00 Fri'],
  // Same day: 01:00 before a 02:00 change (New York, Sunday 8 March 2026, weekends allowed below).
  ['America/New_York', '2026-03-08T06:00:00Z', { fromHour: 9, toHour: 10 }, '2026-03-08 09:00 Sun'],
  // In the spring-forward gap itself: 02:00 does not exist that night, 03:00 is the first hour after it.
  ['America/New_York', '2026-03-07T20:00:00Z', { fromHour: 2, toHour: 4 }, '2026-03-08 03:00 Sun'],
  // Falling back overnight must not land an hour early, before the window.
  ['America/New_York', '2026-10-31T16:00:00Z', { fromHour: 9, toHour: 10 }, '2026-11-01 09:00 Sun'],
  // Changes on a half hour in UTC: St John's at 05:30 UTC, Adelaide at 16:30 UTC. Ten minutes
  // later the local time is 03:10, inside the window, so the wave starts right away.
  ['America/St_Johns', '2026-03-08T05:40:00Z', { fromHour: 3, toHour: 4 }, '2026-03-08 03:10 Sun'],
  ['Australia/Adelaide', '2026-10-03T16:40:00Z', { fromHour: 3, toHour: 4 }, '2026-10-04 03:10 Sun'],
  // Chatham springs forward from 02:45 to 03:45 (14:00 UTC): no 03:00 that night, the window opens at 03:45.
  ['Pacific/Chatham', '2026-09-26T10:00:00Z', { fromHour: 3, toHour: 4 }, '2026-09-27 03:45 Sun'],
  // Lord Howe springs forward half an hour, from 02:00 to 02:30.
  ['Australia/Lord_Howe', '2026-10-03T10:00:00Z', { fromHour: 2, toHour: 3 }, '2026-10-04 02:30 Sun'],
])('%s from %s, window %o → %s local', (zone, from, startWindow, expected) => {
  const config = PlanConfig.parse({ calendar: 'business', startWindow, weekendsOff: false });
  expect(local(calendarStart(Date.parse(from), wave(zone), DAY_LONG, config), zone)).toBe(expected);
});

it('starts on a weekday inside the window of the predominant zone, on a weekday in every member\'s zone', () => {
  // Friday 15:00 in New York is past the window, Saturday is the weekend there: Monday 09:00.
  const start = calendarStart(Date.parse('2026-03-27T19:00:00Z'), wave('America/New_York', 'America/New_York', 'Asia/Tokyo'), DAY_LONG, business());
  expect(local(start, 'America/New_York')).toBe('2026-03-30 09:00 Mon');
  expect(local(start, 'Asia/Tokyo')).toBe('2026-03-30 22:00 Mon');
});

// A member's zone behind the wave's own can still be on Sunday when the window opens on Monday:
// its Monday begins inside the window (Berlin's midnight is 10:00 in Sydney in January, Chicago's
// 10:00 in Dubai), so the wave starts then, not on Tuesday.
it.each([
  ['2027-01-10T12:00:00Z', ['Australia/Sydney', 'Australia/Sydney', 'Europe/Berlin'], ['2027-01-11 10:00 Mon', '2027-01-11 00:00 Mon']],
  ['2026-03-06T12:00:00Z', ['Australia/Sydney', 'Australia/Sydney', 'Europe/Berlin'], ['2026-03-09 10:00 Mon', '2026-03-09 00:00 Mon']],
  ['2026-11-29T00:00:00Z', ['Asia/Dubai', 'Asia/Dubai', 'America/Chicago'], ['2026-11-30 10:00 Mon', '2026-11-30 00:00 Mon']],
])('from %s, zones %j: starts once every member\'s Monday has begun, inside the window (%j)', (from, zones, expected) => {
  const start = calendarStart(Date.parse(from), wave(...zones), DAY_LONG, business());
  expect([local(start, zones[0]), local(start, zones[2])]).toEqual(expected);
});
