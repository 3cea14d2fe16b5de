/**
 * `npm start`: the whole service on one machine, in one command. Starts PostgreSQL (embedded, unless
 * DATABASE_URL is set) and a Temporal dev server with its Web UI (unless TEMPORAL_ADDRESS is set), applies
 * migrations, loads the demo seed, then runs the worker and the API (app/stack.ts). Ctrl-C stops everything
 * it started.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startStack, type Stack } from '../app/stack';
import { loadConfig, PROJECT_ROOT } from '../infra/config';
import { createLogger } from '../infra/logger';

async function main() {
  const logger = createLogger(loadConfig().logLevel);
  let stack: Stack | undefined;
  // Ctrl-C during start-up: the bring-up stops what it has started and fails with the abort.
  const starting = new AbortController();
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping');
    if (!stack) {
      starting.abort(); // start-up is under way: it stops what it started, and main exits below
      return;
    }
    await stack.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    stack = await startStack({
      // The one place demo sign-in is on by default (AUTH_DEMO_SIGN_IN=false turns it off); never with an OIDC provider.
      env: { ...process.env, AUTH_DEMO_SIGN_IN: process.env.AUTH_DEMO_SIGN_IN ?? (process.env.AUTH_JWKS_URL ? 'false' : 'true') },
      data: { persistent: true },
      ports: 'configured',
      external: true,
      database: 'community_cases',
      seed: true,
      temporal: { persistence: 'file', ui: true },
      worker: 'in-process',
      api: 'in-process',
      log: (line) => logger.info(line),
      logger,
      signal: starting.signal,
    });
  } catch (err) {
    // The bring-up has stopped whatever it had started.
    if (starting.signal.aborted) process.exit(0);
    logger.error({ err }, 'start-up failed');
    process.exit(1);
  }
  stack.worker?.running.catch((err: unknown) => {
    logger.error({ err }, 'worker failed');
    void shutdown(1);
  });
  const url = stack.api?.url as string;
  const { ruleSet, temporal } = stack;
  console.log(
    [
      '',
      fs.existsSync(path.join(PROJECT_ROOT, 'web', 'dist', 'index.html'))
        ? `  Web UI         ${url}/`
        : '  Web UI         not built: npm run build:web, then start again',
      `  API            ${url}/api/v1   (health: ${url}/healthz, readiness: ${url}/readyz)`,
      `  Temporal       ${temporal.address}${temporal.uiUrl ? `   Web UI: ${temporal.uiUrl}` : ''}`,
      `  Rule set       ${ruleSet?.id} v${ruleSet?.version}`,
      '  Get a token    npm run -s token -- --list          (seeded users)',
      '                 npm run -s token -- clerk-jsl       (a token for one of them)',
      `  Try it         curl -H "Authorization: Bearer $(npm run -s token -- clerk-jsl)" ${url}/api/v1/cases/<id>`,
      '  Stop           Ctrl-C',
      '',
    ].join('\n'),
  );
}

void main();
