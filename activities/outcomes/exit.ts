import { jsonText } from '../../domain/history';
import { dateValue, day } from '../../store/db';
import { recordedDate, type OutcomeApplier } from './types';

/**
 * Exit completed: the subject's status becomes exited, with the situations (the first and any that joined), and
 * how each post ended: a party post by removal (免职) by the party organisation, a seat on the residents'
 * committee by recall (罢免) of the residents' meeting, then the contract. The elected posts are cleared.
 */
export const applyExit: OutcomeApplier = async (tx, input) => {
  const earlier = await tx.statusChange.findUnique({ where: { caseId: input.caseId } });
  if (earlier) return { status: earlier.toStatus, reason: earlier.reason, effectiveFrom: day(earlier.effectiveFrom) };
  const subject = await tx.communityWorker.findUniqueOrThrow({ where: { id: input.subjectId } });
  const effectiveFrom = recordedDate(input, 'contract-termination', 'terminatedOn');
  const { hearing, removal } = input.stageData;
  const partyPostRemoval = input.stageData['party-post-removal'];
  const recall = input.stageData.recall;
  const detail = {
    detail: input.payload.detail ?? null,
    additionalReasons: input.payload.additionalReasons ?? [],
    hearing: hearing ?? null,
    // The first version recorded 免职 or 罢免 as one choice of the street ("removal").
    removal: removal ?? null,
    partyPostRemoval: partyPostRemoval ? { ...partyPostRemoval, post: subject.partyPost, body: 'party organisation' } : null,
    recall: recall ? { ...recall, post: subject.residentsCommitteePost, body: "residents' meeting" } : null,
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
  await tx.communityWorker.update({
    where: { id: subject.id },
    data: {
      status: 'exited',
      ...(partyPostRemoval ? { partyPost: null } : {}),
      ...(recall ? { residentsCommitteePost: null } : {}),
    },
  });
  return { status: 'exited', reason: input.payload.reason ?? null, effectiveFrom };
};
