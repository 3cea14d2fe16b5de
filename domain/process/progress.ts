import { currentStage, type RecordedCaseState } from './state';
import { isFinal, type CaseStatus } from './vocabulary';

/** Where the case stands, as the case row of the read model keeps it (status, current stage, who is awaited). */
export interface CaseProgress {
  status: CaseStatus;
  outcome: string | null;
  currentStage: string | null;
  assignees: string[];
  dueAt: string | null;
  decidedAt: string | null;
}

/** Who the case is waiting for now (the inbox): members who still have to act, not everyone assigned. */
function awaitingUsers(state: RecordedCaseState): string[] {
  if (state.status === 'objection_review') return state.notice?.resolvers ?? [];
  if (state.status === 'returned') return [state.applicantId];
  const current = state.current;
  const stage = currentStage(state);
  if (!current || !stage || current.phase !== 'open' || isFinal(state.status)) return [];
  if (stage.mode === 'vote') {
    const quorumReached = current.votes.length / Math.max(1, current.assignees.length) + 1e-9 >= (stage.vote?.quorum ?? 1);
    // Once the quorum has voted, any member may close the vote with the minutes.
    return quorumReached ? current.assignees : current.assignees.filter((u) => !current.votes.some((v) => v.userId === u));
  }
  return current.assignees.filter((u) => !current.approvals.some((a) => a.userId === u));
}

export function progressOf(state: RecordedCaseState): CaseProgress {
  const noticeOpen = state.status === 'public_notice' || state.status === 'objection_review';
  return {
    status: state.status,
    outcome: state.status === 'completed' ? state.outcome : null,
    currentStage: state.current?.stageId ?? (noticeOpen ? (state.notice?.afterStage ?? null) : null),
    assignees: awaitingUsers(state),
    dueAt: state.status === 'returned' ? null : noticeOpen ? (state.notice?.dueAt ?? null) : (state.current?.dueAt ?? null),
    decidedAt: state.decidedAt,
  };
}
