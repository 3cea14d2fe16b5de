import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { z } from 'zod';
import { resolvePostgresClient, type PostgresClientTools } from './postgres-client';

/**
 * Backups of the service's database (and Temporal's two when the cluster runs) as pg_dump's custom format, one
 * file per database beside a manifest, and their restore into empty databases. `npm run backup` and
 * `npm run restore` (scripts/backup.ts, scripts/restore.ts) are the command lines; docs/operations.md the procedure.
 */

/** What a database holds: restore puts each back where its role belongs (scripts/restore.ts). */
export const DATABASE_ROLES = ['service', 'temporal', 'visibility'] as const;
export type DatabaseRole = (typeof DATABASE_ROLES)[number];

export interface DatabaseToBackUp {
  role: DatabaseRole;
  /** The database's name on its server, which is also the dump's file name. */
  name: string;
  url: string;
}

const manifestSchema = z.object({
  format: z.literal(1),
  takenAt: z.string(),
  databases: z
    .array(
      z.object({
        role: z.enum(DATABASE_ROLES),
        name: z.string().min(1),
        file: z.string().min(1),
        serverVersion: z.string(),
        bytes: z.number().int(),
      }),
    )
    .min(1),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

const MANIFEST = 'manifest.json';

/**
 * libpq reads the password from PGPASSWORD, so it never shows in the process list as part of an argument; the
 * rest of the URL goes in --dbname, which pg_dump and pg_restore take as a connection string.
 */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function run(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(program)} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`)),
    );
  });
}

async function withClient<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function serverVersion(url: string): Promise<{ text: string; major: number }> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ server_version: string; server_version_num: string }>(
      "SELECT current_setting('server_version') AS server_version, current_setting('server_version_num') AS server_version_num",
    );
    const row = rows[0] as { server_version: string; server_version_num: string };
    return { text: row.server_version, major: Math.floor(Number(row.server_version_num) / 10000) };
  });
}

/**
 * Dumps each database into `dir` (which must not hold a backup already), then writes the manifest last: a folder
 * without manifest.json is an interrupted backup, and restore refuses it.
 */
export async function backUp(options: {
  databases: DatabaseToBackUp[];
  dir: string;
  tools?: PostgresClientTools;
  log?: (line: string) => void;
}): Promise<BackupManifest> {
  const log = options.log ?? (() => undefined);
  if (fs.existsSync(path.join(options.dir, MANIFEST)))
    throw new Error(`${options.dir} already holds a backup (${MANIFEST}): choose an empty folder`);
  fs.mkdirSync(options.dir, { recursive: true });
  const databases: BackupManifest['databases'] = [];
  for (const db of options.databases) {
    const version = await serverVersion(db.url);
    const tools = options.tools ?? resolvePostgresClient(version.major, { log });
    const file = `${db.name}.dump`;
    const { dbname, env } = connection(db.url);
    // Custom format: compressed, and pg_restore can restore it into a database of another name and owner.
    await run(
      tools.pgDump,
      ['--format=custom', '--no-owner', '--no-privileges', `--file=${path.join(options.dir, file)}`, `--dbname=${dbname}`],
      env,
    );
    const bytes = fs.statSync(path.join(options.dir, file)).size;
    log(`dumped ${db.name} (PostgreSQL ${version.text}) into ${file}, ${bytes} bytes`);
    databases.push({ role: db.role, name: db.name, file, serverVersion: version.text, bytes });
  }
  const manifest: BackupManifest = { format: 1, takenAt: new Date().toISOString(), databases };
  fs.writeFileSync(path.join(options.dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST);
  if (!fs.existsSync(file)) throw new Error(`${dir} holds no ${MANIFEST}: not a backup, or one that did not finish`);
  const manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  for (const db of manifest.databases) {
    const dump = path.join(dir, db.file);
    if (path.basename(db.file) !== db.file || !fs.existsSync(dump) || fs.statSync(dump).size !== db.bytes) {
      throw new Error(`${dump} is missing or not the size the manifest records (${db.bytes} bytes)`);
    }
  }
  return manifest;
}

/**
 * Creates the database if it does not exist (owned by `owner` when given; that role is created without login when
 * missing, and whoever runs the server gives it its password); refuses one that holds any table, so a restore
 * never mixes data.
 */
async function emptyDatabase(url: string, owner: string | undefined): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`${url.replace(/\/\/[^@]*@/, '//')} names no database`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  await withClient(admin.toString(), async (c) => {
    if (owner && (await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [owner])).rowCount === 0)
      await c.query(`CREATE ROLE ${c.escapeIdentifier(owner)} NOLOGIN`);
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0)
      await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}${owner ? ` OWNER ${c.escapeIdentifier(owner)}` : ''}`);
  });
  const tables = await withClient(url, (c) =>
    c.query<{ n: string }>(
      "SELECT count(*) AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')",
    ),
  );
  if (Number(tables.rows[0]?.n) > 0) throw new Error(`database ${name} is not empty: restore only into a new database`);
}

/**
 * Restores every database of the backup in `dir` into the database `targetUrl` names for it (created when it does
 * not exist, refused when it holds tables). Each restore is one transaction: it is all there or not at all. The
 * objects belong to the restoring role, or to `owner`'s role for that database (pg_restore --role: Temporal's
 * databases belong to the role its server logs in as, infra/temporal-schema.ts, which must be able to change them).
 */
export async function restore(options: {
  dir: string;
  targetUrl: (database: { role: DatabaseRole; name: string }) => string;
  owner?: (database: { role: DatabaseRole; name: string }) => string | undefined;
  tools?: PostgresClientTools;
  log?: (line: string) => void;
}): Promise<BackupManifest> {
  const log = options.log ?? (() => undefined);
  const manifest = readManifest(options.dir);
  for (const db of manifest.databases) {
    const url = options.targetUrl(db);
    const owner = options.owner?.(db);
    await emptyDatabase(url, owner);
    const tools = options.tools ?? resolvePostgresClient((await serverVersion(url)).major, { log });
    const { dbname, env } = connection(url);
    await run(
      tools.pgRestore,
      [
        '--exit-on-error',
        '--single-transaction',
        '--no-owner',
        '--no-privileges',
        ...(owner ? [`--role=${owner}`] : []),
        `--dbname=${dbname}`,
        path.join(options.dir, db.file),
      ],
      env,
    );
    log(`restored ${db.file} into ${new URL(url).pathname.slice(1)}${owner ? `, owned by ${owner}` : ''}`);
  }
  return manifest;
}
