import path from 'node:path';
import { ensureClusterCertificates, type ClusterCertificates } from './temporal-certs';
import { resolveClusterTools, type ClusterTools } from './temporal-cluster-binaries';
import { startTemporalCluster, type TemporalCluster } from './temporal-cluster';
import { setUpTemporalSchema, type TemporalDatabaseSettings } from './temporal-schema';

/**
 * The Temporal half of the production topology in one call, for `npm run cluster` and its tests: binaries,
 * schema, certificates, server. PostgreSQL itself is the caller's (the embedded server, or an operator's), as
 * are the API and worker replicas, which get their settings from clientEnv().
 */

/** Where the topology keeps its state under DATA_DIR. */
export function clusterPaths(dataDir: string) {
  const dir = path.join(dataDir, 'temporal-cluster');
  return { dir, certsDir: path.join(dir, 'certs'), passwordFile: path.join(dir, 'postgres-password') };
}

export interface TemporalTopologyOptions {
  /** A PostgreSQL URL allowed to create roles and databases (the embedded server's adminUrl, or an operator's). */
  adminUrl: string;
  dataDir: string;
  /** A further name the frontend is reached by (another host's replicas); localhost and 127.0.0.1 are always valid. */
  hostName?: string;
  /** The frontend's port (TEMPORAL_PORT); a free one when omitted. */
  frontendPort?: number;
  namespace?: string;
  /** Build the server and the SQL tool when they are not found (default true). */
  install?: boolean;
  log?: (line: string) => void;
  /** Told when the server exits by itself (a supervisor restarts it). */
  onUnexpectedExit?: () => void;
  /** Told how long each step took, for the start-up log and the tests' figures. */
  onStep?: (step: 'provision' | 'schema' | 'certificates' | 'server', ms: number) => void;
}

export interface TemporalTopology {
  tools: ClusterTools;
  database: TemporalDatabaseSettings;
  certificates: ClusterCertificates;
  cluster: TemporalCluster;
  /** The environment an API or worker replica needs to reach this server over mTLS (the variables of infra/config.ts). */
  clientEnv: (role: 'api' | 'worker') => Record<string, string>;
}

export async function bringUpTemporalCluster(options: TemporalTopologyOptions): Promise<TemporalTopology> {
  const log = options.log ?? (() => {});
  const paths = clusterPaths(options.dataDir);
  const step = async <T>(name: Parameters<NonNullable<TemporalTopologyOptions['onStep']>>[0], run: () => Promise<T> | T): Promise<T> => {
    const started = performance.now();
    const result = await run();
    options.onStep?.(name, performance.now() - started);
    return result;
  };

  const tools = await step('provision', () => resolveClusterTools({ install: options.install, log }));
  const database = await step('schema', () =>
    setUpTemporalSchema({
      adminUrl: options.adminUrl,
      sqlTool: tools.sqlTool,
      schemaDir: tools.schemaDir,
      passwordFile: paths.passwordFile,
      log,
    }),
  );
  const certificates = await step('certificates', () =>
    ensureClusterCertificates({ dir: paths.certsDir, hostNames: options.hostName ? [options.hostName] : [], log }),
  );
  const cluster = await step('server', () =>
    startTemporalCluster({
      serverBinary: tools.server,
      dir: paths.dir,
      database,
      certificates,
      namespace: options.namespace,
      ports: options.frontendPort ? { frontend: options.frontendPort } : {},
      log,
      onUnexpectedExit: options.onUnexpectedExit,
    }),
  );
  return {
    tools,
    database,
    certificates,
    cluster,
    clientEnv: (role) => ({
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: cluster.namespace,
      TEMPORAL_TLS_CA_FILE: certificates.caBundleFile,
      TEMPORAL_TLS_CERT_FILE: certificates.clients[role].certFile,
      TEMPORAL_TLS_KEY_FILE: certificates.clients[role].keyFile,
      // The frontend is reached by IP; its certificate names localhost too, and TLS wants a name, not an address.
      TEMPORAL_TLS_SERVER_NAME: 'localhost',
    }),
  };
}
