import type { Json } from './history';
import type { AssessmentResult } from './personnel';
import type { MemberAtMeeting } from './process/collective';

/**
 * A group of cases decided together (issue #17): a street's yearly promotion round (年度晋升), or a community's
 * annual assessment (年度考核). Each person has a case of their own (a child workflow of the group's parent,
 * workflows/case-group.ts), so their result has its own history and documents; the group holds what covers the
 * whole list: the one decision, and the stage the list is at.
 */

export const CASE_GROUP_KINDS = ['promotion-round', 'annual-assessment'] as const;
export type CaseGroupKind = (typeof CASE_GROUP_KINDS)[number];

/**
 * A round: recommendation (the members' cases are before the decision), notice (公示, once decided), closed (every
 * case ended). An assessment: evaluation (述职 and 民主测评), confirmation (proposed, before the street), review
 * (every worker told; the review period runs), closed (the period over, the results entered).
 */
export type CaseGroupStage = 'recommendation' | 'notice' | 'evaluation' | 'confirmation' | 'review' | 'closed';

/** One 民主测评 score, as the clerk recorded it from the score sheet: who scored (not a user: a resident's representative or a colleague), in which group. */
export interface EvaluationScoreEntry {
  evaluator: string;
  group: 'residents' | 'colleagues';
  score: number;
  recordedBy: string;
  recordedAt: string;
}

/** The evaluation group's proposal for the whole list, checked against the rule set before it is recorded. */
export interface AssessmentProposal {
  results: { workerId: string; result: AssessmentResult; reason?: string | undefined }[];
  recordedBy: string;
  recordedAt: string;
}

/** When the workers were told, and the end of the period in which they may ask for a review (复核). */
export interface AssessmentNotification {
  notifiedAt: string;
  reviewEndsAt: string;
  recordedBy: string;
}

/** What an annual assessment holds beyond the members' cases. */
export interface AssessmentProgress {
  scores: Record<string, EvaluationScoreEntry[]>;
  proposal: AssessmentProposal | null;
  notification: AssessmentNotification | null;
  /** Once the period is over: each member's result entered in the records, or held by an open review. */
  entered: AssessmentEntry[] | null;
}

/** How a member's result reached the records at the end of the period (activities/outcomes/assessment.ts). */
export interface AssessmentEntry {
  workerId: string;
  caseId: string;
  /** entered: the result is on the records now; held: a review (appeal) named here decides it; none: no result (the case did not complete). */
  state: 'entered' | 'held' | 'none';
  result: AssessmentResult | null;
  appealCaseId: string | null;
}

/** The one decision that covers the list: the committee's meeting, recorded once on the group. */
export interface CaseGroupDecision {
  meetingDate: string;
  members: MemberAtMeeting[];
  minutes: string;
  resolution: string;
  recordedBy: string;
  /** When the decision reached the service (ISO 8601). */
  recordedAt: string;
}

export interface CaseGroupInput {
  groupId: string;
  kind: CaseGroupKind;
  orgUnitId: string;
  year: number;
  openedBy: string;
  /** When the group was opened (ISO 8601): the submission time of each member's case. */
  openedAt: string;
  members: { workerId: string; caseId: string; type: string; payload: Record<string, Json> }[];
}

export interface CaseGroupMemberState {
  workerId: string;
  caseId: string;
  /** How the member's case ended; null while it runs. */
  ended: { status: string; outcome: string | null } | null;
}

export interface CaseGroupState {
  groupId: string;
  kind: CaseGroupKind;
  orgUnitId: string;
  year: number;
  stage: CaseGroupStage;
  decision: CaseGroupDecision | null;
  members: CaseGroupMemberState[];
  /** An annual assessment's scores, proposal and notification; absent on a round. */
  assessment?: AssessmentProgress;
}

/** The group's id: one round per street and year (one assessment per community and year). */
export function caseGroupId(kind: CaseGroupKind, orgUnitId: string, year: number): string {
  return `${kind}-${orgUnitId}-${year}`;
}

/** How a member's case references the group's decision in its own history (the data of its meeting record). */
export function decisionReference(groupId: string): string {
  return `case-groups/${groupId}#decision`;
}
