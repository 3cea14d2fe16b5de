/** Stops the servers global-setup started; the PostgreSQL data folder is deleted with it. */
export default async function globalTeardown(): Promise<void> {
  const servers = ((globalThis as Record<string, unknown>).__TEST_SERVERS__ ?? []) as { stop(): Promise<void> }[];
  await Promise.all(servers.map((s) => s.stop()));
}
