import { TOLERANCE_CONDITIONS } from '../../domain/case-types/error-tolerance/definition';
import { jsonText } from '../../domain/history';
import { dateValue } from '../../store/db';
import { recordedDate, type OutcomeApplier } from './types';

/** 部分容错 (the first version's ruling) is what the rules call a lighter or reduced treatment. */
const RULING_OF: Record<string, string> = { 'partially-tolerated': 'mitigated' };

/**
 * The ruling (容错认定) goes on the subject's personnel record, with whether a correction was ordered and verified,
 * the conditions as verified, the written reply to the applicant and the 报备 (when the case recorded them).
 */
export const applyErrorTolerance: OutcomeApplier = async (tx, input) => {
  const earlier = await tx.errorToleranceRuling.findUnique({ where: { caseId: input.caseId } });
  if (earlier) return { rulingId: earlier.id, ruling: earlier.ruling, correctionRequired: earlier.correctionRequired };
  const decision = input.stageData['collective-decision'] ?? {};
  const { correction, verification, reply, filing } = input.stageData;
  const findings = verification ? Object.fromEntries(TOLERANCE_CONDITIONS.map((c) => [c.name, verification[c.name] ?? null])) : null;
  const ruling = await tx.errorToleranceRuling.create({
    data: {
      workerId: input.subjectId,
      caseId: input.caseId,
      ruling: RULING_OF[input.outcome] ?? input.outcome,
      incidentDate: dateValue(jsonText(input.payload.incidentDate)),
      summary: jsonText(input.payload.description),
      correctionRequired: decision.correctionRequired === true,
      correctionVerifiedOn: correction ? dateValue(recordedDate(input, 'correction', 'correctedOn')) : null,
      decidedOn: dateValue((input.decidedAt ?? new Date().toISOString()).slice(0, 10)),
      ...(findings ? { findings } : {}),
      repliedOn: reply ? dateValue(recordedDate(input, 'reply', 'repliedOn')) : null,
      filedWith: filing ? jsonText(filing.filedWith) : null,
      filedOn: filing ? dateValue(recordedDate(input, 'filing', 'filedOn')) : null,
    },
  });
  return { rulingId: ruling.id, ruling: ruling.ruling, correctionRequired: ruling.correctionRequired };
};
