/**
 * The approval engine as a pure state machine. The case workflow hosts one `CaseState`, feeds it commands
 * (approver actions), clock ticks and the results of its activities, and persists the events it emits.
 * Nothing here performs I/O or reads the clock: `now` is always passed in, so the same code runs inside the
 * deterministic workflow sandbox, in the projection (to compute the read model) and in plain unit tests.
 *
 * This module is the engine's public face; its parts:
 * - state.ts: the state and its types;
 * - events.ts: the hash-chained events it emits;
 * - stages.ts: entering, skipping and completing stages, the plan's end;
 * - work.ts: what it asks its host to do through activities, and what it does with the results;
 * - commands.ts: each action's message (zod), the contract the API and the web share;
 * - actions.ts with stage-actions.ts and case-actions.ts: one rule per action (who may, what content is valid,
 *   what it changes); permissions.ts: the checks the actions share;
 * - clock.ts: reminders, deadlines, escalation and the public notice;
 * - progress.ts: where the case stands (the case row); read-model.ts: what the API answers from.
 */

export { allowedActions, applyCommand, checkCommand } from './actions';
export { applyAttachmentCommand, checkAttachmentCommand, type AttachmentCommand } from './attachments';
export { nextWakeAt, tick } from './clock';
export { actionBody, type CaseCommand } from './commands';
export { progressOf, type CaseProgress } from './progress';
export { joinReason, reasonsOf, type JoinedReason } from './reasons';
export { caseFacts, caseFactsDigest, type CaseFacts } from './facts';
export { startCase } from './stages';
export {
  recordedState,
  stageOf,
  type CaseInput,
  type CaseLimits,
  type CaseState,
  type EligibilitySummary,
  type Objection,
  type PendingWork,
  type RecordedCaseState,
  type SubjectRef,
} from './state';
export { CASE_ACTIONS, CASE_STATUSES, FINAL_STATUSES, isFinal, type CaseAction, type CaseStatus } from './vocabulary';
export {
  assigneesResolved,
  copiesResolved,
  eligibilityRechecked,
  outcomeApplied,
  pendingWork,
  refreshCalendar,
  type ResolvedAssignees,
} from './work';
