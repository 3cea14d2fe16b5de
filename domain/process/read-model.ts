import type { Period } from '../calendar';
import type { Json } from '../history';
import type { Localized } from '../localized';
import { allowedActions } from './actions';
import type { StageKind, StageMode } from './definition';
import { participants } from './permissions';
import { progressOf } from './progress';
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

export function readModelOf(state: RecordedCaseState): CaseReadModel {
  const progress = progressOf(state);
  const current = progress.currentStage ? stageOf(state, progress.currentStage) : undefined;
  const involved = [
    ...new Set([...participants(state), ...(state.subject.userId ? [state.subject.userId] : []), ...(state.observers ?? [])]),
  ]
    .filter((u) => u !== ANYONE_ELSE)
    .sort();
  const { definition } = state;
  return {
    version: READ_MODEL_VERSION,
    stage: current ? { id: current.id, title: current.title, mode: current.mode } : null,
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
