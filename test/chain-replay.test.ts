import type { WorkerHandle } from '../app/runtime';
import { CASE_TYPE_NAMES } from '../domain/case-types';
import { runScenario, SCENARIOS, sendAction } from '../scripts/history-scenarios';
import { verifyChains } from '../services/audit';
import { createStore } from '../store';
import { actUpdate, submitUpdate, type CaseWorkflow } from '../workflows/messages';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { readModelAgainstWorkflow } from './helpers/read-model';
import { devServer, startTestWorker, uniqueTaskQueue } from './helpers/temporal';

/**
 * Every event's content is the same however often a workflow task is replayed: the cases of every case type
 * (the recorded scenarios: returns, resubmission, 加签, votes, objections, notices, delayed stages, outcomes) run
 * on a worker that keeps no workflow in its cache, so each of their steps first replays the whole history so far
 * (between every pair of steps). Afterwards every chain verifies and every read model is what the projection
 * would write for the workflow's own state. Before v5, events took their time from the workflow's clock after a
 * local activity, which a replay reads differently: this broke chains at the first step after a replay.
 */
describe('events stay the same when a workflow replays between steps', () => {
  let db: TestDatabase;
  let temporal: Awaited<ReturnType<typeof devServer>>;
  let worker: WorkerHandle;
  let taskQueue: string;

  beforeAll(async () => {
    db = await createTestDatabase({ seeded: true });
    temporal = await devServer();
    taskQueue = uniqueTaskQueue('replays');
    worker = await startTestWorker(temporal.nativeConnection, taskQueue, db.prisma, { maxCachedWorkflows: 0 });
  });

  afterAll(async () => {
    await worker.stop();
    await temporal.close();
    await db.drop();
  });

  const scenarios = CASE_TYPE_NAMES.flatMap((type) => SCENARIOS[type].map((scenario) => [scenario.name, type, scenario] as const));

  test('every case type, every step replayed from its history: chains verify, read models equal the workflows', async () => {
    const run = Date.now().toString(36);
    // One case after another: with an empty cache and several cases at once, sdk-core 1.24 fails workflow tasks
    // ("… activation was only an eviction. This is an SDK bug."), whatever the workflow does.
    const handles = [];
    for (const [name, type, scenario] of scenarios) {
      const handle = await runScenario(temporal.client, taskQueue, type, scenario, `replays-${run}-${name}`);
      await handle.result();
      handles.push(handle);
    }

    const verification = await verifyChains(createStore(db.prisma).audit);
    expect(verification).toMatchObject({ ok: true, cases: scenarios.length, broken: [] });
    for (const handle of handles) {
      const { stored, workflow } = await readModelAgainstWorkflow(db.prisma, temporal.client, handle.workflowId);
      expect({ caseId: handle.workflowId, ...stored }).toEqual({ caseId: handle.workflowId, ...workflow });
    }
  });

  test('approvals that race in one workflow task, then replays: the chain still verifies', async () => {
    const cases = [];
    // One case after another, as above; workers the scenarios have not promoted already.
    for (const [subjectId, clerk, approvers] of [
      ['w-gyl-03', 'clerk-gyl', ['sec-gyl', 'dep-gyl']],
      ['w-mtj-03', 'clerk-mtj', ['sec-mtj', 'dep-mtj']],
    ] as const) {
      const caseId = `race-${Date.now().toString(36)}-${subjectId}`;
      const handle = await temporal.client.workflow.start<CaseWorkflow>('caseWorkflow', {
        workflowId: caseId,
        taskQueue,
        args: [
          { caseId, type: 'promotion', subjectId, payload: { kind: 'regular' }, applicantId: clerk, submittedAt: new Date().toISOString() },
        ],
      });
      await handle.executeUpdate(submitUpdate);
      // Twenty approvals of the community stage at once: one decides it, the others are refused.
      const raced = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          handle.executeUpdate(actUpdate, {
            args: [{ action: 'approve', actorId: approvers[i % 2] as string, comment: `#${i}` }, { requestedAt: new Date().toISOString() }],
          }),
        ),
      );
      expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      // The street decides, the notice runs out and the outcome is applied, every step replaying the history first.
      await expect(sendAction(handle, { action: 'approve', actorId: 'dgw-hnl-1' })).resolves.toMatchObject({
        progress: { status: 'public_notice' },
      });
      await expect(handle.result()).resolves.toMatchObject({ status: 'completed' });
      cases.push(handle);
    }
    expect((await verifyChains(createStore(db.prisma).audit)).broken).toEqual([]);
    for (const handle of cases) {
      const { stored, workflow } = await readModelAgainstWorkflow(db.prisma, temporal.client, handle.workflowId);
      expect(stored).toEqual(workflow);
    }
  });
});
