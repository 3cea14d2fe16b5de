/**
 * The statuses and actions of a case: the engine's vocabulary, which the API and the web UI speak too. No
 * imports, so the web UI bundles exactly this.
 */

export const CASE_STATUSES = [
  'in_review',
  'returned',
  'public_notice',
  'objection_review',
  'follow_up',
  'completed',
  'rejected',
  'withdrawn',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const FINAL_STATUSES: readonly CaseStatus[] = ['completed', 'rejected', 'withdrawn'];
export const isFinal = (status: CaseStatus) => FINAL_STATUSES.includes(status);

export const CASE_ACTIONS = [
  'approve',
  'reject',
  'return',
  'resubmit',
  'withdraw',
  'transfer',
  'add-approver',
  'vote',
  'close-vote',
  'comment',
  'remind',
  'object',
  'resolve-objection',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];
