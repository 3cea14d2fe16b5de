/**
 * `npm start`: the whole service on one machine, in one command. Starts PostgreSQL (embedded, unless
 * DATABASE_URL is set) and a Temporal dev server with its Web UI (unless TEMPORAL_ADDRESS is set), applies
 * migrations, loads the demo seed, then runs the worker and the API (app/stack.ts). Ctrl-C stops everything
 * it started. `--without-demo-cases` leaves out the two demo cases (an exit and its appeal) that otherwise start
 * once the worker runs, for a database whose seeded workers a test suite drives itself (test/cluster/).
 *
 * `npm run cluster` (`--cluster`): the production topology on one machine. The full Temporal server (built into
 * .tools/ on first use) on the same PostgreSQL with its own role and databases, its schema set up or upgraded,
 * a private CA and certificates, mTLS on the frontend and between its services, then two worker replicas and
 * two API replicas as child processes with client certificates, the APIs behind one port (PORT).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startStack, type Stack } from '../app/stack';
import { loadConfig, PROJECT_ROOT } from '../infra/config';
import { clusterStateFile, DEPLOYMENT } from '../infra/deployment';
import { createLogger } from '../infra/logger';
import { SetupProblem } from '../infra/postgres';
import { createPrisma } from '../infra/prisma';
import { connectTemporalClient } from '../infra/temporal-connection';
import { seedDemoCases } from './demo-cases';

const { values: args } = parseArgs({
  options: { cluster: { type: 'boolean', default: false }, 'without-demo-cases': { type: 'boolean', default: false } },
});

function writeClusterState(stack: Stack) {
  const state = {
    url: stack.api?.url,
    temporal: stack.temporal.address,
    databaseUrl: stack.databaseUrl,
    postgresAdminUrl: stack.postgres?.adminUrl,
    apiReplicas: stack.replicas?.apiUrls,
    workerMetrics: stack.replicas?.workerMetricsUrls,
    processes: stack.processIds(),
    certificates: stack.temporal.cluster?.certificates,
  };
  const file = clusterStateFile(stack.dataDir);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2), { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
}

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  let stack: Stack | undefined;
  // Ctrl-C during start-up: the bring-up stops what it has started and fails with the abort.
  const starting = new AbortController();
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping');
    if (!stack) {
      starting.abort(); // start-up is under way: it stops what it started, and main exits below
      return;
    }
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    stack = await startStack({
      // The one place demo sign-in is on by default (AUTH_DEMO_SIGN_IN=false turns it off); never with an OIDC provider.
      env: { ...process.env, AUTH_DEMO_SIGN_IN: process.env.AUTH_DEMO_SIGN_IN ?? (process.env.AUTH_JWKS_URL ? 'false' : 'true') },
      data: { persistent: true },
      ports: 'configured',
      external: true,
      database: DEPLOYMENT.databases.service,
      seed: true,
      ...(args.cluster
        ? {
            temporal: { server: 'cluster' },
            replicas: DEPLOYMENT.replicas,
            supervise: { restartAfterMs: config.clusterRestartDelayMs },
            onRestart: () => stack && writeClusterState(stack),
          }
        : { temporal: { persistence: 'file', ui: true }, worker: 'in-process', api: 'in-process' }),
      log: (line) => logger.info(line),
      logger,
      signal: starting.signal,
    });
  } catch (err) {
    // The bring-up has stopped whatever it had started.
    if (starting.signal.aborted) process.exit(0);
    if (err instanceof SetupProblem) {
      console.error(err.message);
      process.exit(1);
    }
    logger.error({ err }, 'start-up failed');
    process.exit(1);
  }
  stack.worker?.running.catch((err: unknown) => {
    logger.error({ err }, 'worker failed');
    void shutdown(1);
  });
  if (!args['without-demo-cases']) void startDemoCases(stack).catch((err: unknown) => logger.warn({ err }, 'demo cases not started'));
  const url = stack.api?.url as string;
  const { ruleSet, temporal, replicas } = stack;
  if (args.cluster) writeClusterState(stack);
  console.log(
    [
      '',
      fs.existsSync(path.join(PROJECT_ROOT, 'web', 'dist', 'index.html'))
        ? `  Web UI         ${url}/`
        : '  Web UI         not built: npm run build:web, then start again',
      `  API            ${url}/api/v1   (health: ${url}/healthz, readiness: ${url}/readyz)`,
      `  Temporal       ${temporal.address}${temporal.uiUrl ? `   Web UI: ${temporal.uiUrl}` : ''}`,
      ...(temporal.cluster
        ? [
            `                 full server ${temporal.cluster.tools.server}, mTLS (certificates in ${temporal.cluster.certificates.dir})`,
            `  Replicas       workers ${replicas?.worker.map((w) => `${w.name} (pid ${w.pid})`).join(', ')}`,
            `                 APIs ${replicas?.api.map((a, i) => `${a.name} (pid ${a.pid}, ${replicas.apiUrls[i]})`).join(', ')}, behind ${url}`,
            `  Metrics        ${url}/metrics (each API), workers: ${replicas?.workerMetricsUrls.join(', ')}`,
            `  Logs           ${stack.dataDir}/{worker-*,api-*}.log, ${temporal.cluster.cluster.logFile}`,
          ]
        : []),
      `  Rule set       ${ruleSet?.id} v${ruleSet?.version}`,
      '  Get a token    npm run -s token -- --list          (seeded users)',
      '                 npm run -s token -- clerk-jsl       (a token for one of them)',
      `  Try it         curl -H "Authorization: Bearer $(npm run -s token -- clerk-jsl)" ${url}/api/v1/cases/<id>`,
      '  Stop           Ctrl-C',
      '',
    ].join('\n'),
  );
}

/** The demo cases that need the workflows (scripts/demo-cases.ts), once the worker runs; in the background. */
async function startDemoCases(stack: Stack) {
  const client = await connectTemporalClient(stack.config);
  const prisma = createPrisma(stack.databaseUrl, 2);
  try {
    const started = await seedDemoCases(client, stack.config.temporal.taskQueue, prisma);
    if (started.length) createLogger(stack.config.logLevel).info({ started }, 'demo cases started');
  } finally {
    await prisma.$disconnect();
    await client.connection.close();
  }
}

void main();
