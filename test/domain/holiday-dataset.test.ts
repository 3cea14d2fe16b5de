import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { addWorkingDays, EMPTY_CALENDAR, isWorkingDay, localDate, startOfLocalDate, workingDaysBetween } from '../../domain/calendar';
import { addDays } from '../../domain/dates';
import {
  LAST_DATASET_YEAR,
  officialCalendar,
  officialCalendarYear,
  solarDateOfLunar,
  statutoryHolidays,
} from '../../infra/holiday-dataset';

const cal2026 = officialCalendar([2026]);
/** An instant inside a local (China Standard Time) day. */
const at = (date: string) => new Date(`${date}T10:00:00+08:00`);

describe('2026 from the dataset (国务院办公厅关于2026年部分节假日安排的通知)', () => {
  const year = officialCalendarYear(2026);

  test('is official, not provisional', () => {
    expect(year.provisional).toBe(false);
    expect(year.source).toMatch(/2026/);
    expect(LAST_DATASET_YEAR).toBe(2026);
  });

  test('Spring Festival: 15–23 February off', () => {
    const days = [
      '2026-02-15',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-21',
      '2026-02-22',
      '2026-02-23',
    ];
    expect(year.holidays.filter((d) => d.startsWith('2026-02'))).toEqual(days);
  });

  test('make-up working days (调休上班)', () => {
    expect(year.makeUpWorkdays).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
  });

  test.each([
    ['2026-09-20', true], // Sunday, make-up day
    ['2026-09-25', false], // Friday, 中秋
    ['2026-10-01', false],
    ['2026-10-07', false], // Wednesday, 国庆
    ['2026-10-08', true],
    ['2026-10-10', true], // Saturday, make-up day
    ['2026-10-11', false], // Sunday
    ['2026-02-14', true], // Saturday before 春节
    ['2026-02-24', true],
  ])('%s is a working day: %s', (date, working) => {
    expect(isWorkingDay(date, cal2026)).toBe(working);
  });
});

describe('working days over the 2026 holidays (domain/calendar.ts with the real data)', () => {
  test.each([
    // from (local date), n, ends with the end of this local day
    ['2026-09-18', 1, '2026-09-20'], // Friday + 1: the make-up Sunday
    ['2026-09-18', 5, '2026-09-24'],
    ['2026-09-24', 1, '2026-09-28'], // 中秋 Friday and the weekend
    ['2026-09-30', 1, '2026-10-08'], // across 国庆, which spans a weekend
    ['2026-09-30', 3, '2026-10-10'], // the make-up Saturday counts
    ['2026-09-30', 4, '2026-10-12'],
    ['2026-02-13', 1, '2026-02-14'], // make-up Saturday before 春节
    ['2026-02-14', 1, '2026-02-24'],
    ['2025-12-31', 1, '2026-01-04'], // 元旦 1–3 January, make-up Sunday 4 January
  ])('%s + %i working days ends with %s', (from, n, lastDay) => {
    // The period ends at 24:00 of its last day, the instant the next day starts.
    expect(addWorkingDays(at(from), n, cal2026)).toEqual(startOfLocalDate(addDays(lastDay, 1)));
  });

  test.each([
    ['2026-09-24', '2026-10-12', 7],
    ['2026-09-30', '2026-10-07', 0],
    ['2026-09-19', '2026-09-20', 1],
    ['2026-02-13', '2026-02-28', 6], // both make-up Saturdays, nothing from 15 to 23 February
  ])('working days after %s up to %s: %i', (from, to, count) => {
    expect(workingDaysBetween(at(from), at(to), cal2026)).toBe(count);
  });

  test('without the holiday data the answers differ', () => {
    expect(localDate(new Date(addWorkingDays(at('2026-09-30'), 1, EMPTY_CALENDAR).getTime() - 1))).toBe('2026-10-01');
    expect(workingDaysBetween(at('2026-09-24'), at('2026-10-12'), EMPTY_CALENDAR)).toBe(12);
  });
});

describe('a year after the dataset: provisional statutory holidays', () => {
  test('2027: the 13 days of 《全国年节及纪念日放假办法》, no 调休', () => {
    const year = officialCalendarYear(2027);
    expect(year).toMatchObject({ year: 2027, provisional: true, makeUpWorkdays: [] });
    expect(year.source).toMatch(/PROVISIONAL/);
    expect(year.holidays).toEqual([
      '2027-01-01',
      '2027-02-05', // 除夕 (腊月廿九: the 12th month has 29 days)
      '2027-02-06', // 初一
      '2027-02-07',
      '2027-02-08',
      '2027-04-05', // 清明
      '2027-05-01',
      '2027-05-02',
      '2027-06-09', // 端午
      '2027-09-15', // 中秋
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
    ]);
  });

  test('2028: 中秋 falls on 3 October, so the statutory days coincide', () => {
    const names = statutoryHolidays(2028)
      .filter((h) => h.date === '2028-10-03')
      .map((h) => h.name);
    expect(names.sort()).toEqual(['中秋节', '国庆节']);
    expect(officialCalendarYear(2028).holidays).toHaveLength(12);
  });

  test.each([
    [2026, 1, 1, '2026-02-17'],
    [2027, 1, 1, '2027-02-06'],
    [2023, 2, 1, '2023-02-20'],
    [2023, 3, 1, '2023-04-20'], // 2023 has a leap 2nd month (闰二月, from 22 March) before the 3rd
    [2025, 8, 15, '2025-10-06'], // 2025 has a leap 6th month
    [1900, 1, 1, '1900-01-31'],
  ])('lunar %i-%i-%i is %s', (y, m, d, date) => {
    expect(solarDateOfLunar(y, m, d)).toBe(date);
  });

  test('a lunar day the month does not have is refused', () => {
    expect(() => solarDateOfLunar(2026, 12, 30)).toThrow(RangeError); // 腊月 2026 has 29 days
  });

  // The computation agrees with every published year: each statutory day on a weekday is a day off in the
  // official data. 除夕 and 2 May became statutory only in the 2024 revision (in force 2025).
  test.each(Array.from({ length: 2026 - 2008 + 1 }, (_, i) => 2008 + i))('matches the official data of %i', (year) => {
    const off = new Set(officialCalendarYear(year).holidays);
    const checked = statutoryHolidays(year).filter((h) => {
      const weekday = new Date(`${h.date}T00:00:00Z`).getUTCDay();
      if (weekday === 0 || weekday === 6) return false;
      return year >= 2025 || !(h.name.includes('除夕') || h.date === `${year}-05-02`);
    });
    expect(checked.filter((h) => !off.has(h.date))).toEqual([]);
  });

  test('does not depend on the host time zone', () => {
    // Jest gives tests a copy of process.env, so the zone is switched in a plain Node process, where
    // assigning TZ takes effect; the offsets prove it did.
    const script = `
      const { statutoryHolidays } = require('./infra/holiday-dataset.ts');
      const out = {};
      for (const zone of ['America/Los_Angeles', 'Europe/Berlin', 'Pacific/Kiritimati']) {
        process.env.TZ = zone;
        out[zone] = { offset: new Date(2027, 0, 1).getTimezoneOffset(), days: [2027, 2028, 2030, 2033].map(statutoryHolidays) };
      }
      process.stdout.write(JSON.stringify(out));`;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: join(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    const expected = [2027, 2028, 2030, 2033].map((y) => statutoryHolidays(y));
    expect(JSON.parse(output)).toEqual({
      'America/Los_Angeles': { offset: 480, days: expected },
      'Europe/Berlin': { offset: -60, days: expected },
      'Pacific/Kiritimati': { offset: -840, days: expected },
    });
  });

  test.each([2003, 2100, 2026.5])('refuses %d', (year) => {
    expect(() => officialCalendarYear(year)).toThrow(RangeError);
  });

  test('a multi-year calendar marks its provisional years', () => {
    const calendar = officialCalendar([2026, 2027]);
    expect(calendar.years).toEqual([2026, 2027]);
    expect(calendar.provisionalYears).toEqual([2027]);
    expect(calendar.holidays).toContain('2027-02-08');
    expect(isWorkingDay('2027-02-08', calendar)).toBe(false);
  });
});
