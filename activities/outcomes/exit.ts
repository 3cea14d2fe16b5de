import { jsonText } from '../../domain/history';
import { dateValue, day } from '../../store/db';
import { recordedDate, type OutcomeApplier } from './types';

/** Exit completed: the subject's status becomes exited, with the situation and how office and contract ended. */
export const applyExit: OutcomeApplier = async (tx, input) => {
  const earlier = await tx.statusChange.findUnique({ where: { caseId: input.caseId } });
  if (earlier) return { status: earlier.toStatus, reason: earlier.reason, effectiveFrom: day(earlier.effectiveFrom) };
  const subject = await tx.communityWorker.findUniqueOrThrow({ where: { id: input.subjectId } });
  const effectiveFrom = recordedDate(input, 'contract-termination', 'terminatedOn');
  const detail = {
    detail: input.payload.detail ?? null,
    removal: input.stageData.removal ?? null,
    hearing: input.stageData.hearing ?? null,
    employmentType: subject.employmentType,
  };
  await tx.statusChange.create({
    data: {
      workerId: subject.id,
      fromStatus: subject.status,
      toStatus: 'exited',
      reason: jsonText(input.payload.reason),
      detail,
      effectiveFrom: dateValue(effectiveFrom),
      caseId: input.caseId,
    },
  });
  await tx.communityWorker.update({ where: { id: subject.id }, data: { status: 'exited' } });
  return { status: 'exited', reason: input.payload.reason ?? null, effectiveFrom };
};
