import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  AttachmentCommand,
  CaseCommand,
  CaseInput,
  CaseProgress,
  CaseState,
  CaseStatus,
  JoinedReason,
} from '../domain/process/engine';

/**
 * The case workflow's messages, and nothing else of it: the API and the tools that talk to a case import
 * these definitions (and the workflow's type) without loading the workflow's code.
 */

export interface ActionResult {
  seq: number;
  progress: CaseProgress;
}

export interface CaseResult {
  status: CaseStatus;
  outcome: string | null;
}

/** The workflow type that runs every case; its input is the case, its result how it ended. */
export type CaseWorkflow = (input: CaseInput) => Promise<CaseResult>;

/** The applicant's submission: answers once the case and its first stage are in the read model. */
export const submitUpdate = defineUpdate<ActionResult, []>('submit');
/** Every approver and applicant action (approve, reject, return, vote, object, ...). */
export const actUpdate = defineUpdate<ActionResult, [CaseCommand]>('act');
/** Files added to the case or removed from it on their own (references only; the bytes stay in the store). */
export const attachmentsUpdate = defineUpdate<ActionResult, [AttachmentCommand]>('attachments');
/**
 * A further exit situation joins an open exit case (from the daily records check, a workflow, which can signal a
 * case but not update it). A signal nobody answers: the case records it or, when it no longer applies, ignores it.
 */
export const joinReasonSignal = defineSignal<[JoinedReason]>('join-reason');
/** The whole engine state, for diagnostics and tests; the API reads the PostgreSQL projection instead. */
export const stateQuery = defineQuery<CaseState>('state');
