/**
 * `npm run worker`: the Temporal worker alone, against an existing cluster (TEMPORAL_ADDRESS) and database
 * (DATABASE_URL, migrated with `npm run migrate`). Run as many as load needs, on as many machines.
 */
import { Runtime } from '@temporalio/worker';
import { activeRuleSet, evaluationDay, startWorker, tracedWorkflowBundlePath } from '../app/runtime';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { createPrisma } from '../infra/prisma';
import { temporalSecurity } from '../infra/temporal-connection';
import { startTracing } from '../infra/tracing';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'community-cases-worker');
  if (!config.temporal.address || !config.database.url)
    throw new Error('npm run worker needs TEMPORAL_ADDRESS and DATABASE_URL (npm start runs everything locally)');
  const ruleSet = activeRuleSet(config); // refuses to start with definitions that do not fit the rules
  if (config.workerMetricsPort) {
    // The SDK's own metrics (workflow and activity task latencies, free slots, polls, the sticky cache) for
    // Prometheus, beside the API's /metrics; set before the first connection, which fixes the runtime.
    Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: `0.0.0.0:${config.workerMetricsPort}` } } } });
  }
  const prisma = createPrisma(config.database.url, config.database.poolSize);
  // Spans of the workflows and activities, children of the API request that started them (OTEL_EXPORTER_OTLP_ENDPOINT).
  const tracing = startTracing('community-cases-worker');
  // The worker's runtime handles SIGINT/SIGTERM: it stops polling and finishes tasks in flight.
  const worker = await startWorker({
    address: config.temporal.address,
    ...temporalSecurity(config),
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    prisma,
    ruleSet,
    today: evaluationDay(config),
    logger,
    cases: config.cases,
    notifications: config.notifications,
    maxCachedWorkflows: config.workerMaxCachedWorkflows,
    // With tracing, the bundle built beside it with the OpenTelemetry interceptors (app/runtime.ts buildWorkflowBundle).
    ...(config.workflowBundlePath
      ? { workflowBundle: { codePath: tracing ? tracedWorkflowBundlePath(config.workflowBundlePath) : config.workflowBundlePath } }
      : {}),
    ...(tracing ? { plugins: [tracing.plugin] } : {}),
  });
  logger.info(`worker polling task queue ${config.temporal.taskQueue} on ${config.temporal.address}`);
  await worker.running;
  await prisma.$disconnect();
  await tracing?.shutdown();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
