import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { PROJECT_ROOT } from '../infra/config';
import { killWithThisProcess, stopChild } from '../infra/processes';

/**
 * This service's own entry points (scripts/worker.ts, scripts/api.ts, the bench's baseline worker) run as child
 * processes, where a caller needs them apart from itself: the benchmark reads each one's CPU time and memory.
 */

export interface EntryPointProcess {
  name: string;
  /** The running process (a new one after restart()). */
  child: ChildProcess;
  pid: number;
  logFile: string;
  /** SIGTERM, then SIGKILL after the grace period; an exit after this call is not reported as unexpected. */
  stop: () => Promise<void>;
  /** SIGKILL, no grace: what a crash or the OOM killer does (fault tests). */
  kill: () => Promise<void>;
  /** Starts the process again, with the same script and environment, after stop() or kill(). */
  restart: () => ChildProcess;
}

export interface EntryPointOptions {
  /** The script, relative to the project root (e.g. scripts/worker.ts). */
  script: string;
  env: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here. */
  logFile: string;
  /** A folder for V8 CPU profiles (written when the process stops), one subfolder per process. */
  cpuProfileDir?: string;
  log?: (line: string) => void;
  /** Told when the process exits without stop() or kill() (a supervisor restarts it). */
  onUnexpectedExit?: () => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function spawnEntryPoint(name: string, options: EntryPointOptions): EntryPointProcess {
  // One folder per process: each of its threads (workflow sandboxes, loader) writes a profile of its own.
  const profile = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(options.cpuProfileDir, name)] : [];
  let expectExit = false;
  let entry: EntryPointProcess;
  const launch = () => {
    const out = fs.openSync(options.logFile, 'a');
    // `node --import tsx` (not the tsx CLI, which runs node as a child of its own): the pid is the process.
    const child = spawn(process.execPath, [...profile, '--import', 'tsx', options.script], {
      cwd: PROJECT_ROOT,
      env: options.env,
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    killWithThisProcess(child);
    expectExit = false;
    child.once('exit', (code, signal) => {
      if (expectExit || entry.child !== child) return;
      (options.log ?? console.error)(`${name} exited unexpectedly (${code ?? signal}); see ${options.logFile}`);
      options.onUnexpectedExit?.();
    });
    return child;
  };
  entry = {
    name,
    child: undefined as unknown as ChildProcess,
    pid: 0,
    logFile: options.logFile,
    async stop() {
      expectExit = true;
      await stopChild(entry.child, 15_000);
    },
    async kill() {
      expectExit = true;
      const { child } = entry;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await gone;
    },
    restart() {
      const { child } = entry;
      if (child.exitCode === null && child.signalCode === null) throw new Error(`${name} is still running: stop() or kill() it first`);
      entry.child = launch();
      entry.pid = entry.child.pid as number;
      return entry.child;
    },
  };
  entry.child = launch();
  entry.pid = entry.child.pid as number;
  return entry;
}

/** Waits until probe() answers true; fails with the end of the log when the process exits first or time runs out. */
export async function waitUntilReady(entry: EntryPointProcess, probe: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const tail = () => fs.readFileSync(entry.logFile, 'utf8').slice(-3000);
  while (Date.now() < deadline) {
    if (entry.child.exitCode !== null || entry.child.signalCode !== null)
      throw new Error(`${entry.name} exited during start-up:\n${tail()}`);
    if (await probe().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${entry.name} did not become ready within ${timeoutMs} ms:\n${tail()}`);
}

/** Ready probes: an HTTP server answering /healthz, a worker polling its task queue (a given process's, by its identity). */
export const readiness = {
  http: (url: string) => async () => (await fetch(`${url}/healthz`)).ok,
  polling: (connection: ConnectionOptions, namespace: string, taskQueue: string, pid?: () => number) => async () => {
    const client = await Connection.connect(connection);
    try {
      const r = await client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 });
      // The SDK's default identity is "<pid>@<host>".
      const own = pid ? `${pid()}@` : '';
      return (r.pollers ?? []).some((p) => (p.identity ?? '').startsWith(own));
    } finally {
      await client.close();
    }
  },
};
