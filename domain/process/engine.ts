import { addPeriod, remainingPeriod, type Period, type WorkingCalendar } from '../calendar';
import { GENESIS_HASH, hashEvent, type ChainedEvent, type Json } from '../history';
import type { Localized } from '../localized';
import type { ActorSpec, OrgLevel } from '../org';
import { ORG_LEVELS } from '../org';
import {
  evaluateCondition,
  fieldProblems,
  type ProcessSnapshot,
  type StageKind,
  type StageMode,
  type StageSnapshot,
} from './definition';
import { CASE_ACTIONS, isFinal, type CaseAction, type CaseStatus } from './vocabulary';

/**
 * The approval engine as a pure state machine. The case workflow hosts one `CaseState`, feeds it commands
 * (approver actions), clock ticks and the results of its activities, and persists the events it emits.
 * Nothing here performs I/O or reads the clock: `now` is always passed in, so the same code runs inside the
 * deterministic workflow sandbox, in the API (to list the actions a user may take) and in plain unit tests.
 */

export { CASE_ACTIONS, CASE_STATUSES, FINAL_STATUSES, isFinal, type CaseAction, type CaseStatus } from './vocabulary';

export type VoteChoice = 'for' | 'against' | 'abstain';

/** An approver or applicant action, with the acting user taken from the verified token by the API. */
export type CaseCommand =
  | { action: 'approve'; actorId: string; comment?: string; data?: Record<string, Json> }
  | { action: 'reject'; actorId: string; comment: string }
  | { action: 'return'; actorId: string; comment: string; to: 'applicant' | string }
  | { action: 'resubmit'; actorId: string; payload: Record<string, Json>; comment?: string }
  | { action: 'withdraw'; actorId: string; comment?: string }
  | { action: 'transfer'; actorId: string; toUserId: string; comment?: string }
  | { action: 'add-approver'; actorId: string; userId: string; position: 'before' | 'after'; comment?: string }
  | { action: 'vote'; actorId: string; choice: VoteChoice; comment?: string }
  | { action: 'close-vote'; actorId: string; minutes: string; data?: Record<string, Json> }
  | { action: 'comment'; actorId: string; comment: string }
  | { action: 'remind'; actorId: string; comment?: string }
  | { action: 'object'; actorId: string; comment: string }
  | {
      action: 'resolve-objection';
      actorId: string;
      objectionId: string;
      resolution: 'dismissed' | 'upheld';
      /** For an upheld objection: decide the case again, or reject it. */
      effect?: 'reconsider' | 'reject';
      comment: string;
    };

/** Why a command is refused: forbidden (who), conflict (not now, in this state), invalid (what was sent). */
export interface Refusal {
  code: 'forbidden' | 'conflict' | 'invalid';
  message: string;
}

export interface SubjectRef {
  id: string;
  name: string;
  /** The worker's own staff account, if any: they are recused from every stage of their own case. */
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
}

/** A stage in this case's plan: a stage of the definition, or one added by 加签. */
export interface StageInstance extends StageSnapshot {
  key: string;
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
  key: string;
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
  /** userId → key of the decision stage they decided (separation of duties). */
  deciders: Record<string, string>;
  /** Data recorded at each completed stage, by stage key. */
  stageData: Record<string, Record<string, Json>>;
  /** Who completed each stage (approvers, voters, the officer who recorded it), by stage key. */
  stageActors: Record<string, string[]>;
  notice: NoticeState | null;
  objections: Objection[];
  returned: ReturnState | null;
  /** Clock suspensions (中止) while the case waited for the applicant. */
  suspensions: { from: string; to: string | null }[];
  calendar: WorkingCalendar;
  submittedAt: string;
  decidedAt: string | null;
  /** The decision is final; the outcome is being applied to the records. */
  pendingOutcome: boolean;
  seq: number;
  lastHash: string;
  addedStages: number;
}

/** Asynchronous work the host must do (through activities) before the case can move on. */
export type PendingWork =
  | {
      kind: 'resolve-assignees';
      stageKey: string;
      orgUnitId: string;
      actor: ActorSpec | null;
      fixedAssignee: string | null;
      exclude: string[];
      escalation: boolean;
    }
  | { kind: 'recheck-eligibility'; stageKey: string }
  | { kind: 'apply-outcome'; outcome: string };

// ---------------------------------------------------------------------------------------------------------
// Events

function emit(
  state: CaseState,
  now: Date,
  out: ChainedEvent[],
  action: string,
  fields: { actorId?: string | null; stage?: string | null; comment?: string | null; data?: Json; status?: CaseStatus; first?: boolean } = {},
): void {
  const fromStatus = fields.first ? null : state.status;
  if (fields.status) state.status = fields.status;
  const body = {
    caseId: state.caseId,
    seq: state.seq + 1,
    at: now.toISOString(),
    actorId: fields.actorId ?? null,
    action,
    fromStatus,
    toStatus: state.status,
    stage: fields.stage ?? null,
    comment: fields.comment ?? null,
    // A copy: the event must not change when the state it was taken from changes later.
    data: JSON.parse(JSON.stringify(fields.data ?? {})) as Json,
    prevHash: state.lastHash,
  };
  const event = { ...body, hash: hashEvent(body) };
  state.seq = event.seq;
  state.lastHash = event.hash;
  out.push(event);
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

const iso = (d: Date) => d.toISOString();

export function stageOf(state: RecordedCaseState, key: string): StageInstance | undefined {
  return state.plan.find((s) => s.key === key);
}

function currentStage(state: RecordedCaseState): StageInstance | undefined {
  return state.current ? stageOf(state, state.current.key) : undefined;
}

function kindOf(stage: StageInstance): StageKind {
  return stage.kind ?? 'decision';
}

function conditionContext(state: CaseState) {
  return { payload: state.payload, subject: { id: state.subject.id, ...state.subject.attributes }, stageData: state.stageData };
}

function parentLevel(level: OrgLevel): OrgLevel {
  const rank = ORG_LEVELS.indexOf(level);
  return ORG_LEVELS[Math.max(0, rank - 1)] as OrgLevel;
}

/** Users who may never be assigned to the given stage. */
function excludedFrom(state: CaseState, stage: StageInstance): string[] {
  const excluded = new Set<string>([state.applicantId]);
  if (state.subject.userId) excluded.add(state.subject.userId);
  if (kindOf(stage) === 'decision') {
    for (const [userId, key] of Object.entries(state.deciders)) if (key !== stage.key) excluded.add(userId);
  }
  return [...excluded].sort();
}

function openStageStatus(stage: StageInstance): CaseStatus {
  return kindOf(stage) === 'follow_up' ? 'follow_up' : 'in_review';
}

function newOpenStage(key: string): OpenStage {
  return {
    key,
    phase: 'resolving',
    startsAt: null,
    openedAt: null,
    dueAt: null,
    assignees: [],
    eligible: [],
    approvals: [],
    votes: [],
    remindersSent: 0,
    escalation: 'none',
    deadlinePassed: false,
    eligibility: null,
    needsEligibility: false,
  };
}

/** Enters the stage at plan index `index` (skipping stages whose condition fails), or finishes the plan. */
function enterStage(state: CaseState, index: number, now: Date, out: ChainedEvent[]): void {
  for (let i = index; i < state.plan.length; i += 1) {
    const stage = state.plan[i] as StageInstance;
    if (stage.when && !evaluateCondition(stage.when, conditionContext(state))) {
      emit(state, now, out, 'stage_skipped', { stage: stage.key, data: { reason: 'condition not met' } });
      continue;
    }
    state.cursor = i;
    state.current = newOpenStage(stage.key);
    state.status = openStageStatus(stage);
    if (stage.startAfter) {
      state.current.phase = 'waiting';
      state.current.startsAt = iso(addPeriod(now, stage.startAfter, state.calendar));
      emit(state, now, out, 'stage_scheduled', { stage: stage.key, data: { startsAt: state.current.startsAt } });
    }
    return;
  }
  finishPlan(state, now);
}

function finishPlan(state: CaseState, now: Date): void {
  state.cursor = state.plan.length;
  state.current = null;
  const rule = state.definition.outcome;
  const value = rule ? state.stageData[rule.stage]?.[rule.field] : undefined;
  state.outcome = typeof value === 'string' ? value : 'approved';
  state.decidedAt = state.decidedAt ?? iso(now);
  state.pendingOutcome = true;
}

/** The current stage has been decided in favour: record its data and move on. */
function completeStage(state: CaseState, now: Date, out: ChainedEvent[], data: Record<string, Json>, deciders: string[]): void {
  const stage = currentStage(state) as StageInstance;
  const current = state.current as OpenStage;
  if (kindOf(stage) === 'decision') for (const userId of deciders) state.deciders[userId] = stage.key;
  state.stageData[stage.key] = { ...(state.stageData[stage.key] ?? {}), ...data };
  state.stageActors[stage.key] = deciders;
  const notice = state.definition.publicNotice;
  if (notice && notice.afterStage === stage.key) {
    state.current = null;
    const dueAt = iso(addPeriod(now, notice.period, state.calendar));
    state.notice = { afterStage: stage.key, startedAt: iso(now), dueAt, remaining: null, resolvers: current.assignees };
    emit(state, now, out, 'notice_opened', { stage: stage.key, status: 'public_notice', data: { dueAt } });
    return;
  }
  enterStage(state, state.cursor + 1, now, out);
}

function rejectCase(state: CaseState, now: Date): void {
  state.current = null;
  state.notice = null;
  state.decidedAt = iso(now);
  state.status = 'rejected';
}

// ---------------------------------------------------------------------------------------------------------
// Starting a case

export function startCase(input: CaseInput, now: Date): { state: CaseState; events: ChainedEvent[] } {
  const state: CaseState = {
    caseId: input.caseId,
    type: input.type,
    definition: input.definition,
    applicantId: input.applicantId,
    subject: input.subject,
    payload: input.payload,
    status: 'in_review',
    outcome: null,
    plan: input.definition.stages.map((s) => ({ ...s, key: s.id })),
    cursor: -1,
    current: null,
    deciders: {},
    stageData: {},
    stageActors: {},
    notice: null,
    objections: [],
    returned: null,
    suspensions: [],
    calendar: input.calendar,
    submittedAt: iso(now),
    decidedAt: null,
    pendingOutcome: false,
    seq: 0,
    lastHash: GENESIS_HASH,
    addedStages: 0,
  };
  const events: ChainedEvent[] = [];
  emit(state, now, events, 'submit', {
    actorId: input.applicantId,
    first: true,
    data: {
      type: input.type,
      subjectId: input.subject.id,
      payload: input.payload,
      definition: { type: input.definition.type, version: input.definition.version },
      ruleSet: { id: input.definition.ruleSet.id, version: input.definition.ruleSet.version },
      ...(input.eligibility ? { eligibility: input.eligibility as unknown as Json } : {}),
    },
  });
  enterStage(state, 0, now, events);
  return { state, events };
}

// ---------------------------------------------------------------------------------------------------------
// Asynchronous work and its results

export function pendingWork(state: CaseState): PendingWork | null {
  const current = state.current;
  const stage = currentStage(state);
  if (current && stage && !isFinal(state.status) && !state.returned) {
    if (current.phase === 'resolving') {
      return {
        kind: 'resolve-assignees',
        stageKey: stage.key,
        orgUnitId: state.subject.orgUnitId,
        actor: stage.fixedAssignee ? null : stage.actor,
        fixedAssignee: stage.fixedAssignee ?? null,
        exclude: excludedFrom(state, stage),
        escalation: false,
      };
    }
    if (current.escalation === 'pending') {
      return {
        kind: 'resolve-assignees',
        stageKey: stage.key,
        orgUnitId: state.subject.orgUnitId,
        actor: stage.escalateTo ?? { ...stage.actor, level: parentLevel(stage.actor.level) },
        fixedAssignee: null,
        exclude: excludedFrom(state, stage),
        escalation: true,
      };
    }
    if (current.phase === 'open' && current.needsEligibility) return { kind: 'recheck-eligibility', stageKey: stage.key };
  }
  if (state.pendingOutcome && !isFinal(state.status)) return { kind: 'apply-outcome', outcome: state.outcome ?? 'approved' };
  return null;
}

export interface ResolvedAssignees {
  /** Holders of the stage's role at the resolved unit, minus excluded users, in a stable order. */
  eligible: string[];
}

export function assigneesResolved(state: CaseState, work: Extract<PendingWork, { kind: 'resolve-assignees' }>, result: ResolvedAssignees, now: Date): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  const current = state.current;
  const stage = currentStage(state);
  if (!current || !stage || current.key !== work.stageKey) return out;
  const eligible = result.eligible.filter((u) => !work.exclude.includes(u));
  if (work.escalation) {
    const added = eligible.filter((u) => !current.assignees.includes(u));
    current.assignees.push(...added);
    current.eligible = [...new Set([...current.eligible, ...added])];
    current.escalation = 'done';
    current.deadlinePassed = false;
    if (stage.deadline) current.dueAt = iso(addPeriod(now, stage.deadline, state.calendar));
    emit(state, now, out, 'escalated', { stage: stage.key, data: { added, dueAt: current.dueAt } });
    return out;
  }
  current.phase = 'open';
  current.openedAt = iso(now);
  current.eligible = eligible;
  current.assignees = stage.mode === 'single' ? eligible.slice(0, 1) : eligible;
  current.dueAt = stage.deadline ? iso(addPeriod(now, stage.deadline, state.calendar)) : null;
  current.needsEligibility = Boolean(stage.recheckEligibility);
  emit(state, now, out, 'stage_opened', {
    stage: stage.key,
    data: { assignees: current.assignees, mode: stage.mode, dueAt: current.dueAt },
  });
  if (current.assignees.length === 0) {
    // Nobody may act (no role holder, or all recused): go to the supervising level at once.
    current.escalation = 'pending';
    emit(state, now, out, 'stage_unassigned', { stage: stage.key });
  }
  return out;
}

export function eligibilityRechecked(state: CaseState, result: EligibilitySummary, now: Date): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  if (!state.current) return out;
  state.current.needsEligibility = false;
  state.current.eligibility = result;
  emit(state, now, out, 'eligibility_rechecked', { stage: state.current.key, data: result as unknown as Json });
  return out;
}

export function outcomeApplied(state: CaseState, now: Date, effect: Json): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  state.pendingOutcome = false;
  emit(state, now, out, 'outcome_applied', { data: { outcome: state.outcome, effect } });
  emit(state, now, out, 'complete', { status: 'completed', data: { outcome: state.outcome } });
  return out;
}

/** Replaces the calendar (a newer year loaded by an activity); no event, the calendar is reference data. */
export function refreshCalendar(state: CaseState, calendar: WorkingCalendar): void {
  state.calendar = calendar;
}

// ---------------------------------------------------------------------------------------------------------
// Who may do what, now

function participants(state: RecordedCaseState): Set<string> {
  const set = new Set<string>([state.applicantId, ...Object.keys(state.deciders)]);
  for (const u of state.current?.assignees ?? []) set.add(u);
  for (const u of state.notice?.resolvers ?? []) set.add(u);
  return set;
}

/** Refuses an action for an actor in the current state, regardless of the command's content. */
export function refuseActor(state: RecordedCaseState, action: CaseAction, actorId: string): Refusal | null {
  const conflict = (message: string): Refusal => ({ code: 'conflict', message });
  const forbidden = (message: string): Refusal => ({ code: 'forbidden', message });
  if (isFinal(state.status)) return conflict(`the case is ${state.status}`);
  if (state.pendingOutcome) return conflict('the decision is final and is being applied to the records');
  const isApplicant = actorId === state.applicantId;
  const isSubject = state.subject.userId !== null && actorId === state.subject.userId;
  const current = state.current;
  const stage = currentStage(state);

  switch (action) {
    case 'resubmit':
      if (!isApplicant) return forbidden('only the applicant can resubmit the case');
      return state.status === 'returned' ? null : conflict('the case has not been returned');
    case 'withdraw':
      return isApplicant ? null : forbidden('only the applicant can withdraw the case');
    case 'remind':
      if (!isApplicant) return forbidden('only the applicant can send a reminder');
      return current && state.status !== 'returned' ? null : conflict('no stage is waiting for a decision');
    case 'comment':
      if (isSubject) return forbidden('the subject of a case cannot comment on it (回避)');
      return participants(state).has(actorId) ? null : forbidden('only participants of the case can comment');
    case 'object':
      if (isSubject) return forbidden('the subject of a case cannot object to it');
      return state.status === 'public_notice' || state.status === 'objection_review'
        ? null
        : conflict('objections are accepted only during the public notice (公示)');
    case 'resolve-objection':
      if (state.status !== 'objection_review') return conflict('no objection is under review');
      return state.notice?.resolvers.includes(actorId) ? null : forbidden('only the deciding body of the notice can rule on objections');
    default:
      break;
  }

  // Stage actions: approve, reject, return, transfer, add-approver, vote, close-vote.
  if (isSubject) return forbidden('the subject of a case is recused from deciding it (回避)');
  if (isApplicant) return forbidden('the applicant cannot decide their own case');
  if (!current || !stage || (state.status !== 'in_review' && state.status !== 'follow_up')) {
    return conflict(`no stage is open for decisions (the case is ${state.status})`);
  }
  if (current.phase !== 'open') return conflict(`stage "${stage.key}" is not open yet`);
  if (current.escalation === 'pending') return conflict(`stage "${stage.key}" is being escalated`);
  if (!current.assignees.includes(actorId)) return conflict(`you are not assigned to the current stage "${stage.key}"`);
  const decidedElsewhere = state.deciders[actorId];
  if (kindOf(stage) === 'decision' && decidedElsewhere && decidedElsewhere !== stage.key) {
    return forbidden(`you already decided stage "${decidedElsewhere}" of this case; nobody decides a case twice`);
  }
  const kind = kindOf(stage);
  const voted = current.votes.some((v) => v.userId === actorId);
  const approved = current.approvals.some((d) => d.userId === actorId);
  switch (action) {
    case 'approve':
      if (stage.mode === 'vote') return conflict('this stage decides by vote');
      if (approved) return conflict('you have already approved this stage');
      if (current.needsEligibility) return conflict('eligibility is being re-checked');
      if (current.eligibility && !current.eligibility.eligible) {
        return conflict('the subject no longer meets the eligibility rules; the case can only be rejected');
      }
      return null;
    case 'reject':
      if (kind !== 'decision') return conflict(`a ${kind} stage is confirmed, not rejected`);
      if (stage.mode === 'vote') return conflict('this stage decides by vote');
      return null;
    case 'return':
      return kind === 'follow_up' ? conflict('a follow-up stage cannot return the case') : null;
    case 'transfer':
      return approved || voted ? conflict('you have already acted on this stage') : null;
    case 'add-approver':
      return stage.mode === 'vote' ? conflict('members cannot be added to a vote') : null;
    case 'vote':
      if (stage.mode !== 'vote') return conflict('this stage does not decide by vote');
      return voted ? conflict('you have already voted') : null;
    case 'close-vote': {
      if (stage.mode !== 'vote' || !stage.vote) return conflict('this stage does not decide by vote');
      const share = current.votes.length / Math.max(1, current.assignees.length);
      return share + 1e-9 >= stage.vote.quorum
        ? null
        : conflict(`the quorum is not reached (${current.votes.length} of ${current.assignees.length} voted)`);
    }
    default:
      return conflict(`unknown action ${String(action)}`);
  }
}

const blank = (s: string | undefined) => s === undefined || s.trim() === '';

/** Refuses a command for what it carries (missing comment, bad stage data, unknown target). */
function refuseContent(state: CaseState, command: CaseCommand): Refusal | null {
  const invalid = (message: string): Refusal => ({ code: 'invalid', message });
  const stage = currentStage(state);
  const current = state.current;
  switch (command.action) {
    case 'reject':
      return blank(command.comment) ? invalid('a rejection needs a comment giving the reason') : null;
    case 'return': {
      if (blank(command.comment)) return invalid('a return needs a comment saying what to amend');
      if (command.to === 'applicant') return null;
      const index = state.plan.findIndex((s) => s.key === command.to);
      if (index < 0 || index >= state.cursor) return invalid(`"${command.to}" is not an earlier stage of this case`);
      return null;
    }
    case 'approve': {
      const problems = fieldProblems(stage?.fields, command.data);
      return problems.length ? invalid(problems.join('; ')) : null;
    }
    case 'close-vote': {
      if (blank(command.minutes)) return invalid('closing a vote needs the minutes (会议纪要)');
      const problems = fieldProblems(stage?.fields, command.data);
      return problems.length ? invalid(problems.join('; ')) : null;
    }
    case 'resubmit':
      return command.payload && typeof command.payload === 'object' && !Array.isArray(command.payload)
        ? null
        : invalid('resubmit needs the amended payload object');
    case 'transfer': {
      if (!current || !stage) return null;
      if (command.toUserId === command.actorId) return invalid('cannot transfer to yourself');
      if (current.assignees.includes(command.toUserId)) return invalid(`${command.toUserId} is already assigned to this stage`);
      if (!current.eligible.includes(command.toUserId) || excludedFrom(state, stage).includes(command.toUserId)) {
        return invalid(`${command.toUserId} does not hold this stage's role or is recused`);
      }
      return null;
    }
    case 'add-approver': {
      if (!current || !stage) return null;
      if (excludedFrom(state, { ...stage, kind: 'decision', key: '__added__' }).includes(command.userId)) {
        return invalid(`${command.userId} is the applicant, the subject, or already decided this case`);
      }
      if (current.assignees.includes(command.userId)) return invalid(`${command.userId} is already assigned to this stage`);
      return null;
    }
    case 'comment':
      return blank(command.comment) ? invalid('a comment cannot be empty') : null;
    case 'object':
      return blank(command.comment) ? invalid('an objection needs its content') : null;
    case 'resolve-objection': {
      if (blank(command.comment)) return invalid('a ruling on an objection needs a comment');
      const objection = state.objections.find((o) => o.id === command.objectionId);
      if (!objection) return invalid(`unknown objection "${command.objectionId}"`);
      if (objection.status !== 'open') return invalid(`objection "${command.objectionId}" is already ${objection.status}`);
      if (command.resolution === 'upheld' && !command.effect) return invalid('an upheld objection needs an effect: reconsider or reject');
      return null;
    }
    default:
      return null;
  }
}

/** The reason a command would be refused, or null when it may be applied. */
export function checkCommand(state: CaseState, command: CaseCommand): Refusal | null {
  if (!(CASE_ACTIONS as readonly string[]).includes(command.action)) {
    return { code: 'invalid', message: `unknown action "${String(command.action)}"` };
  }
  return refuseActor(state, command.action, command.actorId) ?? refuseContent(state, command);
}

/** The actions `userId` may take on the case now (content checks aside). */
export function allowedActions(state: RecordedCaseState, userId: string): CaseAction[] {
  return CASE_ACTIONS.filter((action) => refuseActor(state, action, userId) === null);
}

// ---------------------------------------------------------------------------------------------------------
// Applying commands

/** Applies a command that passed `checkCommand`; returns the events it produced. */
export function applyCommand(state: CaseState, command: CaseCommand, now: Date): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  const current = state.current;
  const stage = currentStage(state);
  const stageKey = stage?.key ?? null;
  const base = { actorId: command.actorId, stage: stageKey };

  switch (command.action) {
    case 'approve': {
      const s = stage as StageInstance;
      const c = current as OpenStage;
      c.approvals.push({ userId: command.actorId, decision: 'approve', at: iso(now), comment: command.comment });
      emit(state, now, out, 'approve', { ...base, comment: command.comment, data: command.data ?? {} });
      const done = s.mode !== 'all' || c.assignees.every((u) => c.approvals.some((a) => a.userId === u));
      if (done) completeStage(state, now, out, command.data ?? {}, c.approvals.map((a) => a.userId).filter((u): u is string => u !== null));
      break;
    }
    case 'reject':
      (current as OpenStage).approvals.push({ userId: command.actorId, decision: 'reject', at: iso(now), comment: command.comment });
      state.deciders[command.actorId] = stageKey as string;
      rejectCase(state, now);
      emit(state, now, out, 'reject', { ...base, comment: command.comment, status: 'rejected' });
      break;
    case 'return': {
      const c = current as OpenStage;
      const s = stage as StageInstance;
      const resumeStage = command.to === 'applicant' ? s.key : command.to;
      const remaining = resumeStage === s.key && c.dueAt && s.deadline ? remainingPeriod(now, new Date(c.dueAt), s.deadline, state.calendar) : null;
      state.returned = { by: command.actorId, at: iso(now), resumeStage, remaining };
      state.suspensions.push({ from: iso(now), to: null });
      emit(state, now, out, 'return', { ...base, comment: command.comment, status: 'returned', data: { to: command.to } });
      emit(state, now, out, 'clock_suspended', { stage: s.key, data: { remaining: remaining as Json } });
      break;
    }
    case 'resubmit': {
      const returned = state.returned as ReturnState;
      state.payload = command.payload;
      state.returned = null;
      const suspension = state.suspensions[state.suspensions.length - 1];
      if (suspension) suspension.to = iso(now);
      emit(state, now, out, 'resubmit', { ...base, comment: command.comment, data: { payload: command.payload } });
      const c = current as OpenStage;
      if (returned.resumeStage === c.key) {
        const s = stage as StageInstance;
        c.dueAt = returned.remaining ? iso(addPeriod(now, returned.remaining, state.calendar)) : c.dueAt;
        c.deadlinePassed = false;
        state.status = openStageStatus(s);
        emit(state, now, out, 'clock_resumed', { stage: c.key, data: { dueAt: c.dueAt, suspendedSince: returned.at } });
      } else {
        state.status = 'in_review';
        emit(state, now, out, 'clock_resumed', { stage: returned.resumeStage, data: { suspendedSince: returned.at } });
        enterStage(state, state.plan.findIndex((p) => p.key === returned.resumeStage), now, out);
      }
      break;
    }
    case 'withdraw':
      state.current = null;
      state.notice = null;
      state.returned = null;
      state.decidedAt = iso(now);
      emit(state, now, out, 'withdraw', { ...base, comment: command.comment, status: 'withdrawn' });
      break;
    case 'transfer': {
      const c = current as OpenStage;
      c.assignees = c.assignees.map((u) => (u === command.actorId ? command.toUserId : u));
      emit(state, now, out, 'transfer', { ...base, comment: command.comment, data: { from: command.actorId, to: command.toUserId } });
      break;
    }
    case 'add-approver': {
      const s = stage as StageInstance;
      state.addedStages += 1;
      const added: StageInstance = {
        key: `added-${state.addedStages}`,
        id: `added-${state.addedStages}`,
        title: { zh: '加签审批', en: 'Added approver' } satisfies Localized,
        kind: 'decision',
        mode: 'single' satisfies StageMode,
        actor: s.actor,
        fixedAssignee: command.userId,
        addedBy: command.actorId,
        ...(s.deadline ? { deadline: s.deadline } : {}),
        onExpiry: 'none',
      };
      const at = command.position === 'before' ? state.cursor : state.cursor + 1;
      state.plan.splice(at, 0, added);
      emit(state, now, out, 'add-approver', {
        ...base,
        comment: command.comment,
        data: { userId: command.userId, position: command.position, stageKey: added.key },
      });
      // 前加签: the added approver decides first, then the current stage opens again.
      if (command.position === 'before') enterStage(state, at, now, out);
      break;
    }
    case 'vote': {
      const c = current as OpenStage;
      c.votes.push({ userId: command.actorId, choice: command.choice, at: iso(now), comment: command.comment });
      emit(state, now, out, 'vote', { ...base, comment: command.comment, data: { choice: command.choice } });
      break;
    }
    case 'close-vote': {
      const c = current as OpenStage;
      const s = stage as StageInstance;
      const tally = { for: 0, against: 0, abstain: 0 };
      for (const v of c.votes) tally[v.choice] += 1;
      const cast = c.votes.length;
      const passed = tally.for > (s.vote?.passShare ?? 0.5) * cast;
      const data = { ...(command.data ?? {}), tally, members: c.assignees.length, passed, minutes: command.minutes };
      const voters = c.votes.map((v) => v.userId);
      emit(state, now, out, 'close-vote', { ...base, comment: command.minutes, data });
      if (passed) completeStage(state, now, out, { ...(command.data ?? {}), tally, minutes: command.minutes }, voters);
      else {
        for (const u of voters) state.deciders[u] = s.key;
        rejectCase(state, now);
        emit(state, now, out, 'vote_failed', { stage: s.key, status: 'rejected', data: { tally } });
      }
      break;
    }
    case 'comment':
      emit(state, now, out, 'comment', { ...base, comment: command.comment });
      break;
    case 'remind': {
      const c = current as OpenStage;
      emit(state, now, out, 'remind', { ...base, comment: command.comment, data: { to: c.assignees } });
      // A stage nobody could take is looked up again: role assignments may have been fixed since.
      if (c.phase === 'open' && c.assignees.length === 0) c.phase = 'resolving';
      break;
    }
    case 'object': {
      const objection: Objection = { id: `objection-${state.objections.length + 1}`, by: command.actorId, at: iso(now), text: command.comment, status: 'open' };
      state.objections.push(objection);
      const notice = state.notice as NoticeState;
      const period = state.definition.publicNotice?.period;
      emit(state, now, out, 'object', { ...base, stage: notice.afterStage, comment: command.comment, data: { objectionId: objection.id } });
      if (state.status === 'public_notice' && notice.dueAt && period) {
        notice.remaining = remainingPeriod(now, new Date(notice.dueAt), period, state.calendar);
        notice.dueAt = null;
        emit(state, now, out, 'notice_paused', { stage: notice.afterStage, status: 'objection_review', data: { remaining: notice.remaining as Json } });
      }
      break;
    }
    case 'resolve-objection': {
      const notice = state.notice as NoticeState;
      const objection = state.objections.find((o) => o.id === command.objectionId) as Objection;
      objection.status = command.resolution;
      objection.resolvedBy = command.actorId;
      objection.resolvedAt = iso(now);
      objection.resolution = command.comment;
      emit(state, now, out, 'resolve-objection', {
        ...base,
        stage: notice.afterStage,
        comment: command.comment,
        data: { objectionId: objection.id, resolution: command.resolution, effect: command.effect ?? null },
      });
      if (command.resolution === 'upheld' && command.effect === 'reject') {
        rejectCase(state, now);
        emit(state, now, out, 'notice_cancelled', { stage: notice.afterStage, status: 'rejected', data: { objectionId: objection.id } });
      } else if (command.resolution === 'upheld') {
        // Back to the deciding stage: it decides again, and a fresh notice follows a new approval.
        state.notice = null;
        const index = state.plan.findIndex((p) => p.key === notice.afterStage);
        emit(state, now, out, 'notice_cancelled', { stage: notice.afterStage, status: 'in_review', data: { objectionId: objection.id } });
        enterStage(state, index, now, out);
      } else if (!state.objections.some((o) => o.status === 'open') && notice.remaining) {
        notice.dueAt = iso(addPeriod(now, notice.remaining, state.calendar));
        notice.remaining = null;
        emit(state, now, out, 'notice_resumed', { stage: notice.afterStage, status: 'public_notice', data: { dueAt: notice.dueAt } });
      }
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The clock

/** When the case next needs a tick (a stage to open, a reminder, a deadline, the end of a notice). */
export function nextWakeAt(state: CaseState): string | null {
  if (isFinal(state.status) || state.returned || state.pendingOutcome) return null;
  const times: string[] = [];
  const current = state.current;
  const stage = currentStage(state);
  if (current && stage) {
    if (current.phase === 'waiting' && current.startsAt) times.push(current.startsAt);
    if (current.phase === 'open' && current.openedAt) {
      const reminder = stage.reminders?.[current.remindersSent];
      if (reminder) times.push(iso(addPeriod(new Date(current.openedAt), reminder, state.calendar)));
      if (current.dueAt && !current.deadlinePassed) times.push(current.dueAt);
    }
  }
  if (state.status === 'public_notice' && state.notice?.dueAt) times.push(state.notice.dueAt);
  return times.length ? (times.sort()[0] as string) : null;
}

/** Fires everything due at `now`. */
export function tick(state: CaseState, now: Date): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  if (isFinal(state.status) || state.returned || state.pendingOutcome) return out;
  const nowIso = iso(now);
  const current = state.current;
  const stage = currentStage(state);
  if (current && stage) {
    if (current.phase === 'waiting' && current.startsAt && current.startsAt <= nowIso) {
      current.phase = 'resolving';
    }
    if (current.phase === 'open' && current.openedAt) {
      for (;;) {
        const reminder = stage.reminders?.[current.remindersSent];
        if (!reminder || iso(addPeriod(new Date(current.openedAt), reminder, state.calendar)) > nowIso) break;
        current.remindersSent += 1;
        emit(state, now, out, 'reminder', { stage: stage.key, data: { to: current.assignees, dueAt: current.dueAt } });
      }
      if (current.dueAt && !current.deadlinePassed && current.dueAt <= nowIso) {
        current.deadlinePassed = true;
        const action = stage.onExpiry ?? 'none';
        emit(state, now, out, 'deadline_passed', { stage: stage.key, data: { dueAt: current.dueAt, onExpiry: action } });
        if (action === 'escalate' && current.escalation === 'none') current.escalation = 'pending';
        else if (action === 'auto-approve') {
          emit(state, now, out, 'auto_approve', { stage: stage.key });
          completeStage(state, now, out, {}, []);
        } else if (action === 'auto-reject') {
          rejectCase(state, now);
          emit(state, now, out, 'auto_reject', { stage: stage.key, status: 'rejected' });
        }
      }
    }
  }
  const notice = state.notice;
  if (state.status === 'public_notice' && notice?.dueAt && notice.dueAt <= nowIso) {
    state.notice = null;
    emit(state, now, out, 'notice_completed', { stage: notice.afterStage, data: { startedAt: notice.startedAt } });
    enterStage(state, state.plan.findIndex((p) => p.key === notice.afterStage) + 1, now, out);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Read model

/** What the read model stores and the API shows about where the case stands. */
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

/**
 * A case's state as the read model keeps it (Case.state) and as the projection receives it: the frozen rule
 * set only by id, version and title. The workflow keeps the body for eligibility re-checks and outcomes; it
 * is most of the state's size, and nothing the API derives from the state (allowed actions, stages, stage
 * data, objections) reads it.
 */
export type RecordedCaseState = Omit<CaseState, 'definition'> & {
  definition: Omit<ProcessSnapshot, 'ruleSet'> & { ruleSet: Pick<ProcessSnapshot['ruleSet'], 'id' | 'version' | 'title'> };
};

export function recordedState(state: CaseState): RecordedCaseState {
  const { id, version, title } = state.definition.ruleSet;
  return { ...state, definition: { ...state.definition, ruleSet: { id, version, title } } };
}

export function progressOf(state: RecordedCaseState): CaseProgress {
  const noticeOpen = state.status === 'public_notice' || state.status === 'objection_review';
  return {
    status: state.status,
    outcome: state.status === 'completed' ? state.outcome : null,
    currentStage: state.current?.key ?? (noticeOpen ? (state.notice?.afterStage ?? null) : null),
    assignees: awaitingUsers(state),
    dueAt: state.status === 'returned' ? null : noticeOpen ? (state.notice?.dueAt ?? null) : (state.current?.dueAt ?? null),
    decidedAt: state.decidedAt,
  };
}
