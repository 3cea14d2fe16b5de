import { jsonText } from '../../domain/history';
import { dateValue } from '../../store/db';
import { recordedDate, type OutcomeApplier } from './types';

/** The award is recorded on the subject's personnel record. */
export const applyCommendation: OutcomeApplier = async (tx, input) => {
  const earlier = await tx.award.findUnique({ where: { caseId: input.caseId } });
  if (earlier) return { awardId: earlier.id, title: earlier.title, level: earlier.level };
  const award = await tx.award.create({
    data: {
      workerId: input.subjectId,
      title: jsonText(input.payload.awardTitle),
      level: jsonText(input.payload.level ?? 'county'),
      awardedOn: dateValue(recordedDate(input, 'decision', 'awardedOn')),
      caseId: input.caseId,
    },
  });
  return { awardId: award.id, title: award.title, level: award.level };
};
