import fs from 'node:fs';
import type { Stack } from '../app/stack';
import { TEST_ENV } from './helpers/env';

/**
 * Stops the servers global-setup started; their throwaway data folder goes with them. `npm test`'s setup leaves a
 * stack, the cluster suites' setup its PostgreSQL alone (a server left running keeps Jest from exiting). Then it
 * fails the run if any test database ended with a broken hash chain (each test database verifies all of its
 * chains as it is dropped, helpers/database.ts), listing every one of them.
 */
export default async function globalTeardown(): Promise<void> {
  const report = process.env[TEST_ENV.brokenChainsFile];
  const lines = report && fs.existsSync(report) ? fs.readFileSync(report, 'utf8').trim().split('\n').filter(Boolean) : [];
  const shared = globalThis as Record<string, unknown>;
  await (shared.__TEST_STACK__ as Stack | undefined)?.stop();
  for (const server of (shared.__TEST_SERVERS__ as { stop: () => Promise<void> }[] | undefined) ?? []) await server.stop();
  if (lines.length > 0) throw new Error(`hash chains broke during the test run:\n${lines.join('\n')}`);
}
