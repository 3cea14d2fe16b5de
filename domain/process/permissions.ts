import type { RoleGrant } from '../access';
import type { ActorSpec } from '../org';
import {
  currentStage,
  escalationActor,
  kindOf,
  stageOf,
  type OpenStage,
  type RecordedCaseState,
  type Refusal,
  type StageInstance,
} from './state';
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

/**
 * Those a copy (抄送) was sent to read the case and never act on it, unless they take part in it otherwise (a
 * stage assigned to them, a decision of theirs): no comment, no objection, no reminder, no decision.
 */
export function refuseObserver(state: RecordedCaseState, actorId: string): Refusal | null {
  if (!state.observers?.includes(actorId) || participants(state).has(actorId)) return null;
  return forbidden('a copy (抄送) was sent to you: you may read this case, not act on it');
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
  if (state.recused?.includes(actorId)) {
    return forbidden('you took part in the decision this case reviews; an appeal is never decided by the same people (回避)');
  }
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

/**
 * 委托: the actions a delegate takes on someone's behalf, those of deciding (and a comment on the way). Not a
 * transfer or an added approver (that would pass the duty on to a third person, whom the delegator never named),
 * nor the applicant's actions, nor an objection.
 */
export const DELEGABLE_ACTIONS: ReadonlySet<string> = new Set([
  'approve',
  'reject',
  'return',
  'vote',
  'close-vote',
  'record-meeting',
  'resolve-objection',
  'comment',
]);
/** The delegable actions that decide (the delegate is counted among the case's deciders with them). */
const DECIDING_ACTIONS = new Set(['approve', 'reject', 'vote', 'close-vote', 'record-meeting', 'resolve-objection']);

/**
 * The recusal and separation rules apply to the delegate as to the delegator (the stage's own checks, stageTurn,
 * run for the delegator): the subject, the applicant and those recused from an appeal never decide it, on
 * anyone's behalf; someone assigned to the stage acts there in their own name (one person, one approval, one
 * vote); nobody decides a case at two stages, in their name at one and for someone at another.
 */
export function refuseDelegate(
  state: RecordedCaseState,
  command: { action: string; actorId: string; delegate?: { userId: string } },
): Refusal | null {
  const delegateId = command.delegate?.userId;
  if (delegateId === undefined) return null;
  if (!DELEGABLE_ACTIONS.has(command.action))
    return forbidden(`"${command.action}" is not taken on someone's behalf (a delegation covers deciding, not passing the duty on)`);
  if (delegateId === command.actorId) return invalid('a delegate acts for someone else');
  if (isSubject(state, delegateId)) return forbidden('the subject of a case is recused from deciding it (回避), also on behalf of someone');
  if (isApplicant(state, delegateId)) return forbidden('the applicant cannot decide their own case, also not on behalf of someone');
  if (state.recused?.includes(delegateId)) {
    return forbidden(
      'you took part in the decision this case reviews; an appeal is never decided by the same people (回避), also not on behalf of someone',
    );
  }
  const stage = currentStage(state);
  if (!stage || !STAGE_ACTIONS.has(command.action)) return null;
  if (state.current?.assignees.includes(delegateId)) {
    return forbidden(`you are yourself assigned to stage "${stage.id}": act there in your own name (one person counts once)`);
  }
  const decidedElsewhere = state.deciders[delegateId];
  if (decidedElsewhere && decidedElsewhere !== stage.id && !(kindOf(stage) === 'decision' && stage.mode === 'collective')) {
    return forbidden(
      `you already decided stage "${decidedElsewhere}" of this case; nobody decides a case twice, also not on behalf of someone`,
    );
  }
  return null;
}

/** Counts a delegate among the deciders of the stage they decided at on someone's behalf (nobody decides a case twice). */
export function countDelegate(
  state: { deciders: Record<string, string> },
  command: { action: string; delegate?: { userId: string } },
  stage: StageInstance | null,
): void {
  if (command.delegate && stage && kindOf(stage) === 'decision' && DECIDING_ACTIONS.has(command.action))
    state.deciders[command.delegate.userId] ??= stage.id;
}

/**
 * Whether someone's roles make them one of a stage's actors for this case: the stage's role, in a department of
 * its type at its level, over the case's community. The same rule that picks a stage's assignees
 * (activities/assignment.ts), applied to the roles they hold now.
 */
export function coversActor(roles: readonly RoleGrant[], actor: ActorSpec, caseOrgPath: string): boolean {
  return roles.some(
    (r) =>
      r.role === (actor.role ?? 'approver') &&
      r.departmentType === actor.department &&
      r.orgLevel === actor.level &&
      caseOrgPath.startsWith(r.orgPath),
  );
}

const sameActor = (a: ActorSpec, b: ActorSpec) =>
  a.level === b.level && a.department === b.department && (a.role ?? 'approver') === (b.role ?? 'approver');

/** Whose roles may decide a stage: its actors, and the level above once its deadline escalated it. */
function actorsOf(stage: StageInstance, escalated: boolean): ActorSpec[] {
  return escalated ? [stage.actor, escalationActor(stage)] : [stage.actor];
}

/** The actors of the stage open now (with the level above, once it has escalated). */
function currentActors(state: RecordedCaseState): { stage: StageInstance; actors: ActorSpec[] } | null {
  const stage = currentStage(state);
  if (!stage) return null;
  return { stage, actors: actorsOf(stage, state.current?.escalation === 'done') };
}

/** Actions of the assignees of the open stage, whose roles are checked against its actors. */
const STAGE_ACTIONS = new Set(['approve', 'reject', 'return', 'transfer', 'add-approver', 'vote', 'close-vote']);
/** Actions of the applicant, who must still be a clerk over the subject's community. */
const APPLICANT_ACTIONS = new Set(['resubmit', 'withdraw', 'remind']);

/**
 * Separation of duties against the roles people hold now (sent with the command from the staff directory): the
 * actor must still hold a role that may decide the open stage (or, ruling on objections, the stage the notice
 * follows; as applicant, still be a clerk over the subject), so someone whose role was taken away cannot act on
 * an assignment they still have. Commands without roles skip this (see commands.ts).
 */
export function refuseRoles(state: RecordedCaseState, command: { action: string; actorRoles?: readonly RoleGrant[] }): Refusal | null {
  const roles = command.actorRoles;
  if (!roles) return null;
  const casePath = state.subject.orgPath;
  if (STAGE_ACTIONS.has(command.action)) {
    const open = currentActors(state);
    if (open && !open.actors.some((a) => coversActor(roles, a, casePath))) {
      return forbidden(`you no longer hold a role that may decide stage "${open.stage.id}" of this case`);
    }
  }
  if (command.action === 'resolve-objection' && state.notice) {
    const decided = stageOf(state, state.notice.afterStage);
    if (decided && !actorsOf(decided, true).some((a) => coversActor(roles, a, casePath))) {
      return forbidden(`you no longer hold a role that may decide stage "${decided.id}" of this case`);
    }
  }
  if (APPLICANT_ACTIONS.has(command.action) && !roles.some((r) => r.role === 'clerk' && casePath.startsWith(r.orgPath))) {
    return forbidden('you no longer hold the clerk role over this case');
  }
  return null;
}

/**
 * Who may be added to the open stage (add-approver) or take an assignment over (transfer), by the roles they
 * hold now: a role that may decide the stage within the case's scope (not an outsider, not an auditor), and not
 * the role of a later decision stage of this case, whose approver would then be shut out of it (nobody decides
 * a case twice). Without their roles (commands from tools), the assignees' lists alone decide.
 */
export function refuseTarget(state: RecordedCaseState, userId: string, roles: readonly RoleGrant[] | undefined): Refusal | null {
  if (!roles) return null;
  const open = currentActors(state);
  if (!open) return null;
  const casePath = state.subject.orgPath;
  if (!open.actors.some((a) => coversActor(roles, a, casePath))) {
    return invalid(`${userId} does not hold a role that may decide stage "${open.stage.id}" of this case`);
  }
  const later = state.plan
    .slice(state.cursor + 1)
    .find(
      (s) =>
        kindOf(s) === 'decision' &&
        !s.fixedAssignee &&
        !open.actors.some((a) => sameActor(a, s.actor)) &&
        coversActor(roles, s.actor, casePath),
    );
  if (later) return invalid(`${userId} decides the later stage "${later.id}" of this case and would be shut out of it`);
  return null;
}
