/**
 * The Temporal steps of a container deployment (deploy/compose.yaml, deploy/kubernetes/), with the code
 * `npm run cluster` runs (infra/temporal-schema.ts, the namespace as infra/temporal-cluster.ts registers it):
 *
 *   schema      Temporal's role and its two databases, created if missing, their schemas set up or upgraded
 *               (DATABASE_ADMIN_URL: a role that may create roles and databases; TEMPORAL_DB_PASSWORD: the
 *               password of the role "temporal"; TEMPORAL_SQL_TOOL_PATH and TEMPORAL_SCHEMA_DIR: the Dockerfile
 *               sets both). Run before the server starts, and again after upgrading it.
 *   namespace   The namespace, with its retention (infra/deployment.ts), registered once the server answers
 *               (TEMPORAL_ADDRESS and TEMPORAL_TLS_*, as the API and worker connect).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { loadConfig } from '../infra/config';
import { DEPLOYMENT } from '../infra/deployment';
import { resolveSchemaTools } from '../infra/temporal-cluster-binaries';
import { temporalConnectionOptions } from '../infra/temporal-connection';
import { setUpTemporalSchema } from '../infra/temporal-schema';

const GRPC_ALREADY_EXISTS = 6;
const log = (line: string) => console.log(`[temporal setup] ${line}`);

async function schema() {
  const adminUrl = process.env.DATABASE_ADMIN_URL;
  const password = process.env.TEMPORAL_DB_PASSWORD;
  if (!adminUrl || !password) throw new Error('temporal-setup schema needs DATABASE_ADMIN_URL and TEMPORAL_DB_PASSWORD');
  // The role's password comes from the deployment's secret; setUpTemporalSchema reads it from a file.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-setup-'));
  const passwordFile = path.join(dir, 'password');
  fs.writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    const tools = resolveSchemaTools({ install: false, log });
    await setUpTemporalSchema({
      adminUrl,
      sqlTool: tools.sqlTool,
      schemaDir: tools.schemaDir,
      passwordFile,
      temporalDatabase: DEPLOYMENT.databases.temporal,
      visibilityDatabase: DEPLOYMENT.databases.visibility,
      log,
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function namespace() {
  const config = loadConfig();
  if (!config.temporal.address) throw new Error('temporal-setup namespace needs TEMPORAL_ADDRESS');
  const options = temporalConnectionOptions({ ...config.temporal, address: config.temporal.address }).client;
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      const connection = await Connection.connect({ ...options, connectTimeout: 5_000 });
      try {
        await connection.workflowService.registerNamespace({
          namespace: config.temporal.namespace,
          workflowExecutionRetentionPeriod: msToTs(`${DEPLOYMENT.temporal.retentionDays} days`),
        });
        log(`created namespace ${config.temporal.namespace} (retention ${DEPLOYMENT.temporal.retentionDays} days)`);
      } catch (err) {
        if ((err as { code?: number }).code !== GRPC_ALREADY_EXISTS) throw err;
        log(`namespace ${config.temporal.namespace} exists`);
      } finally {
        await connection.close();
      }
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      log(`waiting for Temporal at ${config.temporal.address}: ${(err as Error).message.split('\n')[0]}`);
      await new Promise((r) => setTimeout(r, 3_000));
    }
  }
}

const step = process.argv[2];
(step === 'schema'
  ? schema()
  : step === 'namespace'
    ? namespace()
    : Promise.reject(new Error('usage: temporal-setup schema|namespace'))
).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
