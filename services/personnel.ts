import { z } from 'zod';
import { policy, type Caller } from '../domain/access';
import { localDate } from '../domain/calendar';
import { ageOn, calendarDate } from '../domain/dates';
import { caseTypeOf, eligibilityOf } from '../domain/case-types';
import { detectExitTriggers, qualificationStatus } from '../domain/exit';
import type { Json } from '../domain/history';
import { maskNationalId, nationalIdFacts, nationalIdProblem } from '../domain/national-id';
import {
  ASSESSMENT_RESULTS,
  DISCIPLINE_KIND_INFO,
  DISCIPLINE_KINDS,
  EDUCATION_LEVELS,
  EMPLOYMENT_TYPES,
  PARTY_POSTS,
  POST_TYPES,
  QUALIFICATION_ELIGIBILITY_BASES,
  QUALIFICATION_LEVELS,
  RESIDENTS_COMMITTEE_POSTS,
  WORKER_STATUSES,
} from '../domain/personnel';
import type { RuleSet } from '../domain/rules';
import type { Store } from '../store';
import type { CommunityWorkerEntry } from '../store/personnel';
import { orgUnitSubtree } from './reference';
import { HttpProblem, forbidden, invalid, notFound } from './problem';
import { cursorId, cursorInstant, decodeCursor, encodeCursor, instantParam, parseOr400 } from './validation';

export const placementsQuery = z.object({
  date: calendarDate.describe('the day asked about (YYYY-MM-DD)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional().describe('nextCursor of the previous page'),
});

export const listWorkersQuery = z.object({
  q: z.string().trim().max(100).optional().describe('name or worker id contains'),
  orgUnitId: z.string().optional().describe('workers in this unit and below'),
  status: z.enum(WORKER_STATUSES).optional(),
  postType: z.enum(POST_TYPES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional().describe('nextCursor of the previous page'),
});

/**
 * The date a worker became eligible to sit the social-work exam, as a recorded fact: the date, what it rests on (a
 * route to the exam) and the evidence (documents), so the certificate deadline it starts can be retraced.
 */
export const qualificationEligibilityBody = z.object({
  since: calendarDate,
  basis: z.enum(QUALIFICATION_ELIGIBILITY_BASES).refine((b) => b !== 'migrated', 'migrated marks dates recorded before the basis was kept'),
  evidence: z.string().trim().min(1, 'name the evidence (e.g. the diploma and the proof of social-work years)').max(2000),
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
  gradeSince: calendarDate,
  hireDate: calendarDate,
  postSince: calendarDate,
  partyPost: z.enum(PARTY_POSTS).nullable().default(null).describe('post in the community party organisation (书记/副书记/委员)'),
  residentsCommitteePost: z
    .enum(RESIDENTS_COMMITTEE_POSTS)
    .nullable()
    .default(null)
    .describe("post in the residents' committee (主任/副主任/委员)"),
  secretaryFullTerms: z.number().int().min(0).max(20).default(0).describe('consecutive full terms served as community party secretary'),
  qualification: z
    .object({
      level: z.enum(QUALIFICATION_LEVELS),
      obtainedOn: calendarDate.nullable().default(null),
      eligibility: qualificationEligibilityBody.nullable().default(null),
    })
    .default({ level: 'none', obtainedOn: null, eligibility: null }),
});

export const addAssessmentBody = z.object({
  year: z.number().int().min(1990).max(2100),
  result: z.enum(ASSESSMENT_RESULTS),
});

export const addDisciplinaryBody = z
  .object({
    kind: z.enum(DISCIPLINE_KINDS).describe('the family (government, party, contract) and the kind of the measure'),
    startDate: calendarDate.describe('the day of the decision'),
    termEnd: calendarDate
      .nullable()
      .default(null)
      .describe("the last day of the measure's own term, for 留党察看 (one or two years); null for other kinds"),
    reason: z.string().trim().min(1).max(2000),
  })
  .refine((d) => DISCIPLINE_KIND_INFO[d.kind].hasTerm === (d.termEnd !== null), {
    message: 'a 留党察看 states the end of its term; no other kind has one',
    path: ['termEnd'],
  })
  .refine((d) => d.termEnd === null || d.termEnd >= d.startDate, { message: 'termEnd must not be before startDate', path: ['termEnd'] });

export const linkAccountBody = z.object({
  userId: z.string().min(1).max(100).describe("the worker's own staff account"),
});

export const revealNationalIdBody = z.object({
  reason: z.string().trim().min(4).max(500).describe('why the full number is needed (recorded in the access log)'),
});

export const revealLogQuery = z.object({
  workerId: z.string().optional(),
  userId: z.string().optional(),
  from: instantParam.optional().describe('reveals at or after'),
  to: instantParam.optional().describe('reveals before'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z.string().max(500).optional(),
});

const revealCursor = z.object({ at: cursorInstant, id: cursorId });

export const eligibilityCheckBody = z.object({
  type: z.string().min(1),
  subjectId: z.string().min(1),
  payload: z.record(z.string(), z.json()),
});

export interface PersonnelDeps {
  store: Pick<Store, 'personnel' | 'orgUnits' | 'users' | 'audit' | 'calendar'>;
  ruleSet: RuleSet;
  /** Today's date in China Standard Time; injectable so tests can pin it. */
  today?: () => string;
}

/**
 * Personnel records (人事档案) of community workers: reading, searching and maintaining them, and evaluating
 * eligibility against them. Who may read or write a record is domain/access.ts; the data is store/personnel.ts.
 */
export function createPersonnelService({ store, ruleSet, today = () => localDate(new Date()) }: PersonnelDeps) {
  const { personnel, orgUnits, users } = store;

  /** A staff account a record may be linked to: an active one, not linked to another worker's record. */
  async function linkableAccount(userId: string, communityWorkerId: string) {
    if (!(await users.isActive(userId)))
      throw invalid(`userId: no active user "${userId}"`, [{ field: 'userId', message: 'unknown user' }]);
    const linked = await personnel.linkedTo(userId);
    if (linked && linked !== communityWorkerId) throw new HttpProblem('conflict', `user "${userId}" is linked to another worker's record`);
  }

  async function readable(caller: Caller, communityWorkerId: string) {
    const worker = await personnel.entry(communityWorkerId);
    // Workers outside the caller's subtree are answered like workers that do not exist.
    if (!worker || !policy.canReadWorker(caller, worker.orgPath)) throw notFound('worker');
    return worker;
  }

  async function writable(caller: Caller, communityWorkerId: string) {
    const worker = await readable(caller, communityWorkerId);
    if (!policy.canWriteRecords(caller, worker.orgPath))
      throw forbidden('only administrators and personnel officers of the unit maintain records');
    return worker;
  }

  /** A worker as lists show them: the national ID number masked for everyone (a full one only by reveal). */
  function summary(w: CommunityWorkerEntry) {
    return {
      id: w.id,
      name: w.name,
      gender: w.gender,
      nationalId: maskNationalId(w.nationalId),
      orgUnitId: w.orgUnitId,
      postType: w.postType,
      employmentType: w.employmentType,
      grade: w.grade,
      gradeSince: w.gradeSince,
      status: w.status,
    };
  }

  /** Evaluates a case type's eligibility for a worker as of today. */
  async function evaluate(caller: Caller, type: string, communityWorkerId: string, payload: Record<string, Json>) {
    await readable(caller, communityWorkerId);
    const definition = caseTypeOf(type);
    if (!definition) throw invalid(`type: unknown case type "${type}"`, [{ field: 'type', message: 'unknown case type' }]);
    return eligibility(type, communityWorkerId, parseOr400(definition.payload(ruleSet), payload, 'payload') as Record<string, Json>);
  }

  /**
   * The eligibility of a worker the caller has already been found to read, for a payload already parsed: a
   * submission has done both, and does not read the worker or parse the payload a second time.
   */
  async function eligibility(type: string, communityWorkerId: string, parsed: Record<string, Json>) {
    const rule = eligibilityOf(type);
    const [record, calendar] = await Promise.all([
      personnel.record(communityWorkerId),
      rule ? store.calendar.workflowCalendar() : undefined,
    ]);
    if (!record) throw notFound('worker');
    if (!rule || !calendar) return { eligible: true, reasons: [] };
    return rule(record, parsed, ruleSet, today(), calendar);
  }

  async function get(caller: Caller, communityWorkerId: string) {
    const worker = await readable(caller, communityWorkerId);
    const [record, history, [exitAppeal]] = await Promise.all([
      personnel.record(communityWorkerId),
      personnel.history(communityWorkerId),
      ruleSet.appeal.holdsExit ? personnel.openExitAppeals({ workerIds: [communityWorkerId] }) : [],
    ]);
    if (!record) throw notFound('worker');
    const asOf = today();
    return {
      ...summary(worker),
      // The age, not the birth date: with the masked number's region code and last four characters, the birth
      // date would rebuild the whole ID number.
      age: ageOn(record.birthDate, asOf),
      nationalIdRevealable: policy.canRevealNationalId(caller, worker.orgPath),
      education: record.education,
      hireDate: record.hireDate,
      postSince: record.postSince,
      partyPost: record.partyPost,
      residentsCommitteePost: record.residentsCommitteePost,
      secretaryFullTerms: record.secretaryFullTerms,
      userId: worker.userId,
      qualification: record.qualification,
      assessments: record.assessments,
      ...history,
      // The exit took effect on the records, but its open appeal holds it (appeal.holdsExit): shown as held.
      exitHeld: exitAppeal ? { exitCaseId: exitAppeal.exitCaseId, appealCaseId: exitAppeal.appealCaseId, since: exitAppeal.since } : null,
      qualificationDeadline: qualificationStatus(record, ruleSet, asOf),
      exitTriggers: detectExitTriggers(record, ruleSet, asOf),
    };
  }

  return {
    evaluate,
    eligibility,
    get,

    async list(caller: Caller, query: z.infer<typeof listWorkersQuery>) {
      const { total, entries, more } = await personnel.list(
        {
          scopes: policy.readableScopes(caller),
          orgPath: query.orgUnitId ? await orgUnitSubtree(orgUnits, query.orgUnitId) : undefined,
          text: query.q,
          status: query.status,
          postType: query.postType,
        },
        { after: query.cursor, limit: query.limit },
      );
      return { items: entries.map(summary), total, nextCursor: more ? (entries[entries.length - 1]?.id ?? null) : null };
    },

    /** Where every active worker the caller may read serves on a date (借调 or at post), by worker id. */
    async placements(caller: Caller, query: z.infer<typeof placementsQuery>) {
      const { entries, more } = await personnel.placementsOn(
        query.date,
        policy.readableScopes(caller),
        { after: query.cursor, limit: query.limit },
        ruleSet.appeal.holdsExit,
      );
      return { date: query.date, items: entries, nextCursor: more ? (entries[entries.length - 1]?.workerId ?? null) : null };
    },

    /** Every eligibility a worker can be evaluated for, with the default request of each case type. */
    async eligibilitySummary(caller: Caller, communityWorkerId: string) {
      const variants: { type: string; label: string; payload: Record<string, Json> }[] = (
        [
          { type: 'promotion', label: 'promotion:regular', payload: { kind: 'regular' } },
          { type: 'promotion', label: 'promotion:early', payload: { kind: 'early' } },
          { type: 'recruitment', label: 'recruitment:civil-service', payload: { track: 'civil-service', targetOrg: '-', post: '-' } },
          {
            type: 'recruitment',
            label: 'recruitment:public-institution',
            payload: { track: 'public-institution', targetOrg: '-', post: '-' },
          },
          {
            type: 'recruitment',
            label: 'recruitment:jiangsu-secretary',
            payload: { track: 'jiangsu-secretary', targetOrg: '-', post: '-' },
          },
          { type: 'commendation', label: 'commendation', payload: { awardTitle: '-', achievements: '-' } },
        ] as { type: string; label: string; payload: Record<string, Json> }[]
      ).filter((v) => caseTypeOf(v.type) && eligibilityOf(v.type));
      const results: Record<string, unknown> = {};
      for (const v of variants) results[v.label] = await evaluate(caller, v.type, communityWorkerId, v.payload);
      return { workerId: communityWorkerId, asOf: today(), ruleSet: { id: ruleSet.id, version: ruleSet.version }, results };
    },

    async create(caller: Caller, body: z.infer<typeof createWorkerBody>) {
      const unit = await orgUnits.get(body.orgUnitId);
      if (!unit || unit.level !== 'community' || unit.kind !== 'area') {
        throw invalid('orgUnitId: must name a community', [{ field: 'orgUnitId', message: 'not a community' }]);
      }
      if (!policy.canWriteRecords(caller, unit.path))
        throw forbidden('only administrators and personnel officers of the unit maintain records');
      const idProblem = nationalIdProblem(body.nationalId);
      if (idProblem) throw invalid(`nationalId: ${idProblem}`, [{ field: 'nationalId', message: idProblem }]);
      const band = ruleSet.grades.bands[body.postType];
      if (body.grade < band.min || body.grade > band.max) {
        throw invalid(`grade: a ${body.postType} post has grades ${band.min}–${band.max}`, [
          { field: 'grade', message: `outside ${band.min}–${band.max}` },
        ]);
      }
      if (body.userId) await linkableAccount(body.userId, body.id);
      const facts = nationalIdFacts(body.nationalId);
      const clash = await personnel.holderOf({ id: body.id, nationalId: body.nationalId });
      if (clash)
        throw new HttpProblem(
          'conflict',
          clash.id === body.id ? `worker id "${body.id}" is taken` : 'a worker with this national ID number exists',
        );
      await personnel.create({ ...body, gender: facts.gender, birthDate: facts.birthDate, userId: body.userId ?? null });
      return get(caller, body.id);
    },

    /**
     * The full national ID number of one worker, for those who maintain the record, with the reason they give;
     * every reveal is recorded (who, when, which record, why) for the auditors (revealLog).
     */
    async revealNationalId(caller: Caller, communityWorkerId: string, body: z.infer<typeof revealNationalIdBody>) {
      const worker = await readable(caller, communityWorkerId);
      if (!policy.canRevealNationalId(caller, worker.orgPath))
        throw forbidden('only administrators and personnel officers of the unit may reveal a national ID number');
      const at = await personnel.recordReveal({ userId: caller.id, communityWorkerId, reason: body.reason });
      return { workerId: worker.id, nationalId: worker.nationalId, revealedAt: at.toISOString() };
    },

    /** The access log of national ID numbers revealed (auditors); reading it is itself recorded. */
    async revealLog(caller: Caller, query: z.infer<typeof revealLogQuery>) {
      if (!policy.canAudit(caller)) throw forbidden('the access log is for auditors');
      await store.audit.recordAccess(caller.id, '/audit/national-id-reveals', query);
      const after = query.cursor ? decodeCursor(query.cursor, revealCursor) : undefined;
      const rows = await personnel.reveals(
        { communityWorkerId: query.workerId, userId: query.userId, from: query.from, to: query.to },
        after,
        query.limit + 1,
      );
      const items = rows.slice(0, query.limit);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.at, id: last.id }) : null };
    },

    /**
     * Links a worker's record to their own staff account (community staff are community workers: their account
     * must be linked before they submit or act, so they are recused from their own cases). Administrators and
     * personnel officers of the unit; a record linked to another account stays so (409).
     */
    async linkAccount(caller: Caller, communityWorkerId: string, body: z.infer<typeof linkAccountBody>) {
      const worker = await writable(caller, communityWorkerId);
      if (worker.userId && worker.userId !== body.userId)
        throw new HttpProblem('conflict', `the record is linked to another account ("${worker.userId}")`);
      await linkableAccount(body.userId, communityWorkerId);
      await personnel.linkAccount(communityWorkerId, body.userId);
      return get(caller, communityWorkerId);
    },

    async addAssessment(caller: Caller, communityWorkerId: string, body: z.infer<typeof addAssessmentBody>) {
      await writable(caller, communityWorkerId);
      const currentYear = Number(today().slice(0, 4));
      if (body.year > currentYear) throw invalid(`year: ${body.year} has not happened yet`, [{ field: 'year', message: 'in the future' }]);
      const existing = await personnel.assessment(communityWorkerId, body.year);
      if (existing) throw new HttpProblem('conflict', `the ${body.year} assessment is already recorded (${existing.result})`);
      await personnel.addAssessment({ communityWorkerId, year: body.year, result: body.result, recordedBy: caller.id });
      return get(caller, communityWorkerId);
    },

    async addDisciplinary(caller: Caller, communityWorkerId: string, body: z.infer<typeof addDisciplinaryBody>) {
      await writable(caller, communityWorkerId);
      await personnel.addDisciplinary({ communityWorkerId, ...body, recordedBy: caller.id });
      return get(caller, communityWorkerId);
    },

    /** Records (or corrects) the date the worker became eligible for the social-work exam, with its basis and evidence. */
    async setQualificationEligibility(caller: Caller, communityWorkerId: string, body: z.infer<typeof qualificationEligibilityBody>) {
      await writable(caller, communityWorkerId);
      if (body.since > today())
        throw invalid('since: a date of eligibility cannot lie ahead', [{ field: 'since', message: 'in the future' }]);
      await personnel.setQualificationEligibility(communityWorkerId, body);
      return get(caller, communityWorkerId);
    },
  };
}

export type PersonnelService = ReturnType<typeof createPersonnelService>;
