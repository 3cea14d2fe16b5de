import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkerHandle } from '../app/runtime';
import { addWorkingDays, type WorkingCalendar } from '../domain/calendar';
import { verifyCaseChain, type ChainedEvent } from '../domain/history';
import { calendarStore } from '../store/calendar';
import { caseWorkflow } from '../workflows/case';
import type { WorkflowHandle } from '@temporalio/client';
import type { CaseCommand } from '../domain/process/engine';
import { actUpdate, stateQuery, type CaseRequest, type CaseWorkflow } from '../workflows/messages';
import { caseRequestFor } from './helpers/cases';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startTestWorker, timeSkipping, uniqueTaskQueue } from './helpers/temporal';

/**
 * The legal clocks on the time-skipping test server: days pass in milliseconds, while the real activities
 * write to PostgreSQL. Reminders, deadlines and escalation, the notice period with objections, and the
 * clock suspended while a case is returned.
 */
describe('case workflow clocks (time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let worker: WorkerHandle;
  let taskQueue: string;
  let calendar: WorkingCalendar;

  beforeAll(async () => {
    env = await timeSkipping();
    db = await createTestDatabase({ seeded: true });
    taskQueue = uniqueTaskQueue('clocks');
    worker = await startTestWorker(env.nativeConnection, taskQueue, db.prisma);
    calendar = await calendarStore(db.prisma).workingCalendar();
  });

  afterAll(async () => {
    await worker.stop();
    await env.teardown();
    await db.drop();
  });

  /** Starts a case submitted at the time the test server's clock shows (it runs ahead of the real one). */
  async function start(input: CaseRequest) {
    const submitted = { ...input, submittedAt: new Date(await env.currentTimeMs()).toISOString() };
    return env.client.workflow.start(caseWorkflow, { args: [submitted], taskQueue, workflowId: input.caseId });
  }

  /** An action as the API sends it, at the time the test server's clock shows. */
  async function act(handle: WorkflowHandle<CaseWorkflow>, command: CaseCommand) {
    return handle.executeUpdate(actUpdate, { args: [command, { requestedAt: new Date(await env.currentTimeMs()).toISOString() }] });
  }

  async function events(caseId: string) {
    const rows = await db.prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } });
    return rows.map((r) => ({ ...r, at: r.at.toISOString(), data: r.data })) as unknown as ChainedEvent[];
  }

  /** Waits (in skipped time) until the read model shows the case at `seq` or beyond. */
  async function until(caseId: string, predicate: (actions: string[]) => boolean, step = '1 hour', max = 2000) {
    for (let i = 0; i < max; i += 1) {
      const actions = (await events(caseId)).map((e) => e.action);
      if (predicate(actions)) return actions;
      await env.sleep(step);
    }
    throw new Error(`case ${caseId} never reached the expected state: ${(await events(caseId)).map((e) => e.action).join(', ')}`);
  }

  test('reminders, then the deadline escalates to the county social-work department', async () => {
    const input = caseRequestFor('escalation', 'w-jsl-03');
    const handle = await start(input);
    await until(input.caseId, (a) => a.includes('stage_opened'), '1 second');
    const opened = await handle.query(stateQuery);
    const openedAt = new Date(opened.current?.openedAt as string);
    expect(opened.current?.dueAt).toBe(addWorkingDays(openedAt, 3, calendar).toISOString());

    const actions = await until(input.caseId, (a) => a.includes('escalated'), '6 hours');
    expect(actions).toEqual(['submit', 'stage_opened', 'reminder', 'reminder', 'deadline_passed', 'escalated']);
    const row = await db.prisma.case.findUniqueOrThrow({ where: { id: input.caseId }, include: { assignees: true } });
    expect(row.assignees.map((a) => a.userId).sort()).toEqual(['dgw-nhl-1', 'dgw-nhl-2', 'dgw-nhl-3', 'swb-1', 'swb-2', 'swb-3']);
    const escalatedAt = (await events(input.caseId)).at(-1)?.at as string;
    expect(row.dueAt?.toISOString()).toBe(addWorkingDays(new Date(escalatedAt), 3, calendar).toISOString());

    await act(handle, { action: 'approve', actorId: 'swb-2', comment: '同意' });
    expect(await handle.result()).toMatchObject({ status: 'completed', outcome: 'approved' });
    const all = await events(input.caseId);
    expect(verifyCaseChain(input.caseId, all, { lastSeq: all.length })).toMatchObject({ ok: true });
  });

  test('the notice period: an objection pauses it, a dismissal resumes the rest, then the case completes', async () => {
    const input = caseRequestFor('notice', 'w-jyj-03');
    const handle = await start(input);
    await until(input.caseId, (a) => a.includes('stage_opened'));
    await act(handle, { action: 'approve', actorId: 'dgw-nhl-1' });
    const notice = (await handle.query(stateQuery)).notice;
    expect(notice?.dueAt).toBe(addWorkingDays(new Date(notice?.startedAt as string), 5, calendar).toISOString());

    await env.sleep('1 day');
    await act(handle, { action: 'object', actorId: 'clerk-jsl', comment: '群众来电反映工作日志不实' });
    const paused = await handle.query(stateQuery);
    expect(paused.status).toBe('objection_review');
    expect(paused.notice?.remaining).toBeDefined();
    // While the objection is under review, the notice does not run out, however long it takes.
    await env.sleep('30 days');
    expect((await handle.query(stateQuery)).status).toBe('objection_review');

    await act(handle, {
      action: 'resolve-objection',
      actorId: 'dgw-nhl-1',
      objectionId: 'objection-1',
      resolution: 'dismissed',
      comment: '经核实，反映不属实',
    });
    const resumed = await handle.query(stateQuery);
    expect(resumed.status).toBe('public_notice');
    const resumedAt = (await events(input.caseId)).at(-1)?.at as string;
    expect(resumed.notice?.dueAt).toBe(
      addWorkingDays(new Date(resumedAt), (paused.notice?.remaining as { workingDays: number }).workingDays, calendar).toISOString(),
    );

    expect(await handle.result()).toMatchObject({ status: 'completed', outcome: 'approved' });
    const actions = (await events(input.caseId)).map((e) => e.action);
    expect(actions).toEqual([
      'submit',
      'stage_opened',
      'approve',
      'notice_opened',
      'object',
      'notice_paused',
      'resolve-objection',
      'notice_resumed',
      'notice_completed',
      'outcome_applied',
      'complete',
    ]);
  });

  test('a 公示 that ends by its timer reaches the read model and the ledger with no further action (prompt-projection)', async () => {
    const input = caseRequestFor('notice', 'w-jyj-05');
    const handle = await start(input);
    await until(input.caseId, (a) => a.includes('stage_opened'));
    const approved = await act(handle, { action: 'approve', actorId: 'dgw-nhl-1' });
    // The API confirms what an Update answers; here nobody does, so only the approval's write stands unconfirmed.
    expect((await db.prisma.case.findUniqueOrThrow({ where: { id: input.caseId } })).confirmedSeq).toBeLessThan(approved.seq);

    // Only the notice period's timer acts from here: no Update, no query through the API, no later write.
    expect(await handle.result()).toMatchObject({ status: 'completed', outcome: 'approved' });
    const row = await db.prisma.case.findUniqueOrThrow({ where: { id: input.caseId } });
    expect(row.status).toBe('completed');
    const actions = (await events(input.caseId)).map((e) => e.action);
    expect(actions.slice(-3)).toEqual(['notice_completed', 'outcome_applied', 'complete']);
    // The timer-driven task's events are confirmed, so the ledger holds every event of the case, in order.
    expect(row.confirmedSeq).toBe(row.lastSeq);
    const ledger = await db.prisma.ledgerEntry.findMany({ where: { caseId: input.caseId }, orderBy: { ledgerSeq: 'asc' } });
    expect(ledger.map((e) => e.seq)).toEqual(actions.map((_, i) => i + 1));
    expect(ledger.at(-1)?.eventHash).toBe(row.lastHash);
  });

  test('an upheld objection sends the case back to the deciding stage', async () => {
    const input = caseRequestFor('notice', 'w-jyj-04');
    const handle = await start(input);
    await until(input.caseId, (a) => a.includes('stage_opened'));
    await act(handle, { action: 'approve', actorId: 'dgw-nhl-2' });
    await act(handle, { action: 'object', actorId: 'clerk-jsl', comment: '异议' });
    await act(handle, {
      action: 'resolve-objection',
      actorId: 'dgw-nhl-3',
      objectionId: 'objection-1',
      resolution: 'upheld',
      effect: 'reject',
      comment: '异议属实',
    });
    expect(await handle.result()).toMatchObject({ status: 'rejected', outcome: null });
    const row = await db.prisma.case.findUniqueOrThrow({ where: { id: input.caseId } });
    expect(row.status).toBe('rejected');
  });

  test('each mode in one case: 会签 approved on expiry, a collective vote, a single officer after a transfer', async () => {
    const input = caseRequestFor('modes', 'w-mtj-04', 'clerk-mtj');
    const handle = await start(input);
    // Nobody of the committee acts; after one working day the definition approves the stage.
    await until(input.caseId, (a) => a.includes('auto_approve') && a.filter((x) => x === 'stage_opened').length === 2, '3 hours');
    for (const [member, choice] of [
      ['jw-1', 'for'],
      ['jw-3', 'against'],
      ['jw-2', 'for'],
    ] as const) {
      await act(handle, { action: 'vote', actorId: member, choice });
    }
    await act(handle, { action: 'close-vote', actorId: 'jw-3', minutes: '会议纪要' });
    const sign = await handle.query(stateQuery);
    expect(sign.current).toMatchObject({ stageId: 'sign', assignees: ['swb-1'] });
    await act(handle, { action: 'transfer', actorId: 'swb-1', toUserId: 'swb-2', comment: '出差，转交' });
    await act(handle, { action: 'approve', actorId: 'swb-2' });
    expect(await handle.result()).toMatchObject({ status: 'completed', outcome: 'approved' });
    const actions = (await events(input.caseId)).map((e) => e.action);
    expect(actions).toEqual([
      'submit',
      'stage_opened',
      'deadline_passed',
      'auto_approve',
      'stage_opened',
      'vote',
      'vote',
      'vote',
      'close-vote',
      'stage_opened',
      'transfer',
      'approve',
      'outcome_applied',
      'complete',
    ]);
    expect((await handle.query(stateQuery)).stageData.meeting).toMatchObject({
      tally: { for: 2, against: 1, abstain: 0 },
      minutes: '会议纪要',
    });
  });

  test('a stage that opens later counts on the calendar as published by then', async () => {
    const input = caseRequestFor('calendar', 'w-gyl-04', 'clerk-gyl');
    const handle = await start(input);
    await until(input.caseId, (a) => a.includes('stage_opened'), '1 second');
    // After the case started, the administrator loads a new day off: the next working day after today.
    const now = new Date(await env.currentTimeMs());
    // The calendar as published when the case started.
    const fresh = await calendarStore(db.prisma).workingCalendar();
    const dayOff = addWorkingDays(now, 1, fresh).getTime() - 1;
    const date = new Date(dayOff + 8 * 3600_000).toISOString().slice(0, 10);
    const year = Number(date.slice(0, 4));
    await db.prisma.calendarYear.upsert({ where: { year }, create: { year, source: 'test', provisional: false }, update: {} });
    await db.prisma.calendarDay.create({ data: { date: new Date(`${date}T00:00:00.000Z`), year, kind: 'holiday' } });
    try {
      await act(handle, { action: 'approve', actorId: 'sec-gyl' });
      const state = await handle.query(stateQuery);
      expect(state.calendar.holidays).toContain(date);
      const openedAt = new Date(state.current?.openedAt as string);
      expect(state.current?.dueAt).toBe(addWorkingDays(openedAt, 3, await calendarStore(db.prisma).workingCalendar()).toISOString());
      expect(state.current?.dueAt).not.toBe(addWorkingDays(openedAt, 3, fresh).toISOString());
      // Finish the case rather than terminate it: the test server's time skipping stalls when a workflow is
      // terminated with a task in flight.
      await act(handle, { action: 'approve', actorId: 'dgw-hnl-1' });
      expect(await handle.result()).toMatchObject({ status: 'completed', outcome: 'approved' });
    } finally {
      await db.prisma.calendarDay.delete({ where: { date: new Date(`${date}T00:00:00.000Z`) } });
    }
  });

  test('the clock stops while the case waits for the applicant, and only the rest runs after resubmission', async () => {
    const input = caseRequestFor('suspended', 'w-gyl-03', 'clerk-gyl'); // eligible again when resubmitted
    const handle = await start(input);
    await until(input.caseId, (a) => a.includes('stage_opened'));
    // Three working days with the approver, counted on the calendar: the tests before this one have moved the
    // time-skipping clock weeks ahead, where three calendar days can all fall in a public holiday.
    const openedAt = new Date((await handle.query(stateQuery)).current?.openedAt as string);
    const threeWorkingDaysLater = addWorkingDays(openedAt, 3, await calendarStore(db.prisma).workingCalendar());
    await env.sleep(threeWorkingDaysLater.getTime() - Number(await env.currentTimeMs()) + 3600_000);
    await act(handle, { action: 'return', actorId: 'dgw-hnl-1', comment: '请补充材料', to: 'applicant' });
    const returned = await handle.query(stateQuery);
    const left = (returned.returned?.remaining as { workingDays: number }).workingDays;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(10);

    // Sixty days with the applicant: no deadline passes.
    await env.sleep('60 days');
    expect((await events(input.caseId)).map((e) => e.action)).not.toContain('deadline_passed');
    await act(handle, { action: 'resubmit', actorId: 'clerk-gyl', payload: { kind: 'regular', reason: '已补充考核表' } });
    const resumed = await handle.query(stateQuery);
    const resumedAt = new Date((await events(input.caseId)).at(-1)?.at as string);
    expect(resumed.current?.dueAt).toBe(addWorkingDays(resumedAt, left, calendar).toISOString());
    const row = await db.prisma.case.findUniqueOrThrow({ where: { id: input.caseId } });
    expect(row.dueAt?.toISOString()).toBe(resumed.current?.dueAt);
    // Eligibility is evaluated again as the case is resubmitted (README, "Resubmission").
    expect((await events(input.caseId)).map((e) => e.action).slice(-5)).toEqual([
      'return',
      'clock_suspended',
      'resubmit',
      'clock_resumed',
      'eligibility_rechecked',
    ]);

    await until(input.caseId, (a) => a.includes('deadline_passed'), '12 hours', 100);
    const overdue = await db.prisma.case.findUniqueOrThrow({ where: { id: input.caseId } });
    expect(overdue.status).toBe('in_review');
    expect(overdue.dueAt!.getTime()).toBeLessThanOrEqual(await env.currentTimeMs());
    await handle.terminate('test done');
  });
});
