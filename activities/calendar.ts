import type { WorkingCalendar } from '../domain/calendar';
import type { Store } from '../store';

/** The working-day calendar as loaded now: a case picks up a newly published year when its next stage opens. */
export function createCalendarActivities({ store }: { store: Pick<Store, 'calendar'> }) {
  return {
    async loadCalendar(): Promise<WorkingCalendar> {
      return store.calendar.workflowCalendar();
    },
  };
}
