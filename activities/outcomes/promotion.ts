import { evaluatePromotion } from '../../domain/case-types/promotion/eligibility';
import { nextGrade } from '../../domain/grades';
import type { PostType } from '../../domain/personnel';
import { personnelStore } from '../../store/personnel';
import { dateValue, day } from '../../store/db';
import type { OutcomeApplier } from './types';

/**
 * Promotion approved: the grade (and for a post change, the post type) changes as the rules propose, from the
 * date the rules give, recorded in the grade history with the kind of promotion (regular, early, post-change)
 * so the early-promotion limit can count it.
 */
export const applyPromotion: OutcomeApplier = async (tx, input) => {
  const earlier = await tx.gradeChange.findUnique({ where: { caseId: input.caseId } });
  if (earlier) {
    const subject = await tx.communityWorker.findUniqueOrThrow({ where: { id: input.subjectId }, select: { postType: true } });
    return {
      fromGrade: earlier.fromGrade,
      toGrade: earlier.toGrade,
      postType: subject.postType,
      effectiveFrom: day(earlier.effectiveFrom),
      kind: earlier.reason,
    };
  }
  const record = await personnelStore(tx).record(input.subjectId);
  if (!record) throw new Error(`community worker ${input.subjectId} not found`);
  const kind = input.payload.kind as 'regular' | 'early' | 'post-change';
  const newPostType = input.payload.newPostType as PostType | undefined;
  // The decision date is the street committee's meeting (collective decisions), else the day the case was decided.
  const meeting = input.stageData['street-decision']?.meeting;
  const meetingDate = meeting && typeof meeting === 'object' && !Array.isArray(meeting) ? meeting.meetingDate : undefined;
  const decidedOn = typeof meetingDate === 'string' ? meetingDate : (input.decidedAt ?? new Date().toISOString()).slice(0, 10);
  const evaluation = evaluatePromotion(record, { kind, newPostType }, input.rules, decidedOn);
  // The decision stands even if the records changed after it; then the step is computed without the proposal.
  const fallback = nextGrade(
    record,
    kind === 'post-change' && newPostType ? { kind, newPostType } : { kind: kind === 'early' ? 'early' : 'regular' },
    input.rules,
  );
  const toGrade = evaluation.proposal?.toGrade ?? fallback.toGrade;
  const postType = evaluation.proposal?.postType ?? fallback.postType;
  const effectiveFrom = evaluation.proposal?.effectiveFrom ?? decidedOn;
  await tx.gradeChange.create({
    data: {
      workerId: record.id,
      fromGrade: record.grade,
      toGrade,
      effectiveFrom: dateValue(effectiveFrom),
      caseId: input.caseId,
      reason: kind,
    },
  });
  await tx.communityWorker.update({
    where: { id: record.id },
    data: {
      grade: toGrade,
      gradeSince: dateValue(effectiveFrom),
      postType,
      ...(postType !== record.postType ? { postSince: dateValue(effectiveFrom) } : {}),
    },
  });
  return { fromGrade: record.grade, toGrade, postType, effectiveFrom, kind };
};
