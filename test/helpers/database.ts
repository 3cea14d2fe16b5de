import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createPrisma, type PrismaClient } from '../../infra/prisma';
import { TEMPLATE_DATABASES, testEnv } from './env';

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  drop: () => Promise<void>;
}

function urlFor(database: string): string {
  const url = new URL(testEnv('postgresAdminUrl'));
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testEnv('postgresAdminUrl') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database of the test's own, cloned from a migrated (and optionally seeded) template. */
export async function createTestDatabase(options: { seeded?: boolean; template?: string } = {}): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const template = options.template ?? (options.seeded ? TEMPLATE_DATABASES.seeded : TEMPLATE_DATABASES.migrated);
  await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = urlFor(name);
  const prisma = createPrisma(url, 5);
  return {
    url,
    prisma,
    async drop() {
      await prisma.$disconnect();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** An empty database (no migrations), for the migration tests. */
export async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `empty_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return { url: urlFor(name), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined) };
}
