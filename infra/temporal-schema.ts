import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { POSTGRES_SCHEMAS } from './temporal-cluster-binaries';

/**
 * Temporal's two databases (its history store and its visibility store) on a PostgreSQL server, owned by a
 * login role of their own that is neither superuser nor allowed to create databases or roles: the admin
 * connection creates the role and the databases once; everything after that (Temporal's schema, and the server
 * at run time) runs as that role, which can touch nothing but its own two databases. Since PostgreSQL 15 only a
 * database's owner may create objects in its `public` schema, which is exactly what the schema tool needs;
 * the visibility schema's btree_gin extension is a trusted one, which a database owner may create.
 */

/** The login role Temporal's two databases belong to when none is named (npm run restore restores them to it too). */
export const TEMPORAL_DATABASE_ROLE = 'temporal';

export interface TemporalDatabaseSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  temporalDatabase: string;
  visibilityDatabase: string;
}

export interface SchemaOptions {
  /** A superuser (or CREATEROLE + CREATEDB) connection URL, e.g. the embedded server's adminUrl. */
  adminUrl: string;
  sqlTool: string;
  /** Folder holding temporal/versioned and visibility/versioned. */
  schemaDir: string;
  /** Where the role's generated password is kept (mode 0600), so later runs reuse it. */
  passwordFile: string;
  user?: string;
  temporalDatabase?: string;
  visibilityDatabase?: string;
  log?: (line: string) => void;
}

function readOrCreatePassword(file: string): string {
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing) return existing;
  } catch {
    // first run
  }
  const password = crypto.randomBytes(24).toString('base64url');
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function urlWithDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Runs temporal-sql-tool against one database; the password travels in the environment, never in argv. */
function runSqlTool(
  tool: string,
  db: TemporalDatabaseSettings,
  database: string,
  args: string[],
  log: (line: string) => void,
): Promise<void> {
  const fullArgs = ['--plugin', 'postgres12', '--ep', db.host, '-p', String(db.port), '-u', db.user, '--db', database, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(tool, fullArgs, { env: { ...process.env, SQL_PASSWORD: db.password }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) {
        log(`${database}: ${args[0]} done`);
        resolve();
      } else {
        reject(new Error(`temporal-sql-tool ${args.join(' ')} on ${database} failed (${code ?? signal}):\n${output.slice(-4_000)}`));
      }
    });
  });
}

/** The schema version recorded by Temporal's tool, or undefined when the database has never been set up. */
async function recordedVersion(url: string, database: string): Promise<string | undefined> {
  return withClient(url, async (client) => {
    const table = await client.query<{ t: string | null }>(`SELECT to_regclass('public.schema_version')::text AS t`);
    if (!table.rows[0]?.t) return undefined;
    const row = await client.query<{ curr_version: string }>(
      'SELECT curr_version FROM schema_version WHERE version_partition = 0 AND db_name = $1',
      [database],
    );
    return row.rows[0]?.curr_version;
  });
}

/**
 * Creates the role and the two databases when missing, then brings both schemas to the version this server
 * release ships. Safe to run on every start: `setup-schema -v 0.0` runs only on a database that has never been
 * set up (on one that has, it would reset the recorded version to 0.0), and `update-schema` applies only the
 * versions above the recorded one.
 */
export async function setUpTemporalSchema(options: SchemaOptions): Promise<TemporalDatabaseSettings> {
  const log = options.log ?? (() => {});
  const admin = new URL(options.adminUrl);
  const db: TemporalDatabaseSettings = {
    host: admin.hostname,
    port: Number(admin.port || 5432),
    user: options.user ?? TEMPORAL_DATABASE_ROLE,
    password: readOrCreatePassword(options.passwordFile),
    temporalDatabase: options.temporalDatabase ?? 'temporal',
    visibilityDatabase: options.visibilityDatabase ?? 'temporal_visibility',
  };

  await withClient(options.adminUrl, async (client) => {
    const role = client.escapeIdentifier(db.user);
    const password = client.escapeLiteral(db.password);
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [db.user]);
    // The password file is the truth: re-applying it heals a role whose password was changed by hand.
    await client.query(
      `${exists.rowCount ? 'ALTER' : 'CREATE'} ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${password}`,
    );
    for (const name of [db.temporalDatabase, db.visibilityDatabase]) {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (!found.rowCount) {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} OWNER ${role}`);
        log(`created database ${name}`);
      }
      // Nobody else may connect; the owner keeps its own rights.
      await client.query(`REVOKE ALL ON DATABASE ${client.escapeIdentifier(name)} FROM PUBLIC`);
    }
  });

  const userUrl = new URL(options.adminUrl);
  userUrl.username = encodeURIComponent(db.user);
  userUrl.password = encodeURIComponent(db.password);
  const targets = [
    { database: db.temporalDatabase, versioned: path.join(options.schemaDir, POSTGRES_SCHEMAS.temporal) },
    { database: db.visibilityDatabase, versioned: path.join(options.schemaDir, POSTGRES_SCHEMAS.visibility) },
  ];
  for (const { database, versioned } of targets) {
    const before = await recordedVersion(urlWithDatabase(userUrl.toString(), database), database);
    if (before === undefined) await runSqlTool(options.sqlTool, db, database, ['setup-schema', '-v', '0.0'], log);
    await runSqlTool(options.sqlTool, db, database, ['update-schema', '-d', versioned], log);
    const after = await recordedVersion(urlWithDatabase(userUrl.toString(), database), database);
    log(`${database}: schema ${before ?? 'none'} -> ${after}`);
  }
  return db;
}
