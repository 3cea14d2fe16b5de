import type { Json } from './history';
import type { MemberAtMeeting } from './process/collective';

/**
 * A group of cases decided together (issue #17): a street's yearly promotion round (年度晋升), or a community's
 * annual assessment (年度考核). Each person has a case of their own (a child workflow of the group's parent,
 * workflows/case-group.ts), so their result has its own history and documents; the group holds what covers the
 * whole list: the one decision, and the stage the list is at.
 */

export const CASE_GROUP_KINDS = ['promotion-round'] as const;
export type CaseGroupKind = (typeof CASE_GROUP_KINDS)[number];

/** recommendation: the members' cases are before the decision; decision taken: notice (公示); every case ended: closed. */
export type CaseGroupStage = 'recommendation' | 'notice' | 'closed';

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
}

/** The group's id: one round per street and year (one assessment per community and year). */
export function caseGroupId(kind: CaseGroupKind, orgUnitId: string, year: number): string {
  return `${kind}-${orgUnitId}-${year}`;
}

/** How a member's case references the group's decision in its own history (the data of its meeting record). */
export function decisionReference(groupId: string): string {
  return `case-groups/${groupId}#decision`;
}
