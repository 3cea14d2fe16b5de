import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Express } from 'express';
import request from 'supertest';
import type { WorkerHandle } from '../../app/runtime';
import type { AuthSettings } from '../../api/auth';
import { canonicalJson } from '../../domain/history';
import { BUILT_IN_RULE_SETS, parseRuleSet, type RuleSet } from '../../domain/rules';
import { bearer, testApp, useAuth } from './api';
import { attachDatabase, createTestDatabase, type TestDatabase } from './database';
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
  /** The in-process app, or the base URL of a running service (runAgainstService): supertest takes either. */
  app: Express | string;
  drive: ReturnType<typeof caseDriver>;
  /** Stops the worker (it finishes what it is doing). */
  stopWorker: () => Promise<void>;
  /** Starts a fresh worker on the same task queue. */
  startWorker: () => Promise<void>;
}

/** A service already running (npm run cluster), which the end-to-end suites drive instead of their own stack. */
export interface RunningService {
  /** Its base URL (the port in front of the API replicas). */
  url: string;
  /** Its database, for what the suites read and check directly (the workers' records, the chains at the end). */
  databaseUrl: string;
  /** The token settings its API verifies (AUTH_JWT_SECRET, issuer, audience). */
  auth: AuthSettings;
}

let runningService: RunningService | undefined;

/**
 * The one switch that makes the end-to-end suites (useApiStack) drive a running service over HTTP instead of an
 * in-process app with a worker of their own: its API, its workers and its Temporal server do the work, the test
 * reads its database. Set in a beforeAll of the file that loads the suites (test/cluster/end-to-end.test.ts),
 * before theirs run. Suites that stop and start their own worker cannot run this way.
 */
export function runAgainstService(service: RunningService): void {
  runningService = service;
  useAuth(service.auth);
}

/** The in-process app, for a suite that needs Express itself (its own listening socket), not only requests. */
export function inProcessApp(stack: ApiStack): Express {
  if (typeof stack.app === 'string') throw new Error(`this suite needs the in-process app, not the service at ${stack.app}`);
  return stack.app;
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
    if (runningService) {
      await sameRules(name, runningService.url, options.ruleSet ?? (BUILT_IN_RULE_SETS.demo as RuleSet));
      stack.db = attachDatabase(runningService.databaseUrl);
      stack.app = runningService.url;
      stack.drive = caseDriver(stack.app);
      stack.stopWorker = stack.startWorker = () => Promise.reject(new Error(`${name}: the running service's workers are not the test's`));
      return;
    }
    stack.db = await createTestDatabase({ seeded: true });
    stack.temporal = await devServer();
    stack.taskQueue = uniqueTaskQueue(name);
    await stack.startWorker();
    stack.app = testApp({ prisma: stack.db.prisma, client: stack.temporal.client, taskQueue: stack.taskQueue, ruleSet: options.ruleSet });
    stack.drive = caseDriver(stack.app);
  });

  afterAll(async () => {
    if (runningService) {
      await stack.db?.drop();
      return;
    }
    // The suites share one Temporal server, and a group's workflow id is its street (or community) and year: a
    // round a suite leaves running (the demo seed's) would be the one a later suite's round attaches to.
    await terminateRunning(stack.temporal.client, stack.taskQueue);
    await stack.stopWorker();
    await stack.temporal.close();
    await stack.db.drop();
  });

  return stack;
}

/**
 * A suite's answers hold only for the rules it was written for: the running service must run the same rule set
 * (the demo rules, or the suite's own given to the service as RULES_FILE), as GET /rule-set answers it.
 */
async function sameRules(name: string, url: string, suiteRules: RuleSet): Promise<void> {
  const res = await request(url)
    .get('/api/v1/rule-set')
    .set('Authorization', await bearer('auditor-1'));
  if (res.status !== 200) throw new Error(`${name}: GET /rule-set of the service at ${url} answered ${res.status}`);
  const normal = (rules: unknown) => canonicalJson(parseRuleSet(JSON.parse(JSON.stringify(rules))));
  if (normal(res.body) !== normal(suiteRules))
    throw new Error(`${name}: the service at ${url} runs other rules than this suite's; start it with RULES_FILE holding the suite's`);
}

/** Terminates every workflow still running on the suite's task queue. */
async function terminateRunning(client: Client, taskQueue: string): Promise<void> {
  for await (const execution of client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` })) {
    await client.workflow
      .getHandle(execution.workflowId, execution.runId)
      .terminate('the test suite ended')
      .catch((err: unknown) => {
        // Ended meanwhile (a child closes when its parent's termination abandons it, or on its own).
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      });
  }
}
