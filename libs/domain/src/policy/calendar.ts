/**
 * Calendar arithmetic for campaign policies. A policy names days ('2023-09-04'); the law means
 * those days in the policy's time zone: "by 9月4日" runs through the end of that day, and a window
 * "9月11日-10月11日" includes both named days. Instants are ISO-8601 strings with an offset, compared
 * as epoch milliseconds. Nothing here reads the clock.
 */

/** A calendar day, `YYYY-MM-DD`, meaningful only together with a time zone. */
export type LocalDate = string;

/** An ISO-8601 instant with `Z` or an explicit offset, e.g. `2023-09-04T23:59:59+08:00`. */
export type Instant = string;

/** An inclusive range of days. */
export interface DateWindow {
  readonly start: LocalDate;
  readonly end: LocalDate;
}

export interface WorkdayRule {
  /** ISO weekdays that are workdays: 1 = Monday … 7 = Sunday. */
  readonly weekdays: readonly number[];
  /** Public holidays falling on those weekdays. */
  readonly holidays: readonly LocalDate[];
  /** Weekend days made workdays by the State Council's holiday arrangement (调休). */
  readonly adjustedWorkdays: readonly LocalDate[];
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DAY_MS = 86_400_000;

export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(y, mo - 1, d));
  return utc.getUTCFullYear() === y && utc.getUTCMonth() === mo - 1 && utc.getUTCDate() === d;
}

export function isInstant(value: string): boolean {
  return INSTANT.test(value) && !Number.isNaN(Date.parse(value)) && isLocalDate(value.slice(0, 10));
}

export function toMillis(instant: Instant): number {
  if (!isInstant(instant)) throw new RangeError(`not an ISO-8601 instant with offset: ${instant}`);
  return Date.parse(instant);
}

export function toInstant(millis: number): Instant {
  return new Date(millis).toISOString();
}

function utcNoon(date: LocalDate): number {
  if (!isLocalDate(date)) throw new RangeError(`not a calendar day YYYY-MM-DD: ${date}`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), 12);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(utcNoon(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((utcNoon(to) - utcNoon(from)) / DAY_MS);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: LocalDate): number {
  const d = new Date(utcNoon(date)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The instant a day begins in the zone: 00:00 local, or the first instant after it where a clock change skips midnight. */
export function startOfDay(date: LocalDate, timeZone: string): number {
  utcNoon(date); // validates
  const midnight = {
    y: Number(date.slice(0, 4)),
    mo: Number(date.slice(5, 7)),
    d: Number(date.slice(8, 10)),
    h: 0,
    mi: 0,
    s: 0,
    ms: 0,
  };
  let t = zonedToUtc(midnight, timeZone);
  if (localDateOf(t, timeZone) === date) return t;
  // Midnight does not exist that day (e.g. America/Santiago, 2023-09-03): the day begins at the
  // clock change, the first millisecond whose local date is `date`.
  let hi = t + 6 * 3_600_000;
  while (hi - t > 1) {
    const mid = Math.floor((t + hi) / 2);
    if (localDateOf(mid, timeZone) === date) hi = mid;
    else t = mid;
  }
  return hi;
}

/** The first instant after the day: "by <date>" holds for every instant strictly before it. */
export function endOfDayExclusive(date: LocalDate, timeZone: string): number {
  return startOfDay(addDays(date, 1), timeZone);
}

/** The calendar day an instant falls on in the zone. */
export function localDateOf(instant: Instant | number, timeZone: string): LocalDate {
  const w = wallClock(typeof instant === 'number' ? instant : toMillis(instant), timeZone);
  return `${w.y}-${pad(w.mo)}-${pad(w.d)}`;
}

/** An instant shown as local wall time with its zone, for messages: `2023-10-12 00:00 (Asia/Shanghai)`. */
export function formatLocal(instant: Instant | number, timeZone: string): string {
  const w = wallClock(typeof instant === 'number' ? instant : toMillis(instant), timeZone);
  return `${w.y}-${pad(w.mo)}-${pad(w.d)} ${pad(w.h)}:${pad(w.mi)} (${timeZone})`;
}

/** True when the instant falls on or before the named day, through its last moment. */
export function isOnOrBeforeDay(instant: Instant | number, date: LocalDate, timeZone: string): boolean {
  const ms = typeof instant === 'number' ? instant : toMillis(instant);
  return ms < endOfDayExclusive(date, timeZone);
}

/** True when the instant falls on or after the named day's first moment. */
export function isOnOrAfterDay(instant: Instant | number, date: LocalDate, timeZone: string): boolean {
  const ms = typeof instant === 'number' ? instant : toMillis(instant);
  return ms >= startOfDay(date, timeZone);
}

/** Windows include both named days. */
export function isWithinWindow(instant: Instant | number, window: DateWindow, timeZone: string): boolean {
  return isOnOrAfterDay(instant, window.start, timeZone) && isOnOrBeforeDay(instant, window.end, timeZone);
}

export function formatWindow(window: DateWindow, timeZone: string): string {
  return `${window.start}..${window.end} (${timeZone})`;
}

export function isWorkday(date: LocalDate, rule: WorkdayRule): boolean {
  if (rule.adjustedWorkdays.includes(date)) return true;
  if (rule.holidays.includes(date)) return false;
  return rule.weekdays.includes(isoWeekday(date));
}

/**
 * Adds whole calendar months in the zone, keeping the wall time; a day that does not exist in the
 * target month is clamped to its last day (a certificate issued 2024-02-29 expires 2025-02-28).
 */
export function addMonths(instant: Instant | number, months: number, timeZone: string): number {
  const w = wallClock(typeof instant === 'number' ? instant : toMillis(instant), timeZone);
  const monthIndex = w.y * 12 + (w.mo - 1) + months;
  const y = Math.floor(monthIndex / 12);
  const mo = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return zonedToUtc({ ...w, y, mo, d: Math.min(w.d, lastDay) }, timeZone);
}

// ---- Time zones, through Intl only ---------------------------------------------------------------
// (Intl is available everywhere the domain runs, Temporal's workflow sandbox included, where
// Date-subclassing zone libraries are not reliable.)

interface Wall {
  readonly y: number;
  readonly mo: number;
  readonly d: number;
  readonly h: number;
  readonly mi: number;
  readonly s: number;
  readonly ms: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in the zone. */
function wallClock(ms: number, timeZone: string): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    y: parts['year'] ?? 0,
    mo: parts['month'] ?? 0,
    d: parts['day'] ?? 0,
    h: parts['hour'] ?? 0,
    mi: parts['minute'] ?? 0,
    s: parts['second'] ?? 0,
    ms: ((ms % 1000) + 1000) % 1000,
  };
}

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s, w.ms) - ms;
}

/** The instant a wall-clock time denotes in the zone (the earlier one where clocks repeat). */
function zonedToUtc(w: Wall, timeZone: string): number {
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s, w.ms);
  const first = asUtc - offsetAt(asUtc, timeZone);
  return asUtc - offsetAt(first, timeZone);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
