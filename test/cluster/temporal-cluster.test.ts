import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import pg from 'pg';
import { loadConfig } from '../../infra/config';
import { ensureClusterCertificates } from '../../infra/temporal-certs';
import { POSTGRES_SCHEMAS } from '../../infra/temporal-cluster-binaries';
import { temporalConnectionOptions } from '../../infra/temporal-connection';
import { setUpTemporalSchema } from '../../infra/temporal-schema';
import { bringUpTemporalCluster, clusterPaths, type TemporalTopology } from '../../infra/temporal-topology';
import { clusterProbeActivities } from './activities';
import { CLUSTER_POSTGRES_ADMIN_URL } from './global-setup';
import type { afterTimer, greeting } from './workflows';

/**
 * The production topology's Temporal part, for real: the full server built from the Go module, its schema on
 * an embedded PostgreSQL, a private CA, mTLS on the frontend and between the server's services, a client and a
 * worker that hold certificates, and a SIGKILL of the server in the middle. Run by `npm run test:cluster`, not
 * `npm test` (the first run builds the server, ~4 minutes on 2 cores).
 */

const log = (line: string) => process.stderr.write(`[cluster test] ${line}\n`);
const timings: Array<[string, string]> = [];
async function timed<T>(label: string, run: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  const result = await run();
  timings.push([label, `${((performance.now() - started) / 1000).toFixed(2)} s`]);
  return result;
}

/** Compares Temporal's schema versions ("1.10" > "1.9"). */
const byVersion = (a: string, b: string) => {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number);
  const [b1 = 0, b2 = 0] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
};
const newestVersion = (versionedDir: string) =>
  fs
    .readdirSync(versionedDir)
    .map((v) => v.replace(/^v/, ''))
    .sort(byVersion)
    .at(-1);

describe('the full Temporal server on PostgreSQL with mTLS', () => {
  const adminUrl = process.env[CLUSTER_POSTGRES_ADMIN_URL]!;
  let dataDir: string;
  let topology: TemporalTopology;
  let connection: Connection | undefined;
  let nativeConnection: NativeConnection | undefined;
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  const taskQueue = 'cluster-probe';

  /** A replica's connection options, the way it gets them: environment → infra/config.ts → connection options. */
  const replicaOptions = (role: 'api' | 'worker') => {
    const { temporal } = loadConfig(topology.clientEnv(role));
    return temporalConnectionOptions({ address: temporal.address!, tls: temporal.tls, apiKey: temporal.apiKey });
  };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cases-cluster-'));
    const labels = {
      provision: 'provision: find or build the server and the SQL tool, locate the schemas',
      schema: 'schema: role, two databases, setup-schema and update-schema (first time)',
      certificates: 'certificates: CA, frontend, internode, API and worker',
      server: 'server: start until the namespace is served over mTLS',
    };
    topology = await bringUpTemporalCluster({
      adminUrl,
      dataDir,
      hostName: 'temporal.cluster.test',
      log,
      onStep: (step, ms) => timings.push([labels[step], `${(ms / 1000).toFixed(2)} s`]),
    });
  }, 20 * 60_000);

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await workerRun?.catch(() => {});
    await nativeConnection?.close();
    await connection?.close();
    if (topology) await timed('server: SIGTERM until it exits', () => topology.cluster.stop());
    // The PostgreSQL server is the whole run's (global-setup.ts): the backup test restores Temporal's databases
    // into it and refuses ones that hold tables, so this suite leaves none behind.
    if (topology) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        for (const name of [topology.database.temporalDatabase, topology.database.visibilityDatabase])
          await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    const width = Math.max(...timings.map(([label]) => label.length));
    log(`timings:\n${timings.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n')}`);
  }, 60_000);

  it('sets up both schemas to the newest version, again without error, as a role that owns only its databases', async () => {
    const { tools } = topology;
    const database = await timed('schema: run again on an up-to-date database', () =>
      setUpTemporalSchema({
        adminUrl,
        sqlTool: tools.sqlTool,
        schemaDir: tools.schemaDir,
        passwordFile: clusterPaths(dataDir).passwordFile,
      }),
    );
    expect(database).toEqual(topology.database);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const role = await admin.query('SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = $1', [database.user]);
      expect(role.rows).toEqual([{ rolsuper: false, rolcreatedb: false, rolcreaterole: false }]);
      const owners = await admin.query(
        `SELECT datname, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = ANY($1) ORDER BY datname`,
        [[database.temporalDatabase, database.visibilityDatabase]],
      );
      expect(owners.rows).toEqual([
        { datname: database.temporalDatabase, owner: database.user },
        { datname: database.visibilityDatabase, owner: database.user },
      ]);
    } finally {
      await admin.end();
    }
    for (const [name, sub] of [
      [database.temporalDatabase, POSTGRES_SCHEMAS.temporal],
      [database.visibilityDatabase, POSTGRES_SCHEMAS.visibility],
    ] as const) {
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      url.username = database.user;
      url.password = database.password;
      const asTemporal = new pg.Client({ connectionString: url.toString() });
      await asTemporal.connect();
      try {
        const version = await asTemporal.query('SELECT curr_version FROM schema_version WHERE db_name = $1', [name]);
        expect(version.rows[0]?.curr_version).toBe(newestVersion(path.join(tools.schemaDir, sub)));
        await expect(asTemporal.query('CREATE DATABASE not_for_temporal')).rejects.toThrow(/permission denied/);
      } finally {
        await asTemporal.end();
      }
    }
  });

  it('runs a workflow to completion with a client and a worker that present their certificates', async () => {
    connection = await Connection.connect(replicaOptions('api').client);
    nativeConnection = await NativeConnection.connect(replicaOptions('worker').worker);
    const { namespace } = topology.cluster;
    worker = await timed('worker: create (bundles the workflows)', () =>
      Worker.create({
        connection: nativeConnection!,
        namespace,
        taskQueue,
        workflowsPath: require.resolve('./workflows'),
        activities: clusterProbeActivities,
      }),
    );
    workerRun = worker.run();
    const client = new Client({ connection, namespace });
    const result = await timed('workflow: greeting, start to result', () =>
      client.workflow.execute<typeof greeting>('greeting', { taskQueue, workflowId: 'cluster-greeting', args: ['cluster'] }),
    );
    expect(result).toBe('hello, cluster');
  });

  describe('refuses whoever has no certificate from its CA', () => {
    // The server ends the handshake; grpc-js reports only that it never got a channel.
    const refused = /Failed to connect before the deadline/;
    const callFrontend = async (options: Parameters<typeof Connection.connect>[0]) => {
      const c = await Connection.connect({ connectTimeout: 5_000, ...options });
      try {
        await c.workflowService.getSystemInfo({});
      } finally {
        await c.close();
      }
    };

    it('a client without a certificate over TLS, and one in plain text', async () => {
      const { address } = topology.cluster;
      const ca = fs.readFileSync(topology.certificates.caBundleFile);
      await expect(callFrontend({ address, tls: { serverRootCACertificate: ca } })).rejects.toThrow(refused);
      await expect(callFrontend({ address })).rejects.toThrow(refused);
      // The same call with the API's certificate goes through, so the refusals above are about the certificate.
      await expect(callFrontend(replicaOptions('api').client)).resolves.toBeUndefined();
    });

    it('a client whose certificate another CA issued', async () => {
      const stranger = await ensureClusterCertificates({ dir: path.join(dataDir, 'another-ca') });
      const options = temporalConnectionOptions({
        address: topology.cluster.address,
        tls: { caFile: topology.certificates.caBundleFile, ...stranger.clients.api },
      });
      await expect(callFrontend(options.client)).rejects.toThrow(refused);
    });

    it('a worker connection without a certificate', async () => {
      const options = temporalConnectionOptions({ address: topology.cluster.address, tls: { caFile: topology.certificates.caBundleFile } });
      // Depending on timing, the core SDK sees the server's alert or only the closed connection (or its write
      // into it failing: a broken pipe).
      await expect(NativeConnection.connect(options.worker).then((c) => c.close())).rejects.toThrow(
        /CertificateRequired|connection closed|broken pipe/,
      );
    });
  });

  it('comes back from SIGKILL with every history, and a timer set before the crash fires after it', async () => {
    const { cluster } = topology;
    const client = new Client({ connection: connection!, namespace: cluster.namespace });
    const before = await client.workflow.getHandle('cluster-greeting').fetchHistory();
    const timer: WorkflowHandle<typeof afterTimer> = await client.workflow.start<typeof afterTimer>('afterTimer', {
      taskQueue,
      workflowId: 'cluster-timer',
      args: [2_000],
    });
    // Kill only once the timer is in the server's hands.
    for (;;) {
      const { events } = await timer.fetchHistory();
      if (events?.some((e) => e.timerStartedEventAttributes)) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    const pid = cluster.pid();
    expect(pid).toBeDefined();
    const rss = execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    timings.push(['server: resident memory before the kill', `${Math.round(Number(rss) / 1024)} MB`]);
    await cluster.kill();
    const killedAt = Date.now();
    expect(() => process.kill(pid!, 0)).toThrow(/ESRCH/);
    await expect(connection!.withDeadline(Date.now() + 3_000, () => connection!.workflowService.getSystemInfo({}))).rejects.toThrow();

    await timed('server: restart after SIGKILL, until the namespace is served', () => cluster.restart());
    expect(cluster.pid()).not.toBe(pid);
    // The same client connection reconnects by itself, and finds the history as it was.
    const after = await client.workflow.getHandle('cluster-greeting').fetchHistory();
    expect(after.events?.length).toBeGreaterThan(0);
    expect(after.events).toEqual(before.events);
    const result = await timed('workflow: timer set before the kill, result after the restart', () => timer.result());
    expect(result).toBe('hello, after the timer');
    const fired = (await timer.fetchHistory()).events?.find((e) => e.timerFiredEventAttributes);
    expect(Number(fired?.eventTime?.seconds) * 1000).toBeGreaterThanOrEqual(Math.floor(killedAt / 1000) * 1000);
  });
});
