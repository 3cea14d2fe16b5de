import { currentStage, kindOf, type OpenStage, type RecordedCaseState, type Refusal, type StageInstance } from './state';
import { isFinal } from './vocabulary';

/**
 * Who may act on a case now: the checks every action shares. Each action's own rule (actions.ts) adds what is
 * particular to it.
 */

export const conflict = (message: string): Refusal => ({ code: 'conflict', message });
export const forbidden = (message: string): Refusal => ({ code: 'forbidden', message });
export const invalid = (message: string): Refusal => ({ code: 'invalid', message });

/** A decided, withdrawn or rejected case takes no action, nor one whose outcome is being applied. */
export function refuseClosed(state: RecordedCaseState): Refusal | null {
  if (isFinal(state.status)) return conflict(`the case is ${state.status}`);
  if (state.pendingOutcome) return conflict('the decision is final and is being applied to the records');
  return null;
}

export const isApplicant = (state: RecordedCaseState, userId: string) => userId === state.applicantId;
export const isSubject = (state: RecordedCaseState, userId: string) => state.subject.userId !== null && userId === state.subject.userId;

/** Everyone who takes part in the case: the applicant, deciders, the current assignees, the notice's resolvers. */
export function participants(state: RecordedCaseState): Set<string> {
  const set = new Set<string>([state.applicantId, ...Object.keys(state.deciders)]);
  for (const u of state.current?.assignees ?? []) set.add(u);
  for (const u of state.notice?.resolvers ?? []) set.add(u);
  return set;
}

/** An assignee's turn at the open stage: what the rules of the stage actions look at. */
export interface StageTurn {
  stage: StageInstance;
  current: OpenStage;
  approved: boolean;
  voted: boolean;
}

/**
 * The checks before every action on the open stage (approve, reject, return, transfer, add-approver, vote,
 * close-vote): not the subject (回避) nor the applicant, a stage open for decisions, assigned to the actor, and
 * nobody decides a case at two stages.
 */
function stageTurn(state: RecordedCaseState, actorId: string): Refusal | StageTurn {
  if (isSubject(state, actorId)) return forbidden('the subject of a case is recused from deciding it (回避)');
  if (isApplicant(state, actorId)) return forbidden('the applicant cannot decide their own case');
  const current = state.current;
  const stage = currentStage(state);
  if (!current || !stage || (state.status !== 'in_review' && state.status !== 'follow_up')) {
    return conflict(`no stage is open for decisions (the case is ${state.status})`);
  }
  if (current.phase !== 'open') return conflict(`stage "${stage.id}" is not open yet`);
  if (current.escalation === 'pending') return conflict(`stage "${stage.id}" is being escalated`);
  if (!current.assignees.includes(actorId)) return conflict(`you are not assigned to the current stage "${stage.id}"`);
  const decidedElsewhere = state.deciders[actorId];
  // A committee's member records its meeting for the body, whatever they handled before (excludedFrom).
  if (kindOf(stage) === 'decision' && stage.mode !== 'collective' && decidedElsewhere && decidedElsewhere !== stage.id) {
    return forbidden(`you already decided stage "${decidedElsewhere}" of this case; nobody decides a case twice`);
  }
  return {
    stage,
    current,
    approved: current.approvals.some((d) => d.userId === actorId),
    voted: current.votes.some((v) => v.userId === actorId),
  };
}

/** Runs an action's own check once the actor's turn at the stage is established. */
export function onStage(state: RecordedCaseState, actorId: string, check: (turn: StageTurn) => Refusal | null): Refusal | null {
  const turn = stageTurn(state, actorId);
  return 'code' in turn ? turn : check(turn);
}
