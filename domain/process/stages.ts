import { addPeriod } from '../calendar';
import { GENESIS_HASH, type ChainedEvent, type Json } from '../history';
import { evaluateCondition } from './definition';
import { attachFiles } from './attachments';
import { emit } from './events';
import { currentStage, iso, kindOf, type CaseInput, type CaseState, type OpenStage, type StageInstance } from './state';
import type { CaseStatus } from './vocabulary';

/**
 * Moving through the plan: starting a case, entering a stage (or skipping it, or scheduling it to open
 * later), completing it into the public notice or the next stage, and ending the plan with an outcome.
 */

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
    plan: input.definition.stages.map((s) => ({ ...s })),
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
    ...(input.limits ? { limits: input.limits, counts: { comments: 0, objections: 0, reminds: 0 } } : {}),
    ...(input.eventFormat ? { eventFormat: input.eventFormat } : {}),
    // Stage visits are counted in cases of the current event format only, so no case started before changes.
    ...(input.eventFormat === 2 ? { stageEntries: 0 } : {}),
    ...(input.recused?.length ? { recused: [...new Set(input.recused)].sort() } : {}),
    ...(input.copies ? { observers: [], pendingCopies: [] } : {}),
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
      ...(state.recused ? { recused: state.recused } : {}),
    },
  });
  enterStage(state, 0, now, events);
  if (input.attachments?.length) attachFiles(state, input.applicantId, input.attachments, now, events);
  return { state, events };
}

function conditionContext(state: CaseState) {
  return { payload: state.payload, subject: { id: state.subject.id, ...state.subject.attributes }, stageData: state.stageData };
}

export function openStageStatus(stage: StageInstance): CaseStatus {
  return kindOf(stage) === 'follow_up' ? 'follow_up' : 'in_review';
}

function newOpenStage(stageId: string): OpenStage {
  return {
    stageId,
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
export function enterStage(state: CaseState, index: number, now: Date, out: ChainedEvent[]): void {
  for (let i = index; i < state.plan.length; i += 1) {
    const stage = state.plan[i] as StageInstance;
    if (stage.when && !evaluateCondition(stage.when, conditionContext(state))) {
      emit(state, now, out, 'stage_skipped', { stage: stage.id, data: { reason: 'condition not met' } });
      continue;
    }
    state.cursor = i;
    state.current = newOpenStage(stage.id);
    if (state.stageEntries !== undefined) state.stageEntries += 1;
    state.status = openStageStatus(stage);
    if (stage.startAfter) {
      state.current.phase = 'waiting';
      state.current.startsAt = iso(addPeriod(now, stage.startAfter, state.calendar));
      emit(state, now, out, 'stage_scheduled', { stage: stage.id, data: { startsAt: state.current.startsAt } });
    }
    return;
  }
  finishPlan(state, now);
}

/** Index of a stage of the plan by id (-1 when absent). */
export function planIndexOf(state: CaseState, stageId: string): number {
  return state.plan.findIndex((p) => p.id === stageId);
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

/**
 * The current stage is decided in favour: what it recorded and who decided it. Called before the event that
 * decides it, so that event already covers the stage data (facts.ts); completeStage then moves on.
 */
export function recordStageResult(state: CaseState, data: Record<string, Json>, deciders: string[]): void {
  const stage = currentStage(state) as StageInstance;
  if (kindOf(stage) === 'decision') for (const userId of deciders) state.deciders[userId] = stage.id;
  state.stageData[stage.id] = { ...(state.stageData[stage.id] ?? {}), ...data };
  state.stageActors[stage.id] = deciders;
  // Its copies (抄送) go out once the stage is decided; the host finds their addressees (resolve-copies).
  if (state.pendingCopies && stage.copyTo?.length) state.pendingCopies.push(stage.id);
}

/** The current stage has been decided in favour (its result recorded): into its public notice or the next stage. */
export function completeStage(state: CaseState, now: Date, out: ChainedEvent[]): void {
  const stage = currentStage(state) as StageInstance;
  const current = state.current as OpenStage;
  const notice = state.definition.publicNotice;
  if (notice && notice.afterStage === stage.id) {
    state.current = null;
    const dueAt = iso(addPeriod(now, notice.period, state.calendar));
    state.notice = { afterStage: stage.id, startedAt: iso(now), dueAt, remaining: null, resolvers: current.assignees };
    emit(state, now, out, 'notice_opened', { stage: stage.id, status: 'public_notice', data: { dueAt } });
    return;
  }
  enterStage(state, state.cursor + 1, now, out);
}

/** The public notice has run its course: the plan goes on after the stage it followed. */
export function completeNotice(state: CaseState, now: Date, out: ChainedEvent[]): void {
  const notice = state.notice;
  if (!notice) return;
  state.notice = null;
  emit(state, now, out, 'notice_completed', { stage: notice.afterStage, data: { startedAt: notice.startedAt } });
  enterStage(state, planIndexOf(state, notice.afterStage) + 1, now, out);
}

export function rejectCase(state: CaseState, now: Date): void {
  state.current = null;
  state.notice = null;
  state.decidedAt = iso(now);
  state.status = 'rejected';
}
