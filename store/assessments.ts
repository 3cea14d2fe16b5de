import type { AssessmentEntry, CaseGroupMemberState } from '../domain/case-groups';
import { ASSESSMENT_RESULTS, type AssessmentResult } from '../domain/personnel';
import { isFinal } from '../domain/process/vocabulary';
import type { Prisma, PrismaClient } from '../infra/prisma';

/**
 * How an annual assessment's results reach the records (AnnualAssessment, one row per worker and year, which
 * promotions and exits read). A result enters once its review period is over, unless a review (复核, an appeal
 * naming the assessment case) is open: then that review decides it. A dismissed review enters the original
 * result; an upheld one sets it aside and the street's corrected result enters as a row of its own, naming the
 * review (the assessment case's history is never changed). Every write here is keyed by worker and year, so a
 * retried activity or a second request finds the row it wrote.
 */

const isResult = (value: string | null | undefined): value is AssessmentResult =>
  (ASSESSMENT_RESULTS as readonly string[]).includes(value ?? '');

export interface EnterResult {
  caseId: string;
  workerId: string;
  year: number;
  result: AssessmentResult;
}

/** Enters one worker's confirmed result, or says what holds it (inside the caller's transaction). */
export async function enterResult(tx: Prisma.TransactionClient, r: EnterResult): Promise<AssessmentEntry> {
  const base = { workerId: r.workerId, caseId: r.caseId };
  const existing = await tx.annualAssessment.findUnique({ where: { workerId_year: { workerId: r.workerId, year: r.year } } });
  if (existing) return { ...base, state: 'entered', result: existing.result, appealCaseId: null };
  const appeals = await tx.case.findMany({
    where: { type: 'appeal', subjectId: r.workerId, payload: { path: ['appealOf'], equals: r.caseId } },
    select: { id: true, status: true },
  });
  const decided = await tx.appealDecision.findMany({ where: { appealOf: r.caseId } });
  const open = appeals.find((a) => !isFinal(a.status) && !decided.some((d) => d.caseId === a.id));
  if (open) return { ...base, state: 'held', result: null, appealCaseId: open.id };
  const upheld = decided.find((d) => d.result === 'upheld');
  // Set aside by the review: the street's corrected result (recordCorrection) enters instead.
  if (upheld) return { ...base, state: 'held', result: null, appealCaseId: upheld.caseId };
  await tx.annualAssessment.create({ data: { workerId: r.workerId, year: r.year, result: r.result, recordedBy: `case:${r.caseId}` } });
  return { ...base, state: 'entered', result: r.result, appealCaseId: null };
}

/** The assessment case an appeal names, as enterResult needs it; null when it is not a completed assessment. */
export async function assessmentCase(tx: Prisma.TransactionClient, caseId: string): Promise<EnterResult | null> {
  const c = await tx.case.findUnique({
    where: { id: caseId },
    select: { id: true, type: true, status: true, outcome: true, subjectId: true, payload: true },
  });
  if (!c || c.type !== 'assessment' || c.status !== 'completed' || !isResult(c.outcome)) return null;
  const year = (c.payload as { year?: unknown }).year;
  if (typeof year !== 'number') return null;
  return { caseId: c.id, workerId: c.subjectId, year, result: c.outcome };
}

export function assessmentStore(db: PrismaClient) {
  return {
    /** At the end of the review period: every member whose case completed, entered or held. */
    async enter(year: number, members: CaseGroupMemberState[]): Promise<AssessmentEntry[]> {
      const entries: AssessmentEntry[] = [];
      for (const m of members) {
        const result = m.ended?.status === 'completed' ? m.ended.outcome : null;
        if (!isResult(result)) {
          entries.push({ workerId: m.workerId, caseId: m.caseId, state: 'none', result: null, appealCaseId: null });
          continue;
        }
        entries.push(await db.$transaction((tx) => enterResult(tx, { caseId: m.caseId, workerId: m.workerId, year, result })));
      }
      return entries;
    },

    /**
     * The street's corrected result after an upheld review: a new row naming the review. Null when the review is
     * not upheld; the row already there (the same correction again) when one was entered for the year.
     */
    async recordCorrection(c: { caseId: string; workerId: string; year: number; result: AssessmentResult; recordedBy: string }) {
      return db.$transaction(async (tx) => {
        const upheld = await tx.appealDecision.findFirst({ where: { appealOf: c.caseId, result: 'upheld' } });
        if (!upheld) return null;
        const existing = await tx.annualAssessment.findUnique({ where: { workerId_year: { workerId: c.workerId, year: c.year } } });
        if (existing) return { row: existing, appealCaseId: upheld.caseId, created: false };
        const row = await tx.annualAssessment.create({
          data: { workerId: c.workerId, year: c.year, result: c.result, recordedBy: `appeal:${upheld.caseId}:${c.recordedBy}` },
        });
        return { row, appealCaseId: upheld.caseId, created: true };
      });
    },

    /** The worker's result of a year on the records, or null. */
    async resultOf(workerId: string, year: number) {
      return db.annualAssessment.findUnique({ where: { workerId_year: { workerId, year } } });
    },
  };
}
