import fs from 'node:fs';
import path from 'node:path';
import { Runtime } from '@temporalio/worker';
import type { RuleSet } from '../domain/rules';
import { loadConfig, type Config } from '../infra/config';
import { createLogger, type Logger } from '../infra/logger';
import { ensureDatabase, migrate, type MigrateResult } from '../infra/migrate';
import { startEmbeddedPostgres, temporaryDataDir, type RunningPostgres } from '../infra/postgres';
import { createPrisma, type PrismaClient } from '../infra/prisma';
import { freePort } from '../infra/processes';
import { temporalConnectionOptions, temporalSecurity } from '../infra/temporal-connection';
import { startDevServer, startTimeSkippingServer, type RunningTemporalServer } from '../infra/temporal-server';
import { bringUpTemporalCluster, type TemporalTopology } from '../infra/temporal-topology';
import { seedDemoData } from '../prisma/seed';
import { readiness, spawnEntryPoint, waitUntilReady, type EntryPointProcess } from './processes';
import { startReplicaProxy, type ReplicaProxy } from './proxy';
import { activeRuleSet, buildWorkflowBundle, evaluationDay, startApi, startWorker, type WorkerHandle } from './runtime';

/**
 * The one stack bring-up: PostgreSQL (embedded, or DATABASE_URL) → the database → migrations → the demo seed,
 * alongside a Temporal dev server (or TEMPORAL_ADDRESS, and for the tests the time-skipping server too) → the
 * worker → the API. stop() stops what was started, in reverse order. `npm start`, the tests' global setup, the
 * benchmark, the fuzzer and the history recorder all come up through here; the options are what differs.
 *
 * The production topology (`npm run cluster`) is the same bring-up with `temporal.server: 'cluster'` (the full
 * Temporal server on the same PostgreSQL, with mTLS: infra/temporal-topology.ts) and `replicas` (API and worker
 * replicas as child processes holding client certificates, the APIs behind one port: app/proxy.ts).
 */

/** The worker and the API run inside the caller's process, or as child processes of their own entry points. */
export type ProcessMode = 'in-process' | 'child-process';

export interface StackOptions {
  /**
   * The service's configuration, as its processes read it from the environment (LOG_LEVEL, RULE_SET, AUTH_*,
   * TEMPORAL_TASK_QUEUE, …); default process.env. The stack adds DATABASE_URL, TEMPORAL_ADDRESS, PORT and DATA_DIR.
   */
  env?: NodeJS.ProcessEnv;
  /**
   * Where the state lives: in DATA_DIR, kept from one run to the next (`npm start`); or in a fresh folder under
   * the OS temp dir, named with this prefix and deleted on stop unless `keep`.
   */
  data: { persistent: true } | { throwaway: string; keep?: boolean };
  /** The configured ports (PORT, EMBEDDED_PG_PORT, TEMPORAL_PORT, TEMPORAL_UI_PORT) or free ones. */
  ports: 'configured' | 'free';
  /** Use DATABASE_URL and TEMPORAL_ADDRESS when the environment sets them instead of starting servers. */
  external?: boolean;
  /** The database to create (if missing) on the embedded server. */
  database: string;
  /** Migrate with `prisma migrate deploy` where its schema engine is installed (default), else the built-in applier. */
  preferPrismaMigrate?: boolean;
  /** Load the demo organisation, staff and workers. */
  seed: boolean;
  temporal?: {
    /**
     * 'dev' (default): the dev server. 'cluster': the full Temporal server on the stack's PostgreSQL (its own
     * role and two databases), with mTLS on its frontend and between its services; API and worker replicas get
     * client certificates.
     */
    server?: 'dev' | 'cluster';
    /** The dev server's history in a SQLite file in the data folder (as `npm start`), or in memory (default). */
    persistence?: 'file' | 'memory';
    /** Serve the Temporal Web UI. */
    ui?: boolean;
    /** Start the time-skipping test server too. */
    timeSkipping?: boolean;
  };
  worker?: ProcessMode;
  api?: ProcessMode;
  /**
   * Replicas as child processes (scripts/worker.ts and scripts/api.ts), instead of `worker` and `api`: the
   * workers poll the same task queue, and the APIs answer on one port (PORT) through app/proxy.ts.
   */
  replicas?: { api: number; worker: number };
  /** More entry points to run as child processes beside the worker, each ready once it polls its task queue. */
  extraWorkers?: { name: string; script: string; taskQueue: string }[];
  /**
   * Restart a process that dies by itself (a crash, SIGKILL) after this long, as Kubernetes or systemd would:
   * the replicas and other child processes, the full Temporal server, the embedded PostgreSQL.
   */
  supervise?: { restartAfterMs: number };
  /** Told after a supervised restart (the process ids have changed). */
  onRestart?: (name: string) => void;
  /** Child processes write V8 CPU profiles here. */
  cpuProfileDir?: string;
  /** Progress of the bring-up, one line at a time. */
  log?: (line: string) => void;
  /** The logger of an in-process worker and API (default: LOG_LEVEL's). */
  logger?: Logger;
  /** Aborting it (Ctrl-C during start-up) stops what has started once the step under way is done. */
  signal?: AbortSignal;
}

export interface Stack {
  /** The configuration the worker and API run with: the environment's, with the stack's URLs, ports and folder. */
  config: Config;
  /** The environment child processes get (that configuration as variables). */
  env: NodeJS.ProcessEnv;
  dataDir: string;
  databaseUrl: string;
  migrations: MigrateResult;
  /** The embedded server, when the stack started one. */
  postgres?: RunningPostgres & { dataDir: string; port: number };
  /** The Temporal frontend; `server` when the stack started the dev server, `cluster` the full server. */
  temporal: { address: string; uiUrl?: string; server?: RunningTemporalServer; cluster?: TemporalTopology };
  timeSkipping?: RunningTemporalServer;
  /** The rule set in force, when a worker or the API runs. */
  ruleSet?: RuleSet;
  /** The database client of an in-process worker or API. */
  prisma?: PrismaClient;
  /** The in-process worker. */
  worker?: WorkerHandle;
  api?: { url: string };
  /** The child processes, in start order. */
  processes: EntryPointProcess[];
  /** The process id of every server and child process the stack runs, by name (undefined while one is down). */
  processIds: () => Record<string, number | undefined>;
  /** The replicas and the port in front of the APIs, when `replicas` was asked for. */
  replicas?: { api: EntryPointProcess[]; worker: EntryPointProcess[]; proxy: ReplicaProxy; apiUrls: string[]; workerMetricsUrls: string[] };
  stop: () => Promise<void>;
}

/** Creates the database if missing, applies pending migrations, and loads the demo seed if asked. */
export async function prepareDatabase(
  url: string,
  options: { seed: boolean; preferPrisma?: boolean; log?: (line: string) => void },
): Promise<MigrateResult> {
  const log = options.log ?? (() => undefined);
  await ensureDatabase(url);
  const migrations = await migrate(url, { preferPrisma: options.preferPrisma });
  log(`migrations (${migrations.tool}): ${migrations.applied.length ? migrations.applied.join(', ') : 'up to date'}`);
  if (options.seed) {
    const prisma = createPrisma(url, 2);
    try {
      log(`demo data loaded: ${JSON.stringify(await seedDemoData(prisma))}`);
    } finally {
      await prisma.$disconnect();
    }
  }
  return migrations;
}

/** A child's environment: variables set to undefined are left out (spawn would pass the text "undefined"). */
function definedOnly(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined));
}

/** Settles every start-up step, so a failure stops only after the others have registered what they started. */
async function allStarted<T extends unknown[]>(steps: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(steps);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as T;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const env = definedOnly(options.env ?? process.env);
  // Configuration and rule set are checked before anything starts.
  const configured = loadConfig(env);
  const ruleSet = options.worker || options.api || options.replicas ? activeRuleSet(configured) : undefined;
  // This process stops its worker itself, in order, instead of on the SDK's own signal handlers.
  if (options.worker === 'in-process') Runtime.install({ shutdownSignals: [] });
  const throwaway = 'throwaway' in options.data ? options.data : undefined;
  const pgDataDir = throwaway ? temporaryDataDir(throwaway.throwaway) : path.join(configured.dataDir, 'postgres');
  const dataDir = throwaway ? path.dirname(pgDataDir) : configured.dataDir;
  const free = options.ports === 'free';
  const externalDatabase = options.external ? configured.database.url : undefined;
  // The full server is always this stack's own: it holds the certificates its replicas are given.
  const externalTemporal = options.external && options.temporal?.server !== 'cluster' ? configured.temporal.address : undefined;

  const stops: { name: string; stop: () => Promise<void> }[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const { name, stop: stopOne } of stops.reverse()) {
      await stopOne().catch((err: unknown) => log(`stopping ${name} failed: ${err instanceof Error ? err.message : String(err)}`));
    }
    if (throwaway?.keep) log(`kept ${dataDir}`);
    else if (throwaway) fs.rmSync(dataDir, { recursive: true, force: true });
  };

  /** A supervised restart, unless the stack is stopping; a restart that fails is logged and tried again. */
  const restartLater = (name: string, restart: () => Promise<unknown>) => {
    if (!options.supervise) return;
    const attempt = () => {
      if (stopped) return;
      restart().then(
        () => {
          log(`restarted ${name}`);
          options.onRestart?.(name);
        },
        (err: unknown) => {
          log(`restarting ${name} failed, trying again: ${err instanceof Error ? err.message : String(err)}`);
          setTimeout(attempt, options.supervise?.restartAfterMs).unref();
        },
      );
    };
    log(`${name} died; restarting it in ${options.supervise.restartAfterMs} ms`);
    setTimeout(attempt, options.supervise.restartAfterMs).unref();
  };

  // The full Temporal server keeps its databases on the stack's PostgreSQL: it waits for the server, not the migrations.
  let serverUp: { resolve: (adminUrl: string) => void; reject: (err: unknown) => void } | undefined;
  const adminUrl = new Promise<string>((resolve, reject) => (serverUp = { resolve, reject }));
  adminUrl.catch(() => undefined);

  const database = async () => {
    try {
      let url = externalDatabase;
      let postgres: Stack['postgres'];
      if (!url) {
        const port = free ? await freePort() : configured.database.embeddedPort;
        const pg: RunningPostgres = await startEmbeddedPostgres({
          dataDir: pgDataDir,
          port,
          persistent: !throwaway || Boolean(throwaway.keep),
          log,
          onUnexpectedExit: () => restartLater('PostgreSQL', () => pg.restart()),
        });
        stops.push({ name: 'PostgreSQL', stop: pg.stop });
        postgres = { ...pg, dataDir: pgDataDir, port };
        url = pg.urlFor(options.database);
        log(`PostgreSQL (embedded) on port ${port}, data in ${pgDataDir}`);
      }
      // DATABASE_URL's role creates Temporal's role and databases: it needs CREATEROLE and CREATEDB there.
      serverUp?.resolve(postgres?.adminUrl ?? url);
      const migrations = await prepareDatabase(url, { seed: options.seed, preferPrisma: options.preferPrismaMigrate, log });
      return { url, postgres, migrations };
    } catch (err) {
      serverUp?.reject(err);
      throw err;
    }
  };

  const temporal = async (): Promise<Stack['temporal']> => {
    if (externalTemporal) return { address: externalTemporal };
    if (options.temporal?.server === 'cluster') {
      const topology = await bringUpTemporalCluster({
        adminUrl: await adminUrl,
        dataDir,
        frontendPort: free ? undefined : configured.temporal.devServerPort,
        namespace: configured.temporal.namespace,
        log: (line) => log(`temporal: ${line}`),
        onUnexpectedExit: () => restartLater('Temporal server', () => topology.cluster.restart()),
      });
      stops.push({ name: 'Temporal server', stop: topology.cluster.stop });
      return { address: topology.cluster.address, cluster: topology };
    }
    const server = await startDevServer({
      port: free ? undefined : configured.temporal.devServerPort,
      uiPort: options.temporal?.ui ? (free ? await freePort() : configured.temporal.uiPort) : undefined,
      dbFile: options.temporal?.persistence === 'file' ? path.join(dataDir, 'temporal', 'temporal.db') : undefined,
      namespace: configured.temporal.namespace,
      log: (line) => log(`temporal: ${line}`),
    });
    stops.push({ name: 'Temporal dev server', stop: server.stop });
    return { address: server.address, uiUrl: server.uiUrl, server };
  };

  const timeSkipping = async () => {
    if (!options.temporal?.timeSkipping) return undefined;
    const server = await startTimeSkippingServer({ log: (line) => log(`temporal: ${line}`) });
    stops.push({ name: 'Temporal time-skipping server', stop: server.stop });
    return server;
  };

  const checkpoint = () => options.signal?.throwIfAborted();
  try {
    checkpoint();
    type Started = [Awaited<ReturnType<typeof database>>, Stack['temporal'], RunningTemporalServer | undefined];
    const [db, temporalServer, timeSkippingServer] = await allStarted<Started>([database(), temporal(), timeSkipping()]);
    checkpoint();
    const apiPort = (options.api || options.replicas) && free ? await freePort() : configured.port;
    const childEnv: NodeJS.ProcessEnv = {
      ...env,
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: temporalServer.address,
      PORT: String(apiPort),
      DATA_DIR: dataDir,
      // The full server's clients hold a certificate: the API's by default, the workers' below.
      ...temporalServer.cluster?.clientEnv('api'),
    };
    const config = loadConfig(childEnv);
    const { namespace, taskQueue } = config.temporal;
    const stack: Stack = {
      config,
      env: childEnv,
      dataDir,
      databaseUrl: db.url,
      migrations: db.migrations,
      postgres: db.postgres,
      temporal: temporalServer,
      timeSkipping: timeSkippingServer,
      ruleSet,
      processes: [],
      processIds: () => ({
        ...(db.postgres ? { postgres: db.postgres.pid() } : {}),
        ...(temporalServer.cluster ? { temporal: temporalServer.cluster.cluster.pid() } : {}),
        ...Object.fromEntries(
          stack.processes.map((p) => [p.name, p.child.exitCode === null && p.child.signalCode === null ? p.pid : undefined]),
        ),
      }),
      stop,
    };
    const logger = options.logger ?? createLogger(config.logLevel);
    if (options.worker === 'in-process' || options.api === 'in-process') {
      const prisma = createPrisma(db.url, config.database.poolSize);
      stops.push({ name: 'database pool', stop: () => prisma.$disconnect() });
      stack.prisma = prisma;
    }
    if (options.worker === 'in-process' && ruleSet && stack.prisma) {
      const worker = await startWorker({
        address: temporalServer.address,
        ...temporalSecurity(config),
        namespace,
        taskQueue,
        prisma: stack.prisma,
        ruleSet,
        today: evaluationDay(config),
        logger,
        cases: config.cases,
        notifications: config.notifications,
        maxCachedWorkflows: config.workerMaxCachedWorkflows,
      });
      stops.push({ name: 'worker', stop: worker.stop });
      stack.worker = worker;
      checkpoint();
    }

    // Child processes start together, then each is awaited until it answers.
    const connection = temporalConnectionOptions({ ...config.temporal, address: temporalServer.address }).client;
    const polling = (queue: string) => (entry: EntryPointProcess) => readiness.polling(connection, namespace, queue, () => entry.pid);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const workerEnv: NodeJS.ProcessEnv = { ...childEnv, ...temporalServer.cluster?.clientEnv('worker') };
    if (options.replicas?.worker || options.worker === 'child-process') {
      // Bundled once here, from the sources the replicas run, so a worker (re)start does not bundle on its own, and
      // a worker's memory is what production's (which loads the image's bundle) is: webpack run inside the worker
      // left it ~180 MB larger for good (bench/results/regression-2026-12-02.md).
      const bundle = path.join(dataDir, 'workflow-bundle.js');
      await buildWorkflowBundle(bundle, { traced: Boolean(workerEnv.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) });
      workerEnv.WORKFLOW_BUNDLE_PATH = bundle;
    }
    const replicaPorts = await Promise.all(Array.from({ length: options.replicas?.api ?? 0 }, () => freePort()));
    const replicaUrls = replicaPorts.map((port) => `http://127.0.0.1:${port}`);
    const workerMetricsPorts = await Promise.all(Array.from({ length: options.replicas?.worker ?? 0 }, () => freePort()));
    const children = [
      ...(options.worker === 'child-process'
        ? [{ name: 'worker', script: 'scripts/worker.ts', env: workerEnv, ready: polling(taskQueue) }]
        : []),
      ...(options.api === 'child-process'
        ? [{ name: 'api', script: 'scripts/api.ts', env: childEnv, ready: () => readiness.http(apiUrl) }]
        : []),
      ...workerMetricsPorts.map((port, i) => ({
        name: `worker-${i + 1}`,
        script: 'scripts/worker.ts',
        env: { ...workerEnv, WORKER_METRICS_PORT: String(port) },
        ready: polling(taskQueue),
        replica: 'worker' as const,
      })),
      ...replicaPorts.map((port, i) => ({
        name: `api-${i + 1}`,
        script: 'scripts/api.ts',
        env: { ...childEnv, PORT: String(port) },
        ready: () => readiness.http(replicaUrls[i] as string),
        replica: 'api' as const,
      })),
      ...(options.extraWorkers ?? []).map((w) => ({
        name: w.name,
        script: w.script,
        env: { ...childEnv, TEMPORAL_TASK_QUEUE: w.taskQueue },
        ready: polling(w.taskQueue),
      })),
    ];
    const replicas = { api: [] as EntryPointProcess[], worker: [] as EntryPointProcess[] };
    const started = children.map((c) => {
      const logFile = path.join(dataDir, `${c.name}.log`);
      const child: EntryPointProcess = spawnEntryPoint(c.name, {
        script: c.script,
        env: c.env,
        logFile,
        cpuProfileDir: options.cpuProfileDir,
        log,
        onUnexpectedExit: () => restartLater(c.name, async () => child.restart()),
      });
      stops.push({ name: c.name, stop: child.stop });
      stack.processes.push(child);
      if ('replica' in c) replicas[c.replica].push(child);
      return { child, ready: c.ready(child) };
    });
    for (const { child, ready } of started) await waitUntilReady(child, ready);
    checkpoint();
    if (options.api === 'child-process') stack.api = { url: apiUrl };
    if (options.replicas) {
      const proxy = await startReplicaProxy({ port: apiPort, upstreams: () => replicaUrls, maxFileBytes: config.attachments.maxFileBytes });
      stops.push({ name: 'replica proxy', stop: proxy.stop });
      stack.replicas = {
        ...replicas,
        proxy,
        apiUrls: replicaUrls,
        workerMetricsUrls: workerMetricsPorts.map((p) => `http://127.0.0.1:${p}/metrics`),
      };
      stack.api = { url: proxy.url };
    }

    if (options.api === 'in-process' && ruleSet && stack.prisma) {
      const api = await startApi({ config, prisma: stack.prisma, logger, ruleSet });
      stops.push({ name: 'API', stop: api.stop });
      stack.api = { url: api.url };
      checkpoint();
    }
    return stack;
  } catch (err) {
    await stop();
    throw err;
  }
}
