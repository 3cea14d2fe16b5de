import type { Stack } from '../app/stack';

/**
 * Stops the servers global-setup started; their throwaway data folder goes with them. `npm test`'s setup leaves a
 * stack, the cluster suites' setup its PostgreSQL alone (a server left running keeps Jest from exiting).
 */
export default async function globalTeardown(): Promise<void> {
  const shared = globalThis as Record<string, unknown>;
  await (shared.__TEST_STACK__ as Stack | undefined)?.stop();
  for (const server of (shared.__TEST_SERVERS__ as { stop: () => Promise<void> }[] | undefined) ?? []) await server.stop();
}
