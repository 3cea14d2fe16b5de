import { addPeriod } from '../calendar';
import type { ChainedEvent } from '../history';
import { emit } from './events';
import { completeNotice, completeStage, recordStageResult, rejectCase } from './stages';
import { currentStage, iso, type CaseState } from './state';
import { isFinal } from './vocabulary';

/**
 * The clock: when the case next needs waking (a stage to open, a reminder, a deadline, the end of a public
 * notice), and what happens when that time comes. All arithmetic on working days goes through the calendar
 * frozen in the state.
 */

/** When the case next needs a tick, or null when only people (or pending work) can move it. */
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
        emit(state, now, out, 'reminder', { stage: stage.id, data: { to: current.assignees, dueAt: current.dueAt } });
      }
      if (current.dueAt && !current.deadlinePassed && current.dueAt <= nowIso) {
        current.deadlinePassed = true;
        const action = stage.onExpiry ?? 'none';
        emit(state, now, out, 'deadline_passed', { stage: stage.id, data: { dueAt: current.dueAt, onExpiry: action } });
        if (action === 'escalate' && current.escalation === 'none') current.escalation = 'pending';
        else if (action === 'auto-approve') {
          recordStageResult(state, {}, []);
          emit(state, now, out, 'auto_approve', { stage: stage.id });
          completeStage(state, now, out);
        } else if (action === 'auto-reject') {
          rejectCase(state, now);
          emit(state, now, out, 'auto_reject', { stage: stage.id, status: 'rejected' });
        }
      }
    }
  }
  const notice = state.notice;
  if (state.status === 'public_notice' && notice?.dueAt && notice.dueAt <= nowIso) {
    if (state.objections.some((o) => o.status === 'open')) {
      // Objections that did not pause the notice are still being verified: it ends once they are ruled on.
      notice.dueAt = null;
      emit(state, now, out, 'notice_paused', {
        stage: notice.afterStage,
        status: 'objection_review',
        data: { remaining: null, periodEnded: true },
      });
    } else completeNotice(state, now, out);
  }
  return out;
}
