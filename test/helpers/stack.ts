import type { Express } from 'express';
import type { WorkerHandle } from '../../app/runtime';
import type { RuleSet } from '../../domain/rules';
import { testApp } from './api';
import { createTestDatabase, type TestDatabase } from './database';
import { caseDriver } from './http-cases';
import { devServer, startTestWorker, uniqueTaskQueue } from './temporal';

/**
 * What most integration test files need, set up in beforeAll and torn down in afterAll: a seeded database of
 * their own, the shared Temporal dev server, a worker with the real activities on a task queue of their own,
 * the real API over both, and a driver for cases through HTTP.
 */
export interface ApiStack {
  db: TestDatabase;
  temporal: Awaited<ReturnType<typeof devServer>>;
  taskQueue: string;
  worker: WorkerHandle;
  app: Express;
  drive: ReturnType<typeof caseDriver>;
  /** Stops the worker (it finishes what it is doing). */
  stopWorker: () => Promise<void>;
  /** Starts a fresh worker on the same task queue. */
  startWorker: () => Promise<void>;
}

/** `ruleSet`: the rules in force for the worker and the API alike (a county's RULES_FILE); the demo rules by default. */
export function useApiStack(name: string, options: { ruleSet?: RuleSet } = {}): ApiStack {
  const stack = {
    async stopWorker() {
      await stack.worker.stop();
    },
    async startWorker() {
      stack.worker = await startTestWorker(
        stack.temporal.nativeConnection,
        stack.taskQueue,
        stack.db.prisma,
        options.ruleSet ? { ruleSet: options.ruleSet } : {},
      );
    },
  } as ApiStack;

  beforeAll(async () => {
    stack.db = await createTestDatabase({ seeded: true });
    stack.temporal = await devServer();
    stack.taskQueue = uniqueTaskQueue(name);
    await stack.startWorker();
    stack.app = testApp({ prisma: stack.db.prisma, client: stack.temporal.client, taskQueue: stack.taskQueue, ruleSet: options.ruleSet });
    stack.drive = caseDriver(stack.app);
  });

  afterAll(async () => {
    await stack.stopWorker();
    await stack.temporal.close();
    await stack.db.drop();
  });

  return stack;
}
