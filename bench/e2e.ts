import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { describe, type ApiClient, type ApiResponse } from './http';
import { progress } from './progress';
import { summarize, type LatencySummary } from './stats';
import type { Subject } from './subjects';

/**
 * End to end through HTTP with real tokens, as a client would: each of `concurrency` loops takes a fresh
 * eligible worker and drives a promotion through every stage —
 *   1. submit            POST /cases as clerk-<community>            (Update-with-Start; answers once the
 *                                                                    case and its first stage are recorded)
 *   2. approve           POST /cases/:id/actions as sec-/dep-<community>   (community party organisation)
 *   3. record-meeting    POST /cases/:id/actions as dgw-<street>-n         (street party committee, deciding at
 *                                                                    a meeting; the eligibility re-check runs before it)
 * — after which the demo rule set's 3-second public notice (公示) runs out by itself and the workflow applies
 * the outcome (raises the grade) and completes the case. The loop does not wait for the notice: it starts
 * the next case, so notice periods overlap with new work. Every request carries an Idempotency-Key, as
 * the web UI sends. Completion is read from the read model (Case.status = completed).
 */

export interface E2eResult {
  concurrency: number;
  /** Seconds from the first request to the last action's answer. */
  actionSeconds: number;
  /** Seconds from the first request until the last case completed. */
  completionSeconds: number;
  casesStarted: number;
  casesCompleted: number;
  actions: number;
  actionsPerSecond: number;
  casesPerSecond: number;
  latency: { submit: LatencySummary; approveCommunity: LatencySummary; approveStreet: LatencySummary; allActions: LatencySummary };
  /** From the submit request until the case completed (includes the 3 s notice and the outcome). */
  submitToCompleted: LatencySummary;
  errors: number;
  errorSamples: string[];
  /**
   * Designed back-pressure, apart from errors: requests answered 503 with Retry-After (the API's deadline passed
   * while Temporal or the workers were behind). The loop that got one waits as long as it says, as a client
   * should, then takes its next case.
   */
  backPressure: number;
  backPressureSamples: string[];
  subjectsLeft: number;
}

/** A 503 with Retry-After: the service asked the client to come back later. */
class BackPressure extends Error {
  constructor(
    message: string,
    readonly seconds: number,
  ) {
    super(message);
  }
}

export interface E2eContext {
  api: ApiClient;
  pool: Pool;
  /** Fresh eligible subjects; each case takes one. */
  subjects: Subject[];
}

/**
 * The street party committee decides a promotion at a meeting (promotion v3): one member records it, every member
 * present and voting for.
 */
export function streetMeeting(members: string[]) {
  return {
    action: 'record-meeting',
    meetingDate: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10), // the date in China (UTC+8)
    members: members.map((userId) => ({ userId, attendance: 'present', vote: 'for' })),
    minutes: '党工委会议纪要',
    resolution: '同意晋升',
  };
}

const rotation = new Map<string, number>();
/** The next of `list` for `key`, in turn, so the approvals spread over everyone who may act. */
export function pick(list: string[], key: string): string | undefined {
  if (!list.length) return undefined;
  const n = rotation.get(key) ?? 0;
  rotation.set(key, n + 1);
  return list[n % list.length];
}

/** What the loops record while a driver takes cases through their actions. */
export interface CaseRun {
  submit: number[];
  approveCommunity: number[];
  approveStreet: number[];
  /** A case was submitted at `at` (Date.now() before the request). */
  started: (id: string, at: number) => void;
  fail: (message: string) => void;
  /**
   * true when the response has the status; a 503 with Retry-After ends the case's loop turn as back-pressure
   * (counted apart, the loop waits); anything else counts an error describing it.
   */
  expect: (res: ApiResponse, status: number, what: string) => boolean;
}

/**
 * A system under test as the end-to-end loops drive it: this service (below) or a peer (bench/peers/). Both
 * take each case through the same three actions and the notice.
 */
export interface CaseDriver {
  /** Submits a case for `subject` and approves it at both stages; true once it waits out its notice. */
  drive: (subject: Subject, run: CaseRun) => Promise<boolean>;
  /** Those of `ids` that have ended: when (ms since the epoch, the engine's clock) and how ("completed"). */
  ended: (ids: string[]) => Promise<{ id: string; at: number; status: string }[]>;
}

/** This service: HTTP with bearer tokens, completion read from the read model. */
function serviceDriver({ api, pool }: E2eContext): CaseDriver {
  return {
    async drive(subject, run) {
      const clerk = `clerk-${subject.community}`;
      const submitAt = Date.now();
      const submitted = await api.request(
        'POST',
        '/cases',
        clerk,
        { type: 'promotion', subjectId: subject.id, payload: { kind: 'regular' } },
        { 'Idempotency-Key': randomUUID() },
      );
      if (!run.expect(submitted, 201, `submit ${subject.id}`)) return false;
      run.submit.push(submitted.ms);
      const caseId = submitted.body.id as string;
      run.started(caseId, submitAt);
      const first = pick(submitted.body.assignees as string[], subject.community);
      if (!first) return fail(run, `case ${caseId}: no assignee at the first stage`);
      const a1 = await api.request(
        'POST',
        `/cases/${caseId}/actions`,
        first,
        { action: 'approve', comment: '同意推荐' },
        { 'Idempotency-Key': randomUUID() },
      );
      if (!run.expect(a1, 200, `approve (community) ${caseId}`)) return false;
      run.approveCommunity.push(a1.ms);
      const second = pick(a1.body.assignees as string[], subject.street);
      if (!second || a1.body.currentStage?.id !== 'street-decision')
        return fail(run, `case ${caseId}: street stage not open after the community approval (${JSON.stringify(a1.body.currentStage)})`);
      const a2 = await api.request('POST', `/cases/${caseId}/actions`, second, streetMeeting(a1.body.assignees as string[]), {
        'Idempotency-Key': randomUUID(),
      });
      if (!run.expect(a2, 200, `record-meeting (street) ${caseId}`)) return false;
      run.approveStreet.push(a2.ms);
      if (a2.body.status !== 'public_notice')
        return fail(run, `case ${caseId}: expected public_notice after the street meeting, got ${a2.body.status}`);
      return true;
    },
    async ended(ids) {
      const { rows } = await pool.query<{ id: string; updatedAt: Date; status: string }>(
        `SELECT id, "updatedAt", status FROM "Case" WHERE id = ANY($1::text[]) AND status IN ('completed', 'rejected', 'withdrawn')`,
        [ids],
      );
      // Timestamps in the read model are the workflow's clock (UTC ms), comparable with Date.now() on one machine.
      return rows.map((r) => ({ id: r.id, at: parseUtc(r.updatedAt), status: r.status }));
    },
  };
}

const fail = (run: CaseRun, message: string) => {
  run.fail(message);
  return false;
};

export function runE2e(ctx: E2eContext, concurrency: number, seconds: number, label = `end to end c=${concurrency}`): Promise<E2eResult> {
  return runCases(serviceDriver(ctx), ctx.subjects, concurrency, seconds, label);
}

/** `concurrency` loops, each taking the next subject through `driver` until `seconds` have passed. */
export async function runCases(
  driver: CaseDriver,
  subjects: Subject[],
  concurrency: number,
  seconds: number,
  label: string,
): Promise<E2eResult> {
  const submit: number[] = [];
  const approveCommunity: number[] = [];
  const approveStreet: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  const backPressureSamples: string[] = [];
  let backPressure = 0;
  const started: { id: string; at: number }[] = [];
  const run: CaseRun = {
    submit,
    approveCommunity,
    approveStreet,
    started: (id, at) => started.push({ id, at }),
    fail(message) {
      errors += 1;
      if (errorSamples.length < 8) errorSamples.push(message);
    },
    expect(res, status, what) {
      if (res.status === status) return true;
      const retryAfter = Number(res.headers['retry-after']);
      if (res.status === 503 && Number.isFinite(retryAfter)) throw new BackPressure(describe(what, res), retryAfter);
      run.fail(describe(what, res));
      return false;
    },
  };
  let noticeCases = 0;
  const startedAtWall = Date.now();
  const t0 = performance.now();
  const endAt = t0 + seconds * 1000;
  let lastActionEnd = t0;

  progress.start(label, seconds * 1000);
  const ticker = setInterval(
    () =>
      progress.update(
        performance.now() - t0,
        `${started.length} cases, ${submit.length + approveCommunity.length + approveStreet.length} actions, ${errors} errors, ${backPressure} × 503`,
      ),
    200,
  );
  const loop = async () => {
    while (performance.now() < endAt) {
      const subject = subjects.shift();
      if (!subject) return;
      try {
        if (await driver.drive(subject, run)) noticeCases += 1;
        lastActionEnd = performance.now();
      } catch (err) {
        if (err instanceof BackPressure) {
          backPressure += 1;
          if (backPressureSamples.length < 4) backPressureSamples.push(err.message);
          await new Promise((resolve) => setTimeout(resolve, err.seconds * 1000));
        } else run.fail(String((err as Error)?.message ?? err));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  clearInterval(ticker);
  const actions = submit.length + approveCommunity.length + approveStreet.length;
  const actionSeconds = (lastActionEnd - t0) / 1000;
  progress.stop(`${started.length} cases, ${(actions / actionSeconds).toFixed(1)} actions/s, ${errors} errors, ${backPressure} × 503`);

  // Wait for the notices to run out and the outcomes to be applied.
  const ids = started.map((s) => s.id);
  const deadline = Date.now() + 120_000;
  progress.start(`  completing c=${concurrency}`, noticeCases);
  let completed: { id: string; at: number; status: string }[];
  for (;;) {
    completed = await driver.ended(ids);
    progress.update(completed.length, `${completed.length}/${noticeCases} completed`);
    if (completed.length >= noticeCases || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  progress.stop();
  const submittedAt = new Map(started.map((s) => [s.id, s.at]));
  const done = completed.filter((c) => c.status === 'completed');
  for (const c of completed) if (c.status !== 'completed') run.fail(`case ${c.id} ended ${c.status}`);
  if (completed.length < noticeCases) run.fail(`${noticeCases - completed.length} case(s) in public notice did not complete within 120 s`);
  const lastCompletion = Math.max(startedAtWall, ...done.map((c) => c.at));
  const completionSeconds = (lastCompletion - startedAtWall) / 1000;
  return {
    concurrency,
    actionSeconds: round(actionSeconds),
    completionSeconds: round(completionSeconds),
    casesStarted: started.length,
    casesCompleted: done.length,
    actions,
    actionsPerSecond: round(actions / actionSeconds),
    casesPerSecond: round(done.length / completionSeconds),
    latency: {
      submit: summarize(submit),
      approveCommunity: summarize(approveCommunity),
      approveStreet: summarize(approveStreet),
      allActions: summarize([...submit, ...approveCommunity, ...approveStreet]),
    },
    submitToCompleted: summarize(done.map((c) => c.at - (submittedAt.get(c.id) ?? 0))),
    errors,
    errorSamples,
    backPressure,
    backPressureSamples,
    subjectsLeft: subjects.length,
  };
}

/** "timestamp without time zone" columns hold UTC; pg reads them as local time, so undo that. */
function parseUtc(d: Date): number {
  return d.getTime() - d.getTimezoneOffset() * 60_000;
}

const round = (v: number) => Math.round(v * 100) / 100;
