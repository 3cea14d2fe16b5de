import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ChainedEvent } from '../domain/history';
import {
  applyCommand,
  assigneesResolved,
  checkCommand,
  eligibilityRechecked,
  isFinal,
  nextWakeAt,
  outcomeApplied,
  pendingWork,
  refreshCalendar,
  progressOf,
  recordedState,
  stageOf,
  startCase,
  tick,
  type CaseCommand,
  type CaseInput,
  type CaseProgress,
  type CaseState,
  type CaseStatus,
  type EligibilitySummary,
} from '../domain/process/engine';

/**
 * One workflow runs every case type: the case's process definition arrives as data in its input, and the
 * engine in domain/process decides what each action and each tick of the clock does. This file only hosts
 * it: approver actions arrive as Updates (validated before anything is written), timers wake the case for
 * reminders, deadlines and notice periods, and activities resolve assignees, apply the outcome and project
 * every event into PostgreSQL before the Update that caused it returns.
 */

export interface ActionResult {
  seq: number;
  progress: CaseProgress;
}

export interface CaseResult {
  status: CaseStatus;
  outcome: string | null;
}

/** The applicant's submission: answers once the case and its first stage are in the read model. */
export const submitUpdate = defineUpdate<ActionResult, []>('submit');
/** Every approver and applicant action (approve, reject, return, vote, object, ...). */
export const actUpdate = defineUpdate<ActionResult, [CaseCommand]>('act');
/** The whole engine state, for diagnostics and tests; the API reads the PostgreSQL projection instead. */
export const stateQuery = defineQuery<CaseState>('state');

// Every activity is a short read or write in PostgreSQL (projection, assignees, calendar, eligibility, the
// outcome's one transaction), so they run as local activities: in the worker, within the workflow task,
// without a round trip through the server each, which halved the server's work per action (bench/). Cases
// started before that change replay with the regular activities they scheduled (LOCAL_ACTIVITIES_PATCH).
const quick = { startToCloseTimeout: '30 seconds', retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' } } as const;
const slow = { startToCloseTimeout: '2 minutes', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } } as const;
const localQuick = proxyLocalActivities<Activities>(quick);
const localSlow = proxyLocalActivities<Activities>(slow);
const remoteQuick = proxyActivities<Activities>(quick);
const remoteSlow = proxyActivities<Activities>(slow);

/** Patch marker of the calendar refresh when a stage opens (deprecate once no case started before it runs). */
export const CALENDAR_REFRESH_PATCH = 'refresh-calendar-when-a-stage-opens';

/** Patch marker of the fix that makes drive and flush truly exclusive (v3). */
export const EXCLUSIVE_STEPS_PATCH = 'exclusive-drive-and-flush';

/** Patch marker of local activities for the quick reads and writes (v4). */
export const LOCAL_ACTIVITIES_PATCH = 'local-activities-for-quick-steps';

/** The newest patch marker: names the folder of histories this code records (test/histories/). */
export const NEWEST_PATCH = LOCAL_ACTIVITIES_PATCH;

export async function caseWorkflow(input: CaseInput): Promise<CaseResult> {
  const local = patched(LOCAL_ACTIVITIES_PATCH);
  const { recordEvents, resolveAssignees, loadCalendar, openStage } = local ? localQuick : remoteQuick;
  const { recheckEligibility, applyOutcome } = local ? localSlow : remoteSlow;
  const started = startCase(input, new Date());
  const state = started.state;
  const outbox: ChainedEvent[] = [...started.events];
  let changes = 0;
  let driving = false;
  let flushing = false;
  let persistedSeq = 0;
  let startingFromFreshCalendar = local;
  /** The eligibility re-check read as its stage opened (v4), used when the engine asks for it. */
  let prefetched: { stageId: string; eligibility: EligibilitySummary } | null = null;
  const recheckInput = () => ({ caseId: state.caseId, type: state.type, subjectId: state.subject.id, payload: state.payload, rules: state.definition.ruleSet });

  const take = (events: ChainedEvent[]) => {
    outbox.push(...events);
    changes += 1;
  };

  /** Writes pending events and the read-model row, one batch at a time, in order. */
  const flush = async () => {
    await condition(() => !flushing);
    // v3: several waiters can wake together; only the first goes on, the others wait again. v4 includes v3
    // (and records one marker fewer per case).
    if (local || patched(EXCLUSIVE_STEPS_PATCH)) while (flushing) await condition(() => !flushing);
    if (outbox.length === 0) return;
    flushing = true;
    try {
      const events = outbox.splice(0);
      await recordEvents({ caseId: state.caseId, events, state: recordedState(state) });
      persistedSeq = Math.max(persistedSeq, events[events.length - 1]?.seq ?? 0);
    } finally {
      flushing = false;
    }
  };

  /** Does the asynchronous work the engine asks for until it asks for none. */
  const drive = async () => {
    await condition(() => !driving);
    // v3: as in flush. Before it, an Update and the main loop could both apply the outcome.
    if (local || patched(EXCLUSIVE_STEPS_PATCH)) while (driving) await condition(() => !driving);
    driving = true;
    try {
      for (let work = pendingWork(state); work; work = pendingWork(state)) {
        switch (work.kind) {
          case 'resolve-assignees':
            if (local) {
              // v4: one activity as a stage opens (see activities/stage.ts), the calendar not reloaded for the
              // first stage, which opens as the case starts on the calendar the API just loaded.
              const opening = !work.escalation;
              const opened = await openStage({
                assignees: work,
                calendar: opening && !startingFromFreshCalendar,
                eligibility: opening && stageOf(state, work.stageId)?.recheckEligibility ? recheckInput() : null,
              });
              if (opened.calendar) refreshCalendar(state, opened.calendar);
              prefetched = opened.eligibility ? { stageId: work.stageId, eligibility: opened.eligibility } : null;
              take(assigneesResolved(state, work, opened.assignees, new Date()));
              break;
            }
            // Versioned change (v2): deadlines of a newly opened stage count on the calendar as published
            // now, e.g. the State Council's notice for next year replacing the provisional days. Cases that
            // started before this change replay without the extra activity; see test/replay.test.ts.
            if (!work.escalation && patched(CALENDAR_REFRESH_PATCH)) refreshCalendar(state, await loadCalendar());
            take(assigneesResolved(state, work, await resolveAssignees(work), new Date()));
            break;
          case 'recheck-eligibility': {
            const early = prefetched?.stageId === work.stageId ? prefetched.eligibility : null;
            prefetched = null;
            take(eligibilityRechecked(state, early ?? (await recheckEligibility(recheckInput())), new Date()));
            break;
          }
          case 'apply-outcome': {
            await flush(); // the decision is on record before the personnel records change
            const effect = await applyOutcome({
              caseId: state.caseId,
              type: state.type,
              outcome: work.outcome,
              subjectId: state.subject.id,
              payload: state.payload,
              stageData: state.stageData,
              stageActors: state.stageActors,
              decidedAt: state.decidedAt,
              rules: state.definition.ruleSet,
            });
            take(outcomeApplied(state, new Date(), effect));
            break;
          }
        }
      }
    } finally {
      driving = false;
    }
  };

  const settle = async (): Promise<ActionResult> => {
    await drive();
    await flush();
    return { seq: state.seq, progress: progressOf(state) };
  };

  setHandler(stateQuery, () => state);
  setHandler(submitUpdate, async () => {
    await condition(() => persistedSeq > 0 && !driving && !flushing);
    return { seq: state.seq, progress: progressOf(state) };
  });
  setHandler(
    actUpdate,
    async (command) => {
      take(applyCommand(state, command, new Date()));
      return settle();
    },
    {
      validator: (command) => {
        const refusal = checkCommand(state, command);
        if (refusal) throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
      },
    },
  );

  await settle();
  startingFromFreshCalendar = false;
  while (!isFinal(state.status)) {
    const seen = changes;
    const wakeAt = nextWakeAt(state);
    const timeout = wakeAt ? Math.max(1, Date.parse(wakeAt) - Date.now()) : undefined;
    const woken = timeout === undefined ? (await condition(() => changes !== seen), true) : await condition(() => changes !== seen, timeout);
    if (!woken) take(tick(state, new Date()));
    await settle();
  }
  await condition(allHandlersFinished);
  return { status: state.status, outcome: state.outcome };
}
