import { addPeriod, type WorkingCalendar } from '../calendar';
import type { ChainedEvent, Json } from '../history';
import { emit } from './events';
import { currentStage, escalationActor, excludedFrom, iso, type CaseState, type EligibilitySummary, type PendingWork } from './state';
import { isFinal } from './vocabulary';

/**
 * The work the engine cannot do itself (looking up assignees in the org tree, re-checking eligibility against
 * the personnel records, applying the outcome to them), and what it does with the results the host brings
 * back from its activities.
 */

export function pendingWork(state: CaseState): PendingWork | null {
  // A decided stage's copies are addressed first, with the decision that sends them, whatever follows it.
  const copied = state.pendingCopies?.[0];
  const copying = copied === undefined ? undefined : state.plan.find((s) => s.id === copied);
  if (copying) {
    return {
      kind: 'resolve-copies',
      stageId: copying.id,
      orgUnitId: state.subject.orgUnitId,
      to: (copying.copyTo ?? []).map((target) => target.to),
      exclude: state.subject.userId ? [state.subject.userId] : [],
    };
  }
  const current = state.current;
  const stage = currentStage(state);
  if (current && stage && !isFinal(state.status) && !state.returned) {
    if (current.phase === 'resolving') {
      return {
        kind: 'resolve-assignees',
        stageId: stage.id,
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
        stageId: stage.id,
        orgUnitId: state.subject.orgUnitId,
        actor: escalationActor(stage),
        fixedAssignee: null,
        exclude: excludedFrom(state, stage),
        escalation: true,
      };
    }
    if (current.phase === 'open' && current.needsEligibility) return { kind: 'recheck-eligibility', stageId: stage.id };
  }
  if (state.pendingOutcome && !isFinal(state.status)) return { kind: 'apply-outcome', outcome: state.outcome ?? 'approved' };
  return null;
}

export interface ResolvedAssignees {
  /** Holders of the stage's role at the resolved unit, minus excluded users, in a stable order. */
  eligible: string[];
}

export function assigneesResolved(
  state: CaseState,
  work: Extract<PendingWork, { kind: 'resolve-assignees' }>,
  result: ResolvedAssignees,
  now: Date,
): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  const current = state.current;
  const stage = currentStage(state);
  if (!current || !stage || current.stageId !== work.stageId) return out;
  const eligible = result.eligible.filter((u) => !work.exclude.includes(u));
  if (work.escalation) {
    const added = eligible.filter((u) => !current.assignees.includes(u));
    current.assignees.push(...added);
    current.eligible = [...new Set([...current.eligible, ...added])];
    current.escalation = 'done';
    current.deadlinePassed = false;
    if (stage.deadline) current.dueAt = iso(addPeriod(now, stage.deadline, state.calendar));
    emit(state, now, out, 'escalated', { stage: stage.id, data: { added, dueAt: current.dueAt } });
    return out;
  }
  current.phase = 'open';
  current.openedAt = iso(now);
  current.eligible = eligible;
  current.assignees = stage.mode === 'single' ? eligible.slice(0, 1) : eligible;
  current.dueAt = stage.deadline ? iso(addPeriod(now, stage.deadline, state.calendar)) : null;
  current.needsEligibility = Boolean(stage.recheckEligibility);
  emit(state, now, out, 'stage_opened', {
    stage: stage.id,
    data: { assignees: current.assignees, mode: stage.mode, dueAt: current.dueAt },
  });
  if (current.assignees.length === 0) {
    // Nobody may act (no role holder, or all recused): go to the supervising level at once.
    current.escalation = 'pending';
    emit(state, now, out, 'stage_unassigned', { stage: stage.id });
  }
  return out;
}

/**
 * The addressees of a decided stage's copies, found by the host: they become the case's observers (read access
 * and a notification), recorded in the chain with the departments they were found in.
 */
export function copiesResolved(
  state: CaseState,
  work: Extract<PendingWork, { kind: 'resolve-copies' }>,
  result: ResolvedAssignees,
  now: Date,
): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  if (!state.pendingCopies || state.pendingCopies[0] !== work.stageId) return out;
  state.pendingCopies.shift();
  const sent = [...new Set(result.eligible.filter((u) => !work.exclude.includes(u)))].sort();
  state.observers = [...new Set([...(state.observers ?? []), ...sent])].sort();
  emit(state, now, out, 'copied', {
    stage: work.stageId,
    data: { to: work.to as unknown as Json, observers: sent },
  });
  return out;
}

export function eligibilityRechecked(state: CaseState, result: EligibilitySummary, now: Date): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  if (!state.current) return out;
  state.current.needsEligibility = false;
  state.current.eligibility = result;
  emit(state, now, out, 'eligibility_rechecked', { stage: state.current.stageId, data: result as unknown as Json });
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
