import { jsonText } from '../../domain/history';
import { dateValue } from '../../store/db';
import { recordedDate, type OutcomeApplier } from './types';

/** The ruling (容错认定) goes on the subject's personnel record, with whether a correction was ordered and verified. */
export const applyErrorTolerance: OutcomeApplier = async (tx, input) => {
  const earlier = await tx.errorToleranceRuling.findUnique({ where: { caseId: input.caseId } });
  if (earlier) return { rulingId: earlier.id, ruling: earlier.ruling, correctionRequired: earlier.correctionRequired };
  const decision = input.stageData['collective-decision'] ?? {};
  const correction = input.stageData.correction;
  const ruling = await tx.errorToleranceRuling.create({
    data: {
      workerId: input.subjectId,
      caseId: input.caseId,
      ruling: input.outcome,
      incidentDate: dateValue(jsonText(input.payload.incidentDate)),
      summary: jsonText(input.payload.description),
      correctionRequired: decision.correctionRequired === true,
      correctionVerifiedOn: correction ? dateValue(recordedDate(input, 'correction', 'correctedOn')) : null,
      decidedOn: dateValue((input.decidedAt ?? new Date().toISOString()).slice(0, 10)),
    },
  });
  return { rulingId: ruling.id, ruling: ruling.ruling, correctionRequired: ruling.correctionRequired };
};
