import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import YAML from 'yaml';
import { DEPLOYMENT } from './deployment';
import type { ClusterCertificates } from './temporal-certs';
import { temporalConnectionOptions } from './temporal-connection';
import type { TemporalDatabaseSettings } from './temporal-schema';
import { killWithThisProcess, stopChild } from './processes';

/**
 * The full Temporal server as one child process (frontend, history, matching and its internal worker) on
 * PostgreSQL, with mutual TLS on the frontend and between its services. Its YAML is generated from the shape of
 * the module's config/development-postgres12.yaml on every start, so the settings live here and in the caller's
 * configuration, not in a file someone edits by hand.
 *
 * `stop()` is the graceful path (SIGTERM, SIGKILL after the grace period); `kill()` and `restart()` are for
 * fault tests and supervisors: the same ports, databases and certificates come back, so clients reconnect to the
 * same address and every history is still there.
 */

/** Fixed when the database is first set up; Temporal refuses to start if it changes later. */
export const HISTORY_SHARDS = DEPLOYMENT.temporal.historyShards;

export interface ClusterPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  metrics: number;
}

export interface TemporalClusterOptions {
  /** The server binary (infra/temporal-cluster-binaries.ts). */
  serverBinary: string;
  /** Folder for the generated configuration and the server's log, e.g. DATA_DIR/temporal-cluster. */
  dir: string;
  database: TemporalDatabaseSettings;
  certificates: ClusterCertificates;
  /** Name the server's own services check the frontend's and each other's certificates against (default localhost). */
  serverName?: string;
  /** Ports to use; any left out is picked free once and kept across restarts. */
  ports?: Partial<ClusterPorts>;
  namespace?: string;
  /** How long closed workflows' histories are kept (the namespace's retention). */
  retentionDays?: number;
  startTimeoutMs?: number;
  stopGraceMs?: number;
  log?: (line: string) => void;
  /** Told when the server exits without stop() or kill() (a supervisor restarts it). */
  onUnexpectedExit?: () => void;
}

export interface TemporalCluster {
  /** host:port of the frontend. */
  address: string;
  namespace: string;
  ports: ClusterPorts;
  configFile: string;
  logFile: string;
  /** Process id of the running server, if any. */
  pid: () => number | undefined;
  /** SIGTERM, then SIGKILL after the grace period. */
  stop: () => Promise<void>;
  /** SIGKILL, no grace: what a crash or the OOM killer does. */
  kill: () => Promise<void>;
  /** Starts the server again (after stop or kill) and waits until it serves the namespace. */
  restart: () => Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Temporal keeps each service's membership port in a SMALLINT column (cluster_membership.rpc_port): with a
 * port above 32767 the server dies at start ("value … is out of range for type smallint"). Linux hands out
 * ephemeral ports from 32768 up, so ports are picked at random below that instead.
 */
const MAX_MEMBERSHIP_PORT = 32_767;
const LOWEST_PICKED_PORT = 20_000;
const pickedHere = new Set<number>();

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freeLowPort(): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = crypto.randomInt(LOWEST_PICKED_PORT, MAX_MEMBERSHIP_PORT + 1);
    if (pickedHere.has(port) || !(await canListen(port))) continue;
    pickedHere.add(port);
    return port;
  }
  throw new Error(`no free port between ${LOWEST_PICKED_PORT} and ${MAX_MEMBERSHIP_PORT}`);
}

async function pickPorts(given: Partial<ClusterPorts> = {}): Promise<ClusterPorts> {
  const names: Array<keyof ClusterPorts> = [
    'frontend',
    'frontendHttp',
    'frontendMembership',
    'history',
    'historyMembership',
    'matching',
    'matchingMembership',
    'worker',
    'workerMembership',
    'metrics',
  ];
  const ports = {} as ClusterPorts;
  for (const name of names) {
    const port = given[name] ?? (await freeLowPort());
    if (name.endsWith('Membership') && port > MAX_MEMBERSHIP_PORT) {
      throw new Error(`the ${name} port ${port} is above ${MAX_MEMBERSHIP_PORT}, which Temporal cannot store`);
    }
    ports[name] = port;
  }
  return ports;
}

/**
 * The server's configuration, shaped after config/development-postgres12.yaml of the same release: for
 * `npm run cluster` (one process on loopback), and in a container (deploy/: compose and Kubernetes run the
 * official image with this same file), where it listens on every interface and announces the address given by
 * the environment.
 */
export function serverConfig(options: {
  database: TemporalDatabaseSettings;
  certificates: ClusterCertificates;
  ports: ClusterPorts;
  serverName: string;
  /** In a container: bind to every interface and announce this address to the other services (a template, see below). */
  container?: { broadcastAddress: string };
}) {
  const { database: db, certificates: certs, ports, serverName, container } = options;
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${db.host}:${db.port}`,
      connectProtocol: 'tcp',
      user: db.user,
      password: db.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const trust = [certs.caBundleFile];
  const clientOf = { serverName, rootCaFiles: trust };
  const rpc = (grpcPort: number, membershipPort: number, extra: object = {}) => ({
    rpc: { grpcPort, membershipPort, ...(container ? { bindOnIP: '0.0.0.0' } : { bindOnLocalHost: true }), ...extra },
  });
  return {
    log: { stdout: true, level: 'info' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: {
        'postgres-default': datastore(db.temporalDatabase, 20),
        'postgres-visibility': datastore(db.visibilityDatabase, 4),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: container?.broadcastAddress ?? '127.0.0.1' },
      metrics: {
        prometheus: {
          framework: 'tally',
          timerType: 'histogram',
          listenAddress: `${container ? '0.0.0.0' : '127.0.0.1'}:${ports.metrics}`,
        },
      },
      tls: {
        // Only holders of a certificate from our CA get in, on the frontend and between the services.
        frontend: {
          server: { certFile: certs.frontend.certFile, keyFile: certs.frontend.keyFile, requireClientAuth: true, clientCaFiles: trust },
          client: clientOf,
        },
        internode: {
          server: { certFile: certs.internode.certFile, keyFile: certs.internode.keyFile, requireClientAuth: true, clientCaFiles: trust },
          client: clientOf,
        },
        // The server's internal worker (schedules, namespace deletion, ...) is a frontend client like any other:
        // without a certificate its handshake fails and the server exits about a minute after starting.
        systemWorker: { certFile: certs.internode.certFile, keyFile: certs.internode.keyFile, client: clientOf },
        // Files are re-read this often, so renewed certificates take effect without a restart.
        refreshInterval: '1h',
        expirationChecks: { warningWindow: '720h', errorWindow: '168h', checkInterval: '24h' },
      },
    },
    services: {
      frontend: rpc(ports.frontend, ports.frontendMembership, { httpPort: ports.frontendHttp }),
      matching: rpc(ports.matching, ports.matchingMembership),
      history: rpc(ports.history, ports.historyMembership),
      worker: rpc(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: `localhost:${ports.frontend}` },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } },
    namespaceDefaults: { archival: { history: { state: 'disabled' }, visibility: { state: 'disabled' } } },
  };
}

/** Releases that have the flag want it when no authorizer is configured (mTLS is our gate); older ones lack it. */
function wantsAllowNoAuth(serverBinary: string): boolean {
  const help = spawnSync(serverBinary, ['--help'], { encoding: 'utf8' });
  return `${help.stdout}${help.stderr}`.includes('--allow-no-auth');
}

const GRPC_ALREADY_EXISTS = 6;
const GRPC_NOT_FOUND = 5;

export async function startTemporalCluster(options: TemporalClusterOptions): Promise<TemporalCluster> {
  const log = options.log ?? (() => {});
  const namespace = options.namespace ?? 'default';
  const serverName = options.serverName ?? 'localhost';
  if (!options.certificates.hostNames.includes(serverName)) {
    throw new Error(`server name ${serverName} is not in the frontend certificate (${options.certificates.hostNames.join(', ')})`);
  }
  const ports = await pickPorts(options.ports);
  const address = `127.0.0.1:${ports.frontend}`;
  const configDir = path.join(options.dir, 'config');
  const configFile = path.join(configDir, 'production.yaml');
  const logFile = path.join(options.dir, 'server.log');
  fs.mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const header = '# Generated by infra/temporal-cluster.ts on every start; edit the code or the environment, not this file.\n';
  // It holds the database password: owner only.
  fs.writeFileSync(configFile, header + YAML.stringify(serverConfig({ ...options, ports, serverName }), { aliasDuplicateObjects: false }), {
    mode: 0o600,
  });
  fs.chmodSync(configFile, 0o600);

  const args = ['--root', options.dir, '--config', 'config', '--env', 'production'];
  if (wantsAllowNoAuth(options.serverBinary)) args.push('--allow-no-auth');
  args.push('start');

  // The server is probed the way the API reaches it: over mTLS with the API's client certificate.
  const probeOptions = temporalConnectionOptions({
    address,
    tls: { caFile: options.certificates.caBundleFile, ...options.certificates.clients.api, serverName },
  }).client;

  let child: ChildProcess | undefined;
  let tail = '';
  let deliberate = false;

  const launch = () => {
    const out = fs.openSync(logFile, 'a');
    const proc = spawn(options.serverBinary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    killWithThisProcess(proc);
    const keep = (chunk: Buffer) => {
      fs.writeSync(out, chunk);
      tail = (tail + chunk.toString()).slice(-6_000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    // 'close', not 'exit': output may still arrive after the process has exited.
    proc.once('close', () => fs.closeSync(out));
    proc.once('exit', () => {
      if (!deliberate && child === proc) options.onUnexpectedExit?.();
    });
    return proc;
  };

  const exited = (proc: ChildProcess) => proc.exitCode !== null || proc.signalCode !== null;

  /** Until the frontend answers over mTLS and a history shard answers for the namespace. */
  const waitUntilServing = async (proc: ChildProcess) => {
    const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
    let lastError: unknown;
    let registered = false;
    while (Date.now() < deadline) {
      if (exited(proc)) throw new Error(`Temporal server exited early (${proc.exitCode ?? proc.signalCode}); see ${logFile}:\n${tail}`);
      let connection: Connection | undefined;
      try {
        connection = await Connection.connect({ ...probeOptions, connectTimeout: 2_000 });
        const service = connection.workflowService;
        await service.getSystemInfo({});
        if (!registered) {
          try {
            await service.registerNamespace({
              namespace,
              workflowExecutionRetentionPeriod: msToTs(`${options.retentionDays ?? DEPLOYMENT.temporal.retentionDays} days`),
            });
            log(`created namespace ${namespace}`);
          } catch (err) {
            if ((err as { code?: number }).code !== GRPC_ALREADY_EXISTS) throw err;
          }
          registered = true;
        }
        // A history of a workflow that does not exist: "not found" means a history shard answered for the namespace.
        try {
          await service.getWorkflowExecutionHistory({ namespace, execution: { workflowId: `readiness-probe-${Date.now()}` } });
        } catch (err) {
          if ((err as { code?: number }).code !== GRPC_NOT_FOUND) throw err;
        }
        return;
      } catch (err) {
        lastError = err;
        await sleep(250);
      } finally {
        await connection?.close();
      }
    }
    throw new Error(
      `Temporal server at ${address} did not serve namespace ${namespace} within the start timeout: ${String(lastError)}\nsee ${logFile}:\n${tail}`,
    );
  };

  const start = async () => {
    deliberate = false;
    const started = Date.now();
    const proc = launch();
    child = proc;
    try {
      await waitUntilServing(proc);
    } catch (err) {
      deliberate = true;
      await stopChild(proc, options.stopGraceMs ?? 10_000);
      throw err;
    }
    log(`Temporal server (pid ${proc.pid}) serving ${namespace} at ${address} over mTLS after ${Date.now() - started} ms`);
  };

  const kill = async () => {
    const proc = child;
    if (!proc || exited(proc)) return;
    deliberate = true;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill('SIGKILL');
    await gone;
  };

  await start();
  return {
    address,
    namespace,
    ports,
    configFile,
    logFile,
    pid: () => (child && !exited(child) ? child.pid : undefined),
    stop: async () => {
      deliberate = true;
      if (child) await stopChild(child, options.stopGraceMs ?? 10_000);
    },
    kill,
    restart: async () => {
      if (child && !exited(child)) throw new Error('the Temporal server is still running: stop() or kill() it first');
      await start();
    },
  };
}
