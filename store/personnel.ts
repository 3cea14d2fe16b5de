import { localDate } from '../domain/calendar';
import type { Json } from '../domain/history';
import type { SubjectRef } from '../domain/process/engine';
import type {
  AssessmentResult,
  DisciplineKind,
  Education,
  EmploymentType,
  Gender,
  PartyPost,
  PostType,
  PersonnelRecord,
  QualificationEligibilityBasis,
  QualificationLevel,
  ResidentsCommitteePost,
  WorkerStatus,
} from '../domain/personnel';
import { FINAL_STATUSES } from '../domain/process/vocabulary';
import type { Prisma } from '../infra/prisma';
import { dateValue, day, dayOrNull, type Db } from './db';

/**
 * An open appeal of an exit that took effect: whether it holds the exit's effect is the rule set's
 * (appeal.holdsExit), so the store says only that it is open and since when.
 */
export interface OpenExitAppeal {
  workerId: string;
  appealCaseId: string;
  exitCaseId: string;
  /** The local (China Standard Time) day the appeal was filed. */
  since: string;
}

/** The open appeals (ground exit) of exited workers, filed on or before a day when one is given, by worker. */
async function openExitAppeals(db: Db, filter: { workerIds?: string[]; filedBy?: string }): Promise<OpenExitAppeal[]> {
  const rows = await db.case.findMany({
    where: {
      type: 'appeal',
      status: { notIn: [...FINAL_STATUSES] },
      payload: { path: ['ground'], equals: 'exit' },
      subject: { status: 'exited' },
      ...(filter.workerIds ? { subjectId: { in: filter.workerIds } } : {}),
    },
    orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }],
    select: { id: true, subjectId: true, payload: true, submittedAt: true },
  });
  // Only an exit that has taken effect on the records is held (its status change is the effect).
  const exits = new Set(
    (
      await db.statusChange.findMany({
        where: { caseId: { in: rows.map((r) => String((r.payload as { appealOf?: unknown }).appealOf)) }, toStatus: 'exited' },
        select: { caseId: true },
      })
    ).map((c) => c.caseId),
  );
  return rows
    .map((r) => ({
      workerId: r.subjectId,
      appealCaseId: r.id,
      exitCaseId: String((r.payload as { appealOf?: unknown }).appealOf),
      since: localDate(r.submittedAt),
    }))
    .filter((a) => exits.has(a.exitCaseId) && (!filter.filedBy || a.since <= filter.filedBy));
}

/**
 * Personnel records (人事档案) of community workers in PostgreSQL, read into the plain shapes the pure rules take
 * and written as the personnel service and the activities ask. The API (eligibility at submission, the case
 * input), the services and the activities (re-checks, outcomes, the records check) all read a record here, so
 * they see the same data the same way.
 */

/** A community worker's record as the eligibility and exit rules read it, with their org unit and user account. */
export type StoredPersonnelRecord = PersonnelRecord & { orgUnitId: string; userId: string | null };

/** A community worker as lists and permission checks need them: who, where (org path), post, grade, status. */
export interface CommunityWorkerEntry {
  id: string;
  name: string;
  gender: Gender;
  nationalId: string;
  orgUnitId: string;
  orgUnitName: string;
  /** Path of the worker's community: whose subtree the record lies in. */
  orgPath: string;
  postType: PostType;
  employmentType: EmploymentType;
  partyPost: PartyPost | null;
  residentsCommitteePost: ResidentsCommitteePost | null;
  grade: number;
  gradeSince: string;
  status: WorkerStatus;
  userId: string | null;
}

/** One reveal of a full national ID number, as the access log keeps it. */
export interface NationalIdRevealEntry {
  id: string;
  userId: string;
  workerId: string;
  reason: string;
  at: string;
}

/** Narrows a list of community workers; `scopes` null means every subtree. */
export interface PersonnelFilter {
  scopes: string[] | null;
  /** Workers in this org path and below. */
  orgPath?: string;
  /** Name or worker id contains. */
  text?: string;
  status?: WorkerStatus;
  postType?: PostType;
}

export interface NewCommunityWorker {
  id: string;
  name: string;
  gender: Gender;
  birthDate: string;
  nationalId: string;
  education: Education;
  postType: PostType;
  employmentType: EmploymentType;
  orgUnitId: string;
  userId: string | null;
  grade: number;
  gradeSince: string;
  hireDate: string;
  postSince: string;
  partyPost: PartyPost | null;
  residentsCommitteePost: ResidentsCommitteePost | null;
  secretaryFullTerms: number;
  qualification: {
    level: QualificationLevel;
    obtainedOn: string | null;
    eligibility: { since: string; basis: QualificationEligibilityBasis; evidence: string } | null;
  };
}

const WITH_PATH = { orgUnit: { select: { path: true, name: true } } } as const;

function entryOf(w: Prisma.CommunityWorkerGetPayload<{ include: typeof WITH_PATH }>): CommunityWorkerEntry {
  return {
    id: w.id,
    name: w.name,
    gender: w.gender,
    nationalId: w.nationalId,
    orgUnitId: w.orgUnitId,
    orgUnitName: w.orgUnit.name,
    orgPath: w.orgUnit.path,
    postType: w.postType,
    employmentType: w.employmentType,
    partyPost: w.partyPost,
    residentsCommitteePost: w.residentsCommitteePost,
    grade: w.grade,
    gradeSince: day(w.gradeSince),
    status: w.status,
    userId: w.userId,
  };
}

/** The kind a migrated disciplinary record had in the first release (the legacy column), or null. */
function legacyKind(legacy: unknown): string | null {
  if (legacy === null || typeof legacy !== 'object') return null;
  const kind = (legacy as Record<string, unknown>).kind;
  return typeof kind === 'string' ? kind : null;
}

/** The date of eligibility for the exam with its basis and evidence, when recorded (the columns are set together). */
function eligibilityOf(w: {
  qualificationEligibleSince: Date | null;
  qualificationEligibilityBasis: QualificationEligibilityBasis | null;
  qualificationEligibilityEvidence: string | null;
}): PersonnelRecord['qualification']['eligibility'] {
  if (!w.qualificationEligibleSince || !w.qualificationEligibilityBasis) return null;
  return {
    since: day(w.qualificationEligibleSince),
    basis: w.qualificationEligibilityBasis,
    evidence: w.qualificationEligibilityEvidence ?? '',
  };
}

function eligibilityColumns(eligibility: NewCommunityWorker['qualification']['eligibility']) {
  return {
    qualificationEligibleSince: eligibility ? dateValue(eligibility.since) : null,
    qualificationEligibilityBasis: eligibility?.basis ?? null,
    qualificationEligibilityEvidence: eligibility?.evidence ?? null,
  };
}

/** The review period an annual assessment's notice set (its notification stage's reviewEndsAt), or null. */
function appealUntilOf(c: { type: string; readModel: Prisma.JsonValue }): string | null {
  if (c.type !== 'assessment') return null;
  const until = (c.readModel as { stageData?: Record<string, Record<string, unknown>> } | null)?.stageData?.notification?.reviewEndsAt;
  return typeof until === 'string' ? until : null;
}

export function personnelStore(db: Db) {
  return {
    /** The record the rules read, or null when there is no such worker. */
    async record(communityWorkerId: string): Promise<StoredPersonnelRecord | null> {
      const w = await db.communityWorker.findUnique({
        where: { id: communityWorkerId },
        include: {
          assessments: { orderBy: { year: 'asc' } },
          disciplinary: { orderBy: { startDate: 'asc' } },
          gradeChanges: { orderBy: { effectiveFrom: 'asc' } },
          awards: { orderBy: { awardedOn: 'asc' } },
          secondments: { orderBy: { fromDate: 'asc' } },
          // The decisions an appeal may name: decided cases about the worker.
          cases: { where: { status: { in: ['completed', 'rejected'] }, decidedAt: { not: null } }, orderBy: { decidedAt: 'asc' } },
          appealDecisions: { where: { result: 'upheld' } },
        },
      });
      if (!w) return null;
      // An upheld appeal reverses the decision it names: the records read the measure as lifted (the original
      // entry stays as it was, AppealDecision says why it no longer counts).
      const reversed = new Set(w.appealDecisions.map((a) => a.appealOf));
      return {
        id: w.id,
        name: w.name,
        gender: w.gender,
        birthDate: day(w.birthDate),
        education: w.education,
        postType: w.postType,
        employmentType: w.employmentType,
        grade: w.grade,
        gradeSince: day(w.gradeSince),
        hireDate: day(w.hireDate),
        postSince: day(w.postSince),
        partyPost: w.partyPost,
        residentsCommitteePost: w.residentsCommitteePost,
        secretaryFullTerms: w.secretaryFullTerms,
        qualification: {
          level: w.qualificationLevel,
          obtainedOn: dayOrNull(w.qualificationObtainedOn),
          eligibility: eligibilityOf(w),
        },
        status: w.status,
        assessments: w.assessments.map((a) => ({ year: a.year, result: a.result })),
        disciplinary: w.disciplinary
          .filter((d) => !reversed.has(d.id))
          .map((d) => ({
            kind: d.kind,
            startDate: day(d.startDate),
            termEnd: dayOrNull(d.termEnd),
            reason: d.reason,
          })),
        gradeChanges: w.gradeChanges.map((g) => ({
          fromGrade: g.fromGrade,
          toGrade: g.toGrade,
          effectiveFrom: day(g.effectiveFrom),
          reason: g.reason,
        })),
        awards: w.awards.map((a) => ({ title: a.title, awardedOn: day(a.awardedOn), level: a.level })),
        // A secondment recorded directly (not approved through a case here) is named by its record's id.
        secondments: w.secondments.map((s) => ({
          caseId: s.caseId ?? s.id,
          borrowingBody: s.borrowingBody,
          from: day(s.fromDate),
          to: day(s.toDate),
          extensionOf: s.extensionOf,
        })),
        decisions: [
          ...w.cases.map((c) => {
            const appealUntil = appealUntilOf(c);
            return {
              id: c.id,
              kind: c.type,
              decidedOn: localDate(c.decidedAt as Date),
              outcome: c.outcome,
              ...(appealUntil ? { appealUntil } : {}),
            };
          }),
          ...w.disciplinary.map((d) => ({ id: d.id, kind: 'discipline', decidedOn: day(d.startDate), outcome: d.kind })),
        ],
        orgUnitId: w.orgUnitId,
        userId: w.userId,
      };
    },

    /** One worker with the path of their org unit, or null. */
    async entry(communityWorkerId: string): Promise<CommunityWorkerEntry | null> {
      const w = await db.communityWorker.findUnique({ where: { id: communityWorkerId }, include: WITH_PATH });
      return w ? entryOf(w) : null;
    },

    /** A page of workers by id after `after`, with the total that match; `more` when another page follows. */
    async list(
      filter: PersonnelFilter,
      page: { after?: string; limit: number },
    ): Promise<{ total: number; entries: CommunityWorkerEntry[]; more: boolean }> {
      const filters: Prisma.CommunityWorkerWhereInput[] = [];
      if (filter.scopes) filters.push({ orgUnit: { OR: filter.scopes.map((path) => ({ path: { startsWith: path } })) } });
      if (filter.orgPath) filters.push({ orgUnit: { path: { startsWith: filter.orgPath } } });
      if (filter.text) filters.push({ OR: [{ name: { contains: filter.text } }, { id: { contains: filter.text } }] });
      if (filter.status) filters.push({ status: filter.status });
      if (filter.postType) filters.push({ postType: filter.postType });
      const where: Prisma.CommunityWorkerWhereInput = { AND: filters };
      const [total, rows] = await Promise.all([
        db.communityWorker.count({ where }),
        db.communityWorker.findMany({
          where: page.after ? { AND: [where, { id: { gt: page.after } }] } : where,
          orderBy: { id: 'asc' },
          take: page.limit + 1,
          include: WITH_PATH,
        }),
      ]);
      return { total, entries: rows.slice(0, page.limit).map(entryOf), more: rows.length > page.limit };
    },

    /** What the record holds beyond the rules' view, oldest first, with ids and the cases that made each entry; the worker must exist. */
    async history(communityWorkerId: string) {
      const w = await db.communityWorker.findUniqueOrThrow({
        where: { id: communityWorkerId },
        include: {
          disciplinary: { orderBy: { startDate: 'asc' } },
          gradeChanges: { orderBy: { effectiveFrom: 'asc' } },
          awards: { orderBy: { awardedOn: 'asc' } },
          errorToleranceRulings: { orderBy: { decidedOn: 'asc' } },
          nameClearances: { orderBy: { clearedOn: 'asc' } },
          returnVisits: { orderBy: { visitedOn: 'asc' } },
          statusChanges: { orderBy: [{ effectiveFrom: 'asc' }, { createdAt: 'asc' }] },
          secondments: { orderBy: { fromDate: 'asc' } },
          appealDecisions: { orderBy: { decidedOn: 'asc' } },
        },
      });
      return {
        disciplinary: w.disciplinary.map((d) => ({
          id: d.id,
          kind: d.kind,
          startDate: day(d.startDate),
          termEnd: dayOrNull(d.termEnd),
          reason: d.reason,
          migratedFrom: legacyKind(d.legacy),
        })),
        gradeHistory: w.gradeChanges.map((g) => ({
          fromGrade: g.fromGrade,
          toGrade: g.toGrade,
          effectiveFrom: day(g.effectiveFrom),
          reason: g.reason,
          caseId: g.caseId,
        })),
        awards: w.awards.map((a) => ({ title: a.title, level: a.level, awardedOn: day(a.awardedOn), caseId: a.caseId })),
        errorToleranceRulings: w.errorToleranceRulings.map((r) => ({
          caseId: r.caseId,
          ruling: r.ruling,
          incidentDate: day(r.incidentDate),
          correctionRequired: r.correctionRequired,
          correctionVerifiedOn: dayOrNull(r.correctionVerifiedOn),
          decidedOn: day(r.decidedOn),
        })),
        nameClearances: w.nameClearances.map((c) => ({
          caseId: c.caseId,
          accusationRef: c.accusationRef,
          method: c.method,
          findingSummary: c.findingSummary,
          clearedOn: day(c.clearedOn),
        })),
        returnVisits: w.returnVisits.map((v) => ({
          caseId: v.caseId,
          visitedOn: day(v.visitedOn),
          officerId: v.officerId,
          notes: v.notes,
        })),
        statusChanges: w.statusChanges.map((s) => ({
          fromStatus: s.fromStatus,
          toStatus: s.toStatus,
          reason: s.reason,
          effectiveFrom: day(s.effectiveFrom),
          caseId: s.caseId,
        })),
        secondments: w.secondments.map((s) => ({
          caseId: s.caseId,
          borrowingBody: s.borrowingBody,
          reason: s.reason,
          from: day(s.fromDate),
          to: day(s.toDate),
          extensionOf: s.extensionOf,
        })),
        appeals: w.appealDecisions.map((a) => ({
          caseId: a.caseId,
          appealOf: a.appealOf,
          ground: a.ground,
          result: a.result,
          reasoning: a.reasoning,
          decidedOn: day(a.decidedOn),
          reversal: a.reversal as Json,
        })),
      };
    },

    /** The open appeals of exits that took effect (see OpenExitAppeal), of the given workers or of all. */
    async openExitAppeals(filter: { workerIds?: string[]; filedBy?: string } = {}): Promise<OpenExitAppeal[]> {
      return openExitAppeals(db, filter);
    },

    /**
     * Where each worker of the given communities' subtrees serves on a date: at the borrowing body while a
     * secondment runs (借调期间), otherwise at post (the day after a secondment ends they are back). Workers who
     * are not active are left out, except, when `holdExits` (the rule set's appeal.holdsExit), an exited worker
     * whose exit is held by an appeal open and filed by that date: at post (or seconded), marked held.
     */
    async placementsOn(date: string, scopes: string[] | null, page: { after?: string; limit: number }, holdExits: boolean) {
      const held = holdExits ? await openExitAppeals(db, { filedBy: date }) : [];
      const heldBy = new Map(held.map((a) => [a.workerId, a]));
      const where: Prisma.CommunityWorkerWhereInput = {
        AND: [
          held.length > 0 ? { OR: [{ status: 'active' }, { id: { in: [...heldBy.keys()] } }] } : { status: 'active' },
          scopes ? { orgUnit: { OR: scopes.map((path) => ({ path: { startsWith: path } })) } } : {},
          page.after ? { id: { gt: page.after } } : {},
        ],
      };
      const on = dateValue(date);
      const rows = await db.communityWorker.findMany({
        where,
        orderBy: { id: 'asc' },
        take: page.limit + 1,
        select: {
          id: true,
          name: true,
          orgUnitId: true,
          secondments: { where: { fromDate: { lte: on }, toDate: { gte: on } }, take: 1 },
        },
      });
      return {
        more: rows.length > page.limit,
        entries: rows.slice(0, page.limit).map((w) => {
          const s = w.secondments[0];
          const hold = heldBy.get(w.id);
          return {
            workerId: w.id,
            name: w.name,
            orgUnitId: w.orgUnitId,
            placement: s
              ? { at: 'secondment' as const, borrowingBody: s.borrowingBody, from: day(s.fromDate), to: day(s.toDate), caseId: s.caseId }
              : { at: 'post' as const },
            ...(hold ? { exitHeld: { exitCaseId: hold.exitCaseId, appealCaseId: hold.appealCaseId, since: hold.since } } : {}),
          };
        }),
      };
    },

    /** The id of the community worker whose record a staff account is linked to, or null. */
    async linkedTo(userId: string): Promise<string | null> {
      return (await db.communityWorker.findUnique({ where: { userId }, select: { id: true } }))?.id ?? null;
    },

    /** Links a worker's record to their staff account (the account must exist; each is linked to one record at most). */
    async linkAccount(communityWorkerId: string, userId: string): Promise<void> {
      await db.communityWorker.update({ where: { id: communityWorkerId }, data: { userId } });
    },

    /** The worker that already holds this id or national ID number, if any. */
    async holderOf(ids: { id: string; nationalId: string }): Promise<{ id: string } | null> {
      return db.communityWorker.findFirst({ where: { OR: [{ id: ids.id }, { nationalId: ids.nationalId }] }, select: { id: true } });
    },

    async create(w: NewCommunityWorker): Promise<void> {
      await db.communityWorker.create({
        data: {
          id: w.id,
          name: w.name,
          gender: w.gender,
          birthDate: dateValue(w.birthDate),
          nationalId: w.nationalId,
          education: w.education,
          postType: w.postType,
          employmentType: w.employmentType,
          orgUnitId: w.orgUnitId,
          userId: w.userId,
          grade: w.grade,
          gradeSince: dateValue(w.gradeSince),
          hireDate: dateValue(w.hireDate),
          postSince: dateValue(w.postSince),
          partyPost: w.partyPost,
          residentsCommitteePost: w.residentsCommitteePost,
          secretaryFullTerms: w.secretaryFullTerms,
          qualificationLevel: w.qualification.level,
          qualificationObtainedOn: w.qualification.obtainedOn ? dateValue(w.qualification.obtainedOn) : null,
          ...eligibilityColumns(w.qualification.eligibility),
        },
      });
    },

    /** The assessment of a year, if recorded. */
    async assessment(communityWorkerId: string, year: number): Promise<{ result: AssessmentResult } | null> {
      return db.annualAssessment.findUnique({ where: { workerId_year: { workerId: communityWorkerId, year } }, select: { result: true } });
    },

    async addAssessment(a: { communityWorkerId: string; year: number; result: AssessmentResult; recordedBy: string }): Promise<void> {
      await db.annualAssessment.create({
        data: { workerId: a.communityWorkerId, year: a.year, result: a.result, recordedBy: a.recordedBy },
      });
    },

    /** A disciplinary record by its id (an appeal of a measure names it), or null. */
    async disciplinaryRecord(
      id: string,
    ): Promise<{ id: string; workerId: string; kind: DisciplineKind; startDate: string; reason: string } | null> {
      const row = await db.disciplinaryRecord.findUnique({ where: { id } });
      return row ? { id: row.id, workerId: row.workerId, kind: row.kind, startDate: day(row.startDate), reason: row.reason } : null;
    },

    async addDisciplinary(d: {
      communityWorkerId: string;
      kind: DisciplineKind;
      startDate: string;
      termEnd: string | null;
      reason: string;
      recordedBy: string;
    }): Promise<void> {
      const { kind, reason, recordedBy } = d;
      await db.disciplinaryRecord.create({
        data: {
          workerId: d.communityWorkerId,
          kind,
          startDate: dateValue(d.startDate),
          termEnd: d.termEnd ? dateValue(d.termEnd) : null,
          reason,
          recordedBy,
        },
      });
    },

    /** Records the date of eligibility for the social-work exam with its basis and evidence (replacing an earlier one). */
    async setQualificationEligibility(
      communityWorkerId: string,
      eligibility: NonNullable<NewCommunityWorker['qualification']['eligibility']>,
    ): Promise<void> {
      await db.communityWorker.update({ where: { id: communityWorkerId }, data: eligibilityColumns(eligibility) });
    },

    /** Records that a user revealed a worker's full national ID number, and why; returns when. */
    async recordReveal(r: { userId: string; communityWorkerId: string; reason: string }): Promise<Date> {
      const row = await db.nationalIdReveal.create({ data: { userId: r.userId, workerId: r.communityWorkerId, reason: r.reason } });
      return row.at;
    },

    /** Up to `take` reveals of full national ID numbers, oldest first, after a position (time, id), by worker or user. */
    async reveals(
      filter: { communityWorkerId?: string; userId?: string; from?: Date; to?: Date },
      after: { at: string; id: string } | undefined,
      take: number,
    ): Promise<NationalIdRevealEntry[]> {
      const at = after ? new Date(after.at) : undefined;
      const rows = await db.nationalIdReveal.findMany({
        where: {
          AND: [
            filter.communityWorkerId ? { workerId: filter.communityWorkerId } : {},
            filter.userId ? { userId: filter.userId } : {},
            filter.from || filter.to ? { at: { gte: filter.from, lt: filter.to } } : {},
            at && after ? { OR: [{ at: { gt: at } }, { at, id: { gt: after.id } }] } : {},
          ],
        },
        orderBy: [{ at: 'asc' }, { id: 'asc' }],
        take,
      });
      return rows.map((r) => ({ id: r.id, userId: r.userId, workerId: r.workerId, reason: r.reason, at: r.at.toISOString() }));
    },

    /** The ids of the active community workers, in order. */
    async activeIds(): Promise<string[]> {
      const rows = await db.communityWorker.findMany({ where: { status: 'active' }, select: { id: true }, orderBy: { id: 'asc' } });
      return rows.map((r) => r.id);
    },

    /** The case a finding of the daily records check was recorded against, if it was recorded with one. */
    async alertCase(a: { communityWorkerId: string; kind: string; key: string }): Promise<string | null> {
      const row = await db.recordAlert.findUnique({
        where: { workerId_kind_key: { workerId: a.communityWorkerId, kind: a.kind, key: a.key } },
        select: { caseId: true },
      });
      return row?.caseId ?? null;
    },

    /**
     * Records a finding of the daily records check (RecordAlert) once, by its worker, kind and key; false when
     * it was recorded before.
     */
    async addAlert(a: { communityWorkerId: string; kind: string; key: string; detail: object; caseId?: string }): Promise<boolean> {
      const created = await db.recordAlert.createMany({
        data: [{ workerId: a.communityWorkerId, kind: a.kind, key: a.key, detail: a.detail, caseId: a.caseId ?? null }],
        skipDuplicates: true,
      });
      return created.count === 1;
    },
  };
}

export type PersonnelStore = ReturnType<typeof personnelStore>;

/** How a case refers to its subject: identity, org unit, and the record fields conditions may branch on. */
export function subjectRef(worker: CommunityWorkerEntry): SubjectRef {
  return {
    id: worker.id,
    name: worker.name,
    userId: worker.userId,
    orgUnitId: worker.orgUnitId,
    orgPath: worker.orgPath,
    attributes: {
      status: worker.status,
      grade: worker.grade,
      postType: worker.postType,
      employmentType: worker.employmentType,
      // Conditions branch on the elected posts (an exit's 免职 and 罢免); absent when the worker holds none.
      ...(worker.partyPost ? { partyPost: worker.partyPost } : {}),
      ...(worker.residentsCommitteePost ? { residentsCommitteePost: worker.residentsCommitteePost } : {}),
    },
  };
}
