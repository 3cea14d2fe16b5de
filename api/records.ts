import { z } from 'zod';
import { localDate } from '../domain/calendar';
import { caseTypeOf, eligibilityOf } from '../domain/case-types';
import { detectExitTriggers, qualificationStatus } from '../domain/exit';
import type { Json } from '../domain/history';
import { maskNationalId, nationalIdFacts, nationalIdProblem } from '../domain/national-id';
import { ASSESSMENT_RESULTS, DISCIPLINE_KINDS, EDUCATION_LEVELS, EMPLOYMENT_TYPES, POST_TYPES, QUALIFICATION_LEVELS, WORKER_STATUSES } from '../domain/personnel';
import type { RuleSet } from '../domain/rules';
import type { Prisma, PrismaClient } from '../infra/prisma';
import { loadWorkerRecord } from '../infra/records';
import type { Caller } from './auth';
import { policy } from './policy';
import { HttpProblem, forbidden, invalid, notFound } from './problem';
import { orgUnitPathOf, parseOr400 } from './validation';

const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(d)), 'not a valid date');
const toDate = (d: string) => new Date(`${d}T00:00:00.000Z`);
const day = (d: Date) => d.toISOString().slice(0, 10);

export const listWorkersQuery = z.object({
  q: z.string().trim().max(100).optional().describe('name or worker id contains'),
  orgUnitId: z.string().optional().describe('workers in this unit and below'),
  status: z.enum(WORKER_STATUSES).optional(),
  postType: z.enum(POST_TYPES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional().describe('nextCursor of the previous page'),
});

export const createWorkerBody = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash or underscore'),
  name: z.string().trim().min(1).max(50),
  nationalId: z.string().trim().toUpperCase(),
  education: z.enum(EDUCATION_LEVELS),
  postType: z.enum(POST_TYPES),
  employmentType: z.enum(EMPLOYMENT_TYPES),
  orgUnitId: z.string().min(1),
  userId: z.string().optional(),
  grade: z.number().int().min(1).max(30),
  gradeSince: dateString,
  hireDate: dateString,
  postSince: dateString,
  qualification: z
    .object({ level: z.enum(QUALIFICATION_LEVELS), obtainedOn: dateString.nullable().default(null), eligibleSince: dateString.nullable().default(null) })
    .default({ level: 'none', obtainedOn: null, eligibleSince: null }),
});

export const addAssessmentBody = z.object({
  year: z.number().int().min(1990).max(2100),
  result: z.enum(ASSESSMENT_RESULTS),
});

export const addDisciplinaryBody = z
  .object({ kind: z.enum(DISCIPLINE_KINDS), startDate: dateString, endDate: dateString.nullable().default(null), reason: z.string().trim().min(1).max(2000) })
  .refine((d) => d.endDate === null || d.endDate >= d.startDate, { message: 'endDate must not be before startDate', path: ['endDate'] });

export const eligibilityCheckBody = z.object({
  type: z.string().min(1),
  subjectId: z.string().min(1),
  payload: z.record(z.string(), z.json()),
});

export interface RecordsDeps {
  prisma: PrismaClient;
  ruleSet: RuleSet;
  /** Today's date in China Standard Time; injectable so tests can pin it. */
  today?: () => string;
}

/** Personnel records: reading, searching and maintaining them, and evaluating eligibility against them. */
export function createRecordsService({ prisma, ruleSet, today = () => localDate(new Date()) }: RecordsDeps) {
  async function workerWithPath(workerId: string) {
    const worker = await prisma.communityWorker.findUnique({ where: { id: workerId }, include: { orgUnit: { select: { path: true } } } });
    return worker;
  }

  async function readable(caller: Caller, workerId: string) {
    const worker = await workerWithPath(workerId);
    // Workers outside the caller's subtree are answered like workers that do not exist.
    if (!worker || !policy.canReadWorker(caller, worker.orgUnit.path)) throw notFound('worker');
    return worker;
  }

  async function writable(caller: Caller, workerId: string) {
    const worker = await readable(caller, workerId);
    if (!policy.canWriteRecords(caller, worker.orgUnit.path)) throw forbidden('only administrators and personnel officers of the unit maintain records');
    return worker;
  }

  function summary(caller: Caller, w: { id: string; name: string; gender: 'male' | 'female'; nationalId: string; orgUnitId: string; postType: (typeof POST_TYPES)[number]; employmentType: (typeof EMPLOYMENT_TYPES)[number]; grade: number; gradeSince: Date; status: (typeof WORKER_STATUSES)[number]; orgUnit: { path: string } }) {
    return {
      id: w.id,
      name: w.name,
      gender: w.gender,
      nationalId: policy.canSeeNationalId(caller, w.orgUnit.path) ? w.nationalId : maskNationalId(w.nationalId),
      orgUnitId: w.orgUnitId,
      postType: w.postType,
      employmentType: w.employmentType,
      grade: w.grade,
      gradeSince: day(w.gradeSince),
      status: w.status,
    };
  }

  /** Evaluates a case type's eligibility for a worker as of today. */
  async function evaluate(caller: Caller, type: string, workerId: string, payload: Record<string, Json>) {
    await readable(caller, workerId);
    const definition = caseTypeOf(type);
    if (!definition) throw invalid(`type: unknown case type "${type}"`, [{ field: 'type', message: 'unknown case type' }]);
    const parsed = parseOr400(definition.payload(ruleSet), payload, 'payload') as Record<string, Json>;
    const record = await loadWorkerRecord(prisma, workerId);
    const rule = eligibilityOf(type);
    if (!record) throw notFound('worker');
    return rule ? rule(record, parsed, ruleSet, today()) : { eligible: true, reasons: [] };
  }

  return {
    evaluate,

    async list(caller: Caller, query: z.infer<typeof listWorkersQuery>) {
      const scopes = policy.readableScopes(caller);
      const filters: Prisma.CommunityWorkerWhereInput[] = [];
      if (scopes) filters.push({ orgUnit: { OR: scopes.map((path) => ({ path: { startsWith: path } })) } });
      if (query.orgUnitId) filters.push({ orgUnit: { path: { startsWith: await orgUnitPathOf(prisma, query.orgUnitId) } } });
      if (query.q) filters.push({ OR: [{ name: { contains: query.q } }, { id: { contains: query.q } }] });
      if (query.status) filters.push({ status: query.status });
      if (query.postType) filters.push({ postType: query.postType });
      const where: Prisma.CommunityWorkerWhereInput = { AND: filters };
      const [total, rows] = await Promise.all([
        prisma.communityWorker.count({ where }),
        prisma.communityWorker.findMany({
          where: query.cursor ? { AND: [where, { id: { gt: query.cursor } }] } : where,
          orderBy: { id: 'asc' },
          take: query.limit + 1,
          include: { orgUnit: { select: { path: true } } },
        }),
      ]);
      const page = rows.slice(0, query.limit);
      return { items: page.map((w) => summary(caller, w)), total, nextCursor: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null };
    },

    async get(caller: Caller, workerId: string) {
      const worker = await readable(caller, workerId);
      const [record, full] = await Promise.all([
        loadWorkerRecord(prisma, workerId),
        prisma.communityWorker.findUniqueOrThrow({
          where: { id: workerId },
          include: {
            disciplinary: { orderBy: { startDate: 'asc' } },
            gradeChanges: { orderBy: { effectiveFrom: 'asc' } },
            awards: { orderBy: { awardedOn: 'asc' } },
            errorToleranceRulings: { orderBy: { decidedOn: 'asc' } },
            nameClearances: { orderBy: { clearedOn: 'asc' } },
            returnVisits: { orderBy: { visitedOn: 'asc' } },
            statusChanges: { orderBy: { effectiveFrom: 'asc' } },
          },
        }),
      ]);
      if (!record) throw notFound('worker');
      const asOf = today();
      return {
        ...summary(caller, worker),
        birthDate: record.birthDate,
        education: record.education,
        hireDate: record.hireDate,
        postSince: record.postSince,
        userId: worker.userId,
        qualification: record.qualification,
        assessments: record.assessments,
        disciplinary: full.disciplinary.map((d) => ({ id: d.id, kind: d.kind, startDate: day(d.startDate), endDate: d.endDate ? day(d.endDate) : null, reason: d.reason })),
        gradeHistory: full.gradeChanges.map((g) => ({ fromGrade: g.fromGrade, toGrade: g.toGrade, effectiveFrom: day(g.effectiveFrom), reason: g.reason, caseId: g.caseId })),
        awards: full.awards.map((a) => ({ title: a.title, level: a.level, awardedOn: day(a.awardedOn), caseId: a.caseId })),
        errorToleranceRulings: full.errorToleranceRulings.map((r) => ({
          caseId: r.caseId,
          ruling: r.ruling,
          incidentDate: day(r.incidentDate),
          correctionRequired: r.correctionRequired,
          correctionVerifiedOn: r.correctionVerifiedOn ? day(r.correctionVerifiedOn) : null,
          decidedOn: day(r.decidedOn),
        })),
        nameClearances: full.nameClearances.map((c) => ({ caseId: c.caseId, accusationRef: c.accusationRef, method: c.method, findingSummary: c.findingSummary, clearedOn: day(c.clearedOn) })),
        returnVisits: full.returnVisits.map((v) => ({ caseId: v.caseId, visitedOn: day(v.visitedOn), officerId: v.officerId, notes: v.notes })),
        statusChanges: full.statusChanges.map((s) => ({ fromStatus: s.fromStatus, toStatus: s.toStatus, reason: s.reason, effectiveFrom: day(s.effectiveFrom), caseId: s.caseId })),
        qualificationDeadline: qualificationStatus(record, ruleSet, asOf),
        exitTriggers: detectExitTriggers(record, ruleSet, asOf),
      };
    },

    /** Every eligibility a worker can be evaluated for, with the default request of each case type. */
    async eligibilitySummary(caller: Caller, workerId: string) {
      const variants: { type: string; label: string; payload: Record<string, Json> }[] = (
        [
        { type: 'promotion', label: 'promotion:regular', payload: { kind: 'regular' } },
        { type: 'promotion', label: 'promotion:early', payload: { kind: 'early' } },
        { type: 'recruitment', label: 'recruitment:civil-service', payload: { track: 'civil-service', targetOrg: '-', post: '-' } },
        { type: 'recruitment', label: 'recruitment:public-institution', payload: { track: 'public-institution', targetOrg: '-', post: '-' } },
          { type: 'commendation', label: 'commendation', payload: { awardTitle: '-', achievements: '-' } },
        ] as { type: string; label: string; payload: Record<string, Json> }[]
      ).filter((v) => caseTypeOf(v.type) && eligibilityOf(v.type));
      const results: Record<string, unknown> = {};
      for (const v of variants) results[v.label] = await evaluate(caller, v.type, workerId, v.payload);
      return { workerId, asOf: today(), ruleSet: { id: ruleSet.id, version: ruleSet.version }, results };
    },

    async create(caller: Caller, body: z.infer<typeof createWorkerBody>) {
      const unit = await prisma.orgUnit.findUnique({ where: { id: body.orgUnitId }, select: { path: true, level: true, kind: true } });
      if (!unit || unit.level !== 'community' || unit.kind !== 'area') {
        throw invalid('orgUnitId: must name a community', [{ field: 'orgUnitId', message: 'not a community' }]);
      }
      if (!policy.canWriteRecords(caller, unit.path)) throw forbidden('only administrators and personnel officers of the unit maintain records');
      const idProblem = nationalIdProblem(body.nationalId);
      if (idProblem) throw invalid(`nationalId: ${idProblem}`, [{ field: 'nationalId', message: idProblem }]);
      const band = ruleSet.grades.bands[body.postType];
      if (body.grade < band.min || body.grade > band.max) {
        throw invalid(`grade: a ${body.postType} post has grades ${band.min}–${band.max}`, [{ field: 'grade', message: `outside ${band.min}–${band.max}` }]);
      }
      const facts = nationalIdFacts(body.nationalId);
      const clash = await prisma.communityWorker.findFirst({ where: { OR: [{ id: body.id }, { nationalId: body.nationalId }] }, select: { id: true } });
      if (clash) throw new HttpProblem('conflict', clash.id === body.id ? `worker id "${body.id}" is taken` : 'a worker with this national ID number exists');
      await prisma.communityWorker.create({
        data: {
          id: body.id,
          name: body.name,
          gender: facts.gender,
          birthDate: toDate(facts.birthDate),
          nationalId: body.nationalId,
          education: body.education,
          postType: body.postType,
          employmentType: body.employmentType,
          orgUnitId: body.orgUnitId,
          userId: body.userId ?? null,
          grade: body.grade,
          gradeSince: toDate(body.gradeSince),
          hireDate: toDate(body.hireDate),
          postSince: toDate(body.postSince),
          qualificationLevel: body.qualification.level,
          qualificationObtainedOn: body.qualification.obtainedOn ? toDate(body.qualification.obtainedOn) : null,
          qualificationEligibleSince: body.qualification.eligibleSince ? toDate(body.qualification.eligibleSince) : null,
        },
      });
      return this.get(caller, body.id);
    },

    async addAssessment(caller: Caller, workerId: string, body: z.infer<typeof addAssessmentBody>) {
      await writable(caller, workerId);
      const currentYear = Number(today().slice(0, 4));
      if (body.year > currentYear) throw invalid(`year: ${body.year} has not happened yet`, [{ field: 'year', message: 'in the future' }]);
      const existing = await prisma.annualAssessment.findUnique({ where: { workerId_year: { workerId, year: body.year } } });
      if (existing) throw new HttpProblem('conflict', `the ${body.year} assessment is already recorded (${existing.result})`);
      await prisma.annualAssessment.create({ data: { workerId, year: body.year, result: body.result, recordedBy: caller.id } });
      return this.get(caller, workerId);
    },

    async addDisciplinary(caller: Caller, workerId: string, body: z.infer<typeof addDisciplinaryBody>) {
      await writable(caller, workerId);
      await prisma.disciplinaryRecord.create({
        data: { workerId, kind: body.kind, startDate: toDate(body.startDate), endDate: body.endDate ? toDate(body.endDate) : null, reason: body.reason, recordedBy: caller.id },
      });
      return this.get(caller, workerId);
    },
  };
}

export type RecordsService = ReturnType<typeof createRecordsService>;
