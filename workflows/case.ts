import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ChainedEvent } from '../domain/history';
import {
  applyAttachmentCommand,
  applyCommand,
  assigneesResolved,
  checkAttachmentCommand,
  checkCommand,
  eligibilityRechecked,
  isFinal,
  joinReason,
  nextWakeAt,
  outcomeApplied,
  pendingWork,
  progressOf,
  recordedState,
  refreshCalendar,
  stageOf,
  startCase,
  tick,
  type AttachmentCommand,
  type CaseCommand,
  type CaseInput,
  type EligibilitySummary,
  type PendingWork,
} from '../domain/process/engine';
import type { OpenedStage } from '../activities/stage';
import {
  actUpdate,
  attachmentsUpdate,
  joinReasonSignal,
  stateQuery,
  submitUpdate,
  type ActionResult,
  type CaseResult,
  type CaseWorkflow,
} from './messages';

/**
 * One workflow runs every case type: the case's process definition arrives as data in its input, and the
 * engine in domain/process decides what each action and each tick of the clock does. This file only hosts
 * it: approver actions arrive as Updates (validated before anything is written), timers wake the case for
 * reminders, deadlines and notice periods, and activities resolve assignees, apply the outcome and project
 * every event into PostgreSQL before the Update that caused it returns.
 */

// Every activity is a short read or write in PostgreSQL (projection, assignees, calendar, eligibility, the
// outcome's one transaction), so they run as local activities: in the Temporal worker, within the workflow task,
// without a round trip through the server each, which halved the server's work per action (bench/). Cases
// started before that change replay with the regular activities they scheduled (LOCAL_ACTIVITIES_PATCH).
const quick = { startToCloseTimeout: '30 seconds', retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' } } as const;
const slow = { startToCloseTimeout: '2 minutes', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } } as const;
const localQuick = proxyLocalActivities<Activities>(quick);
const localSlow = proxyLocalActivities<Activities>(slow);
const remoteQuick = proxyActivities<Activities>(quick);
const remoteSlow = proxyActivities<Activities>(slow);

/** Patch marker of the calendar refresh when a stage opens (v2; deprecate once no case started before it runs). */
export const CALENDAR_REFRESH_PATCH = 'refresh-calendar-when-a-stage-opens';

/** Patch marker of the fix that makes drive and flush truly exclusive (v3). */
export const EXCLUSIVE_STEPS_PATCH = 'exclusive-drive-and-flush';

/** Patch marker of local activities for the quick reads and writes (v4, which includes v2 and v3). */
export const LOCAL_ACTIVITIES_PATCH = 'local-activities-for-quick-steps';

/** The newest patch marker: names the folder of histories this code records (test/histories/). */
export const NEWEST_PATCH = LOCAL_ACTIVITIES_PATCH;

type AssigneeWork = Extract<PendingWork, { kind: 'resolve-assignees' }>;

/** v4 runs every activity locally; cases started before it keep the regular activities they scheduled. */
function activitiesFor(local: boolean) {
  const { recordEvents, resolveAssignees, loadCalendar, openStage } = local ? localQuick : remoteQuick;
  const { recheckEligibility, applyOutcome } = local ? localSlow : remoteSlow;
  return { recordEvents, resolveAssignees, loadCalendar, openStage, recheckEligibility, applyOutcome };
}

/**
 * v1–v3: an activity per lookup as a stage opens. Since v2, deadlines of a newly opened stage count on the
 * calendar as published now, e.g. the State Council's notice for next year replacing the provisional days;
 * cases that started before v2 replay without the calendar activity (test/replay.test.ts).
 */
const refreshesCalendar = (work: AssigneeWork) => !work.escalation && patched(CALENDAR_REFRESH_PATCH);

/**
 * Whether a waiter that wakes with others must check the step is still free (v3). Before v3, several waiters
 * woken together all went on, so an Update and the main loop could both apply the outcome. v4 includes v3
 * (and records one marker fewer per case). Asked after the first wait, where v1–v3 asked it.
 */
const exclusiveSteps = (local: boolean) => local || patched(EXCLUSIVE_STEPS_PATCH);

/**
 * One step of the case at a time: driving the engine's pending work, or writing the outbox. Each has its own
 * lock (driving writes the outbox before an outcome), and the submission waits until neither is held. The
 * waits are awaited in place, not inside an async method of the lock, so waking, checking and taking the lock
 * happen in the same turns of the workflow as they always did: every saved history replays the same.
 */
class StepLock {
  private held = false;
  constructor(private readonly exclusive: () => boolean) {}

  get busy(): boolean {
    return this.held;
  }

  /** Resolves once nobody holds the lock. */
  whenFree(): Promise<void> {
    return condition(() => !this.held);
  }

  /** After waking: another waiter woken in the same turn took the lock first, so wait again (v3). */
  takenMeanwhile(): boolean {
    return this.exclusive() && this.held;
  }

  take(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
  }
}

export async function caseWorkflow(input: CaseInput): Promise<CaseResult> {
  const local = patched(LOCAL_ACTIVITIES_PATCH);
  const { recordEvents, resolveAssignees, loadCalendar, openStage, recheckEligibility, applyOutcome } = activitiesFor(local);
  const started = startCase(input, new Date());
  const state = started.state;
  const outbox: ChainedEvent[] = [...started.events];
  let changes = 0;
  const driving = new StepLock(() => exclusiveSteps(local));
  const flushing = new StepLock(() => exclusiveSteps(local));
  let persistedSeq = 0;
  let startingFromFreshCalendar = local;
  /** The eligibility re-check read as its stage opened (v4), used when the engine asks for it. */
  let prefetched: { stageId: string; eligibility: EligibilitySummary } | null = null;
  const recheckInput = () => ({
    caseId: state.caseId,
    type: state.type,
    subjectId: state.subject.id,
    payload: state.payload,
    rules: state.definition.ruleSet,
  });

  const take = (events: ChainedEvent[]) => {
    outbox.push(...events);
    changes += 1;
  };

  /** Writes pending events and the read-model row, one batch at a time, in order. */
  const flush = async () => {
    await flushing.whenFree();
    while (flushing.takenMeanwhile()) await flushing.whenFree();
    if (outbox.length === 0) return;
    flushing.take();
    try {
      const events = outbox.splice(0);
      await recordEvents({ caseId: state.caseId, events, state: recordedState(state) });
      persistedSeq = Math.max(persistedSeq, events[events.length - 1]?.seq ?? 0);
    } finally {
      flushing.release();
    }
  };

  /**
   * v4: one activity as a stage opens (see activities/stage.ts) reads its assignees, the calendar its deadline
   * counts on (not for the first stage, which opens as the case starts, on the calendar the API just loaded)
   * and, for a stage that re-checks eligibility, the re-check.
   */
  function openStageInput(work: AssigneeWork) {
    const opening = !work.escalation;
    return {
      assignees: work,
      calendar: opening && !startingFromFreshCalendar,
      eligibility: opening && stageOf(state, work.stageId)?.recheckEligibility ? recheckInput() : null,
    };
  }

  /** v4: what the stage's one activity read goes into the case; the re-check waits for the engine to ask. */
  function stageOpened(work: AssigneeWork, opened: OpenedStage) {
    if (opened.calendar) refreshCalendar(state, opened.calendar);
    prefetched = opened.eligibility ? { stageId: work.stageId, eligibility: opened.eligibility } : null;
    return assigneesResolved(state, work, opened.assignees, new Date());
  }

  /** Does the asynchronous work the engine asks for until it asks for none. */
  const drive = async () => {
    await driving.whenFree();
    while (driving.takenMeanwhile()) await driving.whenFree();
    driving.take();
    try {
      for (let work = pendingWork(state); work; work = pendingWork(state)) {
        switch (work.kind) {
          // The activities are awaited here, not in helpers: an extra async call would move later steps to
          // other turns of the workflow than the ones its saved histories recorded.
          case 'resolve-assignees':
            if (local) {
              take(stageOpened(work, await openStage(openStageInput(work))));
            } else {
              if (refreshesCalendar(work)) refreshCalendar(state, await loadCalendar());
              take(assigneesResolved(state, work, await resolveAssignees(work), new Date()));
            }
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
      driving.release();
    }
  };

  const settle = async (): Promise<ActionResult> => {
    await drive();
    await flush();
    return { seq: state.seq, progress: progressOf(state) };
  };

  setHandler(stateQuery, () => state);
  // No case started before this handler existed was sent the signal, so its histories replay unchanged; the main
  // loop wakes on the change and writes the event.
  setHandler(joinReasonSignal, (joined) => take(joinReason(state, joined, new Date())));
  setHandler(submitUpdate, async () => {
    await condition(() => persistedSeq > 0 && !driving.busy && !flushing.busy);
    return { seq: state.seq, progress: progressOf(state) };
  });
  setHandler(
    actUpdate,
    // The command is applied as sent: a replayed workflow applies exactly what its history holds.
    async (command) => {
      take(applyCommand(state, command, new Date()));
      return settle();
    },
    {
      // Parses the command with its schema, then the engine's checks; a refusal leaves nothing in the history.
      // The SDK types a validator's arguments as `any`: they are the Update's own, a CaseCommand as sent.
      validator: (command: CaseCommand) => {
        const refusal = checkCommand(state, command);
        if (refusal) throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });
      },
    },
  );

  // Files on their own (issue #16): a new Update, so no saved history holds one and none replays differently.
  setHandler(
    attachmentsUpdate,
    async (command) => {
      take(applyAttachmentCommand(state, command, new Date()));
      return settle();
    },
    {
      validator: (command: AttachmentCommand) => {
        const refusal = checkAttachmentCommand(state, command);
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
    const woken =
      timeout === undefined ? (await condition(() => changes !== seen), true) : await condition(() => changes !== seen, timeout);
    if (!woken) take(tick(state, new Date()));
    await settle();
  }
  await condition(allHandlersFinished);
  return { status: state.status, outcome: state.outcome };
}
caseWorkflow satisfies CaseWorkflow;
