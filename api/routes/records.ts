import { z } from 'zod';
import type { RuleSet } from '../../domain/rules';
import type { PrismaClient } from '../../infra/prisma';
import { loadWorkingCalendar } from '../../infra/records';
import { operation } from '../operation';
import { policy } from '../policy';
import { forbidden, invalid, notFound } from '../problem';
import {
  addAssessmentBody,
  addDisciplinaryBody,
  createWorkerBody,
  eligibilityCheckBody,
  listWorkersQuery,
  type RecordsService,
} from '../records';
import { Eligibility, Localized, Page, WorkerDetail, WorkerSummary, errorResponses } from '../schemas';

const workerId = z.object({ id: z.string().min(1).max(100) });
const dateList = z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD'));

const OrgUnit = z
  .object({
    id: z.string(),
    name: z.string(),
    level: z.enum(['province', 'city', 'county', 'street', 'community']),
    kind: z.enum(['area', 'department']),
    departmentType: z.string().nullable(),
    parentId: z.string().nullable(),
    path: z.string(),
  })
  .meta({ id: 'OrgUnit' });

const CalendarYear = z
  .object({
    year: z.number().int(),
    source: z.string(),
    provisional: z.boolean(),
    holidays: z.array(z.string()),
    makeUpWorkdays: z.array(z.string()),
  })
  .meta({ id: 'CalendarYear' });

/** Personnel records, the organisation tree, the rule set in force and the working-day calendar. */
export function recordOperations(records: RecordsService, deps: { prisma: PrismaClient; ruleSet: RuleSet }) {
  const { prisma, ruleSet } = deps;
  return [
    operation({
      method: 'get',
      path: '/workers',
      operationId: 'listWorkers',
      summary: 'Search community workers (national ID numbers masked)',
      tags: ['records'],
      query: listWorkersQuery,
      responses: { 200: { description: 'a page of workers', schema: Page(WorkerSummary, 'WorkerPage') }, ...errorResponses(400, 401) },
      async handler({ caller, query }) {
        return { body: await records.list(caller, query) };
      },
    }),
    operation({
      method: 'post',
      path: '/workers',
      operationId: 'createWorker',
      summary: 'Add a community worker',
      tags: ['records'],
      body: createWorkerBody,
      responses: { 201: { description: 'the new record', schema: WorkerDetail }, ...errorResponses(400, 401, 403, 409, 415) },
      async handler({ caller, body }) {
        return { status: 201, body: await records.create(caller, body) };
      },
    }),
    operation({
      method: 'get',
      path: '/workers/:id',
      operationId: 'getWorker',
      summary: "A worker's record: assessments, discipline, grade history, awards, rulings, clearances",
      tags: ['records'],
      params: workerId,
      responses: { 200: { description: 'the record', schema: WorkerDetail }, ...errorResponses(401, 404) },
      async handler({ caller, params }) {
        return { body: await records.get(caller, params.id) };
      },
    }),
    operation({
      method: 'get',
      path: '/workers/:id/eligibility',
      operationId: 'getWorkerEligibility',
      summary: 'Eligibility of a worker for promotion, recruitment and commendation, with the reasons',
      tags: ['records'],
      params: workerId,
      responses: {
        200: {
          description: 'the evaluations, each with its rule reasons',
          schema: z
            .object({ workerId: z.string(), asOf: z.string(), ruleSet: z.object({ id: z.string(), version: z.number() }), results: z.record(z.string(), Eligibility) })
            .meta({ id: 'EligibilitySummary' }),
        },
        ...errorResponses(401, 404),
      },
      async handler({ caller, params }) {
        return { body: await records.eligibilitySummary(caller, params.id) };
      },
    }),
    operation({
      method: 'post',
      path: '/eligibility-checks',
      operationId: 'checkEligibility',
      summary: 'Evaluate eligibility for a case before submitting it',
      tags: ['records'],
      body: eligibilityCheckBody,
      responses: { 200: { description: 'the evaluation', schema: Eligibility }, ...errorResponses(400, 401, 404, 415) },
      async handler({ caller, body }) {
        return { body: await records.evaluate(caller, body.type, body.subjectId, body.payload) };
      },
    }),
    operation({
      method: 'post',
      path: '/workers/:id/assessments',
      operationId: 'addAssessment',
      summary: 'Record an annual assessment (年度考核)',
      tags: ['records'],
      params: workerId,
      body: addAssessmentBody,
      responses: { 201: { description: 'the updated record', schema: WorkerDetail }, ...errorResponses(400, 401, 403, 404, 409, 415) },
      async handler({ caller, params, body }) {
        return { status: 201, body: await records.addAssessment(caller, params.id, body) };
      },
    }),
    operation({
      method: 'post',
      path: '/workers/:id/disciplinary-records',
      operationId: 'addDisciplinaryRecord',
      summary: 'Record a disciplinary measure (处分)',
      tags: ['records'],
      params: workerId,
      body: addDisciplinaryBody,
      responses: { 201: { description: 'the updated record', schema: WorkerDetail }, ...errorResponses(400, 401, 403, 404, 415) },
      async handler({ caller, params, body }) {
        return { status: 201, body: await records.addDisciplinary(caller, params.id, body) };
      },
    }),
    operation({
      method: 'get',
      path: '/org-units',
      operationId: 'listOrgUnits',
      summary: 'The organisation tree (areas and their departments)',
      tags: ['reference'],
      responses: { 200: { description: 'every unit, parents first', schema: z.object({ items: z.array(OrgUnit) }) }, ...errorResponses(401) },
      async handler() {
        const units = await prisma.orgUnit.findMany({ orderBy: { path: 'asc' } });
        return { body: { items: units.map(({ createdAt: _c, ...u }) => u) } };
      },
    }),
    operation({
      method: 'get',
      path: '/rule-set',
      operationId: 'getRuleSet',
      summary: 'The rule set in force: periods, grade bands, eligibility rules, exit reasons, and which values are inferred defaults',
      tags: ['reference'],
      responses: { 200: { description: 'the rule set', schema: z.object({ id: z.string(), version: z.number(), title: Localized }).loose().meta({ id: 'RuleSet' }) }, ...errorResponses(401) },
      async handler() {
        return { body: ruleSet };
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
        const row = await prisma.calendarYear.findUnique({ where: { year: params.year } });
        if (!row) throw notFound(`calendar ${params.year}`);
        const calendar = await loadWorkingCalendar(prisma);
        const inYear = (d: string) => d.startsWith(`${params.year}-`);
        return {
          body: { year: row.year, source: row.source, provisional: row.provisional, holidays: calendar.holidays.filter(inYear), makeUpWorkdays: calendar.makeUpWorkdays.filter(inYear) },
        };
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
        if (!policy.canManageReferenceData(caller)) throw forbidden('only administrators load calendars');
        const outside = [...body.holidays, ...body.makeUpWorkdays].filter((d) => !d.startsWith(`${params.year}-`) || Number.isNaN(Date.parse(d)));
        if (outside.length) throw invalid(`dates not in ${params.year} or invalid: ${outside.join(', ')}`, [{ field: 'holidays', message: 'dates must lie in the year' }]);
        const both = body.holidays.filter((d) => body.makeUpWorkdays.includes(d));
        if (both.length) throw invalid(`dates both holiday and working day: ${both.join(', ')}`, [{ field: 'makeUpWorkdays', message: 'overlaps holidays' }]);
        const toDate = (d: string) => new Date(`${d}T00:00:00.000Z`);
        await prisma.$transaction([
          prisma.calendarYear.deleteMany({ where: { year: params.year } }),
          prisma.calendarYear.create({ data: { year: params.year, source: body.source, provisional: false, loadedBy: caller.id } }),
          prisma.calendarDay.createMany({
            data: [
              ...[...new Set(body.holidays)].map((d) => ({ date: toDate(d), year: params.year, kind: 'holiday' })),
              ...[...new Set(body.makeUpWorkdays)].map((d) => ({ date: toDate(d), year: params.year, kind: 'workday' })),
            ],
          }),
        ]);
        return { body: { year: params.year, source: body.source, provisional: false, holidays: [...new Set(body.holidays)].sort(), makeUpWorkdays: [...new Set(body.makeUpWorkdays)].sort() } };
      },
    }),
  ];
}
