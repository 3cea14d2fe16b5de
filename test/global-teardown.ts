import type { Stack } from '../app/stack';

/** Stops the servers global-setup started; their throwaway data folder goes with them. */
export default async function globalTeardown(): Promise<void> {
  await ((globalThis as Record<string, unknown>).__TEST_STACK__ as Stack | undefined)?.stop();
}
