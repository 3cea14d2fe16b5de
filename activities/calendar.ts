import type { WorkingCalendar } from '../domain/calendar';
import type { PrismaClient } from '../infra/prisma';
import { calendarStore } from '../store/calendar';

/** The working-day calendar as loaded now: a case picks up a newly published year when its next stage opens. */
export function createCalendarActivities({ prisma }: { prisma: PrismaClient }) {
  return {
    async loadCalendar(): Promise<WorkingCalendar> {
      return calendarStore(prisma).workflowCalendar();
    },
  };
}
