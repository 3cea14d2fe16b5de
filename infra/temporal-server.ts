import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort, killWithThisProcess, stopChild } from './processes';
import { resolveTemporalBinary, type ResolvedBinary } from './temporal-binaries';

/** A Temporal server this process started, and how to stop it. */
export interface RunningTemporalServer {
  address: string;
  uiUrl?: string;
  binary: ResolvedBinary;
  stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until a Temporal frontend answers on address, or the child dies, or the timeout passes. */
async function waitForFrontend(address: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Temporal server exited early (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await sleep(200);
    }
  }
  throw new Error(`Temporal server at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)}\n${output()}`);
}

function spawnLogged(file: string, args: string[]) {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  killWithThisProcess(child);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => tail };
}

/** Wraps an SDK-managed ephemeral server (the download fallback) in the same interface. */
function fromTestEnvironment(env: TestWorkflowEnvironment, binary: ResolvedBinary, uiUrl?: string): RunningTemporalServer {
  return { address: env.address, uiUrl, binary, stop: () => env.teardown() };
}

export interface DevServerOptions {
  port?: number;
  /** Web UI port; omit for a headless server. */
  uiPort?: number;
  /** SQLite file for persistent state; omit for an in-memory server. */
  dbFile?: string;
  namespace?: string;
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * By default the dev server keeps its SQLite file in rollback-journal mode: every transaction creates, syncs and
 * deletes a journal file, and readers wait for the writer. Write-ahead logging appends to one log instead; with
 * synchronous=FULL each commit is still synced before it is acknowledged, so durability is unchanged. On the
 * 2-core bench machine this nearly doubled the raw Temporal throughput and raised the service's by a quarter
 * (bench/results).
 */
function sqlitePragmas(dbFile: string | undefined): string[] {
  return dbFile ? ['--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=full'] : [];
}

/** Starts `temporal server start-dev` (the full Temporal server with SQLite, as a single binary). */
export async function startDevServer(options: DevServerOptions = {}): Promise<RunningTemporalServer> {
  const binary = resolveTemporalBinary('cli', { log: options.log });
  const port = options.port ?? (await freePort());
  const namespace = options.namespace ?? 'default';
  const uiUrl = options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined;
  if (options.dbFile) fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });

  if (binary.executable.type === 'cached-download') {
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: '127.0.0.1',
        port,
        namespace,
        dbFilename: options.dbFile,
        ui: Boolean(options.uiPort),
        uiPort: options.uiPort,
        extraArgs: sqlitePragmas(options.dbFile),
      },
    });
    return fromTestEnvironment(env, binary, uiUrl);
  }

  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace];
  args.push('--log-level', 'warn');
  // Every port chosen here, none left to the CLI's own random pick: servers started side by side (the tests'
  // global setup) once collided on it ("failed listening for HTTP API … address already in use").
  args.push('--http-port', String(await freePort()), '--metrics-port', String(await freePort()));
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFile) args.push('--db-filename', options.dbFile, ...sqlitePragmas(options.dbFile));
  const { child, output } = spawnLogged(binary.executable.path, args);
  const address = `127.0.0.1:${port}`;
  try {
    await waitForFrontend(address, child, output, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { address, uiUrl, binary, stop: () => stopChild(child) };
}

/** Starts the Java time-skipping test server (timers fire as soon as the workflow waits on nothing else). */
export async function startTimeSkippingServer(
  options: { port?: number; startTimeoutMs?: number; log?: (line: string) => void } = {},
): Promise<RunningTemporalServer> {
  const binary = resolveTemporalBinary('test-server', { log: options.log });
  const port = options.port ?? (await freePort());
  if (binary.executable.type === 'cached-download') {
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    return fromTestEnvironment(await TestWorkflowEnvironment.createTimeSkipping({ server: { port } }), binary);
  }
  const { child, output } = spawnLogged(binary.executable.path, [String(port)]);
  const address = `127.0.0.1:${port}`;
  try {
    await waitForFrontend(address, child, output, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return { address, binary, stop: () => stopChild(child) };
}
