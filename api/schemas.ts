import { z } from 'zod';
import { CASE_ACTIONS, CASE_STATUSES } from '../domain/process/engine';
import { ASSESSMENT_RESULTS, DISCIPLINE_KINDS, EDUCATION_LEVELS, EMPLOYMENT_TYPES, POST_TYPES, QUALIFICATION_LEVELS, WORKER_STATUSES } from '../domain/personnel';

/**
 * Response shapes of the API, defined once: they type the handlers, appear in the OpenAPI document (named by
 * their meta id), and the contract tests validate real responses against them.
 */

export const Localized = z.object({ zh: z.string(), en: z.string() }).meta({ id: 'Localized' });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe('a local date, YYYY-MM-DD');
const instant = z.string().describe('an ISO 8601 instant');

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    reasons: z.array(z.unknown()).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const EligibilityReason = z
  .object({
    ruleId: z.string(),
    passed: z.boolean(),
    detail: Localized,
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'EligibilityReason' });

export const Eligibility = z
  .object({
    eligible: z.boolean(),
    reasons: z.array(EligibilityReason),
    proposal: z
      .object({ fromGrade: z.number().int(), toGrade: z.number().int(), postType: z.enum(POST_TYPES), effectiveFrom: date })
      .optional()
      .describe('for an eligible promotion: the grade it leads to, and from when'),
  })
  .meta({ id: 'Eligibility' });

export const CaseView = z
  .object({
    id: z.string(),
    type: z.string(),
    status: z.enum(CASE_STATUSES),
    outcome: z.string().nullable(),
    subject: z.object({ id: z.string(), name: z.string() }),
    orgUnitId: z.string(),
    applicantId: z.string(),
    payload: z.record(z.string(), z.unknown()),
    currentStage: z.object({ id: z.string().describe('the stage id, as in GET /case-types'), title: Localized, mode: z.string() }).nullable(),
    assignees: z.array(z.string()).describe('users the case is waiting for'),
    dueAt: instant.nullable(),
    overdue: z.boolean(),
    submittedAt: instant,
    decidedAt: instant.nullable(),
    updatedAt: instant,
    ruleSet: z.object({ id: z.string(), version: z.number().int() }),
    definitionVersion: z.number().int(),
    lastSeq: z.number().int(),
    allowedActions: z.array(z.enum(CASE_ACTIONS)).describe('what the caller may do now'),
  })
  .meta({ id: 'Case' });
export type CaseView = z.infer<typeof CaseView>;

export const WorkerSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    gender: z.enum(['male', 'female']),
    nationalId: z.string().describe('masked (320106********123X) unless the caller may see it in full'),
    orgUnitId: z.string(),
    postType: z.enum(POST_TYPES),
    employmentType: z.enum(EMPLOYMENT_TYPES),
    grade: z.number().int(),
    gradeSince: date,
    status: z.enum(WORKER_STATUSES),
  })
  .meta({ id: 'WorkerSummary' });

export const WorkerDetail = WorkerSummary.extend({
  birthDate: date,
  education: z.enum(EDUCATION_LEVELS),
  hireDate: date,
  postSince: date,
  userId: z.string().nullable(),
  qualification: z.object({ level: z.enum(QUALIFICATION_LEVELS), obtainedOn: date.nullable(), eligibleSince: date.nullable() }),
  assessments: z.array(z.object({ year: z.number().int(), result: z.enum(ASSESSMENT_RESULTS) })),
  disciplinary: z.array(z.object({ id: z.string(), kind: z.enum(DISCIPLINE_KINDS), startDate: date, endDate: date.nullable(), reason: z.string() })),
  gradeHistory: z.array(z.object({ fromGrade: z.number().int(), toGrade: z.number().int(), effectiveFrom: date, reason: z.string(), caseId: z.string().nullable() })),
  awards: z.array(z.object({ title: z.string(), level: z.string(), awardedOn: date, caseId: z.string().nullable() })),
  errorToleranceRulings: z.array(
    z.object({ caseId: z.string(), ruling: z.string(), incidentDate: date, correctionRequired: z.boolean(), correctionVerifiedOn: date.nullable(), decidedOn: date }),
  ),
  nameClearances: z.array(z.object({ caseId: z.string(), accusationRef: z.string(), method: z.string(), findingSummary: z.string(), clearedOn: date })),
  returnVisits: z.array(z.object({ caseId: z.string().nullable(), visitedOn: date, officerId: z.string(), notes: z.string() })),
  statusChanges: z.array(z.object({ fromStatus: z.enum(WORKER_STATUSES), toStatus: z.enum(WORKER_STATUSES), reason: z.string(), effectiveFrom: date, caseId: z.string().nullable() })),
  qualificationDeadline: z.object({ deadline: date, daysLeft: z.number().int(), overdue: z.boolean(), warn: z.boolean() }).nullable(),
  exitTriggers: z.array(z.object({ reasonCode: z.string(), ruleId: z.string(), detail: Localized, data: z.record(z.string(), z.unknown()) })),
}).meta({ id: 'WorkerDetail' });

export const Page = <T extends z.ZodType>(item: T, id: string) =>
  z
    .object({
      items: z.array(item),
      total: z.number().int().describe('matching items across all pages'),
      nextCursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last page'),
    })
    .meta({ id });

/** Standard error responses, added to every operation. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description:
          {
            400: 'invalid input (the failing fields are listed)',
            401: 'missing or invalid bearer token',
            403: 'not permitted',
            404: 'not found, or not visible to the caller',
            409: 'not allowed in the current state',
            415: 'the body must be application/json',
            422: 'refused by a business rule (the reasons are listed)',
            429: 'too many requests; see Retry-After',
            503: 'a dependency (Temporal or the database) is unavailable',
          }[status] ?? 'error',
        schema: Problem,
      },
    ]),
  );
