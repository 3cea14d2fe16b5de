import { jsonText } from '../../domain/history';
import { dateValue, day } from '../../store/db';
import { recordedDate, type OutcomeApplier } from './types';

/** Recruited into a civil-service or public-institution post: the subject's status becomes recruited. */
export const applyRecruitment: OutcomeApplier = async (tx, input) => {
  const earlier = await tx.statusChange.findUnique({ where: { caseId: input.caseId } });
  if (earlier) return { status: earlier.toStatus, effectiveFrom: day(earlier.effectiveFrom) };
  const subject = await tx.communityWorker.findUniqueOrThrow({ where: { id: input.subjectId } });
  const effectiveFrom = recordedDate(input, 'appointment', 'appointedOn');
  const detail = {
    track: input.payload.track ?? null,
    targetOrg: input.payload.targetOrg ?? null,
    post: input.payload.post ?? null,
    scores: input.stageData['exam-results'] ?? {},
  };
  await tx.statusChange.create({
    data: {
      workerId: subject.id,
      fromStatus: subject.status,
      toStatus: 'recruited',
      reason: jsonText(input.payload.track),
      detail,
      effectiveFrom: dateValue(effectiveFrom),
      caseId: input.caseId,
    },
  });
  await tx.communityWorker.update({ where: { id: subject.id }, data: { status: 'recruited' } });
  return { status: 'recruited', effectiveFrom, ...detail };
};
