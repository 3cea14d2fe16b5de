import { jsonText } from '../../domain/history';
import { dateValue } from '../../store/db';
import { recordedDate, type OutcomeApplier } from './types';

/**
 * The clearance (covering only the false allegations) goes on the subject's personnel record with who verified
 * the complaint and cleared the name, whether it was untrue or a false accusation (and where that was referred),
 * the form and scope of the clearance, the return-visit talk and the archiving. Cases of the first version name
 * the form in their payload and record neither finding nor archive.
 */
export const applyNameClearing: OutcomeApplier = async (tx, input) => {
  const earlier = await tx.nameClearance.findUnique({ where: { caseId: input.caseId } });
  if (earlier) {
    const returnVisit = (await tx.returnVisit.count({ where: { caseId: input.caseId } })) > 0;
    return { clearanceId: earlier.id, returnVisit, archived: earlier.archivedOn !== null };
  }
  const { assessment, clearance, referral, archive } = input.stageData;
  const created = await tx.nameClearance.create({
    data: {
      workerId: input.subjectId,
      caseId: input.caseId,
      accusationRef: jsonText(input.payload.accusationRef),
      findingSummary: jsonText(input.payload.findingSummary),
      method: jsonText(clearance?.method ?? input.payload.method),
      clearedOn: dateValue(recordedDate(input, 'clearance', 'clearedOn')),
      verifiedBy: input.payload.verifiedBy === undefined ? null : jsonText(input.payload.verifiedBy),
      finding: assessment?.finding === undefined ? null : jsonText(assessment.finding),
      scope: clearance?.scope === undefined ? null : jsonText(clearance.scope),
      ...(referral ? { referral } : {}),
      archivedOn: archive ? dateValue(recordedDate(input, 'archive', 'archivedOn')) : null,
      archiveRef: archive?.archiveRef === undefined ? null : jsonText(archive.archiveRef),
    },
  });
  const visit = input.stageData['return-visit'];
  if (visit) {
    await tx.returnVisit.create({
      data: {
        workerId: input.subjectId,
        clearanceId: created.id,
        caseId: input.caseId,
        visitedOn: dateValue(recordedDate(input, 'return-visit', 'visitedOn')),
        officerId: input.stageActors['return-visit']?.[0] ?? 'unknown',
        notes: jsonText(visit.notes ?? ''),
      },
    });
  }
  return { clearanceId: created.id, returnVisit: Boolean(visit), archived: Boolean(archive) };
};
