import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Client } from 'pg';
import { LedgerVerifier } from '../../domain/ledger';
import { ledgerSigner } from '../../infra/ledger-key';
import { createPrisma, type PrismaClient } from '../../infra/prisma';
import { verifyChains } from '../../services/audit';
import { createLedgerService } from '../../services/ledger';
import { createStore } from '../../store';
import { TEMPLATE_DATABASES, TEST_ENV, testEnv } from './env';

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  /** Cases whose history a test breaks on purpose (tampering as an attacker would), left out of the final check. */
  tampered: Set<string>;
  /** A test that rewrote the ledger itself on purpose: its chain is not verified at the end. */
  ledgerTampered: boolean;
  /** Verifies every case's chain and the ledger against them (failing with every break), then drops the database. */
  drop: () => Promise<void>;
}

/**
 * Every test database ends with every chain verified: a chain that breaks anywhere in the suite fails the test file
 * that broke it, and global-teardown lists them all at the end of the run.
 */
async function verifyEveryChain(prisma: PrismaClient, name: string, tampered: Set<string>, ledgerTampered: boolean): Promise<void> {
  const store = createStore(prisma);
  const result = await verifyChains(store.audit);
  const broken: { caseId: string; seq: number | null; reason: string }[] = result.broken.filter((b) => !tampered.has(b.caseId));
  // The ledger holds exactly the confirmed events, once each, however the workflows were retried or replayed.
  for (const m of await store.ledger.mismatches())
    if (!tampered.has(m.caseId)) broken.push({ caseId: m.caseId, seq: m.seq, reason: `ledger: ${m.problem}` });
  if (!ledgerTampered) {
    const verifier = new LedgerVerifier(() => true);
    let n = 0;
    for await (const page of createLedgerService({ store, signer: ledgerSigner(TEST_LEDGER_KEY) }).pages())
      verifier.page(`page ${(n += 1)}`, page);
    const { firstBadEntry } = verifier.result();
    if (firstBadEntry) broken.push({ caseId: '(ledger)', seq: firstBadEntry.ledgerSeq, reason: `ledger: ${firstBadEntry.problem}` });
  }
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
  return checkedDatabase(urlFor(name), name, createPrisma(urlFor(name), 5), () =>
    admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  );
}

/**
 * A test database whose drop() verifies every chain (failing with every break), disconnects, and then runs
 * `release` (dropping the database, or nothing for a running service's own).
 */
function checkedDatabase(url: string, name: string, prisma: PrismaClient, release: () => Promise<void>): TestDatabase {
  const db: TestDatabase = {
    url,
    prisma,
    tampered: new Set<string>(),
    ledgerTampered: false,
    async drop() {
      try {
        await verifyEveryChain(prisma, name, db.tampered, db.ledgerTampered);
      } finally {
        await prisma.$disconnect();
        await release();
      }
    },
  };
  return db;
}

/**
 * The database of a running service (`npm run cluster`'s, when the end-to-end suites drive it over HTTP:
 * test/helpers/stack.ts): read like a test database and checked at the end the same way, never dropped.
 */
export function attachDatabase(url: string): TestDatabase {
  return checkedDatabase(url, decodeURIComponent(new URL(url).pathname.slice(1)), createPrisma(url, 2), async () => {});
}

/** An Ed25519 key for tests that sign ledger checkpoints (generated per process; never a deployment's key). */
/** The public objection form's challenge secret every test app shares. */
export const TEST_CHALLENGE_SECRET = 'test-challenge-secret-of-at-least-32-characters';
export const TEST_LEDGER_KEY = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** An empty database (no migrations), for the migration tests. */
export async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `empty_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return { url: urlFor(name), drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined) };
}
