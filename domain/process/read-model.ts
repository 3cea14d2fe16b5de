import type { Period } from '../calendar';
import type { Json } from '../history';
import type { Localized } from '../localized';
import { allowedActions } from './actions';
import type { StageKind, StageMode } from './definition';
import { participants } from './permissions';
import { progressOf, type CaseProgress } from './progress';
import { stageOf, type Objection, type RecordedCaseState } from './state';
import type { CaseAction } from './vocabulary';

/**
 * What the API answers about a case beyond the columns of its row, in a shape of its own: the projection
 * computes it from the engine state with every event (activities/projection.ts) and stores it (Case.readModel),
 * so the API never runs the engine, and the engine's state can change without changing a database contract.
 * A change to this shape is a new version, and readers accept the versions they know.
 */

export const READ_MODEL_VERSION = 1;

export interface StageView {
  id: string;
  title: Localized;
  kind: StageKind;
  mode: StageMode;
  deadline: Period | null;
}

export interface CaseReadModel {
  version: typeof READ_MODEL_VERSION;
  /** The stage the case is at, or whose public notice runs; null when none. */
  stage: Pick<StageView, 'id' | 'title' | 'mode'> | null;
  process: {
    type: string;
    version: number;
    title: Localized;
    ruleSet: { id: string; version: number };
    publicNotice: { afterStage: string; period: Period } | null;
  };
  /** The case's plan: its definition's stages and those added by 加签, in order. */
  plan: StageView[];
  /** Data recorded at each completed stage, by stage id. */
  stageData: Record<string, Record<string, Json>>;
  objections: Objection[];
  /** Clock suspensions (中止) while the case waited for the applicant. */
  suspensions: { from: string; to: string | null }[];
  /** What each user the case involves may do now, and what anyone else may (e.g. object during the notice). */
  actions: { byUser: Record<string, CaseAction[]>; anyoneElse: CaseAction[] };
}

/** Nobody the case involves: whoever is not the applicant, the subject, an assignee, a decider, a resolver or an observer. */
const ANYONE_ELSE = '';

/** Users the case involves (participants and the subject's account), who may each do something of their own. */
/** Who takes part in the case, is its subject or was sent a copy (抄送): whose actions the read model lists. */
const involvedIn = (state: RecordedCaseState) =>
  [...new Set([...participants(state), ...(state.subject.userId ? [state.subject.userId] : []), ...(state.observers ?? [])])]
    .filter((u) => u !== ANYONE_ELSE)
    .sort();

const stageViewOf = (state: RecordedCaseState, stageId: string | null): CaseReadModel['stage'] => {
  const current = stageId ? stageOf(state, stageId) : undefined;
  return current ? { id: current.id, title: current.title, mode: current.mode } : null;
};

export function readModelOf(state: RecordedCaseState): CaseReadModel {
  const progress = progressOf(state);
  const involved = involvedIn(state);
  const { definition } = state;
  return {
    version: READ_MODEL_VERSION,
    stage: stageViewOf(state, progress.currentStage),
    process: {
      type: definition.type,
      version: definition.version,
      title: definition.title,
      ruleSet: { id: definition.ruleSet.id, version: definition.ruleSet.version },
      publicNotice: definition.publicNotice ?? null,
    },
    plan: state.plan.map((s) => ({ id: s.id, title: s.title, kind: s.kind ?? 'decision', mode: s.mode, deadline: s.deadline ?? null })),
    stageData: state.stageData,
    objections: state.objections,
    suspensions: state.suspensions,
    actions: {
      byUser: Object.fromEntries(involved.map((u) => [u, allowedActions(state, u)])),
      anyoneElse: allowedActions(state, ANYONE_ELSE),
    },
  };
}

/** The actions a user may take on the case now. */
export function actionsOf(model: CaseReadModel, userId: string): CaseAction[] {
  return (Object.hasOwn(model.actions.byUser, userId) ? model.actions.byUser[userId] : undefined) ?? model.actions.anyoneElse;
}

/**
 * What the API answers about a case after an Update (issue #19): its row as the projection writes it
 * (store/projection.ts caseReadModel) and what the Update's sender may do now, so the API reads nothing back.
 * The case workflow computes it from the state it moved to, and hands it over as the Update's result.
 */
export interface CaseAnswer {
  type: string;
  status: CaseProgress['status'];
  outcome: string | null;
  orgUnitId: string;
  applicantId: string;
  payload: Record<string, Json>;
  stage: CaseReadModel['stage'];
  /** Users the case is waiting for, sorted. */
  assignees: string[];
  dueAt: string | null;
  submittedAt: string;
  decidedAt: string | null;
  /** The time of the newest event. */
  updatedAt: string;
  ruleSet: { id: string; version: number };
  definitionVersion: number;
  /** What the user it was computed for may do now: actionsOf(readModelOf(state), userId). */
  actions: CaseAction[];
}

export function caseAnswerOf(state: RecordedCaseState, userId: string): CaseAnswer {
  const progress = progressOf(state);
  return {
    type: state.type,
    status: progress.status,
    outcome: progress.outcome,
    orgUnitId: state.subject.orgUnitId,
    applicantId: state.applicantId,
    payload: state.payload,
    stage: stageViewOf(state, progress.currentStage),
    assignees: [...progress.assignees].sort(),
    dueAt: progress.dueAt,
    submittedAt: state.submittedAt,
    decidedAt: progress.decidedAt,
    updatedAt: state.lastAt ?? state.submittedAt,
    ruleSet: { id: state.definition.ruleSet.id, version: state.definition.ruleSet.version },
    definitionVersion: state.definition.version,
    actions: allowedActions(state, userId !== ANYONE_ELSE && involvedIn(state).includes(userId) ? userId : ANYONE_ELSE),
  };
}
