import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ChainedEvent, Json } from '../domain/history';
import type {
  AttachmentCommand,
  CaseCommand,
  CaseInput,
  CaseProgress,
  CaseState,
  CaseStatus,
  JoinedReason,
  RecordedCaseState,
} from '../domain/process/engine';
import type { CaseAnswer } from '../domain/process/read-model';

/**
 * The case workflow's messages, and nothing else of it: the API and the tools that talk to a case import
 * these definitions (and the workflow's type) without loading the workflow's code.
 */

export interface ActionResult {
  seq: number;
  /** The hash of the case's newest event (cases started since replay-stable events, v5). */
  hash?: string;
  progress: CaseProgress;
  /**
   * What the API answers about the case, as the state the Update moved it to has it (issue #19: the API reads
   * nothing back). Absent from answers of cases started before v5, of workers before it, and from those carried into a continued run.
   */
  case?: CaseAnswer;
}

export interface CaseResult {
  status: CaseStatus;
  outcome: string | null;
  /** The case's head when it ended (v5): the read model can be checked against it. */
  seq?: number;
  hash?: string;
}

/**
 * What a caller provides to start a case (v5): who asks for what about whom, and when. Everything the case runs
 * on (its definition, the rule set, the subject's record, eligibility, the calendar) the workflow reads itself.
 */
export interface CaseRequest {
  caseId: string;
  type: string;
  subjectId: string;
  payload: Record<string, Json>;
  applicantId: string;
  /** When the case was submitted (ISO 8601): the time of its first event. */
  submittedAt: string;
  /** Ids of the files attached with the submission; the admission reads what they are from the attachment store. */
  attachments?: string[];
}

/** What a case carries into its next run when its history grows long (continue-as-new). */
export interface CarriedCase {
  state: CaseState;
  /** The newest event the read model holds. */
  acked: { seq: number; hash: string };
  /** Continue as new beyond this many history events. */
  historyLimit: number;
  /** History events of the case's earlier runs, so the fences of this run's writes stay above theirs. */
  historyBase: number;
  /** Results of Updates of earlier runs by Update id: an Update sent again after the move is not applied twice. */
  updates: Record<string, ActionResult>;
}

/** The input of a run that continues a case (checked against what the previous run handed over). */
export interface CaseContinuation {
  continued: CarriedCase;
}

/**
 * The case workflow's input: a request (v5), a continuation, or, for cases started before v5, the case with its
 * frozen definition (CaseInput), which new cases no longer take from their input.
 */
export type CaseWorkflowInput = CaseRequest | CaseContinuation | CaseInput;

/** The workflow type that runs every case; its input is the case, its result how it ended. */
export type CaseWorkflow = (input: CaseWorkflowInput) => Promise<CaseResult>;

/** When the API received an action (v5): the time of the events it causes, as stable as the history itself. */
export interface ActContext {
  requestedAt: string;
}

/** The applicant's submission: answers once the case and its first stage are in the read model. */
export const submitUpdate = defineUpdate<ActionResult, []>('submit');
/** Every approver and applicant action (approve, reject, return, vote, object, ...). */
export const actUpdate = defineUpdate<ActionResult, [command: CaseCommand, context?: ActContext]>('act');
/**
 * Files added to the case or removed from it on their own (references only; the bytes stay in the store). The
 * context is the act Update's: its requestedAt is the event's time (trusted runs only).
 */
export const attachmentsUpdate = defineUpdate<ActionResult, [command: AttachmentCommand, context?: ActContext]>('attachments');
/**
 * A further exit situation joins an open exit case (from the daily records check, a workflow, which can signal a
 * case but not update it). A signal nobody answers: the case records it or, when it no longer applies, ignores it.
 */
export const joinReasonSignal = defineSignal<[JoinedReason]>('join-reason');
/** The whole engine state, for diagnostics and tests; the API reads the PostgreSQL projection instead. */
export const stateQuery = defineQuery<CaseState>('state');

/** What the workflow holds of its newest events (v5), from which the API repairs a read model that fell behind. */
export interface ChainTail {
  head: { seq: number; hash: string };
  /** Its newest events: every one the read model has not acknowledged, and a few before them. */
  events: ChainedEvent[];
  state: RecordedCaseState;
  /** The fence of a write of these events (store/projection.ts). */
  fence: { historyLength: number; at: string };
}
export const chainQuery = defineQuery<ChainTail | null>('chain');
