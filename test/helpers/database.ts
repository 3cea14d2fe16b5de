import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Client } from 'pg';
import { createPrisma, type PrismaClient } from '../../infra/prisma';
import { verifyChains } from '../../services/audit';
import { createStore } from '../../store';
import { TEMPLATE_DATABASES, TEST_ENV, testEnv } from './env';

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  /** Cases whose history a test breaks on purpose (tampering as an attacker would), left out of the final check. */
  tampered: Set<string>;
  /** Verifies every case's chain (failing with every broken case), then drops the database. */
  drop: () => Promise<void>;
}

/**
 * Every test database ends with every chain verified: a chain that breaks anywhere in the suite fails the test file
 * that broke it, and global-teardown lists them all at the end of the run.
 */
async function verifyEveryChain(prisma: PrismaClient, name: string, tampered: Set<string>): Promise<void> {
  const result = await verifyChains(createStore(prisma).audit);
  const broken = result.broken.filter((b) => !tampered.has(b.caseId));
  if (broken.length === 0) return;
  const report = process.env[TEST_ENV.brokenChainsFile];
  if (report) fs.appendFileSync(report, `${JSON.stringify({ database: name, test: expect.getState().testPath, broken })}\n`);
  throw new Error(`broken hash chains in ${name}:\n${broken.map((b) => `  ${b.caseId} at ${b.seq}: ${b.reason}`).join('\n')}`);
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
  const tampered = new Set<string>();
  return {
    url,
    prisma,
    tampered,
    async drop() {
      try {
        await verifyEveryChain(prisma, name, tampered);
      } finally {
        await prisma.$disconnect();
        await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      }
    },
  };
}

/** An empty database (no migrations), for the migration tests. */
export async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `empty_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return { url: urlFor(name), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined) };
}
