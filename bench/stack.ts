import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AuthSettings } from '../api/auth';
import type { Config } from '../infra/config';
import { startStack as startServiceStack } from '../app/stack';
import { resolveTemporalBinary } from '../infra/temporal-binaries';
import { connectTemporalClient } from '../infra/temporal-connection';
import type { BenchOptions } from './args';

/**
 * The stack under test, brought up by the one bring-up of `npm start` (app/stack.ts: embedded PostgreSQL,
 * Temporal dev server with a SQLite file, migrations, demo seed), except that the worker and the API run as
 * separate processes (`scripts/worker.ts`, `scripts/api.ts`), beside the baseline's worker, so the CPU time and
 * resident memory of each can be read apart. Everything lives in a throwaway folder under the OS temp dir;
 * `.data/` of `npm start` is never touched.
 */

export const BENCH_TASK_QUEUE = 'community-cases-bench';
export const BASELINE_TASK_QUEUE = 'community-cases-bench-baseline';
export const DATABASE = 'community_cases_bench';

export interface ManagedProcess {
  name: string;
  pid: number;
}

export interface Stack {
  dir: string;
  databaseUrl: string;
  temporalAddress: string;
  /** The configuration the service's processes run with (TLS, payload codec), for the baseline's client. */
  config: Config;
  apiUrl: string;
  /** The API's token settings, read from the environment it was started with, so the bench's tokens pass. */
  auth: AuthSettings;
  processes: ManagedProcess[];
  /** Versions and how each piece was run, for the results. */
  info: Record<string, string>;
  stop: () => Promise<void>;
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

export async function startBenchStack(options: BenchOptions, log: (line: string) => void): Promise<Stack> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_TASK_QUEUE: BENCH_TASK_QUEUE,
    RULE_SET: 'demo',
    RULES_FILE: undefined,
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    RATE_LIMIT_PER_MINUTE: '100000000',
    LOG_LEVEL: options.logLevel,
    ...(options.poolSize ? { DATABASE_POOL_SIZE: String(options.poolSize) } : {}),
    AUTH_JWKS_URL: undefined,
    AUTH_OIDC_AUTHORIZATION_URL: undefined,
    AUTH_OIDC_TOKEN_URL: undefined,
    AUTH_OIDC_CLIENT_ID: undefined,
  };
  const stack = await startServiceStack({
    env,
    data: { throwaway: 'community-cases-bench-', keep: options.keep },
    ports: 'free',
    external: true,
    database: DATABASE,
    seed: true,
    temporal: { persistence: options.temporalMemory ? 'memory' : 'file' },
    worker: 'child-process',
    api: 'child-process',
    extraWorkers: [{ name: 'baseline-worker', script: 'bench/baseline-worker.ts', taskQueue: BASELINE_TASK_QUEUE }],
    cpuProfileDir: options.cpuProfile,
    log,
  });
  try {
    const info: Record<string, string> = { migrations: stack.migrations.tool };
    const processes: ManagedProcess[] = [];
    if (stack.postgres) {
      info.postgres = `embedded (port ${stack.postgres.port}, data in ${stack.postgres.dataDir})`;
      const pid = findPid(['postgres', '-D', stack.postgres.dataDir]);
      if (pid) processes.push({ name: 'postgres', pid });
    } else {
      info.postgres = 'DATABASE_URL';
    }
    const server = stack.temporal.server;
    if (server) {
      info.temporal = `dev server (${options.temporalMemory ? 'in memory' : 'SQLite file in WAL mode'}), ${server.binary.source}`;
      if (server.binary.executable.type === 'existing-path') info.temporalCli = versionOf(server.binary.executable.path, ['--version']);
      const pid = findPid(['start-dev', '--port', stack.temporal.address.split(':').pop() as string]);
      if (pid) processes.push({ name: 'temporal', pid });
    } else {
      info.temporal = `TEMPORAL_ADDRESS ${stack.temporal.address}`;
    }
    try {
      const client = await connectTemporalClient(stack.config);
      const sys = await client.workflowService.getSystemInfo({});
      info.temporalServer = sys.serverVersion || 'unknown';
      await client.connection.close();
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
    for (const p of stack.processes) {
      processes.push({ name: p.name, pid: p.pid });
      info[`${p.name}Log`] = p.logFile;
    }
    info.workerEnv = `RULE_SET=demo LOG_LEVEL=${options.logLevel} DATABASE_POOL_SIZE=${options.poolSize ?? '(default 10)'} RATE_LIMIT_PER_MINUTE=100000000`;
    const { config } = stack;
    return {
      dir: stack.dataDir,
      databaseUrl: stack.databaseUrl,
      temporalAddress: stack.temporal.address,
      config,
      apiUrl: stack.api?.url as string,
      auth: config.auth,
      processes,
      info,
      stop: stack.stop,
    };
  } catch (err) {
    await stack.stop();
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
