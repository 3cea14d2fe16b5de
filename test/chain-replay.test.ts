import type { WorkerHandle } from '../app/runtime';
import { currentScenarios, runScenario } from '../scripts/history-scenarios';
import { verifyChains } from '../services/audit';
import { createStore } from '../store';
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
/** Every workflow task replays the whole history so far: on a loaded machine these cases take minutes, not seconds. */
const REPLAYING_TEST_TIMEOUT = 300_000;

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

  const scenarios = currentScenarios().map(([type, scenario]) => [scenario.name, type, scenario] as const);

  test(
    'every case type, every step replayed from its history: chains verify, read models equal the workflows',
    async () => {
      const run = Date.now().toString(36);
      // One case after another: with an empty cache and several cases at once, sdk-core 1.24 fails workflow tasks
      // ("… activation was only an eviction. This is an SDK bug."), whatever the workflow does.
      const handles = [];
      for (const [name, type, scenario] of scenarios) {
        const caseIdOf = (scenarioName: string) => `replays-${run}-${scenarioName}`;
        const handle = await runScenario(temporal.client, taskQueue, type, scenario, caseIdOf(name), caseIdOf);
        await handle.result();
        handles.push(handle);
      }

      const verification = await verifyChains(createStore(db.prisma).audit);
      expect(verification).toMatchObject({ ok: true, cases: scenarios.length, broken: [] });
      for (const handle of handles) {
        const { stored, workflow } = await readModelAgainstWorkflow(db.prisma, temporal.client, handle.workflowId);
        expect({ caseId: handle.workflowId, ...stored }).toEqual({ caseId: handle.workflowId, ...workflow });
      }
    },
    REPLAYING_TEST_TIMEOUT,
  );
});
