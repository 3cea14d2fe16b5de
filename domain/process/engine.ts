/**
 * The approval engine as a pure state machine. The case workflow hosts one `CaseState`, feeds it commands
 * (approver actions), clock ticks and the results of its activities, and persists the events it emits.
 * Nothing here performs I/O or reads the clock: `now` is always passed in, so the same code runs inside the
 * deterministic workflow sandbox, in the projection (to compute the read model) and in plain unit tests.
 *
 * This module is the engine's public face; its parts:
 * - state.ts: the state and its types;       - events.ts: the hash-chained events it emits;
 * - stages.ts: entering and completing stages; - work.ts: work for activities, and their results;
 * - commands.ts: each action's message;       - actions.ts, stage-actions.ts, case-actions.ts: each action's rule
 * - permissions.ts: who may act, shared checks; - clock.ts: timers, deadlines, the public notice;
 * - progress.ts: where the case stands.
 */

export { allowedActions, applyCommand, checkCommand, refuseActor } from './actions';
export { nextWakeAt, tick } from './clock';
export { actionBody, type ActionBody, type CaseCommand, type CommandOf } from './commands';
export { progressOf, type CaseProgress } from './progress';
export { startCase } from './stages';
export {
  recordedState,
  stageOf,
  type CaseInput,
  type CaseState,
  type Decision,
  type EligibilitySummary,
  type NoticeState,
  type Objection,
  type OpenStage,
  type PendingWork,
  type RecordedCaseState,
  type Refusal,
  type ReturnState,
  type StageInstance,
  type SubjectRef,
  type Vote,
} from './state';
export { CASE_ACTIONS, CASE_STATUSES, FINAL_STATUSES, isFinal, type CaseAction, type CaseStatus, type VoteChoice } from './vocabulary';
export { assigneesResolved, eligibilityRechecked, outcomeApplied, pendingWork, refreshCalendar, type ResolvedAssignees } from './work';
