import type { WorkingCalendar } from '../domain/calendar';
import type { SubjectRef } from '../domain/process/engine';
import type { PersonnelRecord } from '../domain/personnel';
import type { Prisma, PrismaClient } from './prisma';

/**
 * Reads personnel records and the calendar out of PostgreSQL into the plain shapes the pure domain functions
 * take. Used by the API (eligibility at submission, case input) and by activities (re-checks, calendar
 * refresh), so both see the same data the same way.
 */

const day = (d: Date) => d.toISOString().slice(0, 10);
const dayOrNull = (d: Date | null) => (d ? day(d) : null);

export async function loadWorkerRecord(prisma: PrismaClient | Prisma.TransactionClient, workerId: string): Promise<(PersonnelRecord & { orgUnitId: string; userId: string | null }) | null> {
  const w = await prisma.communityWorker.findUnique({
    where: { id: workerId },
    include: {
      assessments: { orderBy: { year: 'asc' } },
      disciplinary: { orderBy: { startDate: 'asc' } },
      gradeChanges: { orderBy: { effectiveFrom: 'asc' } },
      awards: { orderBy: { awardedOn: 'asc' } },
    },
  });
  if (!w) return null;
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
    qualification: {
      level: w.qualificationLevel,
      obtainedOn: dayOrNull(w.qualificationObtainedOn),
      eligibleSince: dayOrNull(w.qualificationEligibleSince),
    },
    status: w.status,
    assessments: w.assessments.map((a) => ({ year: a.year, result: a.result })),
    disciplinary: w.disciplinary.map((d) => ({ kind: d.kind, startDate: day(d.startDate), endDate: dayOrNull(d.endDate), reason: d.reason })),
    gradeChanges: w.gradeChanges.map((g) => ({ fromGrade: g.fromGrade, toGrade: g.toGrade, effectiveFrom: day(g.effectiveFrom), reason: g.reason })),
    awards: w.awards.map((a) => ({ title: a.title, awardedOn: day(a.awardedOn), level: a.level })),
    orgUnitId: w.orgUnitId,
    userId: w.userId,
  };
}

/** How a case refers to its subject: identity, org unit, and the record fields conditions may branch on. */
export function subjectRef(worker: {
  id: string;
  name: string;
  userId: string | null;
  orgUnitId: string;
  orgUnit: { path: string };
  status: string;
  grade: number;
  postType: string;
  employmentType: string;
}): SubjectRef {
  return {
    id: worker.id,
    name: worker.name,
    userId: worker.userId,
    orgUnitId: worker.orgUnitId,
    orgPath: worker.orgUnit.path,
    attributes: { status: worker.status, grade: worker.grade, postType: worker.postType, employmentType: worker.employmentType },
  };
}

/** The calendar as a workflow takes it in its input. */
export async function workflowCalendar(prisma: PrismaClient): Promise<WorkingCalendar> {
  const { holidays, makeUpWorkdays, years } = await loadWorkingCalendar(prisma);
  return { holidays, makeUpWorkdays, years };
}

/** The working-day calendar for every loaded year (a few dozen rows a year). */
export async function loadWorkingCalendar(prisma: PrismaClient): Promise<WorkingCalendar & { provisionalYears: number[] }> {
  const [years, days] = await Promise.all([
    prisma.calendarYear.findMany({ orderBy: { year: 'asc' } }),
    prisma.calendarDay.findMany({ orderBy: { date: 'asc' } }),
  ]);
  return {
    holidays: days.filter((d) => d.kind === 'holiday').map((d) => day(d.date)),
    makeUpWorkdays: days.filter((d) => d.kind === 'workday').map((d) => day(d.date)),
    years: years.map((y) => y.year),
    provisionalYears: years.filter((y) => y.provisional).map((y) => y.year),
  };
}
