import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from './config';

/**
 * Applies the SQL migrations in prisma/migrations. Where Prisma's schema engine is installed, this is
 * `prisma migrate deploy`; where it is not (machines without internet cannot download it), a built-in
 * applier does the same job and keeps `_prisma_migrations` exactly as Prisma does, so either tool can take
 * over a database the other migrated.
 */

export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'prisma', 'migrations');

// Prisma's own DDL for its bookkeeping table.
const PRISMA_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Checksums a migration was also released with. Stops 9 and 10 shipped an init migration edited in place; it
 * is back as first released and its changes moved to 20261127060000, which is a no-op on a database created from
 * the edited file. Such a database is accepted instead of refused as edited.
 */
const ALSO_RELEASED_AS: Record<string, readonly string[]> = {
  '20261127000000_init': ['7cb66cd1cfeaaf51555f6c509d7ced45f74313db3103c3e9099c5b045fbe246f'],
};

// Serialises concurrent appliers (an API and a worker starting together); any constant unique to us will do.
const ADVISORY_LOCK_KEY = 72_707_369;

export interface Migration {
  name: string;
  sql: string;
  /** SHA-256 of the file, hex, as Prisma computes it. */
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export interface MigrateResult {
  tool: 'prisma migrate deploy' | 'built-in applier';
  applied: string[];
}

/** True when Prisma's schema engine is present, so `prisma migrate deploy` can run. */
export function schemaEngineAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  const configured = env.PRISMA_SCHEMA_ENGINE_BINARY;
  if (configured) return path.basename(configured).startsWith('schema-engine') && fs.existsSync(configured);
  const enginesDir = path.join(PROJECT_ROOT, 'node_modules', '@prisma', 'engines');
  return fs.existsSync(enginesDir) && fs.readdirSync(enginesDir).some((f) => f.startsWith('schema-engine'));
}

export async function migrate(databaseUrl: string, options: { dir?: string; preferPrisma?: boolean } = {}): Promise<MigrateResult> {
  if ((options.preferPrisma ?? true) && schemaEngineAvailable() && !options.dir) {
    const result = spawnSync('npx', ['prisma', 'migrate', 'deploy'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`prisma migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
    return { tool: 'prisma migrate deploy', applied: [] };
  }
  return { tool: 'built-in applier', applied: await applyMigrations(databaseUrl, readMigrations(options.dir)) };
}

/** Applies pending migrations in name order, each in its own transaction, recording them as Prisma does. */
export async function applyMigrations(databaseUrl: string, migrations: Migration[]): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    await client.query(PRISMA_MIGRATIONS_TABLE);
    const { rows } = await client.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at');
    for (const migration of migrations) {
      const records = rows.filter((r) => r.migration_name === migration.name && r.rolled_back_at === null);
      if (records.some((r) => r.finished_at === null)) {
        throw new Error(
          `Migration ${migration.name} failed earlier and is marked unfinished in _prisma_migrations; resolve it ` +
            '(prisma migrate resolve) before applying further migrations.',
        );
      }
      const done = records.find((r) => r.finished_at !== null);
      if (done) {
        if (done.checksum !== migration.checksum && !ALSO_RELEASED_AS[migration.name]?.includes(done.checksum)) {
          throw new Error(`Migration ${migration.name} was edited after it was applied (checksum differs); add a new migration instead.`);
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        const id = randomUUID();
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
          [id, migration.checksum, migration.name],
        );
        await client.query(migration.sql);
        await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
        await client.query('COMMIT');
        applied.push(migration.name);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${migration.name} failed and was rolled back: ${(err as Error).message}`, { cause: err });
      }
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

/** Creates the database named in the URL if it does not exist (embedded servers start with "postgres" only). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name || name === 'postgres') return;
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
