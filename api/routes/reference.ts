import { z } from 'zod';
import { calendarDate } from '../../domain/dates';
import type { ReferenceService } from '../../services/reference';
import { operation } from '../operation';
import { CalendarYear, OrgUnitList, RuleSetView, errorResponses } from '../schemas';

const dateList = z.array(calendarDate);

/** The organisation tree, the rule set in force and the working-day calendar. */
export function referenceOperations(reference: ReferenceService) {
  return [
    operation({
      method: 'get',
      path: '/org-units',
      operationId: 'listOrgUnits',
      summary: 'The organisation tree (areas and their departments)',
      tags: ['reference'],
      responses: { 200: { description: 'every unit, parents first', schema: OrgUnitList }, ...errorResponses(401) },
      async handler() {
        return { body: { items: await reference.orgUnits() } };
      },
    }),
    operation({
      method: 'get',
      path: '/rule-set',
      operationId: 'getRuleSet',
      summary: 'The rule set in force: periods, grade bands, eligibility rules, exit reasons, and which values are inferred defaults',
      tags: ['reference'],
      responses: { 200: { description: 'the rule set', schema: RuleSetView }, ...errorResponses(401) },
      async handler() {
        return { body: reference.ruleSet() };
      },
    }),
    operation({
      method: 'get',
      path: '/calendar/:year',
      operationId: 'getCalendarYear',
      summary: 'The working-day calendar of a year (holidays and make-up working days)',
      tags: ['reference'],
      params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
      responses: { 200: { description: 'the year', schema: CalendarYear }, ...errorResponses(400, 401, 404) },
      async handler({ params }) {
        return { body: await reference.calendarYear(params.year) };
      },
    }),
    operation({
      method: 'put',
      path: '/calendar/:year',
      operationId: 'putCalendarYear',
      summary: "Load a year's official calendar (administrators), e.g. when the State Council publishes next year's holidays",
      description: 'Running cases pick up the new year the next time one of their clocks is computed.',
      tags: ['reference'],
      params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
      body: z.object({ source: z.string().trim().min(1).max(500), holidays: dateList, makeUpWorkdays: dateList }),
      responses: { 200: { description: 'the loaded year', schema: CalendarYear }, ...errorResponses(400, 401, 403, 415) },
      async handler({ caller, params, body }) {
        return { body: await reference.loadCalendarYear(caller, params.year, body) };
      },
    }),
  ];
}
