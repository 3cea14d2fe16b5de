import request from 'supertest';
import { createRecordsWatchActivities, RECORDS_WATCH_USER } from '../activities/records-watch';
import { ensureRecordsWatchSchedule, RECORDS_WATCH_SCHEDULE } from '../app/schedules';
import { detectExitTriggers } from '../domain/exit';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { createStore } from '../store';
import { personnelStore } from '../store/personnel';
import { recordsWatchWorkflow } from '../workflows/records-watch';
import { bearer } from './helpers/api';
import { TEST_TODAY } from './helpers/env';
import { uniqueTaskQueue } from './helpers/temporal';
import { useApiStack } from './helpers/stack';

/**
 * The daily records check (档案巡检): exit cases proposed whenever the assessment history meets an exit
 * situation, warnings before the qualification deadline, each exactly once, on a Temporal schedule.
 */
describe('records check', () => {
  const stack = useApiStack('records-watch');

  test('proposes one exit case per worker, joins further situations to an open one, and warns of approaching deadlines, once', async () => {
    const rules = BUILT_IN_RULE_SETS.demo as RuleSet;
    // A worker whose exit case a clerk opened before the check: what the records show joins it.
    const open = await stack.drive.submitted('clerk-mtj', 'exit', 'w-mtj-05', { reason: 'dereliction', detail: '失职' });
    const workers = await stack.db.prisma.communityWorker.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
    const findings: Record<string, string[]> = {};
    for (const { id } of workers) {
      const record = await personnelStore(stack.db.prisma).record(id);
      const codes = detectExitTriggers(record!, rules, TEST_TODAY).map((t) => t.reasonCode);
      if (codes.length) findings[id] = codes;
    }
    // 基本合格, 不合格, 不合格: both assessment situations at once, for one worker.
    expect(findings['w-jsl-05']).toEqual(['consecutive-incompetent', 'consecutive-basically-competent']);
    expect(findings['w-jsl-06']).toEqual(['consecutive-basically-competent']);
    expect(findings['w-jsl-10']).toEqual(['no-qualification']);
    const proposedWorkers = Object.keys(findings).filter((id) => id !== 'w-mtj-05');

    // A scan whose result was lost (its activity retried, or the check stopped before starting the cases) has
    // recorded its findings already; the next run must still propose them.
    const lost = await createRecordsWatchActivities({
      store: createStore(stack.db.prisma),
      ruleSet: rules,
      today: () => TEST_TODAY,
    }).scanRecords();
    expect(lost.proposals.map((p) => p.subjectId)).toEqual(proposedWorkers);
    const both = lost.proposals.find((p) => p.subjectId === 'w-jsl-05');
    expect(both?.payload).toMatchObject({
      reason: 'consecutive-incompetent',
      additionalReasons: [{ reason: 'consecutive-basically-competent', detail: expect.stringContaining('档案巡检') }],
    });
    expect(lost.joins.map((j) => [j.caseId, j.joined.reason])).toEqual([
      [open.id, 'consecutive-incompetent'],
      [open.id, 'consecutive-basically-competent'],
    ]);

    const first = await stack.temporal.client.workflow.execute(recordsWatchWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: 'records-watch-1',
    });
    // Ten seeded workers in each of the four communities, and each community clerk's own record (w-<community>-11).
    expect(first.scanned).toBe(44);
    expect(first.proposedCases.map((id) => id.split(':')[1]).sort()).toEqual(proposedWorkers.sort());
    expect(first.joinedCases).toEqual([open.id, open.id]);
    // w-*-09 must obtain the certificate by 2026-12-15: within the 90-day warning window on 2026-11-27 (warned
    // by the lost scan, so not again).
    expect(lost.warnings + first.warnings).toBe(4);
    expect(
      await stack.db.prisma.recordAlert.count({ where: { kind: 'qualification-deadline', workerId: 'w-jsl-09', key: '2026-12-15' } }),
    ).toBe(1);

    // The open case took both situations in (once each, though the lost scan found them too).
    const joined = await waitForPayload(
      open.id,
      (payload) => Array.isArray(payload.additionalReasons) && payload.additionalReasons.length === 2,
    );
    expect(joined.additionalReasons).toEqual([
      { reason: 'consecutive-incompetent', detail: expect.any(String) },
      { reason: 'consecutive-basically-competent', detail: expect.any(String) },
    ]);
    const events = await stack.db.prisma.caseEvent.findMany({ where: { caseId: open.id, action: 'reason_joined' } });
    expect(events.map((e) => e.actorId)).toEqual([RECORDS_WATCH_USER, RECORDS_WATCH_USER]);

    await Promise.all(first.proposedCases.map(waitForRow));
    const second = await stack.temporal.client.workflow.execute(recordsWatchWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: 'records-watch-2',
    });
    expect(second).toEqual({ scanned: 44, proposedCases: [], joinedCases: [], warnings: 0 });

    // The proposals are real exit cases, waiting for the street office to establish the situation.
    const proposal = first.proposedCases.find((id) => id.includes('w-jsl-05'))!;
    await waitForRow(proposal);
    const inbox = await request(stack.app)
      .get('/api/v1/inbox')
      .set('Authorization', await bearer('bsc-nhl-1'));
    const item = inbox.body.items.find((c: { id: string }) => c.id === proposal);
    expect(item).toMatchObject({
      type: 'exit',
      status: 'in_review',
      applicantId: RECORDS_WATCH_USER,
      currentStage: { id: 'verification' },
    });
  });

  async function waitForPayload(caseId: string, test: (payload: Record<string, unknown>) => boolean) {
    for (let i = 0; i < 100; i += 1) {
      const row = await stack.db.prisma.case.findUnique({ where: { id: caseId }, select: { payload: true } });
      const payload = (row?.payload ?? {}) as Record<string, unknown>;
      if (test(payload)) return payload;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`case ${caseId} never reached the payload expected`);
  }

  async function waitForRow(caseId: string) {
    for (let i = 0; i < 100; i += 1) {
      if (await stack.db.prisma.caseAssignee.count({ where: { caseId } })) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`case ${caseId} never opened`);
  }

  test('the check runs daily at 06:00 China Standard Time on a schedule created once', async () => {
    const namespaceQueue = uniqueTaskQueue('schedule');
    const client = stack.temporal.client;
    await client.schedule
      .getHandle(RECORDS_WATCH_SCHEDULE)
      .delete()
      .catch(() => undefined);
    expect(await ensureRecordsWatchSchedule(client, namespaceQueue)).toBe('created');
    expect(await ensureRecordsWatchSchedule(client, namespaceQueue)).toBe('exists');
    const described = await client.schedule.getHandle(RECORDS_WATCH_SCHEDULE).describe();
    expect(described.spec.timezone).toBe('Asia/Shanghai');
    expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 6, end: 6, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] });
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'recordsWatchWorkflow', taskQueue: namespaceQueue });
    await client.schedule.getHandle(RECORDS_WATCH_SCHEDULE).delete();
  });
});
