/**
 * `npm start`: the whole service on one machine, in one command. Starts PostgreSQL (embedded, unless
 * DATABASE_URL is set) and a Temporal dev server with its Web UI (unless TEMPORAL_ADDRESS is set), applies
 * migrations, loads the demo seed, then runs the worker and the API. Ctrl-C stops everything it started.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Runtime } from '@temporalio/worker';
import { loadConfig, PROJECT_ROOT } from '../infra/config';
import { createLogger } from '../infra/logger';
import { ensureDatabase, migrate } from '../infra/migrate';
import { startEmbeddedPostgres } from '../infra/postgres';
import { createPrisma } from '../infra/prisma';
import { activeRuleSet, startApi, startWorker } from '../infra/runtime';
import { startDevServer } from '../infra/temporal-server';
import { seedDemoData } from '../prisma/seed';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const ruleSet = activeRuleSet(config);
  // We stop the worker ourselves, in order, on Ctrl-C.
  Runtime.install({ shutdownSignals: [] });

  const stops: { name: string; stop: () => Promise<void> }[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping');
    for (const { name, stop } of stops.reverse()) {
      await stop().catch((err: unknown) => logger.error({ err }, `stopping ${name} failed`));
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    let databaseUrl = config.database.url;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({
        dataDir: path.join(config.dataDir, 'postgres'),
        port: config.database.embeddedPort,
        persistent: true,
        log: (line) => logger.warn(line),
      });
      stops.push({ name: 'PostgreSQL', stop: pg.stop });
      databaseUrl = pg.urlFor('community_cases');
      logger.info(`PostgreSQL (embedded) on port ${config.database.embeddedPort}, data in ${path.join(config.dataDir, 'postgres')}`);
    }
    await ensureDatabase(databaseUrl);
    const migrated = await migrate(databaseUrl);
    logger.info(`migrations (${migrated.tool}): ${migrated.applied.length ? migrated.applied.join(', ') : 'up to date'}`);
    const prisma = createPrisma(databaseUrl, config.database.poolSize);
    stops.push({ name: 'database pool', stop: () => prisma.$disconnect() });
    logger.info({ seeded: await seedDemoData(prisma) }, 'demo data loaded');

    let temporalAddress = config.temporal.address;
    let temporalUi: string | undefined;
    if (!temporalAddress) {
      const temporal = await startDevServer({
        port: config.temporal.devServerPort,
        uiPort: config.temporal.uiPort,
        dbFile: path.join(config.dataDir, 'temporal', 'temporal.db'),
        namespace: config.temporal.namespace,
        log: (line) => logger.info(`temporal: ${line}`),
      });
      stops.push({ name: 'Temporal dev server', stop: temporal.stop });
      temporalAddress = temporal.address;
      temporalUi = temporal.uiUrl;
    }

    const worker = await startWorker({ address: temporalAddress, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, prisma, ruleSet, logger });
    stops.push({ name: 'worker', stop: worker.stop });
    worker.running.catch((err: unknown) => {
      logger.error({ err }, 'worker failed');
      void shutdown(1);
    });
    const api = await startApi({ config, prisma, temporalAddress, logger, ruleSet });
    stops.push({ name: 'API', stop: api.stop });

    console.log(
      [
        '',
        fs.existsSync(path.join(PROJECT_ROOT, 'web', 'dist', 'index.html'))
          ? `  Web UI         ${api.url}/`
          : '  Web UI         not built: npm run build:web, then start again',
        `  API            ${api.url}/api/v1   (health: ${api.url}/healthz, readiness: ${api.url}/readyz)`,
        `  Temporal       ${temporalAddress}${temporalUi ? `   Web UI: ${temporalUi}` : ''}`,
        `  Rule set       ${ruleSet.id} v${ruleSet.version}`,
        '  Get a token    npm run -s token -- --list          (seeded users)',
        '                 npm run -s token -- clerk-jsl       (a token for one of them)',
        `  Try it         curl -H "Authorization: Bearer $(npm run -s token -- clerk-jsl)" ${api.url}/api/v1/cases/<id>`,
        '  Stop           Ctrl-C',
        '',
      ].join('\n'),
    );
  } catch (err) {
    logger.error({ err }, 'start-up failed');
    await shutdown(1);
  }
}

void main();
