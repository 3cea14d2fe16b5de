import type { Json } from './history';
import type { AssessmentResult } from './personnel';
import type { MemberAtMeeting } from './process/collective';
import type { CaseState } from './process/state';
import { isFinal } from './process/vocabulary';

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

/** The street party committee confirmed the proposed list (recorded on the group since assessment-forwarding). */
export interface AssessmentConfirmation {
  recordedBy: string;
  recordedAt: string;
  comment?: string | undefined;
}

/**
 * The steps of an assessment that the group records once and delivers to each member's case itself (since
 * assessment-forwarding), with the case stage each is recorded at: the proposal carries the 民主测评 tally
 * (evaluation) and the proposed result (proposal).
 */
export const ASSESSMENT_STEPS = ['evaluation', 'proposal', 'street-confirmation', 'notification'] as const;
export type AssessmentStep = (typeof ASSESSMENT_STEPS)[number];
/** Which of the group's records each step is sent by: the proposal, the confirmation, the notification. */
export type AssessmentSending = 'proposal' | 'confirmation' | 'notification';
export const SENT_WITH: Readonly<Record<AssessmentStep, AssessmentSending>> = {
  evaluation: 'proposal',
  proposal: 'proposal',
  'street-confirmation': 'confirmation',
  notification: 'notification',
};

/** What an annual assessment holds beyond the members' cases. */
export interface AssessmentProgress {
  scores: Record<string, EvaluationScoreEntry[]>;
  proposal: AssessmentProposal | null;
  notification: AssessmentNotification | null;
  /** Since assessment-forwarding; absent on older assessments, whose API forwarded the confirmation to each case. */
  confirmation?: AssessmentConfirmation | null;
  /**
   * Since assessment-forwarding the group delivers its steps to each case itself: per record, whom it is delivered
   * as, the one who recorded it first, then anyone who sent it again while a case refused the earlier ones (the
   * secretary is recused from their own case, and the deputy sends it again). Absent on older assessments.
   */
  senders?: Record<AssessmentSending, string[]>;
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

/**
 * Where the group's decision is in a member's case (rounds that forward it themselves, workflows/case-group.ts):
 * being delivered (tried again until the case is at its decision stage), recorded in the case, or not delivered
 * and why (the case ended first, or its stage was decided without the round's decision).
 */
export type DecisionDelivery =
  | { status: 'pending' }
  | { status: 'delivered' }
  /** refused: the case at the stage refused the one it was delivered as (an assessment's step waits for someone else to send it). */
  | { status: 'not-delivered'; reason: string; refused?: true };

export interface CaseGroupMemberState {
  workerId: string;
  caseId: string;
  /** How the member's case ended; null while it runs. */
  ended: { status: string; outcome: string | null } | null;
  /** The decision's delivery to this case; absent before the decision and in rounds whose API forwarded it. */
  delivery?: DecisionDelivery;
  /** An assessment's steps delivered to this case (since assessment-forwarding), by the case stage each is recorded at. */
  steps?: Partial<Record<AssessmentStep, DecisionDelivery>>;
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
  /** The parent workflow delivers the decision to each case itself (round-forwarding); absent in older rounds. */
  forwardsDecision?: true;
}

/** The group's id: one round per street and year (one assessment per community and year). */
export function caseGroupId(kind: CaseGroupKind, orgUnitId: string, year: number): string {
  return `${kind}-${orgUnitId}-${year}`;
}

/** How a member's case references the group's decision in its own history (the data of its meeting record). */
export function decisionReference(groupId: string): string {
  return `case-groups/${groupId}#decision`;
}

/**
 * The stage of a member's case that the group's one decision is recorded at, by kind of group. An annual
 * assessment has none: its list is proposed and confirmed through its own steps.
 */
export const DECISION_STAGE: Readonly<Partial<Record<CaseGroupKind, string>>> = { 'promotion-round': 'street-decision' };

/**
 * What a delivery of the group's decision (or of an assessment's step) does with a member's case that refused it,
 * judged from the case's state: wait (the case is not at the stage yet: still recommended, returned to the clerk,
 * its eligibility being re-checked, or its earlier stages still open, so it is tried again), or give up with the
 * reason (the case ended, or its stage was decided without the group's record). A refusal at the stage itself (a
 * content refusal, or the one it is delivered as may not act there) is given up too, marked `refused`.
 */
export function undelivered(
  state: Pick<CaseState, 'status' | 'current' | 'stageData' | 'returned'>,
  decisionStage: string,
  refusal: string,
  what = "the round's decision",
): { wait: true; reason: string } | { wait: false; reason: string; refused?: true } {
  if (isFinal(state.status)) return { wait: false, reason: `the case ended (${state.status}) before the decision reached it` };
  if (Object.prototype.hasOwnProperty.call(state.stageData, decisionStage))
    return { wait: false, reason: `the case's ${decisionStage} stage was decided without ${what}` };
  if (state.returned) return { wait: true, reason: 'the case was returned for amendment' };
  if (state.current?.stageId !== decisionStage) return { wait: true, reason: `the case is not yet at the ${decisionStage} stage` };
  if (state.current.phase !== 'open' || state.current.needsEligibility)
    return { wait: true, reason: `the case's ${decisionStage} stage is not open yet` };
  return { wait: false, reason: refusal, refused: true };
}
