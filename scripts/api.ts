/**
 * `npm run api`: the HTTP API alone, against an existing Temporal cluster (TEMPORAL_ADDRESS) and database
 * (DATABASE_URL). Stateless: run several behind a load balancer.
 */
// First: tracing (when OTEL_EXPORTER_OTLP_ENDPOINT is set) instruments node:http as Express loads it.
import { tracing } from './api-tracing';
import { activeRuleSet, startApi } from '../app/runtime';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { createPrisma } from '../infra/prisma';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'community-cases-api');
  if (!config.temporal.address || !config.database.url)
    throw new Error('npm run api needs TEMPORAL_ADDRESS and DATABASE_URL (npm start runs everything locally)');
  const prisma = createPrisma(config.database.url, config.database.poolSize);
  const api = await startApi({ config, prisma, logger, ruleSet: activeRuleSet(config), ...(tracing ? { plugins: [tracing.plugin] } : {}) });
  if (tracing) logger.info(`tracing to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`);
  logger.info(`API listening on ${api.url}`);
  const stop = async () => {
    await api.stop();
    await prisma.$disconnect();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
