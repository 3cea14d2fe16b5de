import { policy, type Caller } from '../domain/access';
import type { RuleSet } from '../domain/rules';
import type { Store } from '../store';
import type { OrgUnitStore } from '../store/org-units';
import { forbidden, invalid, notFound } from './problem';

/** Reference data: the organisation tree, the rule set in force and the official working-day calendar. */

/** The path of the org unit a list is narrowed to (its subtree), or a 400 problem naming the unknown unit. */
export async function orgUnitSubtree(orgUnits: Pick<OrgUnitStore, 'get'>, orgUnitId: string): Promise<string> {
  const unit = await orgUnits.get(orgUnitId);
  if (!unit) throw invalid(`orgUnitId: no org unit "${orgUnitId}"`, [{ field: 'query.orgUnitId', message: 'unknown org unit' }]);
  return unit.path;
}

export function createReferenceService({ store, ruleSet }: { store: Pick<Store, 'orgUnits' | 'calendar'>; ruleSet: RuleSet }) {
  return {
    orgUnits: () => store.orgUnits.list(),

    ruleSet: () => ruleSet,

    async calendarYear(year: number) {
      const row = await store.calendar.year(year);
      if (!row) throw notFound(`calendar ${year}`);
      const calendar = await store.calendar.workingCalendar();
      const inYear = (d: string) => d.startsWith(`${year}-`);
      const { source, provisional } = row;
      return {
        year,
        source,
        provisional,
        holidays: calendar.holidays.filter(inYear),
        makeUpWorkdays: calendar.makeUpWorkdays.filter(inYear),
      };
    },

    /** Loads a year's official calendar (administrators), replacing what was loaded for it. */
    async loadCalendarYear(caller: Caller, year: number, body: { source: string; holidays: string[]; makeUpWorkdays: string[] }) {
      if (!policy.canManageReferenceData(caller)) throw forbidden('only administrators load calendars');
      // Each date is a calendar date that exists (the operation's schema); here only the year is checked.
      const outside = [...body.holidays, ...body.makeUpWorkdays].filter((d) => !d.startsWith(`${year}-`));
      if (outside.length)
        throw invalid(`dates not in ${year}: ${outside.join(', ')}`, [{ field: 'holidays', message: 'dates must lie in the year' }]);
      const both = body.holidays.filter((d) => body.makeUpWorkdays.includes(d));
      if (both.length)
        throw invalid(`dates both holiday and working day: ${both.join(', ')}`, [
          { field: 'makeUpWorkdays', message: 'overlaps holidays' },
        ]);
      const holidays = [...new Set(body.holidays)];
      const makeUpWorkdays = [...new Set(body.makeUpWorkdays)];
      await store.calendar.replaceYear({ year, source: body.source, holidays, makeUpWorkdays, loadedBy: caller.id });
      return { year, source: body.source, provisional: false, holidays: holidays.sort(), makeUpWorkdays: makeUpWorkdays.sort() };
    },
  };
}

export type ReferenceService = ReturnType<typeof createReferenceService>;
