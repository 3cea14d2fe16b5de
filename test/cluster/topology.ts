import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuthSettings } from '../../api/auth';
import type { RuleSet } from '../../domain/rules';
import { PROJECT_ROOT } from '../../infra/config';
import { clusterStateFile } from '../../infra/deployment';
import { freePort, stopChild } from '../../infra/processes';
import type { ClusterCertificates } from '../../infra/temporal-certs';
import { TEST_TODAY } from '../helpers/env';
import { runAgainstService } from '../helpers/stack';

/**
 * `npm run cluster` as an operator runs it, in a child process of the test: the full Temporal server with mTLS
 * on the embedded PostgreSQL, two workers and two APIs behind one port, and its supervisor restarting whatever
 * dies. The test reads which process has which id from the state file it keeps (DATA_DIR/cluster.json), kills
 * them with SIGKILL, and waits for the supervisor to bring them back.
 */

export const CLUSTER_AUTH: AuthSettings = {
  issuer: 'community-cases',
  audience: 'community-cases-api',
  jwtSecret: 'cluster-test-secret-of-at-least-32-characters',
  jwksAlgorithms: [],
};

export interface ClusterState {
  url: string;
  temporal: string;
  databaseUrl: string;
  postgresAdminUrl: string;
  apiReplicas: string[];
  /** Each worker replica's Prometheus endpoint. */
  workerMetrics: string[];
  processes: Record<string, number | undefined>;
  certificates: ClusterCertificates;
}

export interface RunningCluster {
  dataDir: string;
  state: () => ClusterState;
  /** SIGKILLs a process of the topology by name (postgres, temporal, worker-1, api-2, ...); returns when it is gone. */
  kill: (name: string) => Promise<number>;
  /** Waits until the supervisor has started the process again (a new id in the state file). */
  restarted: (name: string, oldPid: number, timeoutMs?: number) => Promise<number>;
  /** The end of a process's log (the server's, or a replica's). */
  logTail: (name: string) => string;
  stop: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startCluster(options: {
  restartDelayMs: number;
  log: (line: string) => void;
  /** Settings of the operator's own (DATABASE_URL for a PostgreSQL server of theirs, key files, ...) over the test's. */
  env?: Record<string, string>;
  /** Puts files into DATA_DIR before the cluster starts (e.g. the secrets of the cluster a backup came from). */
  prepare?: (dataDir: string) => void;
  /** Leave out the demo cases (`--without-demo-cases`): their exit case would take a seeded worker a suite drives. */
  withoutDemoCases?: boolean;
  /** The rules in force (written to DATA_DIR as the RULES_FILE an operator would give); default RULE_SET=demo. */
  rules?: RuleSet;
}): Promise<RunningCluster> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-cluster-topology-'));
  fs.chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as "postgres" when we are root
  options.prepare?.(dataDir);
  const rulesFile = path.join(dataDir, 'rules.json');
  if (options.rules) fs.writeFileSync(rulesFile, JSON.stringify(options.rules, null, 2));
  const logFile = path.join(dataDir, 'cluster.log');
  const out = fs.openSync(logFile, 'a');
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    RULE_SET: 'demo',
    LOG_LEVEL: 'warn',
    AUTH_JWT_SECRET: CLUSTER_AUTH.jwtSecret,
    CLUSTER_RESTART_DELAY_MS: String(options.restartDelayMs),
    ...(options.rules ? { RULES_FILE: rulesFile } : {}),
    ...options.env,
  };
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/start.ts', '--cluster', ...(options.withoutDemoCases ? ['--without-demo-cases'] : [])],
    {
      cwd: PROJECT_ROOT,
      env,
      stdio: ['ignore', out, out],
    },
  );
  fs.closeSync(out);
  const stateFile = clusterStateFile(dataDir);
  const state = () => JSON.parse(fs.readFileSync(stateFile, 'utf8')) as ClusterState;
  const tail = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').slice(-4_000) : '');

  const deadline = Date.now() + 20 * 60_000; // the first run builds the Temporal server
  while (!fs.existsSync(stateFile)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`npm run cluster exited:\n${tail(logFile)}`);
    if (Date.now() > deadline) throw new Error(`npm run cluster did not come up:\n${tail(logFile)}`);
    await sleep(500);
  }
  options.log(`npm run cluster is up at ${state().url} (data in ${dataDir})`);

  return {
    dataDir,
    state,
    async kill(name) {
      const pid = state().processes[name];
      if (!pid) throw new Error(`${name} is not running: ${JSON.stringify(state().processes)}`);
      process.kill(pid, 'SIGKILL');
      while (processAlive(pid)) await sleep(20);
      return pid;
    },
    async restarted(name, oldPid, timeoutMs = 120_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const pid = state().processes[name];
        if (pid && pid !== oldPid && processAlive(pid)) return pid;
        if (Date.now() > until) throw new Error(`${name} was not restarted within ${timeoutMs} ms:\n${tail(logFile)}`);
        await sleep(100);
      }
    },
    logTail(name) {
      return tail(name === 'temporal' ? path.join(dataDir, 'temporal-cluster', 'server.log') : path.join(dataDir, `${name}.log`));
    },
    async stop() {
      await stopChild(child, 60_000); // SIGTERM: the cluster stops what it started, as on Ctrl-C
      if (process.env.KEEP_CLUSTER_DATA) options.log(`kept ${dataDir}`);
      else fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs an in-process end-to-end suite, unchanged, against `npm run cluster`: its requests go through the port in
 * front of the two API replicas, the two worker replicas run the cases on the full Temporal server over mTLS, and
 * the suite reads and checks the cluster's database (every chain verified at the end). The switch is
 * runAgainstService (test/helpers/stack.ts), set in this beforeAll, before the suite's own. Call it, then load the
 * suite's file. The cluster starts without its demo cases (their exit case removes a seeded worker, w-jyj-02, the
 * suites drive), with the suite's rules (`rules`, else the demo rules), and with EVALUATION_DATE at TEST_TODAY:
 * the in-process suites' API and worker evaluate eligibility on that date, for which the seeded records are
 * written, so the suite answers the same on any day.
 */
export function suiteAgainstCluster(label: string, options: { rules?: RuleSet } = {}): void {
  const log = (line: string) => process.stderr.write(`[${label}] ${line}\n`);
  let cluster: RunningCluster | undefined;
  beforeAll(async () => {
    const started = Date.now();
    cluster = await startCluster({
      restartDelayMs: 5_000,
      log,
      withoutDemoCases: true,
      rules: options.rules,
      env: { EVALUATION_DATE: TEST_TODAY },
    });
    log(`npm run cluster came up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const state = cluster.state();
    runAgainstService({ url: state.url, databaseUrl: state.databaseUrl, auth: CLUSTER_AUTH });
  }, 25 * 60_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped by its parent) still answers signal 0.
  try {
    return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
