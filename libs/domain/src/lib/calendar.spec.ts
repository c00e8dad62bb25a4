import {
  addDays,
  addMonths,
  daysBetween,
  endOfDayExclusive,
  formatLocal,
  formatWindow,
  isInstant,
  isLocalDate,
  isOnOrAfterDay,
  isOnOrBeforeDay,
  isoWeekday,
  isWithinWindow,
  isWorkday,
  localDateOf,
  startOfDay,
  toMillis,
} from './calendar';
import { changzhouPolicy } from '../testing/policies';

const SH = 'Asia/Shanghai';
const UR = 'Asia/Urumqi';
const ms = (iso: string) => Date.parse(iso);

describe('"by 9月4日" runs through the end of that day in the policy’s zone', () => {
  it('holds at the last millisecond of the day and not at the first of the next', () => {
    expect(isOnOrBeforeDay('2023-09-04T23:59:59.999+08:00', '2023-09-04', SH)).toBe(true);
    expect(isOnOrBeforeDay('2023-09-05T00:00:00.000+08:00', '2023-09-04', SH)).toBe(false);
    expect(isOnOrBeforeDay('2023-09-04T16:00:00.000Z', '2023-09-04', SH)).toBe(false);
  });

  it('is a different instant in another zone', () => {
    // 2023-09-04T17:00Z is 01:00 on the 5th in Shanghai but 23:00 on the 4th in Urumqi.
    expect(isOnOrBeforeDay('2023-09-04T17:00:00Z', '2023-09-04', SH)).toBe(false);
    expect(isOnOrBeforeDay('2023-09-04T17:00:00Z', '2023-09-04', UR)).toBe(true);
  });

  it('has its bounds as instants', () => {
    expect(startOfDay('2023-09-04', SH)).toBe(ms('2023-09-03T16:00:00Z'));
    expect(endOfDayExclusive('2023-09-04', SH)).toBe(ms('2023-09-04T16:00:00Z'));
    expect(startOfDay('2023-09-04', UR)).toBe(ms('2023-09-03T18:00:00Z'));
  });
});

describe('windows include both named days', () => {
  const window = { start: '2023-09-11', end: '2023-10-11' };
  it.each([
    ['1 ms before the first day', '2023-09-10T23:59:59.999+08:00', false],
    ['the first instant of the first day', '2023-09-11T00:00:00.000+08:00', true],
    ['the last instant of the last day', '2023-10-11T23:59:59.999+08:00', true],
    ['the cut-over instant after it', '2023-10-12T00:00:00.000+08:00', false],
  ])('%s is %s', (_name, at, inside) => {
    expect(isWithinWindow(at, window, SH)).toBe(inside);
  });

  it('puts one UTC instant inside in one zone and outside in another', () => {
    const t = '2023-09-10T17:00:00Z'; // 01:00 on the 11th in Shanghai, 23:00 on the 10th in Urumqi
    expect(isWithinWindow(t, window, SH)).toBe(true);
    expect(isWithinWindow(t, window, UR)).toBe(false);
    expect(isOnOrAfterDay(t, '2023-09-11', UR)).toBe(false);
  });

  it('prints as the messages name it', () => {
    expect(formatWindow(window, SH)).toBe('2023-09-11..2023-10-11 (Asia/Shanghai)');
    expect(formatLocal('2023-10-11T16:00:00Z', SH)).toBe('2023-10-12 00:00 (Asia/Shanghai)');
  });
});

describe('calendar days', () => {
  it('knows the local day of an instant near midnight', () => {
    expect(localDateOf('2023-09-04T15:59:59.999Z', SH)).toBe('2023-09-04');
    expect(localDateOf('2023-09-04T16:00:00.000Z', SH)).toBe('2023-09-05');
    expect(localDateOf(ms('2023-09-04T17:00:00Z'), UR)).toBe('2023-09-04');
  });

  it.each([
    ['2023-09-30', 1, '2023-10-01'],
    ['2023-12-31', 1, '2024-01-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2023-09-11', -7, '2023-09-04'],
  ])('adds days: %s + %i = %s', (from, n, to) => {
    expect(addDays(from, n)).toBe(to);
    expect(daysBetween(from, to)).toBe(n);
  });

  it('knows weekdays', () => {
    expect(isoWeekday('2023-09-05')).toBe(2); // Tuesday: suppliers open
    expect(isoWeekday('2023-10-07')).toBe(6); // Saturday
    expect(isoWeekday('2023-10-08')).toBe(7);
  });

  it('honours the 2023 National Day holidays and 调休 workdays of the policy', () => {
    const rule = changzhouPolicy().workdays;
    expect(isWorkday('2023-09-05', rule)).toBe(true);
    expect(isWorkday('2023-09-09', rule)).toBe(false); // Saturday
    expect(isWorkday('2023-09-29', rule)).toBe(false); // Mid-Autumn, a Friday
    for (const d of ['2023-10-02', '2023-10-03', '2023-10-04', '2023-10-05', '2023-10-06'])
      expect(isWorkday(d, rule)).toBe(false);
    expect(isWorkday('2023-10-07', rule)).toBe(true); // Saturday made a workday
    expect(isWorkday('2023-10-08', rule)).toBe(true);
    expect(isWorkday('2023-10-09', rule)).toBe(true);
  });
});

describe('adding months in the zone', () => {
  it('keeps the wall time and clamps to the end of a shorter month', () => {
    expect(new Date(addMonths('2024-01-31T10:00:00+08:00', 1, SH)).toISOString()).toBe('2024-02-29T02:00:00.000Z');
    expect(new Date(addMonths('2024-02-29T10:00:00+08:00', 12, SH)).toISOString()).toBe('2025-02-28T02:00:00.000Z');
    expect(new Date(addMonths('2023-09-08T09:00:00+08:00', 12, SH)).toISOString()).toBe('2024-09-08T01:00:00.000Z');
  });

  it('counts the month in the zone, not in UTC', () => {
    // 2023-01-31T20:00Z is already 1 February in Shanghai: a month later is 1 March there.
    expect(localDateOf(addMonths('2023-01-31T20:00:00Z', 1, SH), SH)).toBe('2023-03-01');
  });
});

describe('parsing', () => {
  it.each(['2023-02-29', '2023-13-01', '2023-9-4', '2023-09-31', 'yesterday'])('refuses %s as a calendar day', (d) => {
    expect(isLocalDate(d)).toBe(false);
  });

  it('accepts real days, leap days included', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2000-02-29')).toBe(true);
  });

  it('requires an offset on an instant', () => {
    expect(isInstant('2023-09-04T10:00:00')).toBe(false);
    expect(isInstant('2023-09-04T10:00:00+08:00')).toBe(true);
    expect(isInstant('2023-09-04T10:00:00.123Z')).toBe(true);
    expect(isInstant('2023-02-30T10:00:00Z')).toBe(false);
    expect(() => toMillis('2023-09-04 10:00')).toThrow(RangeError);
    expect(() => addDays('2023-02-30', 1)).toThrow(RangeError);
  });
});
