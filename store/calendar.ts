import type { WorkingCalendar } from '../domain/calendar';
import type { PrismaClient } from '../infra/prisma';
import { dateValue, day } from './db';

/** The official working-day calendar (CalendarYear, CalendarDay): a few dozen rows a year. */
export function calendarStore(db: PrismaClient) {
  async function workingCalendar(): Promise<WorkingCalendar & { provisionalYears: number[] }> {
    // One statement (the days joined to their years), not two: every submission and every stage that opens reads it.
    const years = await db.calendarYear.findMany({
      orderBy: { year: 'asc' },
      select: { year: true, provisional: true, days: { select: { date: true, kind: true }, orderBy: { date: 'asc' } } },
    });
    const days = years.flatMap((y) => y.days);
    return {
      holidays: days.filter((d) => d.kind === 'holiday').map((d) => day(d.date)),
      makeUpWorkdays: days.filter((d) => d.kind === 'workday').map((d) => day(d.date)),
      years: years.map((y) => y.year),
      provisionalYears: years.filter((y) => y.provisional).map((y) => y.year),
    };
  }

  return {
    /** Every loaded year, with the years still provisional. */
    workingCalendar,

    /** The calendar as a case workflow takes it in its input (and when a stage opens): no more, no less. */
    async workflowCalendar(): Promise<WorkingCalendar> {
      const { holidays, makeUpWorkdays, years } = await workingCalendar();
      return { holidays, makeUpWorkdays, years };
    },

    /** How a year was loaded, or null when it is not. */
    async year(year: number): Promise<{ year: number; source: string; provisional: boolean } | null> {
      return db.calendarYear.findUnique({ where: { year }, select: { year: true, source: true, provisional: true } });
    },

    /** Replaces a year's days in one transaction (an administrator loading the State Council's notice). */
    async replaceYear(y: { year: number; source: string; holidays: string[]; makeUpWorkdays: string[]; loadedBy: string }): Promise<void> {
      await db.$transaction([
        db.calendarYear.deleteMany({ where: { year: y.year } }),
        db.calendarYear.create({ data: { year: y.year, source: y.source, provisional: false, loadedBy: y.loadedBy } }),
        db.calendarDay.createMany({
          data: [
            ...y.holidays.map((d) => ({ date: dateValue(d), year: y.year, kind: 'holiday' })),
            ...y.makeUpWorkdays.map((d) => ({ date: dateValue(d), year: y.year, kind: 'workday' })),
          ],
        }),
      ]);
    },
  };
}

export type CalendarStore = ReturnType<typeof calendarStore>;
