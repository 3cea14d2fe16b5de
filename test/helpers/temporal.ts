import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startWorker, type WorkerHandle, type WorkerOptions } from '../../app/runtime';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';
import type { PrismaClient } from '../../infra/prisma';
import { freePort } from '../../infra/processes';
import { testDefinitionVersion } from './cases';
import { TEST_TODAY, testEnv } from './env';

let runtimeInstalled = false;
function quietRuntime() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file. Failed asserts fail the workflow instead of retrying it. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('./workflows'),
    workflowInterceptorModules: [require.resolve('@temporalio/testing/lib/assert-to-failure-interceptor')],
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
}

export const uniqueTaskQueue = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** A client and worker connection to the shared dev server (real Temporal server with SQLite). */
export async function devServer(): Promise<{
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  address: string;
  close: () => Promise<void>;
}> {
  quietRuntime();
  const address = testEnv('temporalAddress');
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    client: new Client({ connection }),
    connection,
    nativeConnection,
    address,
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

/**
 * A time-skipping environment on the shared test server: timers fire as soon as the workflow waits on nothing
 * else. The SDK only builds such an environment around a server it starts itself, so this reaches its
 * internal factory to connect to the server global-setup started.
 */
export async function timeSkipping(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const factory = TestWorkflowEnvironment as unknown as {
    create: (opts: {
      server: { type: 'existing' };
      address: string;
      supportsTimeSkipping: true;
      namespace: string;
    }) => Promise<TestWorkflowEnvironment>;
  };
  return factory.create({
    server: { type: 'existing' },
    address: testEnv('timeSkippingAddress'),
    supportsTimeSkipping: true,
    namespace: 'default',
  });
}

/**
 * The service's worker (app/runtime.ts) with the real activities, running on a task queue of the test's own: the
 * test bundle, today pinned, the demo rule set, and no records-check schedule on the shared server.
 */
export async function startTestWorker(
  connection: NativeConnection,
  taskQueue: string,
  prisma: PrismaClient,
  options: Partial<Pick<WorkerOptions, 'namespace' | 'cases' | 'ruleSet' | 'maxCachedWorkflows' | 'dataConverter' | 'notifications'>> = {},
): Promise<WorkerHandle> {
  return startWorker({
    connection,
    namespace: 'default',
    taskQueue,
    prisma,
    ruleSet: BUILT_IN_RULE_SETS.demo as RuleSet,
    workflowBundle: await workflowBundle(),
    today: () => TEST_TODAY,
    schedule: false,
    definitionVersion: testDefinitionVersion,
    ...options,
  });
}

/**
 * Starts `scripts/worker.ts` as its own process, resolving once it polls its task queue. One process (tsx as a
 * loader, not its CLI, which runs the script in a child), so a SIGKILL hits the worker itself.
 */
export async function spawnWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'scripts', 'worker.ts')], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker polling task queue')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before polling:\n${output}`)));
  });
  return child;
}

/** A TCP server that accepts connections and never answers: a Temporal server that hangs. */
export async function blackhole(): Promise<{ address: string; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A workflow's pending activities as Temporal holds them, for a failure's message (where a group's deliveries are). */
export async function pendingActivitiesOf(client: Client, workflowId: string) {
  const described = await client.workflow.getHandle(workflowId).describe();
  return described.raw.pendingActivities?.map((a) => ({
    id: a.activityId,
    state: a.state,
    attempt: a.attempt,
    failure: a.lastFailure?.message,
    lastStarted: a.lastStartedTime,
    scheduled: a.scheduledTime,
  }));
}
