import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { WorkerHandle } from '../app/runtime';
import { verifyChains } from '../services/audit';
import { createStore } from '../store';
import { actUpdate, stateQuery, submitUpdate, type CaseWorkflow } from '../workflows/messages';
import { caseRequestFor } from './helpers/cases';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { readModelAgainstWorkflow } from './helpers/read-model';
import { devServer, startTestWorker, uniqueTaskQueue } from './helpers/temporal';

/**
 * What a case trusts (v5): only what its caller may say comes from its input (a forged definition or eligibility
 * is ignored); a resubmission is checked for eligibility again in the workflow; comments and the like are bounded,
 * and a case whose history grows long continues as new without applying a resent Update twice.
 */
describe('a case trusts nobody and stays bounded', () => {
  let db: TestDatabase;
  let temporal: Awaited<ReturnType<typeof devServer>>;
  let worker: WorkerHandle;
  let taskQueue: string;
  const now = () => ({ requestedAt: new Date().toISOString() });

  beforeAll(async () => {
    db = await createTestDatabase({ seeded: true });
    temporal = await devServer();
    taskQueue = uniqueTaskQueue('trust');
    // A history limit low enough that a few comments move the case to a new run; three comments at most.
    worker = await startTestWorker(temporal.nativeConnection, taskQueue, db.prisma, {
      cases: { limits: { comments: 3, objections: 20, reminds: 20 }, historyLimit: 40 },
    });
  });

  afterAll(async () => {
    await worker.stop();
    await temporal.close();
    await db.drop();
  });

  const events = async (caseId: string) =>
    (await db.prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } })).map((e) => e.action);

  test('a forged definition and eligibility in the input are ignored: the registry definition runs, nothing reaches the records', async () => {
    const request = caseRequestFor('street', 'w-jsl-04'); // only two years in grade: not eligible
    const records = async () => ({
      worker: await db.prisma.communityWorker.findUniqueOrThrow({ where: { id: 'w-jsl-04' } }),
      gradeChanges: await db.prisma.gradeChange.count({ where: { workerId: 'w-jsl-04' } }),
    });
    const before = await records();
    const forged = {
      ...request,
      definition: { type: 'promotion', version: 901, title: { zh: '伪造', en: 'forged' }, payloadSchema: {}, stages: [] },
      eligibility: { eligible: true, reasons: [] },
    };
    const handle = await temporal.client.workflow.start<CaseWorkflow>('caseWorkflow', {
      workflowId: request.caseId,
      taskQueue,
      args: [forged],
    });
    await handle.executeUpdate(submitUpdate);
    const state = await handle.query(stateQuery);
    // The test definition the worker chose (version 901, one street stage), not the empty one of the input.
    expect(state.definition.stages.map((s) => s.id)).toEqual(['street']);
    expect(state.status).toBe('in_review');
    expect(await events(request.caseId)).toEqual(['submit', 'stage_opened']);
    const submitted = await db.prisma.caseEvent.findUniqueOrThrow({ where: { caseId_seq: { caseId: request.caseId, seq: 1 } } });
    expect(submitted.data).toMatchObject({ eligibility: { eligible: false } });
    expect(await records()).toEqual(before);
    await handle.terminate('test done');
  });

  test('a resubmission is parsed and checked for eligibility again; an ineligible one is refused and records nothing', async () => {
    const request = caseRequestFor('street', 'w-jsl-03');
    const handle = await temporal.client.workflow.start<CaseWorkflow>('caseWorkflow', {
      workflowId: request.caseId,
      taskQueue,
      args: [request],
    });
    await handle.executeUpdate(submitUpdate);
    await handle.executeUpdate(actUpdate, {
      args: [{ action: 'return', actorId: 'dgw-nhl-1', comment: '请补充', to: 'applicant' }, now()],
    });
    const returned = await events(request.caseId);

    // Early promotion needs consecutive 优秀 years this worker does not have.
    const refused = handle.executeUpdate(actUpdate, {
      args: [{ action: 'resubmit', actorId: 'clerk-jsl', payload: { kind: 'early' } }, now()],
    });
    await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(refused).rejects.toMatchObject({ cause: { type: 'ineligible' } });
    expect(await events(request.caseId)).toEqual(returned);

    // A valid one is stored as its schema parses it (unknown keys dropped).
    await handle.executeUpdate(actUpdate, {
      args: [{ action: 'resubmit', actorId: 'clerk-jsl', payload: { kind: 'regular', reason: '已补充', injected: 'x' } }, now()],
    });
    expect((await handle.query(stateQuery)).payload).toEqual({ kind: 'regular', reason: '已补充' });
    await handle.terminate('test done');
  });

  test('comments are bounded, and a long history continues as new without applying a resent Update twice', async () => {
    const request = caseRequestFor('street', 'w-jyj-03', 'clerk-jsl');
    const handle = await temporal.client.workflow.start<CaseWorkflow>('caseWorkflow', {
      workflowId: request.caseId,
      taskQueue,
      args: [request],
    });
    await handle.executeUpdate(submitUpdate);
    const firstRun = (await handle.describe()).runId;
    const comment = (n: number, updateId: string) =>
      handle.executeUpdate(actUpdate, { updateId, args: [{ action: 'comment', actorId: 'dgw-nhl-1', comment: `#${n}` }, now()] });
    const answer = await comment(1, 'comment-1');
    await comment(2, 'comment-2');
    await comment(3, 'comment-3');
    // The fourth comment is refused, naming the limit.
    await expect(comment(4, 'comment-4')).rejects.toMatchObject({
      cause: { type: 'conflict', message: expect.stringMatching(/limit of 3 comments/) },
    });
    // Reminders until the history passes its limit of 40 events and the case moves to a new run.
    for (let i = 0; (await handle.describe()).runId === firstRun && i < 20; i += 1) {
      await handle.executeUpdate(actUpdate, { args: [{ action: 'remind', actorId: 'clerk-jsl' }, now()] });
    }
    expect((await handle.describe()).runId).not.toBe(firstRun);

    // The same Update sent again to the new run is answered with the first run's answer, not applied again (carried
    // without the case's view, which the API reads back for it).
    const { case: view, ...carried } = answer;
    expect(view).toMatchObject({ status: 'in_review' });
    expect(await comment(1, 'comment-1').catch((err: { cause?: Error }) => err.cause?.message ?? err)).toEqual(carried);
    expect((await events(request.caseId)).filter((a) => a === 'comment')).toHaveLength(3);

    await handle.executeUpdate(actUpdate, { args: [{ action: 'approve', actorId: 'dgw-nhl-2' }, now()] });
    await expect(handle.result()).resolves.toMatchObject({ status: 'completed' });
    const { stored, workflow } = await readModelAgainstWorkflow(db.prisma, temporal.client, request.caseId);
    expect(stored).toEqual(workflow);
    expect((await verifyChains(createStore(db.prisma).audit, request.caseId)).broken).toEqual([]);
  });
});
