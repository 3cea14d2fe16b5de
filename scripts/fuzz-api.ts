/**
 * Property-based fuzzing of the API from its own OpenAPI document (`npm run fuzz`): Schemathesis generates
 * requests for every operation and fails on any 5xx or any response that breaks its declared schema. It runs
 * against a throwaway stack of its own (embedded PostgreSQL, Temporal dev server, worker, API), as each seeded
 * role, in two runs per role: the coverage and fuzzing phases (one request at a time), then the stateful phase,
 * which follows the document's OpenAPI links (a submitted case to reading, acting on and verifying it; a page of
 * workers to a record, its eligibility, the reveal; a page to the next through its cursor), so sequences of
 * calls reach cases and records that exist.
 *
 *   FUZZ_MAX_EXAMPLES    examples per operation in the coverage and fuzzing phases (default 25)
 *   FUZZ_SCENARIOS       stateful scenarios per role (default 100)
 *   FUZZ_QUICK           set (as `npm test` does): the coverage and fuzzing phases as the first role only,
 *                        the stateful phase as every role
 *   SCHEMATHESIS_PATH    the schemathesis executable (else PATH, else installed from PyPI into .tools)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueToken } from '../api/auth';
import { startStack, type Stack } from '../app/stack';
import { createLogger } from '../infra/logger';
import { resolveTool, type ToolSpec } from '../infra/temporal-binaries';

const SCHEMATHESIS: ToolSpec = {
  command: 'schemathesis',
  envVar: 'SCHEMATHESIS_PATH',
  pypiPackage: 'schemathesis',
  pypiVersion: '4.32.5',
  pypiDependencies: true,
};

function schemathesis(): { command: string; env: NodeJS.ProcessEnv } {
  const tool = resolveTool(SCHEMATHESIS, { log: (line) => console.error(`[schemathesis] ${line}`) });
  if (!tool) throw new Error('no schemathesis: set SCHEMATHESIS_PATH, put it on PATH, or make pip available to install it');
  return { command: tool.path, env: tool.pythonPath ? { ...process.env, PYTHONPATH: tool.pythonPath } : process.env };
}

/** One user per seeded role: clerk, community party secretary (a community worker with a linked record), street approver, personnel officer, auditor, administrator. */
const USERS = ['clerk-jsl', 'sec-jsl', 'dgw-nhl-1', 'hr-nhl', 'auditor-1', 'admin-1'];

async function main() {
  const maxExamples = process.env.FUZZ_MAX_EXAMPLES ?? '25';
  const scenarios = process.env.FUZZ_SCENARIOS ?? '100';
  const quick = Boolean(process.env.FUZZ_QUICK);
  const secret = randomBytes(32).toString('base64url');
  let stack: Stack | undefined;
  // Schemathesis keeps caches in its working directory: a throwaway one, not the repository.
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-'));
  let failed = false;
  try {
    stack = await startStack({
      env: {
        ...process.env,
        RULE_SET: 'demo',
        RULES_FILE: undefined,
        AUTH_JWT_SECRET: secret,
        AUTH_JWKS_URL: undefined,
        RATE_LIMIT_PER_MINUTE: '100000',
      },
      data: { throwaway: 'fuzz-stack-' },
      ports: 'free',
      database: 'fuzz',
      preferPrismaMigrate: false,
      seed: true,
      worker: 'in-process',
      api: 'in-process',
      logger: createLogger('silent'),
    });
    const { config } = stack;
    const api = stack.api as { url: string };

    const { command, env } = schemathesis();
    const run = (args: string[]) =>
      // Asynchronously: the API under test runs in this process and must keep answering.
      new Promise<number | null>((resolve) => {
        const child = spawn(
          command,
          [
            'run',
            `${api.url}/openapi.json`,
            '--url',
            api.url,
            '--checks',
            'not_a_server_error,response_schema_conformance',
            '--request-timeout',
            '20',
            '--seed',
            '1127',
            // No example database in the working tree.
            '--generation-database',
            'none',
            '--no-color',
            ...args,
          ],
          { stdio: 'inherit', env, cwd: workDir },
        );
        child.once('exit', resolve);
      });
    for (const [n, user] of USERS.entries()) {
      const token = await issueToken(
        { issuer: config.auth.issuer, audience: config.auth.audience, jwtSecret: secret, jwksAlgorithms: [] },
        user,
        user,
      );
      const auth = ['--header', `Authorization: Bearer ${token}`];
      if (!quick || n === 0) {
        console.error(`fuzzing as ${user}: coverage and fuzzing (max ${maxExamples} examples per operation)`);
        if ((await run([...auth, '--phases', 'examples,coverage,fuzzing', '--max-examples', maxExamples])) !== 0) failed = true;
      }
      console.error(`fuzzing as ${user}: stateful (${scenarios} scenarios along the OpenAPI links)`);
      if ((await run([...auth, '--phases', 'stateful', '--max-examples', scenarios])) !== 0) failed = true;
    }
  } finally {
    await stack?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
