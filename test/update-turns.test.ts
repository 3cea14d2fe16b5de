import { Worker } from '@temporalio/worker';
import { HttpProblem } from '../services/problem';
import { callTemporal, type TemporalAccess } from '../services/temporal';
import { UpdateTurns } from '../services/update-turns';
import { heldUpdate, heldUpdatesWorkflow, releaseSignal } from './helpers/held-updates-workflow';
import { devServer, uniqueTaskQueue, workflowBundle } from './helpers/temporal';

/**
 * Each API process sends one workflow a few Updates at a time and queues the others within the request's
 * deadline (services/update-turns.ts): Temporal 1.29 answers an eleventh Update in flight by dropping the
 * workflow's cached state, which aborts the ten it had admitted, and fifty approvals of one case never ended.
 */
describe('turns at sending Updates to one workflow', () => {
  test('at most the limit at a time, the others in the order they came; one that gives up leaves the queue', async () => {
    const turns = new UpdateTurns(2);
    const order: string[] = [];
    const first = await turns.take('case-1');
    const second = await turns.take('case-1');
    expect(turns.load('case-1')).toEqual({ sending: 2, waiting: 0 });
    // Another workflow has turns of its own.
    (await turns.take('case-2'))();
    const gaveUp = new AbortController();
    const third = turns.take('case-1', gaveUp.signal);
    const fourth = turns.take('case-1').then((done) => (order.push('fourth'), done));
    const fifth = turns.take('case-1').then((done) => (order.push('fifth'), done));
    expect(turns.load('case-1')).toEqual({ sending: 2, waiting: 3 });
    gaveUp.abort(new Error('deadline'));
    await expect(third).rejects.toThrow('deadline');
    expect(turns.load('case-1')).toEqual({ sending: 2, waiting: 2 });
    first();
    first(); // given back once, however often called
    const fourthDone = await fourth;
    expect(order).toEqual(['fourth']);
    second();
    fourthDone();
    (await fifth)();
    expect(order).toEqual(['fourth', 'fifth']);
    expect(turns.load('case-1')).toEqual({ sending: 0, waiting: 0 });
  });

  test('a limit below one is refused', () => {
    expect(() => new UpdateTurns(0)).toThrow('at least 1');
  });

  test('on the dev server: a request whose turn does not come within its deadline is told to retry, and nothing of it reaches the workflow', async () => {
    const server = await devServer();
    const taskQueue = uniqueTaskQueue('update-turns');
    const worker = await Worker.create({ connection: server.nativeConnection, taskQueue, workflowBundle: await workflowBundle() });
    const running = worker.run();
    try {
      const temporal: TemporalAccess = { client: server.client, taskQueue, rpcTimeoutMs: 20_000, updatesPerWorkflow: 2 };
      const workflowId = `held-${taskQueue}`;
      const handle = await server.client.workflow.start(heldUpdatesWorkflow, { taskQueue, workflowId });
      const send = (name: string, access = temporal) =>
        callTemporal(access, () => handle.executeUpdate(heldUpdate, { args: [name] }), { workflowId });
      const a = send('a');
      const b = send('b');
      // Same client, so the same turns; a shorter deadline, so it passes while a and b are held.
      const late = await send('c', { ...temporal, rpcTimeoutMs: 1_500 }).catch((err: unknown) => err);
      expect(late).toBeInstanceOf(HttpProblem);
      expect(late).toMatchObject({ status: 503, retryAfterSeconds: 2 });
      expect((late as HttpProblem).detail).toMatch(
        /still being processed \(2 sent to it, 0 more waiting here\); nothing was sent for this one/,
      );
      await handle.signal(releaseSignal);
      expect((await Promise.all([a, b])).sort()).toEqual([1, 2]);
      expect((await handle.result()).sort()).toEqual(['a', 'b']);
    } finally {
      worker.shutdown();
      await running;
      await server.close();
    }
  });
});
