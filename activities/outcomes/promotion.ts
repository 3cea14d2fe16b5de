import { localDate } from '../../domain/calendar';
import type { OutcomeApplier } from './types';

/** Promotion approved: the worker's grade rises by one, recorded in the grade history. */
export const applyPromotion: OutcomeApplier = async (tx, input) => {
  const earlier = await tx.gradeChange.findUnique({ where: { caseId: input.caseId } });
  if (earlier) return { fromGrade: earlier.fromGrade, toGrade: earlier.toGrade, effectiveFrom: localDate(earlier.effectiveFrom) };
  const worker = await tx.communityWorker.findUniqueOrThrow({ where: { id: input.subjectId } });
  const effectiveFrom = new Date(`${localDate(new Date(input.decidedAt ?? Date.now()))}T00:00:00.000Z`);
  const toGrade = worker.grade + 1;
  await tx.gradeChange.create({
    data: { workerId: worker.id, fromGrade: worker.grade, toGrade, effectiveFrom, caseId: input.caseId, reason: 'promotion' },
  });
  await tx.communityWorker.update({ where: { id: worker.id }, data: { grade: toGrade, gradeSince: effectiveFrom } });
  return { fromGrade: worker.grade, toGrade, effectiveFrom: localDate(effectiveFrom) };
};
