import { jsonText } from '../../domain/history';
import { dateValue } from '../../store/db';
import { recordedDate, type OutcomeApplier } from './types';

/** The clearance (covering only the false allegations) and the return-visit talk go on the subject's personnel record. */
export const applyNameClearing: OutcomeApplier = async (tx, input) => {
  const earlier = await tx.nameClearance.findUnique({ where: { caseId: input.caseId } });
  if (earlier) return { clearanceId: earlier.id, returnVisit: (await tx.returnVisit.count({ where: { caseId: input.caseId } })) > 0 };
  const clearance = await tx.nameClearance.create({
    data: {
      workerId: input.subjectId,
      caseId: input.caseId,
      accusationRef: jsonText(input.payload.accusationRef),
      findingSummary: jsonText(input.payload.findingSummary),
      method: jsonText(input.payload.method),
      clearedOn: dateValue(recordedDate(input, 'clearance', 'clearedOn')),
    },
  });
  const visit = input.stageData['return-visit'];
  if (visit) {
    await tx.returnVisit.create({
      data: {
        workerId: input.subjectId,
        clearanceId: clearance.id,
        caseId: input.caseId,
        visitedOn: dateValue(recordedDate(input, 'return-visit', 'visitedOn')),
        officerId: input.stageActors['return-visit']?.[0] ?? 'unknown',
        notes: jsonText(visit.notes ?? ''),
      },
    });
  }
  return { clearanceId: clearance.id, returnVisit: Boolean(visit) };
};
