import { getSolarTermDate, getYearLeapMonth, monthDays } from 'chinese-days';
import dataset from 'chinese-days/dist/chinese-days.json';
import type { WorkingCalendar } from '../domain/calendar';
import { addDays, dateParts, formatDate } from '../domain/dates';

/**
 * China's official calendar of public holidays (法定节假日) and make-up working days (调休上班), from the
 * chinese-days dataset, which transcribes the State Council's annual notice (国务院办公厅关于部分节假日安排
 * 的通知). A year the notice has not covered yet (it appears each November for the next year) gets a
 * provisional calendar: the statutory holidays of 《全国年节及纪念日放假办法》 computed from the lunar
 * calendar, with no 调休; it is flagged provisional so an operator replaces it when the notice is out.
 */

export interface OfficialCalendarYear {
  year: number;
  /** Days off (dates of the holiday periods, weekends inside them included). */
  holidays: string[];
  /** Weekend days that are working days (调休上班). */
  makeUpWorkdays: string[];
  source: string;
  provisional: boolean;
}

const PACKAGE = 'chinese-days@1.5.7';

interface Dataset {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  inLieuDays: Record<string, string>;
}
const data = dataset as Dataset;

const datesOf = (map: Record<string, string>, year: number) =>
  Object.keys(map)
    .filter((d) => d.startsWith(`${year}-`))
    .sort();

const DATASET_YEARS = [...new Set(Object.keys(data.holidays).map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);
export const FIRST_DATASET_YEAR = DATASET_YEARS[0] ?? 0;
export const LAST_DATASET_YEAR = DATASET_YEARS[DATASET_YEARS.length - 1] ?? 0;

// The package's date functions read and write dates with the host's local-time getters, which puts some
// answers a day out depending on the host's time zone (west of UTC, or where the 1900 local-mean-time
// offset differs from today's). Its lunar tables are plain lookups, so lunar dates are converted here from
// the tables with time-zone-free date arithmetic.

/** Days in a lunar year: twelve months of 29 or 30 days, plus the leap month (闰月) if there is one. */
function lunarYearDays(lunarYear: number): number {
  let days = getYearLeapMonth(lunarYear).days;
  for (let month = 1; month <= 12; month += 1) days += monthDays(lunarYear, month);
  return days;
}

// Lunar 1900-01-01 (正月初一) fell on 31 January 1900.
const LUNAR_EPOCH = { lunarYear: 1900, date: '1900-01-31' };

/** The Gregorian date of a day of a lunar month (the ordinary month, not its leap repeat), 1900–2099. */
export function solarDateOfLunar(lunarYear: number, lunarMonth: number, lunarDay: number): string {
  if (!Number.isInteger(lunarYear) || lunarYear < LUNAR_EPOCH.lunarYear || lunarYear > 2099)
    throw new RangeError(`lunar year ${lunarYear} is outside 1900–2099`);
  if (!Number.isInteger(lunarMonth) || lunarMonth < 1 || lunarMonth > 12) throw new RangeError(`lunar month ${lunarMonth} is outside 1–12`);
  if (!Number.isInteger(lunarDay) || lunarDay < 1 || lunarDay > monthDays(lunarYear, lunarMonth)) {
    throw new RangeError(`lunar ${lunarYear}-${lunarMonth} has no day ${lunarDay}`);
  }
  let offset = 0;
  for (let y = LUNAR_EPOCH.lunarYear; y < lunarYear; y += 1) offset += lunarYearDays(y);
  const leap = getYearLeapMonth(lunarYear);
  for (let m = 1; m < lunarMonth; m += 1) {
    offset += monthDays(lunarYear, m);
    // The leap month follows the ordinary month of the same number.
    if (leap.leapMonth === m) offset += leap.days;
  }
  return addDays(LUNAR_EPOCH.date, offset + lunarDay - 1);
}

// getSolarTermDate builds its answer as a UTC date and formats it with local getters, so west of UTC it
// reports the day before. Find the date the package meant: the one that, formatted its way, gives `shown`.
function undoLocalShift(shown: string): string {
  const asPackageFormats = (date: string) => {
    const { year, month, day } = dateParts(date);
    const instant = new Date(Date.UTC(year, month - 1, day));
    return formatDate(instant.getFullYear(), instant.getMonth() + 1, instant.getDate());
  };
  const meant = [shown, addDays(shown, 1)].find((candidate) => asPackageFormats(candidate) === shown);
  if (!meant) throw new Error(`cannot interpret the solar-term date ${shown} in this time zone`);
  return meant;
}

/**
 * The 13 statutory holiday days of 《全国年节及纪念日放假办法》 (2024 revision) in a year: 元旦 1 day,
 * 春节 4 (除夕 and 初一 to 初三), 清明 1, 劳动节 2 (1–2 May), 端午 1, 中秋 1, 国庆 3 (1–3 October).
 */
export function statutoryHolidays(year: number): { date: string; name: string }[] {
  const newYear = solarDateOfLunar(year, 1, 1);
  const days = [
    { date: formatDate(year, 1, 1), name: '元旦' },
    // 除夕 is the last day of the 12th month, which has 29 or 30 days: the day before 初一.
    { date: addDays(newYear, -1), name: '春节（除夕）' },
    { date: newYear, name: '春节（初一）' },
    { date: addDays(newYear, 1), name: '春节（初二）' },
    { date: addDays(newYear, 2), name: '春节（初三）' },
    { date: undoLocalShift(getSolarTermDate(year, 4, 'pure_brightness')), name: '清明节' },
    { date: formatDate(year, 5, 1), name: '劳动节' },
    { date: formatDate(year, 5, 2), name: '劳动节' },
    { date: solarDateOfLunar(year, 5, 5), name: '端午节' },
    { date: solarDateOfLunar(year, 8, 15), name: '中秋节' },
    { date: formatDate(year, 10, 1), name: '国庆节' },
    { date: formatDate(year, 10, 2), name: '国庆节' },
    { date: formatDate(year, 10, 3), name: '国庆节' },
  ];
  return days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * The official calendar of one year: from the dataset, or provisional after its last year. A provisional
 * year lists the statutory days only: when 中秋 falls within 1–3 October (2028) the days coincide, and the
 * 补假 for holidays on a weekend (办法 第六条) and the 调休 swaps wait for the State Council's notice.
 */
export function officialCalendarYear(year: number): OfficialCalendarYear {
  if (!Number.isInteger(year)) throw new RangeError(`year must be a whole number, got ${year}`);
  if (year >= FIRST_DATASET_YEAR && year <= LAST_DATASET_YEAR) {
    return {
      year,
      holidays: datesOf(data.holidays, year),
      makeUpWorkdays: datesOf(data.workdays, year),
      source: `${PACKAGE}: State Council notice on the ${year} public holidays (国务院办公厅关于${year}年部分节假日安排的通知)`,
      provisional: false,
    };
  }
  if (year > LAST_DATASET_YEAR && year <= 2099) {
    return {
      year,
      holidays: [...new Set(statutoryHolidays(year).map((h) => h.date))],
      makeUpWorkdays: [],
      source:
        `PROVISIONAL: the State Council's ${year} arrangement is not in ${PACKAGE} (data to ${LAST_DATASET_YEAR}); ` +
        `statutory days of 《全国年节及纪念日放假办法》(2024) from the lunar calendar, without 调休 or 补假. Replace when the notice is published.`,
      provisional: true,
    };
  }
  throw new RangeError(
    `no official calendar for ${year}: the dataset covers ${FIRST_DATASET_YEAR}–${LAST_DATASET_YEAR}, provisional years up to 2099`,
  );
}

/** A working calendar over several years, as domain/calendar.ts counts it. */
export function officialCalendar(years: number[]): WorkingCalendar & { provisionalYears: number[] } {
  const parts = years.map(officialCalendarYear);
  return {
    holidays: parts.flatMap((p) => p.holidays),
    makeUpWorkdays: parts.flatMap((p) => p.makeUpWorkdays),
    years: parts.map((p) => p.year),
    provisionalYears: parts.filter((p) => p.provisional).map((p) => p.year),
  };
}
