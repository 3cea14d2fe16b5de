/**
 * Working-day arithmetic over China's official calendar: public holidays (法定节假日) that fall on weekdays are
 * days off, and make-up working days (调休上班) that fall on weekends are working days. Pure: the calendar is
 * data passed in, never read from the wall clock or the network, so workflows can use it.
 *
 * Counting follows the usual rule for legal periods: the day the period starts is not counted, and the
 * period ends at the end (24:00 China Standard Time) of its last day.
 */

/** A working-day calendar: dates are local (China Standard Time) calendar dates, "YYYY-MM-DD". */
export interface WorkingCalendar {
  /** Days off that would otherwise be working days (weekday public holidays and 调休 days off). */
  holidays: string[];
  /** Weekend days that are working days (调休上班). */
  makeUpWorkdays: string[];
  /** Years the data covers; outside them only weekends count as days off. */
  years: number[];
}

export const EMPTY_CALENDAR: WorkingCalendar = { holidays: [], makeUpWorkdays: [], years: [] };

/** A period as the rules state it: counted in working days, in calendar days, or as a plain duration. */
export type Period = { workingDays: number } | { days: number } | { seconds: number };

// China Standard Time has no daylight saving: a fixed UTC+8 offset is exact.
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The local calendar date ("YYYY-MM-DD", China Standard Time) of an instant. */
export function localDate(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a local date starts (00:00 China Standard Time). */
export function startOfLocalDate(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) - CST_OFFSET_MS);
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Precomputed lookups; build once per calendar when counting many periods. */
class CalendarIndex {
  private readonly holidays: Set<string>;
  private readonly makeUp: Set<string>;
  constructor(calendar: WorkingCalendar) {
    this.holidays = new Set(calendar.holidays);
    this.makeUp = new Set(calendar.makeUpWorkdays);
  }
  isWorkingDay(date: string): boolean {
    if (this.makeUp.has(date)) return true;
    if (this.holidays.has(date)) return false;
    const weekday = new Date(`${date}T00:00:00.000Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }
}

export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  return new CalendarIndex(calendar).isWorkingDay(date);
}

/**
 * The instant `n` working days after `from` end: the end of the n-th working day after from's local date.
 * n = 0 gives the end of from's own day.
 */
export function addWorkingDays(from: Date, n: number, calendar: WorkingCalendar): Date {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  const index = new CalendarIndex(calendar);
  let date = localDate(from);
  for (let counted = 0; counted < n;) {
    date = shiftDate(date, 1);
    if (index.isWorkingDay(date)) counted += 1;
  }
  return startOfLocalDate(shiftDate(date, 1));
}

/** Working days d with from's local date < d ≤ to's local date (0 when to is not after from). */
export function workingDaysBetween(from: Date, to: Date, calendar: WorkingCalendar): number {
  const index = new CalendarIndex(calendar);
  const last = localDate(to);
  let count = 0;
  for (let date = shiftDate(localDate(from), 1); date <= last; date = shiftDate(date, 1)) {
    if (index.isWorkingDay(date)) count += 1;
  }
  return count;
}

/** When a period that starts at `from` ends. */
export function addPeriod(from: Date, period: Period, calendar: WorkingCalendar): Date {
  if ('workingDays' in period) return addWorkingDays(from, period.workingDays, calendar);
  if ('days' in period) return startOfLocalDate(shiftDate(localDate(from), period.days + 1));
  return new Date(from.getTime() + period.seconds * 1000);
}

/**
 * What is left of a period that was due at `due` when its clock stops at `at` (中止), in the period's own
 * unit, so that resuming later grants exactly the rest. The day the clock stops counts as used.
 */
export function remainingPeriod(at: Date, due: Date, period: Period, calendar: WorkingCalendar): Period {
  if ('workingDays' in period) {
    // due is the start of the day after the last working day, so count up to the instant before it.
    return { workingDays: workingDaysBetween(at, new Date(due.getTime() - 1), calendar) };
  }
  if ('days' in period) {
    const remainingDays = Math.max(0, Math.round((due.getTime() - startOfLocalDate(localDate(at)).getTime()) / DAY_MS) - 1);
    return { days: remainingDays };
  }
  return { seconds: Math.max(0, (due.getTime() - at.getTime()) / 1000) };
}

/** Human-readable period, for reasons and logs: "5 working days", "7 days", "30 seconds". */
export function describePeriod(period: Period): { zh: string; en: string } {
  if ('workingDays' in period) return { zh: `${period.workingDays}个工作日`, en: `${period.workingDays} working days` };
  if ('days' in period) return { zh: `${period.days}日`, en: `${period.days} days` };
  return { zh: `${period.seconds}秒`, en: `${period.seconds} seconds` };
}
