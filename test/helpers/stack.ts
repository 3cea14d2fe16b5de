import type { Worker } from '@temporalio/worker';
import type { Express } from 'express';
import { testApp } from './api';
import { createTestDatabase, type TestDatabase } from './database';
import { caseDriver } from './http-cases';
import { createTestWorker, devServer, uniqueTaskQueue } from './temporal';

/**
 * What most integration test files need, set up in beforeAll and torn down in afterAll: a seeded database of
 * their own, the shared Temporal dev server, a worker with the real activities on a task queue of their own,
 * the real API over both, and a driver for cases through HTTP.
 */
export interface ApiStack {
  db: TestDatabase;
  temporal: Awaited<ReturnType<typeof devServer>>;
  taskQueue: string;
  worker: Worker;
  app: Express;
  drive: ReturnType<typeof caseDriver>;
  /** Stops the worker (it finishes what it is doing). */
  stopWorker(): Promise<void>;
  /** Starts a fresh worker on the same task queue. */
  startWorker(): Promise<void>;
}

export function useApiStack(name: string): ApiStack {
  let running: Promise<void> | undefined;
  const stack = {
    async stopWorker() {
      if (stack.worker.getState() === 'RUNNING') stack.worker.shutdown();
      await running;
    },
    async startWorker() {
      stack.worker = await createTestWorker(stack.temporal.nativeConnection, stack.taskQueue, stack.db.prisma);
      running = stack.worker.run();
    },
  } as ApiStack;

  beforeAll(async () => {
    stack.db = await createTestDatabase({ seeded: true });
    stack.temporal = await devServer();
    stack.taskQueue = uniqueTaskQueue(name);
    await stack.startWorker();
    stack.app = testApp({ prisma: stack.db.prisma, client: stack.temporal.client, taskQueue: stack.taskQueue });
    stack.drive = caseDriver(stack.app);
  });

  afterAll(async () => {
    await stack.stopWorker();
    await stack.temporal.close();
    await stack.db.drop();
  });

  return stack;
}
