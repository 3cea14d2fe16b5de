import {
  ApplicationFailure,
  ActivityFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { z } from 'zod';
import type { Activities } from '../activities';
import type { OpenedStage } from '../activities/stage';
import { definitionOf, snapshotFor } from '../domain/case-types';
import { GENESIS_HASH, jsonDigest, type ChainedEvent, type Json } from '../domain/history';
import type { ProcessSnapshot } from '../domain/process/definition';
import {
  applyAttachmentCommand,
  applyCommand,
  assigneesResolved,
  copiesResolved,
  checkAttachmentCommand,
  checkCommand,
  eligibilityRechecked,
  isFinal,
  joinReason,
  type JoinedReason,
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
  type CaseState,
  type EligibilitySummary,
  type PendingWork,
} from '../domain/process/engine';
import { caseAnswerOf } from '../domain/process/read-model';
import type { RuleSet } from '../domain/rules';
import {
  actUpdate,
  attachmentsUpdate,
  chainQuery,
  joinReasonSignal,
  stateQuery,
  submitUpdate,
  type ActContext,
  type ActionResult,
  type CarriedCase,
  type CaseRequest,
  type CaseResult,
  type CaseWorkflow,
  type CaseWorkflowInput,
  type ChainTail,
} from './messages';

/**
 * One workflow runs every case type: the engine in domain/process decides what each action and each tick of the
 * clock does, on the case's definition, which the workflow loads from the registry by the type and version its
 * history recorded. This file only hosts it: approver actions arrive as Updates (validated before anything is
 * written), timers wake the case for reminders, deadlines and notice periods, and activities read what the case
 * runs on, apply the outcome and project every event into PostgreSQL before the Update that caused it returns.
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
/**
 * v5: the projection gives up after about a minute and a half instead of retrying for ever (a write PostgreSQL
 * refuses fails at once); the case goes on, its read model is reported behind, and the write is tried again later.
 */
const projection = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds', maximumAttempts: 12 },
});

/**
 * The confirmation after a timer-driven write (PROMPT_PROJECTION_PATCH) is a regular activity on purpose (see
 * there); a few attempts only, since the case's next write confirms the same events anyway.
 */
const confirming = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5 },
});

/** Patch marker of the calendar refresh when a stage opens (v2; deprecate once no case started before it runs). */
export const CALENDAR_REFRESH_PATCH = 'refresh-calendar-when-a-stage-opens';

/** Patch marker of the fix that makes drive and flush truly exclusive (v3). */
export const EXCLUSIVE_STEPS_PATCH = 'exclusive-drive-and-flush';

/** Patch marker of local activities for the quick reads and writes (v4, which includes v2 and v3). */
export const LOCAL_ACTIVITIES_PATCH = 'local-activities-for-quick-steps';

/**
 * Patch marker of appeals (issue #17): the admission names who decided the decision an appeal reviews, and the
 * case recuses them from every stage. Marked only in cases whose admission names anyone (appeals), so no other
 * case's commands change.
 */
export const APPEALS_AND_SECONDMENTS_PATCH = 'appeals-and-secondments';

/**
 * Patch marker of trusted inputs and replay-stable events (v5, which includes v4): the definition loaded from the
 * registry and everything else the case runs on read by an activity, never taken from the input; event times
 * from history only; fenced writes to the projection.
 */
export const TRUSTED_CASE_PATCH = 'trusted-inputs-and-stable-events';

/**
 * Patch marker of copies (抄送, issue #16): a case whose definition names copies on its stages addresses them as
 * each such stage is decided, and records who was sent one (the `copied` event). Marked only in cases of such
 * definitions (new versions), so no other case's history changes.
 */
export const COPIES_PATCH = 'copies';

/**
 * Patch marker of prompt projection after a timer (#14's leftover): the events a timer causes (a 公示 ending, a
 * reminder, a deadline, an escalation) are written by the workflow task the timer woke, which nothing confirmed
 * until the case's next write, so they stayed out of the ledger meanwhile. After such a write the case now
 * schedules one regular activity (confirmEvents): it runs only once that task has completed, which proves the
 * events final, and confirms them. Marked only when a timer caused events, in v5 cases.
 */
export const PROMPT_PROJECTION_PATCH = 'prompt-projection';

/**
 * Patch marker of leaner actions (issue #19): the case keeps the timer of its next wake-up across the actions that
 * do not move it, instead of cancelling it and starting it again with every action (two history events fewer per
 * action). Cases started before it replay with a timer per wait.
 */
export const LEAN_ACTIONS_PATCH = 'lean-actions';

/**
 * Patch marker of a yearly round that delivers its decision to each member's case itself (workflows/case-group.ts,
 * issue #17), instead of the API forwarding it. Rounds started before it replay unchanged. Its folder of histories
 * also holds the first histories of the annual assessment (the `assessment` case type and its group), which
 * added steps to the group workflow without changing what a running case or round does.
 */
export const ROUND_FORWARDING_PATCH = 'round-forwarding';

/**
 * Patch marker of an annual assessment that delivers its steps (the 民主测评 tally and the proposal, the street's
 * confirmation, the notice) to each member's case itself (workflows/case-group.ts, issue #17), instead of the API
 * forwarding each. Assessments started before it replay unchanged, and their API still forwards their steps.
 */
export const ASSESSMENT_FORWARDING_PATCH = 'assessment-forwarding';

/**
 * Patch marker of delegation (委托, issue #20): an action a delegate takes on someone's behalf carries the delegate
 * (command.delegate); the engine checks the recusal and separation rules for them too, records them in the
 * event's data beside the actor, and counts them among the deciders. Marked only when such an Update arrives, so
 * no other case's history changes; a case whose history lacks the marker refuses delegated actions.
 */
export const DELEGATION_PATCH = 'delegation';

/** The newest patch marker: names the folder of histories this code records (test/histories/). */
export const NEWEST_PATCH = DELEGATION_PATCH;

/** The journal's events beyond those the read model has not acknowledged (chainQuery). */
const JOURNAL_EXTRA = 8;
/** Results of this many Updates are carried into the next run, so a resent one is not applied twice. */
const CARRIED_UPDATES = 200;
/** A requestedAt this far ahead of the worker's clock is refused (clocks of API and worker hosts drift a little). */
const MAX_CLOCK_AHEAD_MS = 5 * 60_000;

/** Where a case's definitions come from: the registry (tests add hand-made ones, test/helpers/workflows.ts). */
export interface CaseDefinitions {
  /** The definition of a type at a version, frozen with the rule set and the payload's choices. */
  snapshot: (type: string, version: number, ruleSet: RuleSet, payload: Record<string, Json>) => ProcessSnapshot | undefined;
  /** The schema of a type's payload at a version under a rule set (resubmission parses with it). */
  payload: (type: string, version: number, ruleSet: RuleSet) => z.ZodType | undefined;
}

export const REGISTERED_DEFINITIONS: CaseDefinitions = {
  snapshot(type, version, ruleSet, payload) {
    const definition = definitionOf(type, version);
    return definition && snapshotFor(definition, ruleSet, payload);
  },
  payload: (type, version, ruleSet) => definitionOf(type, version)?.payload(ruleSet),
};

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

/** An activity's refusal as the Update's or the workflow's own failure (its type and message). */
function refusalOf(err: unknown): ApplicationFailure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure)
    return ApplicationFailure.create({ type: cause.type ?? 'invalid', message: cause.message, nonRetryable: true });
  return ApplicationFailure.create({ type: 'invalid', message: (cause as Error).message, nonRetryable: true });
}

/** A refusal of the engine (or of the workflow) as the Update's failure: nothing of it reaches the history. */
const refused = (refusal: { code: string; message: string }) =>
  ApplicationFailure.create({ type: refusal.code, message: refusal.message, nonRetryable: true });

/** A delegated action reaching a case started before v5 (delegation needs its request times and fenced writes). */
const DELEGATION_UNSUPPORTED = {
  code: 'conflict',
  message: 'this case was started before actions could be taken on behalf of someone (委托)',
};

/** Refuses an Update whose context has no request time, or one ahead of the worker's clock (v5). */
function refuseRequestTime(context: ActContext | undefined): void {
  const requestedAt = context?.requestedAt;
  if (typeof requestedAt !== 'string' || new Date(requestedAt).toISOString() !== requestedAt)
    throw refused({ code: 'invalid', message: 'requestedAt: the time of the request is missing or not an ISO 8601 instant' });
  if (Date.parse(requestedAt) > Date.now() + MAX_CLOCK_AHEAD_MS)
    throw refused({ code: 'invalid', message: 'requestedAt: the time of the request lies in the future' });
}

/** The case workflow over a source of definitions: the registry's in production. */
export function caseWorkflowOver(definitions: CaseDefinitions): CaseWorkflow {
  return async function caseWorkflow(input: CaseWorkflowInput): Promise<CaseResult> {
    return runCase(input, definitions);
  };
}

export const caseWorkflow = caseWorkflowOver(REGISTERED_DEFINITIONS);

async function runCase(input: CaseWorkflowInput, definitions: CaseDefinitions): Promise<CaseResult> {
  // v5 decides everything below for the whole run; a case started before it replays with `trusted` false.
  const trusted = patched(TRUSTED_CASE_PATCH);
  const local = trusted || patched(LOCAL_ACTIVITIES_PATCH);
  const lean = trusted && patched(LEAN_ACTIONS_PATCH);
  const { recordEvents, resolveAssignees, loadCalendar, openStage, recheckEligibility, applyOutcome } = activitiesFor(local);
  const { admitCase, noteProjectionBehind, resolveCopies } = localQuick;

  /**
   * What a continued run carries (continue-as-new). The validators answer from its state at once (an Update resent
   * across the move arrives with the run's first task, as the handlers are set), but it is the previous run's only
   * once checked against what that run handed over (takeOver below), not a caller's: nothing is applied before.
   */
  const carried = trusted && 'continued' in input ? input.continued : undefined;
  let state: CaseState | undefined = carried?.state;
  /** Why the case cannot start (v5: an admission the activity refused); the submission fails with it. */
  let startFailure: ApplicationFailure | undefined;
  /** False while a continued run has not yet checked the state it carries (see takeOver below). */
  let takenOver = carried === undefined;
  const outbox: ChainedEvent[] = [];
  let changes = 0;
  const driving = new StepLock(() => exclusiveSteps(local));
  const flushing = new StepLock(() => exclusiveSteps(local));
  let persistedSeq = 0;
  let startingFromFreshCalendar = local;
  /** The eligibility re-check read as its stage opened (v4), used when the engine asks for it. */
  let prefetched: { stageId: string; eligibility: EligibilitySummary } | null = null;

  // v5: what the read model holds, and what the workflow still has to write there.
  let acked = carried?.acked ?? { seq: 0, hash: GENESIS_HASH };
  /** Events handed to the projection and not yet acknowledged by it, in order. */
  let unacked: ChainedEvent[] = [];
  /** The newest events, for the API's repair of a read model (chainQuery). */
  let journal: ChainedEvent[] = [];
  /** When a write the projection gave up on is tried again (ms), with the wait doubling each time. */
  let projectionRetryAt: number | null = null;
  let projectionBackoff = 60_000;
  /** The start of the workflow task in which the newest input arrived: the time half of the fence. */
  let arrivedAt = Date.now();
  let historyLimit = carried?.historyLimit ?? Number.POSITIVE_INFINITY;
  /** History events of the case's earlier runs (continue-as-new): a fence counts the case's whole history. */
  const historyBase = carried?.historyBase ?? 0;
  const carriedUpdates: Record<string, ActionResult> = carried?.updates ?? {};
  const updateResults = new Map<string, ActionResult>();

  const live = () => state as CaseState;
  const recheckInput = () => {
    const s = live();
    return { caseId: s.caseId, type: s.type, subjectId: s.subject.id, payload: s.payload, rules: s.definition.ruleSet };
  };

  /**
   * The time of what an input causes (v5): the input's own instant as history holds it (the request's time, the
   * submission's, a timer's due time), never earlier than the case's newest event; no instant given, that event's.
   * Cases started before v5 take the workflow's clock, as they always did.
   */
  const instant = (iso?: string): Date => {
    if (!trusted) return new Date();
    const last = live().lastAt as string;
    return new Date(iso !== undefined && iso > last ? iso : last);
  };
  /** The fence of a write (store/projection.ts): the length of the case's history over all its runs, and when the newest input arrived. */
  const fence = () => ({ historyLength: historyBase + workflowInfo().historyLength, at: new Date(arrivedAt).toISOString() });

  const take = (events: ChainedEvent[]) => {
    outbox.push(...events);
    changes += 1;
  };

  /** Writes pending events and the read-model row, one batch at a time, in order. */
  const flush = async () => {
    await flushing.whenFree();
    while (flushing.takenMeanwhile()) await flushing.whenFree();
    if (outbox.length === 0 && (!trusted || unacked.length === 0)) return;
    flushing.take();
    try {
      if (!trusted) {
        const events = outbox.splice(0);
        await recordEvents({ caseId: live().caseId, events, state: recordedState(live()) });
        persistedSeq = Math.max(persistedSeq, events[events.length - 1]?.seq ?? 0);
        return;
      }
      const handed = outbox.splice(0);
      unacked = [...unacked, ...handed];
      journal = [...journal, ...handed];
      const last = unacked[unacked.length - 1] as ChainedEvent;
      try {
        await projection.recordEvents({
          caseId: live().caseId,
          events: unacked,
          state: recordedState(live()),
          fence: fence(),
          prior: acked,
        });
        acked = { seq: last.seq, hash: last.hash };
        unacked = [];
        journal = journal.slice(-JOURNAL_EXTRA);
        projectionRetryAt = null;
        projectionBackoff = 60_000;
      } catch (err) {
        await projectionBehind(err);
      }
    } finally {
      flushing.release();
    }
  };

  /**
   * v5: the projection gave up on a write. The case goes on (the workflow holds its state); the read model is
   * reported behind (/readyz, metrics), and the write is tried again: after a pause that doubles up to an hour
   * when PostgreSQL was unreachable, with the next input when it refused the content.
   */
  async function projectionBehind(err: unknown) {
    const failure = err instanceof ActivityFailure ? err.cause : err;
    const refusedContent = failure instanceof ApplicationFailure && failure.nonRetryable;
    projectionRetryAt = refusedContent ? null : Date.now() + projectionBackoff;
    projectionBackoff = Math.min(projectionBackoff * 2, 3_600_000);
    const first = unacked[0] as ChainedEvent;
    try {
      await noteProjectionBehind({ caseId: live().caseId, seq: first.seq, reason: (failure as Error).message.slice(0, 500) });
    } catch {
      // PostgreSQL is out of reach altogether: the stall shows in the read model's lag once it answers again.
    }
  }

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
      eligibility: opening && stageOf(live(), work.stageId)?.recheckEligibility ? recheckInput() : null,
    };
  }

  /** v4: what the stage's one activity read goes into the case; the re-check waits for the engine to ask. */
  function stageOpened(work: AssigneeWork, opened: OpenedStage) {
    if (opened.calendar) refreshCalendar(live(), opened.calendar);
    prefetched = opened.eligibility ? { stageId: work.stageId, eligibility: opened.eligibility } : null;
    return assigneesResolved(live(), work, opened.assignees, instant());
  }

  /** Does the asynchronous work the engine asks for until it asks for none. */
  const drive = async () => {
    await driving.whenFree();
    while (driving.takenMeanwhile()) await driving.whenFree();
    driving.take();
    try {
      const s = live();
      for (let work = pendingWork(s); work; work = pendingWork(s)) {
        switch (work.kind) {
          // The activities are awaited here, not in helpers: an extra async call would move later steps to
          // other turns of the workflow than the ones its saved histories recorded.
          case 'resolve-assignees':
            if (local) {
              take(stageOpened(work, await openStage(openStageInput(work))));
            } else {
              if (refreshesCalendar(work)) refreshCalendar(s, await loadCalendar());
              take(assigneesResolved(s, work, await resolveAssignees(work), new Date()));
            }
            break;
          case 'recheck-eligibility': {
            const early = prefetched?.stageId === work.stageId ? prefetched.eligibility : null;
            prefetched = null;
            const result = early ?? (await recheckEligibility(recheckInput()));
            take(eligibilityRechecked(s, result, instant()));
            break;
          }
          case 'resolve-copies':
            // Only cases started with COPIES_PATCH ask for it (CaseInput.copies).
            take(copiesResolved(s, work, await resolveCopies(work), instant()));
            break;
          case 'apply-outcome': {
            await flush(); // the decision is on record before the personnel records change
            // v5: not while the read model lacks it; the projection's retry comes back here.
            if (trusted && unacked.length > 0) return;
            const effect = await applyOutcome({
              caseId: s.caseId,
              type: s.type,
              outcome: work.outcome,
              subjectId: s.subject.id,
              payload: s.payload,
              stageData: s.stageData,
              stageActors: s.stageActors,
              decidedAt: s.decidedAt,
              rules: s.definition.ruleSet,
            });
            take(outcomeApplied(s, instant(), effect));
            break;
          }
        }
      }
    } finally {
      driving.release();
    }
  };

  /**
   * The Update's answer, with the case as the API answers it to the Update's sender (`userId`). Cases started
   * before v5 answer without it (their states may lack what the read model shows, e.g. the newest event's time),
   * and the API reads them back.
   */
  const result = (userId: string): ActionResult => {
    const s = live();
    return trusted
      ? { seq: s.seq, hash: s.lastHash, progress: progressOf(s), case: caseAnswerOf(s, userId) }
      : { seq: s.seq, progress: progressOf(s) };
  };

  /**
   * An Update's answer as a continued run carries it: without the case (the API reads it for the rare Update resent
   * after the move), so the next run's input stays small and is what it was before answers carried the case.
   */
  const carriedAnswer = ({ case: _case, ...answer }: ActionResult): ActionResult => answer;

  /** Drives the engine and writes what it produced (one async step, as it always was: see drive). */
  const settle = async (): Promise<void> => {
    await drive();
    await flush();
  };

  /** v5: a resubmission carries the payload as its schema parses it, and is refused when the subject is no longer eligible. */
  async function resubmission(command: Extract<CaseCommand, { action: 'resubmit' }>, at: Date) {
    const s = live();
    const schema = definitions.payload(s.type, s.definition.version, s.definition.ruleSet);
    const parsed = schema ? (schema.parse(command.payload) as Record<string, Json>) : command.payload;
    const eligibility = await recheckEligibility({ ...recheckInput(), payload: parsed });
    // The case may have moved on while the records were read.
    const refusal = checkCommand(s, { ...command, payload: parsed });
    if (refusal) throw refused(refusal);
    if (!eligibility.eligible) {
      throw ApplicationFailure.create({
        type: 'ineligible',
        message: 'the worker no longer meets the eligibility rules for this case',
        details: [eligibility.reasons],
        nonRetryable: true,
      });
    }
    take([...applyCommand(s, { ...command, payload: parsed }, at), ...eligibilityRechecked(s, eligibility, instant())]);
  }

  setHandler(stateQuery, () => live());
  setHandler(chainQuery, (): ChainTail | null =>
    trusted && state && takenOver
      ? { head: { seq: state.seq, hash: state.lastHash }, events: [...journal, ...outbox], state: recordedState(state), fence: fence() }
      : null,
  );
  // No case started before this handler existed was sent the signal, so its histories replay unchanged; the main
  // loop wakes on the change and writes the event. Its time is the one the records check read (v5), never the clock.
  // A signal that arrives while the case is still opening, or before a continued run has checked the state it
  // carries, waits here: the records check sends it once (its alert is recorded), so dropping it would lose it.
  const waitingJoins: JoinedReason[] = [];
  const join = (joined: JoinedReason) => take(joinReason(live(), joined, instant(joined.at)));
  setHandler(joinReasonSignal, (joined) => {
    if (trusted) arrivedAt = Date.now();
    if (!state || !takenOver) waitingJoins.push(joined);
    else join(joined);
  });
  setHandler(submitUpdate, async () => {
    await condition(() => startFailure !== undefined || ((trusted ? acked.seq : persistedSeq) > 0 && !driving.busy && !flushing.busy));
    if (startFailure) throw startFailure;
    return result(live().applicantId);
  });
  setHandler(
    actUpdate,
    // The command is applied as sent: a replayed workflow applies exactly what its history holds.
    async (command, context?: ActContext) => {
      if (trusted) {
        arrivedAt = Date.now();
        // A continued run applies nothing, and answers nothing from earlier runs, before its carried state is checked.
        if (!takenOver) await condition(() => takenOver || startFailure !== undefined);
        if (startFailure) throw startFailure;
        const id = currentUpdateInfo()?.id;
        const earlier = id === undefined ? undefined : carriedUpdates[id];
        if (earlier) return earlier;
        const at = instant(context?.requestedAt);
        // The validator let a delegated command through only in v5; the marker records that this case took one.
        if (command.delegate !== undefined && !patched(DELEGATION_PATCH)) throw refused(DELEGATION_UNSUPPORTED);
        if (command.action === 'resubmit') await resubmission(command, at);
        else take(applyCommand(live(), command, at));
        await settle();
        const answer = result(command.actorId);
        if (id !== undefined) updateResults.set(id, carriedAnswer(answer));
        return answer;
      }
      take(applyCommand(live(), command, new Date()));
      await settle();
      return result(command.actorId);
    },
    {
      // Parses the command with its schema, then the engine's checks; a refusal leaves nothing in the history.
      // The SDK types a validator's arguments as `any`: they are the Update's own, a CaseCommand as sent.
      validator: (command: CaseCommand, context?: ActContext) => {
        if (!state) throw ApplicationFailure.create({ type: 'conflict', message: 'the case is still opening', nonRetryable: true });
        if (trusted) {
          const id = currentUpdateInfo()?.id;
          if (id !== undefined && carriedUpdates[id]) return; // answered by an earlier run
          refuseRequestTime(context);
          if (command.action === 'resubmit') {
            const schema = definitions.payload(state.type, state.definition.version, state.definition.ruleSet);
            const parsed = schema?.safeParse(command.payload);
            if (parsed && !parsed.success)
              throw refused({
                code: 'invalid',
                message: `payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
              });
          }
        }
        if (!trusted && command.delegate !== undefined) throw refused(DELEGATION_UNSUPPORTED);
        const refusal = checkCommand(state, command);
        if (refusal) throw refused(refusal);
      },
    },
  );

  // Files on their own (issue #16): a new Update, sent only to cases that run v5 and count their stages' visits
  // (stageEntries, which tells a file's stage visit from a later one): older cases are refused before anything
  // is written, so no saved history holds one and none replays differently. As the act Update: the request's
  // time is the event's, nothing before the carried state is checked, an Update resent after continue-as-new is
  // answered from the earlier run.
  setHandler(
    attachmentsUpdate,
    async (command, context?: ActContext) => {
      arrivedAt = Date.now();
      if (!takenOver) await condition(() => takenOver || startFailure !== undefined);
      if (startFailure) throw startFailure;
      const id = currentUpdateInfo()?.id;
      const earlier = id === undefined ? undefined : carriedUpdates[id];
      if (earlier) return earlier;
      take(applyAttachmentCommand(live(), command, instant(context?.requestedAt)));
      await settle();
      const answer = result(command.actorId);
      if (id !== undefined) updateResults.set(id, carriedAnswer(answer));
      return answer;
    },
    {
      validator: (command: AttachmentCommand, context?: ActContext) => {
        if (!state) throw refused({ code: 'conflict', message: 'the case is still opening' });
        if (!trusted || state.stageEntries === undefined)
          throw refused({ code: 'conflict', message: 'this case was started before files could be attached on their own' });
        const id = currentUpdateInfo()?.id;
        if (id !== undefined && carriedUpdates[id]) return; // answered by an earlier run
        refuseRequestTime(context);
        const refusal = checkAttachmentCommand(state, command);
        if (refusal) throw refused(refusal);
      },
    },
  );

  if (!trusted) {
    const started = startCase(input as CaseInput, new Date());
    state = started.state;
    outbox.push(...started.events);
  } else if (carried) {
    try {
      await localQuick.takeOver({ caseId: workflowInfo().workflowId, digest: jsonDigest(carried) });
    } catch (err) {
      startFailure = refusalOf(err);
      await condition(allHandlersFinished);
      throw startFailure;
    }
    takenOver = true;
  } else {
    // Not a continuation: that is `carried` above.
    const request = requestOf(input as CaseRequest | CaseInput);
    try {
      const admitted = await admitCase({
        caseId: request.caseId,
        type: request.type,
        subjectId: request.subjectId,
        payload: request.payload,
        ...(request.attachments?.length ? { attachments: { applicantId: request.applicantId, ids: request.attachments } } : {}),
      });
      const definition = definitions.snapshot(request.type, admitted.version, admitted.ruleSet, admitted.payload);
      if (!definition) throw refused({ code: 'invalid', message: `no definition of "${request.type}" version ${admitted.version}` });
      historyLimit = admitted.historyLimit;
      const started = startCase(
        {
          caseId: request.caseId,
          type: request.type,
          definition,
          applicantId: request.applicantId,
          subject: admitted.subject,
          payload: admitted.payload,
          calendar: admitted.calendar,
          eligibility: admitted.eligibility,
          limits: admitted.limits,
          eventFormat: 2,
          ...(admitted.attachments ? { attachments: admitted.attachments } : {}),
          ...(admitted.recused?.length && patched(APPEALS_AND_SECONDMENTS_PATCH) ? { recused: admitted.recused } : {}),
          ...(definition.stages.some((stage) => stage.copyTo?.length) && patched(COPIES_PATCH) ? { copies: true as const } : {}),
        },
        new Date(request.submittedAt),
      );
      state = started.state;
      outbox.push(...started.events);
    } catch (err) {
      startFailure = refusalOf(err);
      await condition(allHandlersFinished);
      throw startFailure;
    }
  }

  for (const joined of waitingJoins.splice(0)) join(joined);
  await settle();
  startingFromFreshCalendar = false;
  const s = live();
  /** The timer of the case's next wake-up (lean-actions), and whether it has rung. */
  let alarm: Alarm | null = null;
  // v5 also stays while the read model lacks events, so that a case never ends with its read model behind.
  while (!isFinal(s.status) || (trusted && unacked.length > 0)) {
    if (trusted && historyTooLong()) await moveOn(s);
    const seen = changes;
    const wakeAt = nextWakeAt(s);
    const due = earliest(wakeAt === null ? null : Date.parse(wakeAt), trusted ? projectionRetryAt : null);
    let woken: boolean;
    if (lean) {
      // One timer per wake-up time: an action that leaves it where it was keeps the timer running.
      if (alarm !== null && alarm.due !== due) {
        alarm.scope.cancel();
        alarm = null;
      }
      if (alarm === null && due !== null) alarm = startAlarm(due);
      const waiting = alarm;
      await condition(() => changes !== seen || waiting?.rang === true);
      woken = changes !== seen;
      if (!woken) alarm = null; // it rang: the next wait starts a timer of its own
    } else {
      const timeout = due === null ? undefined : Math.max(1, due - Date.now());
      woken = timeout === undefined ? (await condition(() => changes !== seen), true) : await condition(() => changes !== seen, timeout);
    }
    let timed = 0;
    if (!trusted) {
      if (!woken) take(tick(s, new Date()));
    } else {
      arrivedAt = Date.now();
      // The clock's work happens at the time it was due, however late the timer fired (or a retry of the projection woke it).
      if (!woken && wakeAt !== null && Date.parse(wakeAt) <= Date.now()) {
        const fired = tick(s, instant(wakeAt));
        timed = fired.length;
        take(fired);
      }
    }
    await settle();
    if (timed > 0 && unacked.length === 0 && patched(PROMPT_PROJECTION_PATCH)) await confirmTimed();
  }
  // A timer still running is dropped with the run: no event cancels it.
  await condition(allHandlersFinished);
  return trusted ? { status: s.status, outcome: s.outcome, seq: s.seq, hash: s.lastHash } : { status: s.status, outcome: s.outcome };

  /**
   * What a timer caused is in the read model; the ledger takes it once confirmed (PROMPT_PROJECTION_PATCH). A
   * failure only leaves it for the case's next write to confirm, as before.
   */
  async function confirmTimed(): Promise<void> {
    try {
      await confirming.confirmEvents({ caseId: live().caseId, head: { seq: acked.seq, hash: acked.hash } });
    } catch {
      // The activity retried until its timeout; the next write of the case confirms these events.
    }
  }

  /** v5: Temporal suggests moving on, or the history reached the limit the case started with. */
  function historyTooLong(): boolean {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= historyLimit;
  }

  /**
   * v5: the case continues as a new run of the same workflow once its history grows long, at a quiet moment (no
   * work pending, nothing unwritten, no Update in flight), carrying its state, what the read model holds and the
   * results of recent Updates (an Update resent after the move is answered, not applied again: Temporal
   * deduplicates Update ids within one run only). The digest of what it carries is handed over through
   * PostgreSQL first, so the next run can tell it from a forged input.
   */
  async function moveOn(current: CaseState): Promise<void> {
    const quiet = () =>
      allHandlersFinished() &&
      outbox.length === 0 &&
      unacked.length === 0 &&
      !driving.busy &&
      !flushing.busy &&
      pendingWork(current) === null;
    if (!quiet() || prefetched !== null) return;
    const updates = Object.fromEntries([...Object.entries(carriedUpdates), ...updateResults].slice(-CARRIED_UPDATES));
    const next: CarriedCase = { state: current, acked, historyLimit, historyBase: historyBase + workflowInfo().historyLength, updates };
    const before = changes;
    await localQuick.handOver({ caseId: current.caseId, digest: jsonDigest(next) });
    if (changes === before && quiet()) await continueAsNew<CaseWorkflow>({ continued: next });
  }
}

/** A timer that rings at `due` (ms) unless its scope is cancelled first. */
interface Alarm {
  due: number;
  rang: boolean;
  scope: CancellationScope;
}

function startAlarm(due: number): Alarm {
  const alarm: Alarm = { due, rang: false, scope: new CancellationScope() };
  alarm.scope
    .run(() => sleep(Math.max(1, due - Date.now())))
    .then(
      () => (alarm.rang = true),
      () => undefined, // cancelled: the wake-up time moved
    );
  return alarm;
}

/** The earlier of two instants (ms), either possibly absent. */
function earliest(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.min(a, b);
}

/**
 * v5 takes from any input only what a caller may say: who asks for what about whom, and when. A case input of
 * the older shape (a records check of the previous release starting one) gives its subject's id and no time,
 * and the run's start stands for the submission.
 */
function requestOf(input: CaseRequest | CaseInput): CaseRequest {
  return {
    caseId: input.caseId,
    type: input.type,
    subjectId: 'subjectId' in input ? input.subjectId : input.subject.id,
    payload: input.payload,
    applicantId: input.applicantId,
    ...('subjectId' in input && input.attachments?.length ? { attachments: input.attachments } : {}),
    submittedAt:
      'submittedAt' in input && typeof input.submittedAt === 'string' ? input.submittedAt : workflowInfo().runStartTime.toISOString(),
  };
}
