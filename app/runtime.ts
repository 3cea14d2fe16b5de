import fs from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, type ClientPlugin } from '@temporalio/client';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type InjectedSinks,
  type WorkerPlugin,
  type WorkflowBundleOption,
} from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { createApp, createServices, type AppDeps } from '../api/app';
import { createTokenVerifier, issueToken, type AuthSettings } from '../api/auth';
import { caseTypeProblems } from '../domain/case-types';
import { BUILT_IN_RULE_SETS, parseRuleSet, type RuleSet } from '../domain/rules';
import { resolveJwtSecret } from '../infra/auth-keys';
import { createLedgerService } from '../services/ledger';
import { resolveLedgerSigner } from '../infra/ledger-key';
import { resolvePublicChallengeSecret } from '../infra/secret-files';
import { PROJECT_ROOT, type Config } from '../infra/config';
import { DEPLOYMENT } from '../infra/deployment';
import type { DataConverter } from '@temporalio/common';
import { temporalConnectionOptions, temporalSecurity, type TemporalConnectionSettings } from '../infra/temporal-connection';
import type { Logger } from '../infra/logger';
import type { PrismaClient } from '../infra/prisma';
import {
  BUILT_IN_DOCUMENT_TEMPLATES,
  JIANGSU_DOCUMENT_TEMPLATES,
  parseDocumentTemplates,
  type DocumentTemplates,
} from '../domain/documents/templates';
import { directoryBundleStore, s3BundleStore, s3ObjectStore } from '../infra/object-store';
import { checkPdfFont } from '../infra/pdf';
import type { LoginSettings } from '../services/auth';
import { createStore } from '../store';
import { ensureNotificationDispatchers, ensureRecordsWatchSchedule, RECORDS_WATCH_SCHEDULE } from './schedules';

/**
 * The composition root's wiring, shared by `npm start`, `npm run worker`, `npm run api`, the stack bring-up
 * (app/stack.ts) and the tests: one place that builds the Temporal worker and the HTTP server from
 * configuration and real dependencies.
 */

/**
 * The rule set in force: a county's own variant from RULES_FILE (JSON, validated), or a built-in one by
 * RULE_SET. Refuses to start when the case types need a period the rule set lacks.
 */
export function activeRuleSet(config: Config): RuleSet {
  let ruleSet: RuleSet | undefined;
  if (config.rulesFile) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(config.rulesFile, 'utf8'));
    } catch (err) {
      throw new Error(`RULES_FILE=${config.rulesFile} cannot be read as JSON: ${(err as Error).message}`, { cause: err });
    }
    ruleSet = parseRuleSet(json, config.rulesFile);
  } else {
    ruleSet = BUILT_IN_RULE_SETS[config.ruleSet];
    if (!ruleSet) throw new Error(`RULE_SET=${config.ruleSet} is not a known rule set (${Object.keys(BUILT_IN_RULE_SETS).join(', ')})`);
  }
  const problems = caseTypeProblems(ruleSet);
  if (problems.length) throw new Error(`case type definitions do not fit rule set ${ruleSet.id}:\n  ${problems.join('\n  ')}`);
  return ruleSet;
}

/**
 * The date eligibility is evaluated on: EVALUATION_DATE when it pins one (a test suite driving a running service,
 * as the in-process suites pin theirs), otherwise undefined, and the API and the activities take today's date in
 * China Standard Time. The API and the worker both read it, so both judge a case on the same day.
 */
export function evaluationDay(config: Config): (() => string) | undefined {
  const date = config.evaluationDate;
  return date === undefined ? undefined : () => date;
}

/**
 * The official documents' wording: a county's own (DOCUMENT_TEMPLATES_FILE, JSON, validated) or the rule set's
 * built-in templates. Refuses to start with templates that do not validate or a font that cannot be read.
 */
export function activeDocumentTemplates(config: Config, ruleSet: RuleSet): DocumentTemplates {
  checkPdfFont(config.documents.font);
  const file = config.documents.templatesFile;
  if (!file) return BUILT_IN_DOCUMENT_TEMPLATES[ruleSet.id] ?? JIANGSU_DOCUMENT_TEMPLATES;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`DOCUMENT_TEMPLATES_FILE=${file} cannot be read as JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseDocumentTemplates(json, file);
}

export interface WorkerHandle {
  worker: Worker;
  /** Resolves when the worker has stopped. */
  running: Promise<void>;
  stop: () => Promise<void>;
}

export interface WorkerOptions {
  /** The Temporal frontend, unless `connection` is given. */
  address?: string;
  /** TLS and API key towards Temporal (TEMPORAL_TLS_*, TEMPORAL_API_KEY), for the connections the worker opens. */
  security?: Omit<TemporalConnectionSettings, 'address'>;
  /** The payload codec's data converter (infra/temporal-connection.ts temporalSecurity); default: none. */
  dataConverter?: DataConverter;
  /** A connection to share (the caller closes it); otherwise the worker opens its own and closes it on stop. */
  connection?: NativeConnection;
  namespace: string;
  taskQueue: string;
  prisma: PrismaClient;
  ruleSet: RuleSet;
  /** A prebuilt workflow bundle (the tests build theirs once per file); default: bundled from workflows/. */
  workflowBundle?: WorkflowBundleOption;
  /** Today's date (YYYY-MM-DD, China Standard Time) for the activities; tests pin it. */
  today?: () => string;
  /** Create the daily records check's schedule on this task queue if missing (default true; tests share a server). */
  schedule?: boolean;
  logger?: Logger;
  /** Bounds of new cases (default: infra/config.ts's defaults). */
  cases?: Pick<ActivityDeps, 'limits' | 'historyLimit'>;
  /** Tests only: the definition version a new case runs (activities/admission.ts). */
  definitionVersion?: ActivityDeps['definitionVersion'];
  /** Workflows kept in memory between tasks (the SDK's default unless set; tests set 0 to replay every task). */
  maxCachedWorkflows?: number;
  /** Temporal's OpenTelemetry plugin when tracing is on (infra/tracing.ts). */
  plugins?: WorkerPlugin[];
  /** How notifications leave (NOTIFY_*); default: activities/index.ts's. */
  notifications?: ActivityDeps['notifications'];
}

/**
 * How long a workflow task waits on the queue of the worker that has the case cached (its sticky queue) before
 * any worker may take it. When that worker has died (SIGKILL, a lost node), every case it had cached waits this
 * long on its next task; the SDK's 10 s equals the API's whole deadline, so each of those requests answered 503.
 * A busy but live worker rarely lets a task wait this long, and if it does, another worker replays the case.
 */
export const STICKY_QUEUE_TIMEOUT = '2s';

/**
 * Bundles the workflows (webpack) into one file, which workers then load instead of bundling at start-up: a
 * worker restarted under load used to spend 10–20 s of CPU bundling before it polled again. Build it from the
 * same sources the workers run (`npm run cluster` does it on every start, the Dockerfile at build time).
 *
 * Two files: `file`, the workflows alone, and beside it tracedWorkflowBundlePath(file), the same with Temporal's
 * OpenTelemetry workflow interceptors (the ones its plugin adds when a worker bundles at start, which it cannot add
 * to a bundle already built), which a worker with tracing loads to join the request's trace. A worker without
 * tracing loads the first: the interceptors made and discarded spans for every workflow task, ~13 ms of the
 * workflow thread per action in the bench (bench/results/regression-2026-12-02.md). Neither changes a command, so
 * a case moves between workers of either kind (test/replay.test.ts replays every history with both).
 */
export async function buildWorkflowBundle(file: string, options: { traced?: boolean } = {}): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const bundles: { target: string; interceptors: string[] }[] = [{ target: file, interceptors: [] }];
  // Not when the caller knows no worker will trace (app/stack without OTEL_EXPORTER_OTLP_ENDPOINT).
  if (options.traced !== false)
    bundles.push({
      target: tracedWorkflowBundlePath(file),
      interceptors: [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors')],
    });
  for (const { target, interceptors } of bundles) {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../workflows'),
      workflowInterceptorModules: interceptors,
    });
    fs.writeFileSync(`${target}.tmp`, code);
    fs.renameSync(`${target}.tmp`, target);
  }
}

/** The prebuilt bundle with Temporal's OpenTelemetry workflow interceptors, beside the plain one (buildWorkflowBundle). */
export const tracedWorkflowBundlePath = (file: string): string => file.replace(/(\.js)?$/, '.traced.js');

/** The `exporter` sink of a worker that loads the traced bundle without tracing (a test's): the workflow's spans go nowhere. */
export const DISCARDED_WORKFLOW_SPANS: InjectedSinks<OpenTelemetrySinks> = { exporter: { export: { fn: () => undefined } } };

/** The Temporal worker process's worker: the case and records-check workflows with the real activities. */
export async function startWorker(options: WorkerOptions): Promise<WorkerHandle> {
  const { address } = options;
  const schedule = options.schedule ?? true;
  if (!address && (!options.connection || schedule)) throw new Error('startWorker needs the Temporal address');
  const connect = address ? temporalConnectionOptions({ address, ...options.security }) : undefined;
  const connection = options.connection ?? (await NativeConnection.connect(connect?.worker));
  // Set once created; the activities ask it whether the worker is shutting down (its state leaves RUNNING).
  let created: Worker | undefined;
  const worker = await Worker.create({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    // Tasks in flight get this long to finish after SIGTERM; Kubernetes waits longer (terminationGracePeriodSeconds).
    shutdownGraceTime: `${DEPLOYMENT.shutdown.workerGraceSeconds}s`,
    stickyQueueScheduleToStartTimeout: STICKY_QUEUE_TIMEOUT,
    ...(options.workflowBundle
      ? // The traced bundle's OpenTelemetry interceptors (buildWorkflowBundle) send their spans to this sink; the
        // tracing plugin replaces it with its exporter, and a bundle without them never calls it.
        { workflowBundle: options.workflowBundle, sinks: DISCARDED_WORKFLOW_SPANS }
      : { workflowsPath: require.resolve('../workflows') }),
    ...(options.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
    ...(options.plugins ? { plugins: options.plugins } : {}),
    activities: createActivities({
      prisma: options.prisma,
      ruleSet: options.ruleSet,
      today: options.today,
      ...options.cases,
      definitionVersion: options.definitionVersion,
      notifications: options.notifications,
      stopping: () => created !== undefined && created.getState() !== 'RUNNING',
    }),
  });
  created = worker;
  const running = options.connection ? worker.run() : worker.run().finally(() => connection.close());
  if (schedule) {
    // The daily records check runs on this task queue; its schedule is created once, by whichever worker starts
    // first. Beside polling, not before it: a worker restarted under load polls as soon as it can.
    const created = (async () => {
      const client = new Client({
        connection: await Connection.connect(connect?.client),
        namespace: options.namespace,
        dataConverter: options.dataConverter,
      });
      try {
        const state = await ensureRecordsWatchSchedule(client, options.taskQueue);
        options.logger?.info(`records-check schedule ${RECORDS_WATCH_SCHEDULE}: ${state}`);
        await ensureNotificationDispatchers(client, options.taskQueue);
      } finally {
        await client.connection.close();
      }
    })();
    created.catch((err: unknown) => options.logger?.error({ err }, `records-check schedule ${RECORDS_WATCH_SCHEDULE} not created`));
  }
  return {
    worker,
    running,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

export interface ApiHandle {
  server: Server;
  url: string;
  stop: () => Promise<void>;
}

/**
 * How the API authenticates, checked before anything starts: an OIDC provider's keys (AUTH_JWKS_URL), or an
 * HS256 secret (AUTH_JWT_SECRET, else the demo secret `npm start` keeps in DATA_DIR). Demo sign-in as any seeded
 * user only where asked for (AUTH_DEMO_SIGN_IN, which `npm start` sets); with NODE_ENV=production neither the
 * demo secret nor demo sign-in, so a production API without real authentication does not start.
 */
export function apiAuthentication(config: Config, logger?: Logger): { settings: AuthSettings; demoLogin?: LoginSettings['demoLogin'] } {
  const { auth } = config;
  if (config.production && auth.demoSignIn) throw new Error('AUTH_DEMO_SIGN_IN=true is refused with NODE_ENV=production');
  if (config.production && !auth.jwksUrl && !auth.jwtSecret) {
    throw new Error(
      'NODE_ENV=production needs real authentication: set AUTH_JWKS_URL (an OIDC provider) or AUTH_JWT_SECRET (at least 32 bytes); the API does not start on the demo secret',
    );
  }
  const base = { issuer: auth.issuer, audience: auth.audience, jwksAlgorithms: auth.jwksAlgorithms };
  if (auth.jwksUrl) return { settings: { ...base, jwksUrl: auth.jwksUrl } };
  const secret = resolveJwtSecret(config);
  if (secret.demo) logger?.warn('AUTH_JWT_SECRET is not set: tokens are signed with the demo secret in DATA_DIR (not for production)');
  const settings: AuthSettings = { ...base, jwtSecret: secret.secret };
  if (!auth.demoSignIn) return { settings };
  logger?.warn('AUTH_DEMO_SIGN_IN is on: anyone can sign in as any seeded user (a demo, not for production)');
  return { settings, demoLogin: (userId, name) => issueToken(settings, userId, name) };
}

/**
 * The API's services over config.temporal.address and the given database, as the HTTP API uses them; also what
 * `npm run archive` runs on. close() ends the Temporal connection and the attachments' store.
 */
export async function apiServices(options: {
  config: Config;
  prisma: PrismaClient;
  logger: Logger;
  ruleSet: RuleSet;
  /** Temporal's OpenTelemetry plugin when tracing is on (infra/tracing.ts). */
  plugins?: ClientPlugin[];
}) {
  const { config } = options;
  if (!config.temporal.address) throw new Error('startApi needs config.temporal.address (TEMPORAL_ADDRESS)');
  const { settings: authSettings, demoLogin } = apiAuthentication(config, options.logger);
  const { security, codec, dataConverter } = temporalSecurity(config);
  const connection = await Connection.connect(temporalConnectionOptions({ ...security, address: config.temporal.address }).client);
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter,
    ...(options.plugins ? { plugins: options.plugins } : {}),
  });
  const webRoot = path.join(PROJECT_ROOT, 'web', 'dist');
  const ledger = resolveLedgerSigner({ keyFile: config.ledger.signingKeyFile, dataDir: config.dataDir, production: config.production });
  if (ledger.generated)
    options.logger.warn('LEDGER_SIGNING_KEY_FILE is not set: ledger checkpoints are signed with a key generated in DATA_DIR');
  const challenge = resolvePublicChallengeSecret({
    file: config.publicNotice.challengeSecretFile,
    dataDir: config.dataDir,
    production: config.production,
  });
  const store = createStore(options.prisma);
  const templates = activeDocumentTemplates(config, options.ruleSet);
  const objects = config.attachments.s3 ? s3ObjectStore(config.attachments.s3) : null;
  const deps: AppDeps = {
    store,
    temporal: {
      client,
      taskQueue: config.temporal.taskQueue,
      rpcTimeoutMs: config.temporal.rpcTimeoutMs,
      updatesPerWorkflow: config.temporal.updatesPerWorkflow,
    },
    verifyToken: createTokenVerifier(authSettings),
    ruleSet: options.ruleSet,
    today: evaluationDay(config),
    logger: options.logger,
    rateLimitPerMinute: config.rateLimitPerMinute,
    login: { demoLogin, oidc: config.auth.oidc },
    webRoot: fs.existsSync(path.join(webRoot, 'index.html')) ? webRoot : undefined,
    ledgerSigner: ledger.signer,
    ledgerCheckpointFile: config.ledger.checkpointFile,
    codec: codec ? { codec, corsOrigin: config.temporal.codec.corsOrigin } : undefined,
    attachments: { limits: config.attachments, objects },
    documents: { templates, font: config.documents.font },
    publicChallengeSecret: challenge.secret,
    webhookAllowHttp: config.notifications.webhookAllowHttp,
    publicObjectionsPerHour: config.publicNotice.objectionsPerHour,
    archive: {
      bundles: config.archive.s3 ? s3BundleStore(config.archive.s3) : directoryBundleStore(config.archive.dir),
      archivedBy: `${process.argv[1] ? path.basename(process.argv[1]) : 'node'} on ${os.hostname()}`,
    },
  };
  const services = createServices(deps);
  return {
    deps,
    services,
    ledger,
    async close() {
      objects?.close();
      deps.archive?.bundles.close();
      await connection.close();
    },
  };
}

/** The HTTP API on config.port, against config.temporal.address. */
export async function startApi(options: {
  config: Config;
  prisma: PrismaClient;
  logger: Logger;
  ruleSet: RuleSet;
  /** Temporal's OpenTelemetry plugin when tracing is on (infra/tracing.ts). */
  plugins?: ClientPlugin[];
}): Promise<ApiHandle> {
  const { config } = options;
  const runtime = await apiServices(options);
  const { deps, services, ledger } = runtime;
  const { store } = deps;
  const app = createApp(deps, services);
  // The ledger's head is signed here, in the API process, not by the worker: the worker's activities hold database
  // credentials next to Temporal's, and the fewer processes hold the signing key the better. Every replica of
  // `npm run cluster` signs; a checkpoint of a size already signed is skipped (services/ledger.ts).
  const ledgerService = createLedgerService({ store, signer: ledger.signer, checkpointFile: config.ledger.checkpointFile });
  const signHead = () =>
    ledgerService
      .checkpoint()
      .catch((err: unknown) => options.logger.warn({ err }, 'the ledger checkpoint failed; next try at the next interval'));
  const checkpoints = setInterval(() => void signHead(), config.ledger.checkpointIntervalMs);
  checkpoints.unref();
  // Uploads nobody attached, and bytes whose removal is on record, are cleaned up every ten minutes.
  const cleanUp = setInterval(() => {
    services.attachments.cleanUp().catch((err: unknown) => options.logger.warn({ err }, 'attachment clean-up failed'));
  }, 600_000);
  cleanUp.unref();
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(config.port, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    server,
    url: `http://localhost:${port}`,
    async stop() {
      // Stop accepting connections, let in-flight requests finish, then drop idle keep-alive sockets.
      clearInterval(checkpoints);
      clearInterval(cleanUp);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      clearInterval(cleanUp);
      await runtime.close();
    },
  };
}
