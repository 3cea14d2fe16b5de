/**
 * Calendar-date arithmetic for the personnel rules: ages, years in grade or post, deadlines in years. Dates
 * are local calendar dates "YYYY-MM-DD" handled as plain numbers (no time zones), and nothing reads the clock.
 *
 * Two conventions, both from how Chinese law counts periods in years (民法典 第二百零一、二百零二条: the day
 * of the event is not counted; a period ends on the corresponding day of the last year, or on the last day
 * of that month when there is no corresponding day):
 *
 * - Service time (years in grade, years in post) counts the first day, because a grade or post takes effect
 *   at the start of its day. N full years have been served on the N-th anniversary: a grade since
 *   2023-03-01 has 3 years on 2026-03-01 and not on 2026-02-28.
 * - Age (周岁) and deadlines count from the day after the event: someone born on 2000-03-10 is 26 from
 *   2026-03-11 (最高人民法院: 周岁「从周岁生日的第二天起算」), and a 3-year deadline from 2023-05-20 ends with
 *   2026-05-20.
 *
 * 29 February: in a common year the corresponding day is missing, so the period ends on 28 February and the
 * milestone falls on 1 March. Born 2000-02-29: 25 on 2026-02-28, 26 on 2026-03-01. A grade since 2024-02-29
 * has 2 full years on 2026-03-01, not on 2026-02-28 (that day would leave the last day of the period unserved).
 */

import { z } from 'zod';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Whether a string is a real calendar date "YYYY-MM-DD" (2026-02-29 is not, nor 2024-13-45): the one date check
 * of every input, through `calendarDate` below. Year 0000 is refused too: the Gregorian calendar has none, and
 * PostgreSQL refuses it.
 */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_RE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export const CALENDAR_DATE_MESSAGE = 'expected a calendar date YYYY-MM-DD that exists';

/**
 * A calendar date field of any input (payloads, personnel records, calendars, queries): `isIsoDate`, so
 * 2024-02-30 is refused rather than read as 1 March. Documented as JSON Schema's "date" format.
 */
export const calendarDate = z.string().refine(isIsoDate, CALENDAR_DATE_MESSAGE).meta({ format: 'date' });

export function dateParts(date: string): DateParts {
  if (!isIsoDate(date)) throw new RangeError(`expected a date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

export function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function yearOf(date: string): number {
  return dateParts(date).year;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function dayNumber(date: string): number {
  const { year, month, day } = dateParts(date);
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * The date `years` years after `date` on which a milestone of service is reached: the same month and day,
 * and 1 March for 29 February in a common year.
 */
export function anniversary(date: string, years: number): string {
  const { year, month, day } = dateParts(date);
  const target = year + years;
  if (month === 2 && day === 29 && !isLeapYear(target)) return formatDate(target, 3, 1);
  return formatDate(target, month, day);
}

/**
 * The last day of a period of `years` years that starts the day after `date` (民法典 第二百零二条): the
 * corresponding day, or the last day of the month when there is none (29 February → 28 February).
 */
export function periodEndInYears(date: string, years: number): string {
  const { year, month, day } = dateParts(date);
  const target = year + years;
  return formatDate(target, month, Math.min(day, daysInMonth(target, month)));
}

/** Full years of service from `since` (counted as served) to `asOf`; 0 when asOf is before since. */
export function fullYearsSince(since: string, asOf: string): number {
  if (asOf < since) return 0;
  let years = yearOf(asOf) - yearOf(since);
  while (years > 0 && anniversary(since, years) > asOf) years -= 1;
  return years;
}

/** Age in 周岁 on `asOf`: a person becomes N on the day after the N-th birthday. */
export function ageOn(birthDate: string, asOf: string): number {
  if (asOf <= birthDate) return 0;
  let age = yearOf(asOf) - yearOf(birthDate);
  while (age > 0 && periodEndInYears(birthDate, age) >= asOf) age -= 1;
  return age;
}

/** The first 1 January on or after `date`. */
export function firstJanuaryOnOrAfter(date: string): string {
  const { year, month, day } = dateParts(date);
  return month === 1 && day === 1 ? date : formatDate(year + 1, 1, 1);
}

/**
 * The date `months` months after `date`: the corresponding day, or the last day of the month when it has none
 * (31 August + 6 months → 28 or 29 February). A period of N months that counts its first day (a disciplinary
 * measure's 影响期, from the day of the decision) runs until the day before this date.
 */
export function addMonths(date: string, months: number): string {
  const { year, month, day } = dateParts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return formatDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}
