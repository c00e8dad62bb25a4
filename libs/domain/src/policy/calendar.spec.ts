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
  toInstant,
  toMillis,
  type WorkdayRule,
} from './calendar';
import { changzhouPolicy, urumqiPolicy } from '../testing/policies';

const SH = 'Asia/Shanghai';
const UR = 'Asia/Urumqi';
const ms = (iso: string) => Date.parse(iso);
const iso = (millis: number) => new Date(millis).toISOString();

describe('"by 9月4日" runs through the last moment of that day in the policy’s zone', () => {
  it.each([
    ['the day’s first instant', '2023-09-04T00:00:00.000+08:00', true],
    ['its last millisecond', '2023-09-04T23:59:59.999+08:00', true],
    ['its last millisecond written in UTC', '2023-09-04T15:59:59.999Z', true],
    ['the first instant of the next day', '2023-09-05T00:00:00.000+08:00', false],
    ['the first instant of the next day written in UTC', '2023-09-04T16:00:00.000Z', false],
    ['noon of the next day', '2023-09-05T12:00:00+08:00', false],
  ])('in Asia/Shanghai, %s (%s) is %s', (_name, at, holds) => {
    expect(isOnOrBeforeDay(at, '2023-09-04', SH)).toBe(holds);
    expect(isOnOrBeforeDay(ms(at), '2023-09-04', SH)).toBe(holds);
  });

  it.each([
    ['its last millisecond', '2023-09-04T23:59:59.999+06:00', true],
    ['its last millisecond written in UTC', '2023-09-04T17:59:59.999Z', true],
    ['the first instant of the next day', '2023-09-05T00:00:00.000+06:00', false],
    ['the first instant of the next day written in UTC', '2023-09-04T18:00:00.000Z', false],
  ])('in Asia/Urumqi, %s (%s) is %s', (_name, at, holds) => {
    expect(isOnOrBeforeDay(at, '2023-09-04', UR)).toBe(holds);
  });

  it('makes one UTC instant late in Asia/Shanghai and on time in Asia/Urumqi', () => {
    // 17:00Z is 01:00 on the 5th in Shanghai but 23:00 on the 4th in Urumqi.
    expect(isOnOrBeforeDay('2023-09-04T17:00:00Z', '2023-09-04', SH)).toBe(false);
    expect(isOnOrBeforeDay('2023-09-04T17:00:00Z', '2023-09-04', UR)).toBe(true);
  });

  it('ends Urumqi’s day exactly two hours (the offset difference) after Shanghai’s', () => {
    expect(endOfDayExclusive('2023-09-04', UR) - endOfDayExclusive('2023-09-04', SH)).toBe(2 * 3_600_000);
    expect(startOfDay('2023-09-04', UR) - startOfDay('2023-09-04', SH)).toBe(2 * 3_600_000);
  });
});

describe('"from 9月5日" starts at the first moment of that day', () => {
  it.each([
    ['1 ms before the day', '2023-09-04T23:59:59.999+08:00', false],
    ['the day’s first instant', '2023-09-05T00:00:00.000+08:00', true],
    ['the day’s first instant written in UTC', '2023-09-04T16:00:00.000Z', true],
    ['a week later', '2023-09-12T09:00:00+08:00', true],
  ])('in Asia/Shanghai, %s (%s) is %s', (_name, at, holds) => {
    expect(isOnOrAfterDay(at, '2023-09-05', SH)).toBe(holds);
    expect(isOnOrAfterDay(ms(at), '2023-09-05', SH)).toBe(holds);
  });
});

describe('a window 9月11日-10月11日 includes both named days', () => {
  const window = { start: '2023-09-11', end: '2023-10-11' };

  it.each([
    ['1 ms before the first day', '2023-09-10T23:59:59.999+08:00', false],
    ['the first instant of the first day', '2023-09-11T00:00:00.000+08:00', true],
    ['the first instant, written in UTC', '2023-09-10T16:00:00.000Z', true],
    ['a day in the middle', '2023-09-25T12:00:00+08:00', true],
    ['the last instant of the last day', '2023-10-11T23:59:59.999+08:00', true],
    ['the next millisecond (the cut-over)', '2023-10-12T00:00:00.000+08:00', false],
    ['the next millisecond, written in UTC', '2023-10-11T16:00:00.000Z', false],
  ])('in Asia/Shanghai, %s (%s) is inside: %s', (_name, at, inside) => {
    expect(isWithinWindow(at, window, SH)).toBe(inside);
    expect(isWithinWindow(ms(at), window, SH)).toBe(inside);
  });

  it.each([
    ['1 ms before the first day', '2023-09-10T23:59:59.999+06:00', false],
    ['the first instant of the first day', '2023-09-11T00:00:00.000+06:00', true],
    ['the last instant of the last day', '2023-10-11T23:59:59.999+06:00', true],
    ['the next millisecond', '2023-10-12T00:00:00.000+06:00', false],
  ])('in Asia/Urumqi, %s (%s) is inside: %s', (_name, at, inside) => {
    expect(isWithinWindow(at, window, UR)).toBe(inside);
  });

  it('has a first instant in Asia/Urumqi that is already inside in Asia/Shanghai, and vice versa at the end', () => {
    const urumqiFirst = '2023-09-10T18:00:00.000Z'; // 00:00 on the 11th in Urumqi
    expect(isWithinWindow(ms(urumqiFirst) - 1, window, UR)).toBe(false);
    expect(isWithinWindow(ms(urumqiFirst) - 1, window, SH)).toBe(true);
    const shanghaiEnd = '2023-10-11T16:00:00.000Z'; // 00:00 on the 12th in Shanghai, 22:00 on the 11th in Urumqi
    expect(isWithinWindow(shanghaiEnd, window, SH)).toBe(false);
    expect(isWithinWindow(shanghaiEnd, window, UR)).toBe(true);
  });

  it('puts one UTC instant inside in one zone and outside in the other', () => {
    const t = '2023-09-10T17:00:00Z'; // 01:00 on the 11th in Shanghai, 23:00 on the 10th in Urumqi
    expect(isWithinWindow(t, window, SH)).toBe(true);
    expect(isWithinWindow(t, window, UR)).toBe(false);
  });

  it('is a single day when start and end are the same day', () => {
    const day = { start: '2023-10-12', end: '2023-10-12' };
    expect(isWithinWindow('2023-10-11T23:59:59.999+08:00', day, SH)).toBe(false);
    expect(isWithinWindow('2023-10-12T00:00:00.000+08:00', day, SH)).toBe(true);
    expect(isWithinWindow('2023-10-12T23:59:59.999+08:00', day, SH)).toBe(true);
    expect(isWithinWindow('2023-10-13T00:00:00.000+08:00', day, SH)).toBe(false);
  });
});

describe('the bounds of a day as instants', () => {
  it.each([
    [SH, '2023-09-04', '2023-09-03T16:00:00.000Z', '2023-09-04T16:00:00.000Z'],
    [UR, '2023-09-04', '2023-09-03T18:00:00.000Z', '2023-09-04T18:00:00.000Z'],
    [SH, '2023-12-31', '2023-12-30T16:00:00.000Z', '2023-12-31T16:00:00.000Z'],
    [SH, '2024-02-29', '2024-02-28T16:00:00.000Z', '2024-02-29T16:00:00.000Z'],
    [SH, '2023-10-11', '2023-10-10T16:00:00.000Z', '2023-10-11T16:00:00.000Z'],
    ['UTC', '2023-09-04', '2023-09-04T00:00:00.000Z', '2023-09-05T00:00:00.000Z'],
  ])('in %s, %s begins at %s and ends just before %s', (zone, day, start, endExclusive) => {
    expect(iso(startOfDay(day, zone))).toBe(start);
    expect(iso(endOfDayExclusive(day, zone))).toBe(endExclusive);
    expect(endOfDayExclusive(day, zone)).toBe(startOfDay(addDays(day, 1), zone));
    expect(localDateOf(startOfDay(day, zone), zone)).toBe(day);
    expect(localDateOf(endOfDayExclusive(day, zone) - 1, zone)).toBe(day);
  });

  it('refuses a day that does not exist', () => {
    expect(() => startOfDay('2023-02-29', SH)).toThrow(RangeError);
    expect(() => endOfDayExclusive('2023-9-4', SH)).toThrow(RangeError);
  });

  it('begins the day at its first instant even where the zone skips midnight (America/Santiago, 2023-09-03)', () => {
    // Chile moved clocks from 00:00 (-04) to 01:00 (-03) that night: the day began at 04:00Z.
    // The policy schema accepts any IANA zone, so this must hold outside China too.
    const zone = 'America/Santiago';
    expect(localDateOf(startOfDay('2023-09-03', zone), zone)).toBe('2023-09-03');
    expect(iso(startOfDay('2023-09-03', zone))).toBe('2023-09-03T04:00:00.000Z');
    expect(isOnOrBeforeDay('2023-09-02T23:30:00-04:00', '2023-09-02', zone)).toBe(true);
  });
});

describe('the local day of an instant', () => {
  it.each([
    ['2023-09-04T15:59:59.999Z', SH, '2023-09-04'],
    ['2023-09-04T16:00:00.000Z', SH, '2023-09-05'],
    ['2023-09-04T17:59:59.999Z', UR, '2023-09-04'],
    ['2023-09-04T18:00:00.000Z', UR, '2023-09-05'],
    ['2023-09-04T17:00:00Z', SH, '2023-09-05'],
    ['2023-09-04T17:00:00Z', UR, '2023-09-04'],
    ['2023-12-31T16:00:00Z', SH, '2024-01-01'],
    ['2023-09-04T23:30:00-05:00', SH, '2023-09-05'],
    ['2023-09-05T00:00:00+08:00', SH, '2023-09-05'],
    ['2023-09-04T23:59:59.999+08:00', SH, '2023-09-04'],
  ])('%s falls on the day in %s: %s', (at, zone, day) => {
    expect(localDateOf(at, zone)).toBe(day);
    expect(localDateOf(ms(at), zone)).toBe(day);
  });

  it('refuses an instant without an offset', () => {
    expect(() => localDateOf('2023-09-04T10:00:00', SH)).toThrow(RangeError);
  });
});

describe('day arithmetic', () => {
  it.each([
    ['2023-09-30', 1, '2023-10-01'],
    ['2023-10-01', -1, '2023-09-30'],
    ['2023-12-31', 1, '2024-01-01'],
    ['2024-01-01', -1, '2023-12-31'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-29', 1, '2024-03-01'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2023-02-28', 1, '2023-03-01'],
    ['2024-01-01', 366, '2025-01-01'],
    ['2023-01-01', 365, '2024-01-01'],
    ['2023-09-11', 30, '2023-10-11'],
    ['2023-09-11', -7, '2023-09-04'],
    ['2023-09-11', 0, '2023-09-11'],
  ])('%s plus %i days is %s', (from, n, to) => {
    expect(addDays(from, n)).toBe(to);
  });

  it.each([
    ['2023-09-11', '2023-10-11', 30],
    ['2023-10-11', '2023-09-11', -30],
    ['2024-03-01', '2024-02-28', -2],
    ['2023-03-01', '2023-02-28', -1],
    ['2024-01-01', '2023-12-31', -1],
    ['2023-09-04', '2023-09-04', 0],
    ['2024-01-01', '2025-01-01', 366],
  ])('from %s to %s is %i days', (from, to, n) => {
    expect(daysBetween(from, to)).toBe(n);
    expect(daysBetween(to, from)).toBe(0 - n);
  });

  it('refuses a day that does not exist', () => {
    expect(() => addDays('2023-02-30', 1)).toThrow(RangeError);
    expect(() => daysBetween('2023-09-04', '2023-13-01')).toThrow(RangeError);
    expect(() => isoWeekday('2023-9-4')).toThrow(RangeError);
  });
});

describe('ISO weekdays', () => {
  it.each([
    ['2023-09-01', 5, 'Friday'],
    ['2023-09-04', 1, 'Monday'],
    ['2023-09-05', 2, 'Tuesday'],
    ['2023-09-10', 7, 'Sunday'],
    ['2023-09-29', 5, 'Friday'],
    ['2023-10-07', 6, 'Saturday'],
    ['2023-10-08', 7, 'Sunday'],
    ['2023-10-11', 3, 'Wednesday'],
    ['2023-10-12', 4, 'Thursday'],
    ['2024-02-29', 4, 'Thursday'],
  ])('%s is weekday %i (%s)', (day, weekday) => {
    expect(isoWeekday(day)).toBe(weekday);
  });
});

describe('workdays around the 2023 National Day holidays', () => {
  const rule2023: WorkdayRule = {
    weekdays: [1, 2, 3, 4, 5],
    holidays: ['2023-09-29', '2023-10-02', '2023-10-03', '2023-10-04', '2023-10-05', '2023-10-06'],
    adjustedWorkdays: ['2023-10-07', '2023-10-08'],
  };
  const expected: [string, boolean, string][] = [
    ['2023-09-25', true, 'a Monday'],
    ['2023-09-28', true, 'a Thursday'],
    ['2023-09-29', false, 'Mid-Autumn, a Friday holiday'],
    ['2023-09-30', false, 'a Saturday'],
    ['2023-10-01', false, 'a Sunday'],
    ['2023-10-02', false, 'a Monday holiday'],
    ['2023-10-03', false, 'a Tuesday holiday'],
    ['2023-10-04', false, 'a Wednesday holiday'],
    ['2023-10-05', false, 'a Thursday holiday'],
    ['2023-10-06', false, 'a Friday holiday'],
    ['2023-10-07', true, 'a Saturday made a workday (调休)'],
    ['2023-10-08', true, 'a Sunday made a workday (调休)'],
    ['2023-10-09', true, 'a Monday'],
    ['2023-10-13', true, 'a Friday'],
    ['2023-10-14', false, 'a Saturday'],
    ['2023-10-15', false, 'a Sunday'],
    ['2023-09-09', false, 'a Saturday'],
  ];

  it.each(expected)('%s is a workday: %s (%s)', (day, workday) => {
    expect(isWorkday(day, rule2023)).toBe(workday);
  });

  it('reads the same pattern from the Changzhou policy file', () => {
    const rule = changzhouPolicy().workdays;
    expect(expected.map(([day]) => isWorkday(day, rule))).toEqual(expected.map(([, workday]) => workday));
  });

  it('takes the weekdays from the rule, not from code', () => {
    const sixDays: WorkdayRule = { weekdays: [1, 2, 3, 4, 5, 6], holidays: [], adjustedWorkdays: [] };
    expect(isWorkday('2023-09-09', sixDays)).toBe(true);
    expect(isWorkday('2023-09-10', sixDays)).toBe(false);
    expect(isWorkday('2023-09-29', sixDays)).toBe(true);
  });

  it('lets an adjusted workday win over a holiday listing the same day', () => {
    const both: WorkdayRule = { weekdays: [1, 2, 3, 4, 5], holidays: ['2023-10-07'], adjustedWorkdays: ['2023-10-07'] };
    expect(isWorkday('2023-10-07', both)).toBe(true);
  });

  it('follows the made-up Urumqi rule in its own year', () => {
    const rule = urumqiPolicy().workdays;
    expect(isWorkday('2025-04-04', rule)).toBe(false); // a Friday holiday
    expect(isWorkday('2025-04-27', rule)).toBe(true); // a Sunday made a workday
    expect(isWorkday('2025-04-26', rule)).toBe(false); // an ordinary Saturday
    expect(isWorkday('2025-04-28', rule)).toBe(true);
  });
});

describe('adding months in the zone', () => {
  it.each([
    ['2024-01-31T10:00:00+08:00', 1, SH, '2024-02-29T02:00:00.000Z', 'clamped to the leap day, 10:00 kept'],
    ['2024-02-29T10:00:00+08:00', 12, SH, '2025-02-28T02:00:00.000Z', 'clamped to 28 February the next year'],
    ['2023-01-31T10:00:00+08:00', 1, SH, '2023-02-28T02:00:00.000Z', 'clamped in a common year'],
    ['2024-03-31T10:00:00+08:00', -1, SH, '2024-02-29T02:00:00.000Z', 'clamped going backwards'],
    ['2023-12-15T09:30:00+08:00', 1, SH, '2024-01-15T01:30:00.000Z', 'across the year end'],
    ['2023-09-08T09:00:00+08:00', 12, SH, '2024-09-08T01:00:00.000Z', 'one year of validity'],
    ['2023-09-08T09:00:00+08:00', 24, SH, '2025-09-08T01:00:00.000Z', 'two years'],
    ['2023-10-31T23:59:59.999+08:00', 1, SH, '2023-11-30T15:59:59.999Z', 'the last millisecond kept'],
    ['2024-01-31T10:00:00+06:00', 1, UR, '2024-02-29T04:00:00.000Z', 'in Asia/Urumqi'],
  ])('%s plus %i months in %s is %s (%s)', (from, months, zone, to) => {
    expect(iso(addMonths(from, months, zone))).toBe(to);
    expect(iso(addMonths(ms(from), months, zone))).toBe(to);
  });

  it('counts the month in the zone, not in UTC', () => {
    // 2023-01-31T20:00Z is already 1 February in Shanghai: a month later is 1 March there.
    expect(localDateOf(addMonths('2023-01-31T20:00:00Z', 1, SH), SH)).toBe('2023-03-01');
    expect(formatLocal(addMonths('2023-01-31T20:00:00Z', 1, SH), SH)).toBe('2023-03-01 04:00 (Asia/Shanghai)');
  });

  it('gives different instants for one UTC instant in two zones where the local days differ', () => {
    const t = '2024-01-30T17:00:00Z'; // 31 Jan 01:00 in Shanghai, 30 Jan 23:00 in Urumqi
    expect(iso(addMonths(t, 1, SH))).toBe('2024-02-28T17:00:00.000Z'); // 29 Feb 01:00 +08:00
    expect(iso(addMonths(t, 1, UR))).toBe('2024-02-29T17:00:00.000Z'); // 29 Feb 23:00 +06:00
  });
});

describe('parsing days and instants', () => {
  it.each([
    '2023-02-29',
    '2023-13-01',
    '2023-00-10',
    '2023-09-00',
    '2023-9-4',
    '2023-09-31',
    '20230904',
    'yesterday',
    '',
  ])('refuses %p as a calendar day', (d) => {
    expect(isLocalDate(d)).toBe(false);
  });

  it.each(['2024-02-29', '2000-02-29', '2023-09-04', '2023-12-31', '2023-01-01'])(
    'accepts %s as a calendar day',
    (d) => {
      expect(isLocalDate(d)).toBe(true);
    },
  );

  it.each([
    '2023-09-04T10:00:00',
    '2023-09-04T10:00:00.000',
    '2023-09-04',
    '2023-09-04 10:00:00+08:00',
    '2023-09-04T10:00:00+0800',
    '2023-02-30T10:00:00Z',
    '2023-09-04T25:00:00Z',
    'now',
  ])('refuses %p as an instant (an offset is required)', (at) => {
    expect(isInstant(at)).toBe(false);
    expect(() => toMillis(at)).toThrow(RangeError);
  });

  it.each([
    ['2023-09-04T10:00:00+08:00', '2023-09-04T02:00:00.000Z'],
    ['2023-09-04T10:00:00.123Z', '2023-09-04T10:00:00.123Z'],
    ['2023-09-04T10:00+08:00', '2023-09-04T02:00:00.000Z'],
    ['2023-09-04T10:00:00-05:00', '2023-09-04T15:00:00.000Z'],
    ['2023-09-05T00:00:00.000+06:00', '2023-09-04T18:00:00.000Z'],
  ])('accepts %s as the instant %s', (at, utc) => {
    expect(isInstant(at)).toBe(true);
    expect(toMillis(at)).toBe(ms(utc));
    expect(toInstant(toMillis(at))).toBe(utc);
  });

  it('names the bad value in the RangeError', () => {
    expect(() => toMillis('2023-09-04T10:00:00')).toThrow(/2023-09-04T10:00:00/);
  });
});

describe('formatting for messages', () => {
  it.each([
    ['2023-10-11T16:00:00Z', SH, '2023-10-12 00:00 (Asia/Shanghai)'],
    ['2023-10-11T16:00:00Z', UR, '2023-10-11 22:00 (Asia/Urumqi)'],
    ['2023-09-04T15:59:59.999Z', SH, '2023-09-04 23:59 (Asia/Shanghai)'],
    ['2023-09-05T09:05:00+08:00', SH, '2023-09-05 09:05 (Asia/Shanghai)'],
  ])('shows %s in %s as %s', (at, zone, shown) => {
    expect(formatLocal(at, zone)).toBe(shown);
    expect(formatLocal(ms(at), zone)).toBe(shown);
    expect(shown).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \([A-Za-z_]+\/[A-Za-z_]+\)$/);
  });

  it('shows a window as its two days and the zone', () => {
    expect(formatWindow({ start: '2023-09-11', end: '2023-10-11' }, SH)).toBe('2023-09-11..2023-10-11 (Asia/Shanghai)');
    expect(formatWindow({ start: '2025-03-24', end: '2025-04-30' }, UR)).toBe('2025-03-24..2025-04-30 (Asia/Urumqi)');
  });
});
