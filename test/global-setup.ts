import path from 'node:path';
import { prepareDatabase, startStack } from '../app/stack';
import { TEMPLATE_DATABASES, TEST_ENV } from './helpers/env';

/**
 * Starts the real servers the tests run against, once per `npm test`, through the stack bring-up of
 * `npm start` (app/stack.ts): PostgreSQL (embedded) with a migrated and seeded template database, a Temporal
 * dev server and the time-skipping test server. Their addresses reach the tests through environment variables;
 * each test file then takes its own database (cloned from a template) and its own task queue.
 */
export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[test setup] ${line}\n`);
  const stack = await startStack({
    env: {},
    data: { throwaway: 'cases-test-' },
    ports: 'free',
    database: TEMPLATE_DATABASES.seeded,
    preferPrismaMigrate: false,
    seed: true,
    temporal: { timeSkipping: true },
    log,
  });
  (globalThis as Record<string, unknown>).__TEST_STACK__ = stack;
  try {
    await prepareDatabase(stack.postgres!.urlFor(TEMPLATE_DATABASES.migrated), { seed: false, preferPrisma: false });
  } catch (err) {
    await stack.stop();
    throw err;
  }
  process.env[TEST_ENV.postgresAdminUrl] = stack.postgres!.adminUrl;
  process.env[TEST_ENV.temporalAddress] = stack.temporal.address;
  process.env[TEST_ENV.timeSkippingAddress] = stack.timeSkipping!.address;
  process.env[TEST_ENV.brokenChainsFile] = path.join(stack.dataDir, 'broken-chains.jsonl');
}
