import { DECISION_STAGES } from '../../domain/case-types/commendation/definition';
import { jsonText } from '../../domain/history';
import { dateValue } from '../../store/db';
import { recordedDate, type OutcomeApplier } from './types';

/**
 * The award is recorded on the subject's personnel record, dated by the decision of its level (one decision stage
 * per level in the current definition; "decision" in the first).
 */
export const applyCommendation: OutcomeApplier = async (tx, input) => {
  const earlier = await tx.award.findUnique({ where: { caseId: input.caseId } });
  if (earlier) return { awardId: earlier.id, title: earlier.title, level: earlier.level };
  const decidedAt = DECISION_STAGES.find((stage) => typeof input.stageData[stage]?.awardedOn === 'string') ?? 'decision';
  const award = await tx.award.create({
    data: {
      workerId: input.subjectId,
      title: jsonText(input.payload.awardTitle),
      level: jsonText(input.payload.level ?? 'county'),
      awardedOn: dateValue(recordedDate(input, decidedAt, 'awardedOn')),
      caseId: input.caseId,
    },
  });
  return { awardId: award.id, title: award.title, level: award.level };
};
