import type { OutcomeApplier } from './types';

/**
 * A confirmed assessment result does not enter the records when its case completes (at the written notice): the
 * worker may still ask for a review (复核). Its parent group enters it when the review period is over
 * (store/assessments.ts), or the review's decision does. So the case's outcome changes nothing here; it says when
 * the result will enter.
 */
export const applyAssessment: OutcomeApplier = async (_tx, input) => {
  const notification = input.stageData.notification ?? {};
  return { result: input.outcome, entersRecordsAfter: notification.reviewEndsAt ?? null };
};
