import { Client } from 'pg';
import { migrate } from '../infra/migrate';
import { startEmbeddedPostgres, temporaryDataDir } from '../infra/postgres';
import { createPrisma } from '../infra/prisma';
import { freePort, startDevServer, startTimeSkippingServer } from '../infra/temporal-server';
import { seedDemoData } from '../prisma/seed';
import { TEMPLATE_DATABASES, TEST_ENV } from './helpers/env';

/**
 * Starts the real servers the tests run against, once per `npm test`: PostgreSQL (embedded), a Temporal dev
 * server and the time-skipping test server. Their addresses reach the tests through environment variables;
 * each test file then takes its own database (cloned from a migrated template) and its own task queue.
 */
export default async function globalSetup(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[test setup] ${line}\n`);
  const [postgres, devServer, timeSkipping] = await Promise.all([
    freePort().then((port) => startEmbeddedPostgres({ dataDir: temporaryDataDir('cases-test-pg-'), port, persistent: false })),
    startDevServer({ log }),
    startTimeSkippingServer({ log }),
  ]);
  (globalThis as Record<string, unknown>).__TEST_SERVERS__ = [postgres, devServer, timeSkipping];

  const admin = new Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  try {
    for (const name of Object.values(TEMPLATE_DATABASES)) await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  await migrate(postgres.urlFor(TEMPLATE_DATABASES.migrated), { preferPrisma: false });
  await migrate(postgres.urlFor(TEMPLATE_DATABASES.seeded), { preferPrisma: false });
  const prisma = createPrisma(postgres.urlFor(TEMPLATE_DATABASES.seeded), 2);
  await seedDemoData(prisma);
  await prisma.$disconnect();

  process.env[TEST_ENV.postgresAdminUrl] = postgres.adminUrl;
  process.env[TEST_ENV.temporalAddress] = devServer.address;
  process.env[TEST_ENV.timeSkippingAddress] = timeSkipping.address;
}
