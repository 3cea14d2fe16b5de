import type { Period, WorkingCalendar } from '../calendar';
import type { AttachmentRef } from '../attachments';
import type { Json } from '../history';
import { ORG_LEVELS, type ActorSpec, type OrgLevel } from '../org';
import type { ProcessSnapshot, StageKind, StageSnapshot } from './definition';
import type { CaseStatus, ObjectionChannel, VoteChoice } from './vocabulary';

/**
 * The state of one case as the engine keeps it: plain JSON, so the workflow can hold it, a query can return it
 * and the projection can read it. Nothing here changes the state; the engine's other modules do.
 */

export interface SubjectRef {
  id: string;
  name: string;
  /** The community worker's own staff account, if any: they are recused from every stage of their own case. */
  userId: string | null;
  orgUnitId: string;
  /** Materialised path of the org unit ("/js/nj/gl/nhl/jsl/"), for subtree visibility in the read model. */
  orgPath: string;
  /** Record fields that conditions may branch on (employmentType, postType, ...). */
  attributes: Record<string, Json>;
}

export interface EligibilitySummary {
  eligible: boolean;
  reasons: Json[];
}

export interface CaseInput {
  caseId: string;
  type: string;
  definition: ProcessSnapshot;
  applicantId: string;
  subject: SubjectRef;
  payload: Record<string, Json>;
  calendar: WorkingCalendar;
  /** Eligibility as evaluated at submission, recorded in the first event. */
  eligibility?: EligibilitySummary;
  /** Files the applicant attached to the submission (references; the bytes never enter the workflow). */
  attachments?: AttachmentRef[];
  /** How many comments, objections and reminders the case takes (cases started before the limits have none). */
  limits?: CaseLimits;
  /** 2: every event carries the digest of the case facts it leaves (caseDigest; cases started since the ledger). */
  eventFormat?: 2;
  /**
   * People recused from every stage besides the applicant and the subject: for an appeal, whoever decided the
   * decision it reviews (an appeal is never heard by the same people). Absent: none.
   */
  recused?: string[];
  /** The case sends the copies its stages name (copyTo); absent in cases started before copies (抄送) existed. */
  copies?: true;
}

/**
 * Bounds on what people can add to a case without deciding it, so no case's history grows without end: they are
 * fixed when the case starts (configuration of the worker that starts it).
 */
export interface CaseLimits {
  comments: number;
  objections: number;
  /** Reminders the applicant sends (remind), over the whole case. */
  reminds: number;
}

/** What the limits count. */
export interface CaseCounts {
  comments: number;
  objections: number;
  reminds: number;
}

/** A stage in this case's plan: a stage of the definition, or one added by 加签 (its id "added-<n>"). */
export interface StageInstance extends StageSnapshot {
  /** For stages added by add-approver: the user who decides it, and who added it. */
  fixedAssignee?: string;
  addedBy?: string;
}

export interface Decision {
  userId: string | null;
  decision: 'approve' | 'reject';
  at: string;
  comment?: string;
}

export interface Vote {
  userId: string;
  choice: VoteChoice;
  at: string;
  comment?: string;
}

export interface OpenStage {
  stageId: string;
  /** waiting: scheduled to open later (startAfter); resolving: assignees being looked up; open: actionable. */
  phase: 'waiting' | 'resolving' | 'open';
  startsAt: string | null;
  openedAt: string | null;
  dueAt: string | null;
  assignees: string[];
  /** Everyone who holds the stage's role (transfer targets). */
  eligible: string[];
  approvals: Decision[];
  votes: Vote[];
  remindersSent: number;
  escalation: 'none' | 'pending' | 'done';
  deadlinePassed: boolean;
  /** Eligibility re-evaluated when the stage opened (recheckEligibility stages). */
  eligibility: EligibilitySummary | null;
  needsEligibility: boolean;
}

export interface NoticeState {
  afterStage: string;
  startedAt: string;
  dueAt: string | null;
  /** Set while paused by an objection under review: what is left of the period. */
  remaining: Period | null;
  /** Who rules on objections: the deciders of the stage the notice follows. */
  resolvers: string[];
}

export interface Objection {
  id: string;
  by: string;
  at: string;
  text: string;
  /** How it reached the case (absent on objections recorded before channels existed: online). */
  channel?: ObjectionChannel;
  status: 'open' | 'dismissed' | 'upheld';
  resolvedBy?: string;
  resolvedAt?: string;
  resolution?: string;
}

export interface ReturnState {
  by: string;
  at: string;
  /** The stage that resumes after resubmission: the returning stage itself or an earlier one. */
  resumeStage: string;
  /** What was left of the returning stage's deadline (resumed only when resumeStage is that stage). */
  remaining: Period | null;
}

export interface CaseState {
  caseId: string;
  type: string;
  definition: ProcessSnapshot;
  applicantId: string;
  subject: SubjectRef;
  payload: Record<string, Json>;
  status: CaseStatus;
  outcome: string | null;
  plan: StageInstance[];
  cursor: number;
  current: OpenStage | null;
  /** userId → id of the decision stage they decided (separation of duties). */
  deciders: Record<string, string>;
  /** Data recorded at each completed stage, by stage id. */
  stageData: Record<string, Record<string, Json>>;
  /** Who completed each stage (approvers, voters, the officer who recorded it), by stage id. */
  stageActors: Record<string, string[]>;
  notice: NoticeState | null;
  objections: Objection[];
  returned: ReturnState | null;
  /** Clock suspensions (中止) while the case waited for the applicant. */
  suspensions: { from: string; to: string | null }[];
  calendar: WorkingCalendar;
  submittedAt: string;
  decidedAt: string | null;
  /** The decision is final; the outcome is being applied to the personnel records. */
  pendingOutcome: boolean;
  seq: number;
  lastHash: string;
  /** Time of the newest event (the clock of a case never goes back). */
  lastAt?: string;
  addedStages: number;
  limits?: CaseLimits;
  counts?: CaseCounts;
  eventFormat?: 2;
  /** Files attached to the case (absent from states recorded before attachments existed). */
  attachments?: AttachedFile[];
  /** How many times a stage was entered: tells a stage's visit from a later one (removing an attachment). */
  stageEntries?: number;
  /** Recused from every stage (CaseInput.recused); absent in cases that recuse nobody beyond the usual. */
  recused?: string[];
  /**
   * Those sent a copy (抄送) of a decided stage, sorted: they read the case and never act on it. Present only in
   * cases that send copies (CaseInput.copies).
   */
  observers?: string[];
  /** Decided stages whose copies are still to be addressed (resolve-copies), in order. */
  pendingCopies?: string[];
}

/** A file on the case: who attached it, at which stage and which visit of it (stageEntries then). */
export interface AttachedFile {
  id: string;
  by: string;
  stage: string | null;
  entry: number;
  removed: boolean;
}

/**
 * A case's state as the projection receives it: the frozen rule set only by id, version and title. The
 * workflow keeps the body for eligibility re-checks and outcomes; it is most of the state's size, and nothing
 * the read model derives from the state (allowed actions, stages, stage data, objections) reads it.
 */
export type RecordedCaseState = Omit<CaseState, 'definition'> & {
  definition: Omit<ProcessSnapshot, 'ruleSet'> & { ruleSet: Pick<ProcessSnapshot['ruleSet'], 'id' | 'version' | 'title'> };
};

export function recordedState(state: CaseState): RecordedCaseState {
  const { id, version, title } = state.definition.ruleSet;
  return { ...state, definition: { ...state.definition, ruleSet: { id, version, title } } };
}

/** Asynchronous work the host must do (through activities) before the case can move on. */
export type PendingWork =
  | {
      kind: 'resolve-assignees';
      stageId: string;
      orgUnitId: string;
      actor: ActorSpec | null;
      fixedAssignee: string | null;
      exclude: string[];
      escalation: boolean;
    }
  | { kind: 'recheck-eligibility'; stageId: string }
  | { kind: 'resolve-copies'; stageId: string; orgUnitId: string; to: ActorSpec[]; exclude: string[] }
  | { kind: 'apply-outcome'; outcome: string };

/** Why a command is refused: forbidden (who), conflict (not now, in this state), invalid (what was sent). */
export interface Refusal {
  code: 'forbidden' | 'conflict' | 'invalid';
  message: string;
}

export const iso = (d: Date) => d.toISOString();

export function stageOf(state: RecordedCaseState, id: string): StageInstance | undefined {
  return state.plan.find((s) => s.id === id);
}

export function currentStage(state: RecordedCaseState): StageInstance | undefined {
  return state.current ? stageOf(state, state.current.stageId) : undefined;
}

export function kindOf(stage: StageInstance): StageKind {
  return stage.kind ?? 'decision';
}

/**
 * Users who may never be assigned to the given stage: the applicant, the subject, and for an individual decision
 * whoever decided another stage of the case. A committee deciding collectively sits as a body: its members who
 * handled an earlier step of the case in their office still belong to it (应到), as the party's rules have it.
 */
export function excludedFrom(state: RecordedCaseState, stage: StageInstance): string[] {
  const excluded = new Set<string>([state.applicantId]);
  if (state.subject.userId) excluded.add(state.subject.userId);
  for (const userId of state.recused ?? []) excluded.add(userId);
  if (kindOf(stage) === 'decision' && stage.mode !== 'collective') {
    for (const [userId, stageId] of Object.entries(state.deciders)) if (stageId !== stage.id) excluded.add(userId);
  }
  return [...excluded].sort();
}

function parentLevel(level: OrgLevel): OrgLevel {
  const rank = ORG_LEVELS.indexOf(level);
  return ORG_LEVELS[Math.max(0, rank - 1)] as OrgLevel;
}

/** Who is added when a stage's deadline escalates it: its escalateTo, else the same department a level up. */
export function escalationActor(stage: StageInstance): ActorSpec {
  return stage.escalateTo ?? { ...stage.actor, level: parentLevel(stage.actor.level) };
}
