/**
 * Property-based fuzzing of the API from its own OpenAPI document (`npm run fuzz`): Schemathesis generates
 * requests for every operation and fails on any 5xx or any response that breaks its declared schema. It runs
 * against a throwaway stack of its own (embedded PostgreSQL, Temporal dev server, worker, API) as a clerk, an
 * approver and an auditor.
 *
 *   FUZZ_MAX_EXAMPLES   examples per operation and phase (default 25)
 *   SCHEMATHESIS_PATH   the schemathesis executable (else PATH, else installed from PyPI into .tools)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Runtime } from '@temporalio/worker';
import { issueToken } from '../api/auth';
import { loadConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { ensureDatabase, migrate } from '../infra/migrate';
import { startEmbeddedPostgres, temporaryDataDir } from '../infra/postgres';
import { createPrisma } from '../infra/prisma';
import { activeRuleSet, startApi, startWorker } from '../infra/runtime';
import { resolveTool, type ToolSpec } from '../infra/temporal-binaries';
import { freePort, startDevServer } from '../infra/temporal-server';
import { seedDemoData } from '../prisma/seed';

const SCHEMATHESIS: ToolSpec = { command: 'schemathesis', envVar: 'SCHEMATHESIS_PATH', pypiPackage: 'schemathesis', pypiVersion: '4.32.5', pypiDependencies: true };

function schemathesis(): { command: string; env: NodeJS.ProcessEnv } {
  const tool = resolveTool(SCHEMATHESIS, { log: (line) => console.error(`[schemathesis] ${line}`) });
  if (!tool) throw new Error('no schemathesis: set SCHEMATHESIS_PATH, put it on PATH, or make pip available to install it');
  return { command: tool.path, env: tool.pythonPath ? { ...process.env, PYTHONPATH: tool.pythonPath } : process.env };
}

async function main() {
  Runtime.install({ shutdownSignals: [] });
  const maxExamples = process.env.FUZZ_MAX_EXAMPLES ?? '25';
  const secret = randomBytes(32).toString('base64url');
  const logger = createLogger('silent');
  const stops: (() => Promise<void>)[] = [];
  let failed = false;
  try {
    const pg = await startEmbeddedPostgres({ dataDir: temporaryDataDir('fuzz-pg-'), port: await freePort(), persistent: false });
    stops.push(() => pg.stop());
    const temporal = await startDevServer({});
    stops.push(() => temporal.stop());
    const url = pg.urlFor('fuzz');
    await ensureDatabase(url);
    await migrate(url, { preferPrisma: false });
    const prisma = createPrisma(url, 5);
    stops.push(() => prisma.$disconnect());
    await seedDemoData(prisma);
    const config = loadConfig({ ...process.env, PORT: String(await freePort()), RULE_SET: 'demo', AUTH_JWT_SECRET: secret, RATE_LIMIT_PER_MINUTE: '100000', DATA_DIR: temporaryDataDir('fuzz-data-') });
    const ruleSet = activeRuleSet(config);
    const worker = await startWorker({ address: temporal.address, namespace: 'default', taskQueue: config.temporal.taskQueue, prisma, ruleSet });
    stops.push(() => worker.stop());
    const api = await startApi({ config, prisma, temporalAddress: temporal.address, logger, ruleSet });
    stops.push(() => api.stop());

    const { command, env } = schemathesis();
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-'));
    stops.push(async () => fs.rmSync(workDir, { recursive: true, force: true }));
    for (const user of ['clerk-jsl', 'dgw-nhl-1', 'auditor-1']) {
      const token = await issueToken({ issuer: config.auth.issuer, audience: config.auth.audience, jwtSecret: secret, jwksAlgorithms: [] }, user, user);
      console.error(`fuzzing as ${user} (max ${maxExamples} examples per operation)`);
      // Asynchronously: the API under test runs in this process and must keep answering.
      const status = await new Promise<number | null>((resolve) => {
        const child = spawn(
        command,
        [
          'run',
          `${api.url}/openapi.json`,
          '--url', api.url,
          '--checks', 'not_a_server_error,response_schema_conformance',
          '--max-examples', maxExamples,
          '--header', `Authorization: Bearer ${token}`,
          '--request-timeout', '20',
          '--seed', '1127',
          // No example database in the working tree.
          '--generation-database', 'none',
          '--no-color',
        ],
        // Schemathesis keeps caches in its working directory: a throwaway one, not the repository.
        { stdio: 'inherit', env, cwd: workDir },
        );
        child.once('exit', resolve);
      });
      if (status !== 0) failed = true;
    }
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => console.error(err));
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
