import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { AuthSettings } from '../api/auth';
import { loadConfig, PROJECT_ROOT } from '../infra/config';
import { ensureDatabase, migrate } from '../infra/migrate';
import { startEmbeddedPostgres, temporaryDataDir } from '../infra/postgres';
import { createPrisma } from '../infra/prisma';
import { resolveTemporalBinary } from '../infra/temporal-binaries';
import { freePort, killWithThisProcess, startDevServer, stopChild } from '../infra/temporal-server';
import { seedDemoData } from '../prisma/seed';
import type { BenchOptions } from './args';

/**
 * The stack under test, brought up the way `npm start` does it (embedded PostgreSQL, Temporal dev server with
 * a SQLite file, migrations, demo seed), except that the worker and the API run as separate processes
 * (`scripts/worker.ts`, `scripts/api.ts`), so their resident memory can be read apart. Everything lives in
 * a throwaway folder under the OS temp dir; `.data/` of `npm start` is never touched.
 */

export const BENCH_TASK_QUEUE = 'community-cases-bench';
export const BASELINE_TASK_QUEUE = 'community-cases-bench-baseline';
export const DATABASE = 'community_cases_bench';

export interface ManagedProcess {
  name: string;
  pid: number;
  child?: ChildProcess;
}

export interface Stack {
  dir: string;
  databaseUrl: string;
  temporalAddress: string;
  apiUrl: string;
  /** The API's token settings, read from the environment it was started with, so the bench's tokens pass. */
  auth: AuthSettings;
  processes: ManagedProcess[];
  /** Versions and how each piece was run, for the results. */
  info: Record<string, string>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function spawnTs(name: string, script: string, env: NodeJS.ProcessEnv, logFile: string, cpuProfile?: string): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  // One folder per process: each of its threads (workflow sandboxes, loader) writes a profile of its own.
  const profile = cpuProfile ? ['--cpu-prof', '--cpu-prof-dir', path.join(cpuProfile, name)] : [];
  // `node --import tsx` (not the tsx CLI, which runs node as a child of its own): the pid is the process.
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script], { cwd: PROJECT_ROOT, env, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  killWithThisProcess(child);
  child.once('exit', (code, signal) => {
    if (!stopping.has(child)) console.error(`\n${name} exited unexpectedly (${code ?? signal}); see ${logFile}`);
  });
  return child;
}
const stopping = new WeakSet<ChildProcess>();

async function waitFor(what: string, probe: () => Promise<boolean>, child: ChildProcess | undefined, logFile: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${what} exited during start-up:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    }
    if (await probe().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
}

/** The pid of a process whose command line contains every needle (only reads /proc). */
export function findPid(needles: string[]): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (needles.every((n) => cmd.includes(n))) return Number(entry);
    } catch {
      /* gone */
    }
  }
  return undefined;
}

function versionOf(file: string, args: string[]): string {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 10_000 });
  return (r.stdout || r.stderr || '').trim().split('\n')[0] ?? 'unknown';
}

export async function startStack(options: BenchOptions, log: (line: string) => void): Promise<Stack> {
  const pgDataDir = temporaryDataDir('community-cases-bench-');
  const dir = path.dirname(pgDataDir);
  const stops: { name: string; stop: () => Promise<void> }[] = [];
  const processes: ManagedProcess[] = [];
  const info: Record<string, string> = {};
  const stop = async () => {
    for (const s of stops.reverse()) await s.stop().catch((err: unknown) => log(`stopping ${s.name} failed: ${String(err)}`));
    stops.length = 0;
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  };
  try {
    let databaseUrl = process.env.DATABASE_URL?.trim();
    if (databaseUrl) {
      info.postgres = 'DATABASE_URL';
    } else {
      const port = await freePort();
      const pg = await startEmbeddedPostgres({ dataDir: pgDataDir, port, persistent: options.keep, log });
      stops.push({ name: 'PostgreSQL', stop: pg.stop });
      databaseUrl = pg.urlFor(DATABASE);
      info.postgres = `embedded (port ${port}, data in ${pgDataDir})`;
      const pid = findPid(['postgres', '-D', pgDataDir]);
      if (pid) processes.push({ name: 'postgres', pid });
    }
    await ensureDatabase(databaseUrl);
    const migrated = await migrate(databaseUrl);
    info.migrations = migrated.tool;
    const prisma = createPrisma(databaseUrl, 2);
    try {
      await seedDemoData(prisma);
    } finally {
      await prisma.$disconnect();
    }

    let temporalAddress = process.env.TEMPORAL_ADDRESS?.trim();
    if (temporalAddress) {
      info.temporal = `TEMPORAL_ADDRESS ${temporalAddress}`;
    } else {
      const port = await freePort();
      const dbFile = options.temporalMemory ? undefined : path.join(dir, 'temporal', 'temporal.db');
      const temporal = await startDevServer({ port, dbFile, log });
      stops.push({ name: 'Temporal dev server', stop: temporal.stop });
      temporalAddress = temporal.address;
      info.temporal = `dev server (${dbFile ? 'SQLite file in WAL mode' : 'in memory'}), ${temporal.binary.source}`;
      if (temporal.binary.executable.type === 'existing-path') info.temporalCli = versionOf(temporal.binary.executable.path, ['--version']);
      const pid = findPid(['start-dev', '--port', String(port)]);
      if (pid) processes.push({ name: 'temporal', pid });
    }
    try {
      const connection = await Connection.connect({ address: temporalAddress });
      const sys = await connection.workflowService.getSystemInfo({});
      info.temporalServer = sys.serverVersion || 'unknown';
      await connection.close();
    } catch {
      info.temporalServer = 'unknown';
    }
    if (!info.temporalCli) {
      try {
        const cli = resolveTemporalBinary('cli');
        if (cli.executable.type === 'existing-path') info.temporalCli = versionOf(cli.executable.path, ['--version']);
      } catch {
        /* not needed for an external cluster */
      }
    }

    const jwtSecret = randomBytes(32).toString('hex');
    const apiPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dir,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_TASK_QUEUE: BENCH_TASK_QUEUE,
      RULE_SET: 'demo',
      AUTH_JWT_SECRET: jwtSecret,
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: options.logLevel,
      PORT: String(apiPort),
      ...(options.poolSize ? { DATABASE_POOL_SIZE: String(options.poolSize) } : {}),
    };
    for (const key of ['AUTH_JWKS_URL', 'AUTH_OIDC_AUTHORIZATION_URL', 'AUTH_OIDC_TOKEN_URL', 'AUTH_OIDC_CLIENT_ID']) delete env[key];

    const children: { name: string; script: string; extraEnv?: NodeJS.ProcessEnv }[] = [
      { name: 'worker', script: 'scripts/worker.ts' },
      { name: 'api', script: 'scripts/api.ts' },
      { name: 'baseline-worker', script: 'bench/baseline-worker.ts', extraEnv: { TEMPORAL_TASK_QUEUE: BASELINE_TASK_QUEUE } },
    ];
    for (const c of children) {
      const logFile = path.join(dir, `${c.name}.log`);
      const child = spawnTs(c.name, c.script, { ...env, ...c.extraEnv }, logFile, options.cpuProfile);
      stops.push({
        name: c.name,
        stop: async () => {
          stopping.add(child);
          await stopChild(child, 15_000);
        },
      });
      processes.push({ name: c.name, pid: child.pid as number, child });
      info[`${c.name}Log`] = logFile;
    }
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const byName = (n: string) => processes.find((p) => p.name === n);
    await waitFor('API', async () => (await fetch(`${apiUrl}/healthz`)).ok, byName('api')?.child, info.apiLog as string);
    // The workers are ready once they poll their task queues.
    const connection = await Connection.connect({ address: temporalAddress });
    try {
      for (const [name, queue] of [
        ['worker', BENCH_TASK_QUEUE],
        ['baseline-worker', BASELINE_TASK_QUEUE],
      ] as const) {
        await waitFor(
          name,
          async () => {
            const r = await connection.workflowService.describeTaskQueue({ namespace: 'default', taskQueue: { name: queue }, taskQueueType: 1 });
            return (r.pollers?.length ?? 0) > 0;
          },
          byName(name)?.child,
          info[`${name}Log`] as string,
        );
      }
    } finally {
      await connection.close();
    }
    info.workerEnv = `RULE_SET=demo LOG_LEVEL=${options.logLevel} DATABASE_POOL_SIZE=${options.poolSize ?? '(default 10)'} RATE_LIMIT_PER_MINUTE=100000000`;
    return { dir, databaseUrl, temporalAddress, apiUrl, auth: loadConfig(env).auth, processes, info, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Resident memory of a process, in MiB (VmRSS now, VmHWM peak), from /proc. */
export function residentMemory(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

function processTable(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      /* gone */
    }
  }
  return children;
}

function descendants(rootPid: number, table: Map<number, number[]>): number[] {
  const out: number[] = [];
  const visit = (pid: number) => {
    out.push(pid);
    for (const c of table.get(pid) ?? []) visit(c);
  };
  visit(rootPid);
  return out;
}

/** Proportional set size of a process and its descendants, in MiB (shared memory counted once overall). */
export function treePss(rootPid: number, table = processTable()): number | undefined {
  let total = 0;
  let found = false;
  for (const pid of descendants(rootPid, table)) {
    try {
      const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      total += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
      found = true;
    } catch {
      /* gone or not readable */
    }
  }
  return found ? total / 1024 : undefined;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds the whole machine has been busy (all cores), from /proc/stat. */
function machineBusySeconds(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS;
}

/**
 * CPU seconds (user + system) used so far by a process and, optionally, its descendants: the live ones, plus
 * what the root's children that already exited used (cutime + cstime), e.g. PostgreSQL backends that closed.
 */
export function cpuSeconds(rootPid: number, tree: boolean, table?: Map<number, number[]>): number {
  const pids = tree ? descendants(rootPid, table ?? processTable()) : [rootPid];
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      if (tree && pid === rootPid) ticks += Number(fields[13]) + Number(fields[14]);
    } catch {
      /* gone */
    }
  }
  return ticks / CLOCK_TICKS;
}

export interface ResourceWindow {
  /** Max resident memory (MiB) per process during the window; postgres as PSS of the server. */
  memory: Record<string, number>;
  /** CPU seconds per process during the window: "bench" is this load generator, "machine" all processes. */
  cpu: Record<string, number>;
  seconds: number;
}

/** Samples the memory of the stack's processes once a second and their CPU time per window. */
export class ResourceSampler {
  private timer: NodeJS.Timeout | undefined;
  private window = new Map<string, number>();
  private cpuAtStart = new Map<string, number>();
  private windowStart = performance.now();

  constructor(private readonly processes: ManagedProcess[]) {}

  start() {
    this.sample();
    this.markCpu();
    this.timer = setInterval(() => this.sample(), 1_000);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
  }

  takeWindow(): ResourceWindow {
    this.sample();
    const memory = Object.fromEntries([...this.window.entries()].map(([k, v]) => [k, Math.round(v)]));
    const now = this.readCpu();
    const cpu = Object.fromEntries([...now.entries()].map(([k, v]) => [k, Math.round((v - (this.cpuAtStart.get(k) ?? v)) * 100) / 100]));
    const seconds = Math.round((performance.now() - this.windowStart) / 10) / 100;
    this.window.clear();
    this.markCpu();
    return { memory, cpu, seconds };
  }

  peaks(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const p of this.processes) {
      if (p.name === 'postgres') continue;
      const m = residentMemory(p.pid);
      if (m) out[p.name] = Math.round(m.peak);
    }
    return out;
  }

  private markCpu() {
    this.cpuAtStart = this.readCpu();
    this.windowStart = performance.now();
  }

  private readCpu(): Map<string, number> {
    const table = processTable();
    const out = new Map<string, number>();
    out.set('machine', machineBusySeconds());
    for (const p of this.processes) out.set(p.name, cpuSeconds(p.pid, p.name === 'postgres' || p.name === 'temporal', table));
    const own = process.cpuUsage();
    out.set('bench', (own.user + own.system) / 1e6);
    return out;
  }

  private sample() {
    const table = processTable();
    for (const p of this.processes) {
      const value = p.name === 'postgres' ? treePss(p.pid, table) : residentMemory(p.pid)?.rss;
      if (value === undefined || Number.isNaN(value)) continue;
      this.window.set(p.name, Math.max(this.window.get(p.name) ?? 0, value));
    }
  }
}
