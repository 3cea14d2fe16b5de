import type { ChildProcess } from 'node:child_process';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import request from 'supertest';
import { verifyCaseChain, type ChainedEvent } from '../domain/history';
import { stopChild } from '../infra/processes';
import { caseWorkflow } from '../workflows/case';
import { sendAction } from '../scripts/history-scenarios';
import { verifyChains } from '../services/audit';
import { createStore } from '../store';
import { actUpdate, submitUpdate, type CaseWorkflow } from '../workflows/messages';
import { bearer, testApp } from './helpers/api';
import { caseRequestFor } from './helpers/cases';
import { readModelAgainstWorkflow } from './helpers/read-model';
import { useApiStack } from './helpers/stack';
import { spawnWorkerProcess, uniqueTaskQueue } from './helpers/temporal';

/**
 * Updates on the real Temporal dev server: validators that write nothing, idempotent retries, the
 * concurrent-approve race, and a worker killed in the middle of a case.
 */
/** When an action reached the API, as it sends it with every action. */
const now = () => ({ requestedAt: new Date().toISOString() });

describe('case workflow updates (dev server)', () => {
  const stack = useApiStack('updates');

  async function storedEvents(caseId: string): Promise<ChainedEvent[]> {
    const rows = await stack.db.prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } });
    return rows.map((r) => ({ ...r, at: r.at.toISOString() })) as unknown as ChainedEvent[];
  }

  async function updateEventsInHistory(workflowId: string) {
    const history = await stack.temporal.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
  }

  /** A case started on the workflow directly, once its submission has answered. */
  async function submitted(input: ReturnType<typeof caseRequestFor>) {
    const handle = await stack.temporal.client.workflow.start(caseWorkflow, {
      args: [input],
      taskQueue: stack.taskQueue,
      workflowId: input.caseId,
    });
    await handle.executeUpdate('submit', { args: [] });
    return { input, handle };
  }

  test('a refused action writes nothing to the workflow history', async () => {
    const { input, handle } = await submitted(caseRequestFor('street', 'w-jsl-03'));
    const before = (await handle.fetchHistory()).events?.length;

    const refused = handle.executeUpdate(actUpdate, { args: [{ action: 'approve', actorId: 'clerk-jsl' }, now()] });
    await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(refused).rejects.toMatchObject({ cause: { type: 'forbidden', message: 'the applicant cannot decide their own case' } });
    await expect(
      handle.executeUpdate(actUpdate, { args: [{ action: 'reject', actorId: 'dgw-nhl-1', comment: '' }, now()] }),
    ).rejects.toMatchObject({ cause: { type: 'invalid' } });

    expect((await handle.fetchHistory()).events?.length).toBe(before);
    expect(await updateEventsInHistory(input.caseId)).toHaveLength(1); // only the submission
    expect((await storedEvents(input.caseId)).map((e) => e.action)).toEqual(['submit', 'stage_opened']);
    await handle.terminate('test done');
  });

  test('an action that leaves the wake-up time where it was keeps its timer: no timer event in the history (lean-actions)', async () => {
    // A street stage of ten working days: its deadline is the case's next wake-up.
    const { handle } = await submitted(caseRequestFor('suspended', 'w-jsl-04'));
    const typesOf = (events: { eventType?: number | null }[]) =>
      events.map((e) => String(temporal.api.enums.v1.EventType[e.eventType ?? 0]));
    const opened = typesOf((await handle.fetchHistory()).events ?? []);
    expect(opened).toContain('EVENT_TYPE_TIMER_STARTED');
    const before = opened.length;
    // A comment moves no deadline: the stage's timer runs on.
    await handle.executeUpdate(actUpdate, { args: [{ action: 'comment', actorId: 'clerk-jsl', comment: '材料已补齐' }, now()] });
    const added = typesOf((await handle.fetchHistory()).events ?? []).slice(before);
    // The count comes from a real run's history, which is deterministic: the Update, the projection's local
    // activity (a marker), the Update's answer, and the workflow task around them; before lean-actions, the timer
    // was cancelled and started again besides (TIMER_CANCELED, TIMER_STARTED).
    expect(added.filter((type) => !type.includes('WORKFLOW_TASK'))).toEqual([
      'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
      'EVENT_TYPE_MARKER_RECORDED',
      'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED',
    ]);
    await handle.terminate('test done');
  });

  test('a retried request with the same idempotency key has exactly one effect', async () => {
    const created = await request(stack.app)
      .post('/api/v1/cases')
      .set('Authorization', await bearer('clerk-jsl'))
      .set('Idempotency-Key', 'submit-w-jsl-01')
      .send({ type: 'promotion', subjectId: 'w-jsl-01', payload: { kind: 'regular' } });
    const again = await request(stack.app)
      .post('/api/v1/cases')
      .set('Authorization', await bearer('clerk-jsl'))
      .set('Idempotency-Key', 'submit-w-jsl-01')
      .send({ type: 'promotion', subjectId: 'w-jsl-01', payload: { kind: 'regular' } });
    expect(created.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(created.body.id);

    const url = `/api/v1/cases/${created.body.id}/actions`;
    const comment = async () =>
      request(stack.app)
        .post(url)
        .set('Authorization', await bearer('dep-jsl'))
        .set('Idempotency-Key', 'comment-1')
        .send({ action: 'comment', comment: '请补充说明' });
    const [first, second] = [await comment(), await comment()];
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const actions = (await storedEvents(created.body.id)).map((e) => e.action);
    expect(actions.filter((a) => a === 'comment')).toHaveLength(1);
    expect(actions.filter((a) => a === 'submit')).toHaveLength(1);
  });

  test('fifty concurrent approvals of an any-stage: one decision, the rest 409 with the reason', async () => {
    const created = await request(stack.app)
      .post('/api/v1/cases')
      .set('Authorization', await bearer('clerk-jsl'))
      .send({ type: 'promotion', subjectId: 'w-jsl-03', payload: { kind: 'regular' } });
    expect(created.status).toBe(201);
    const url = `/api/v1/cases/${created.body.id}/actions`;
    // The community stage is 或签 between the secretary and the deputy.
    const approvers = ['sec-jsl', 'dep-jsl'];
    const auth = await Promise.all(approvers.map(bearer));
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request(stack.app)
          .post(url)
          .set('Authorization', auth[i % 2] as string)
          .send({ action: 'approve', comment: `#${i}` }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    for (const r of responses.filter((x) => x.status === 409))
      expect(r.body.detail).toMatch(
        /you are not assigned to the current stage "street-decision"|is not open yet|eligibility is being re-checked/,
      );

    const events = await storedEvents(created.body.id);
    expect(events.filter((e) => e.action === 'approve')).toHaveLength(1);
    expect(verifyCaseChain(created.body.id, events, { lastSeq: events.length })).toMatchObject({ ok: true });
  });

  test('when no worker answers in time, the API answers 503 and the request can be retried', async () => {
    const stranded = testApp({
      prisma: stack.db.prisma,
      client: stack.temporal.client,
      taskQueue: uniqueTaskQueue('nobody-polls'),
      rpcTimeoutMs: 1_500,
    });
    const started = Date.now();
    const res = await request(stranded)
      .post('/api/v1/cases')
      .set('Authorization', await bearer('clerk-gyl'))
      .set('Idempotency-Key', 'stranded-1')
      .send({ type: 'promotion', subjectId: 'w-gyl-03', payload: { kind: 'regular' } });
    expect(res.status).toBe(503);
    expect(res.body.type).toBe('/problems/dependency-unavailable');
    expect(Date.now() - started).toBeLessThan(10_000);
    // No response was stored for the key, so a retry once a worker runs gets a real answer.
    expect(await stack.db.prisma.idempotencyRecord.count({ where: { key: 'stranded-1' } })).toBe(0);
  });

  test('a write PostgreSQL refuses: the case goes on, its read model shows as behind, other cases are untouched', async () => {
    // PostgreSQL refuses this comment (a constraint, SQLSTATE 23514), as it would refuse content it cannot store.
    await stack.db.prisma.$executeRawUnsafe(
      `ALTER TABLE "CaseEvent" ADD CONSTRAINT "test_refused_comment" CHECK (comment IS DISTINCT FROM 'refused by PostgreSQL')`,
    );
    const stuck = caseRequestFor('street', 'w-jsl-04');
    const other = caseRequestFor('street', 'w-jyj-04');
    const start = (input: typeof stuck) =>
      stack.temporal.client.workflow.start(caseWorkflow, { args: [input], taskQueue: stack.taskQueue, workflowId: input.caseId });
    const [stuckHandle, otherHandle] = [await start(stuck), await start(other)];
    try {
      await stuckHandle.executeUpdate('submit', { args: [] });
      await otherHandle.executeUpdate('submit', { args: [] });
      // The projection gives up at once (not retryable); the Update still answers: the workflow holds the comment.
      const answered = await stuckHandle.executeUpdate(actUpdate, {
        args: [{ action: 'comment', actorId: 'dgw-nhl-1', comment: 'refused by PostgreSQL' }, now()],
      });
      expect(answered.seq).toBe(3);
      expect((await storedEvents(stuck.caseId)).map((e) => e.action)).toEqual(['submit', 'stage_opened']);

      const ready = await request(stack.app).get('/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body.checks.projection).toBe('behind');
      expect((await request(stack.app).get('/metrics')).text).toMatch(/^case_read_models_behind 1$/m);

      // Another case is untouched by it.
      await otherHandle.executeUpdate(actUpdate, { args: [{ action: 'approve', actorId: 'dgw-nhl-1' }, now()] });
      await expect(otherHandle.result()).resolves.toMatchObject({ status: 'completed' });

      // Once PostgreSQL takes it, the case's next input writes what was behind with it, and the lag is gone.
      await stack.db.prisma.$executeRawUnsafe(`ALTER TABLE "CaseEvent" DROP CONSTRAINT "test_refused_comment"`);
      await stuckHandle.executeUpdate(actUpdate, { args: [{ action: 'approve', actorId: 'dgw-nhl-2' }, now()] });
      await expect(stuckHandle.result()).resolves.toMatchObject({ status: 'completed' });
      expect((await storedEvents(stuck.caseId)).map((e) => e.action)).toEqual([
        'submit',
        'stage_opened',
        'comment',
        'approve',
        'outcome_applied',
        'complete',
      ]);
      expect((await request(stack.app).get('/readyz')).body.checks.projection).toBe('ok');
      // (The gauge keeps its count for OVERDUE_REFRESH_MS; the store it reads is up to date at once.)
      expect(await createStore(stack.db.prisma).projection.behindCount()).toBe(0);
    } finally {
      await stack.db.prisma.$executeRawUnsafe(`ALTER TABLE "CaseEvent" DROP CONSTRAINT IF EXISTS "test_refused_comment"`);
    }
  });

  test('killing the worker mid-case loses no action and no event', async () => {
    // The first worker is a separate process, killed without warning.
    await stack.stopWorker();
    const killable = await spawnWorker(stack.taskQueue);
    try {
      const created = await request(stack.app)
        .post('/api/v1/cases')
        .set('Authorization', await bearer('clerk-jyj'))
        .send({ type: 'promotion', subjectId: 'w-jyj-03', payload: { kind: 'regular' } });
      expect(created.status).toBe(201);
      killable.kill('SIGKILL');
      await new Promise((resolve) => killable.once('exit', resolve));

      // The approval arrives while no worker runs; it is delivered once a new worker starts.
      const handle = stack.temporal.client.workflow.getHandle(created.body.id);
      const approval = handle.executeUpdate(actUpdate, { args: [{ action: 'approve', actorId: 'sec-jyj', comment: '同意' }, now()] });
      await stack.startWorker();
      await approval;
      await handle.executeUpdate(actUpdate, {
        args: [
          {
            action: 'record-meeting',
            actorId: 'dgw-nhl-1',
            meetingDate: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
            members: ['dgw-nhl-1', 'dgw-nhl-2', 'dgw-nhl-3'].map((userId) => ({
              userId,
              attendance: 'present' as const,
              vote: 'for' as const,
            })),
            minutes: '纪要',
            resolution: '同意',
          },
          now(),
        ],
      });
      expect(await handle.result()).toMatchObject({ status: 'completed', outcome: 'approved' });
      const events = await storedEvents(created.body.id);
      expect(events.map((e) => e.action)).toEqual([
        'submit',
        'stage_opened',
        'approve',
        'stage_opened',
        'eligibility_rechecked',
        'record-meeting',
        'notice_opened',
        'notice_completed',
        'outcome_applied',
        'complete',
      ]);
      expect(verifyCaseChain(created.body.id, events, { lastSeq: events.length })).toMatchObject({ ok: true });
    } finally {
      await stopChild(killable);
    }
  });

  /** `npm run worker` as a child process, once it polls. */
  test('a worker killed while cases flow: every chain verifies and every read model equals its workflow', async () => {
    await stack.stopWorker();
    const killable = await spawnWorker(stack.taskQueue);
    const run = Date.now().toString(36);
    const flows = (
      [
        ['w-gyl-03', 'clerk-gyl', 'sec-gyl', 'dgw-hnl-1'],
        ['w-mtj-03', 'clerk-mtj', 'sec-mtj', 'dgw-hnl-1'],
        ['w-jsl-03', 'clerk-jsl', 'sec-jsl', 'dgw-nhl-1'],
      ] as const
    ).map(async ([subjectId, applicantId, community, street]) => {
      const caseId = `crash-${run}-${subjectId}`;
      const handle = await stack.temporal.client.workflow.start<CaseWorkflow>('caseWorkflow', {
        workflowId: caseId,
        taskQueue: stack.taskQueue,
        args: [{ caseId, type: 'promotion', subjectId, payload: { kind: 'regular' }, applicantId, submittedAt: new Date().toISOString() }],
      });
      await handle.executeUpdate(submitUpdate);
      await sendAction(handle, { action: 'comment', actorId: applicantId, comment: '材料已齐' });
      await sendAction(handle, { action: 'approve', actorId: community });
      // The street's party working committee decides at a meeting (集体研究), all three members present and for.
      const committee = [1, 2, 3].map((i) => street.replace(/-\d+$/, `-${i}`));
      await sendAction(handle, {
        action: 'record-meeting',
        actorId: street,
        meetingDate: new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
        members: committee.map((userId) => ({ userId, attendance: 'present' as const, vote: 'for' as const })),
        minutes: '纪要',
        resolution: '同意',
      });
      await handle.result();
      return caseId;
    });
    try {
      // Killed without warning while the cases are on their way; a new worker takes over a moment later.
      await new Promise((resolve) => setTimeout(resolve, 400));
      killable.kill('SIGKILL');
      await new Promise((resolve) => killable.once('exit', resolve));
      await new Promise((resolve) => setTimeout(resolve, 500));
      await stack.startWorker();
      const caseIds = await Promise.all(flows);

      expect((await verifyChains(createStore(stack.db.prisma).audit)).broken).toEqual([]);
      for (const caseId of caseIds) {
        const { stored, workflow } = await readModelAgainstWorkflow(stack.db.prisma, stack.temporal.client, caseId);
        expect({ caseId, ...stored }).toEqual({ caseId, ...workflow });
      }
    } finally {
      await stopChild(killable);
    }
  });

  function spawnWorker(queue: string): Promise<ChildProcess> {
    return spawnWorkerProcess({
      TEMPORAL_ADDRESS: stack.temporal.address,
      DATABASE_URL: stack.db.url,
      TEMPORAL_TASK_QUEUE: queue,
      RULE_SET: 'demo',
      // The workers of this file (startTestWorker) and its client read plaintext payloads: so must this one.
      PAYLOAD_CODEC: 'off',
    });
  }
});
