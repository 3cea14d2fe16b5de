/** Environment variables through which global-setup hands the servers to the test files. */
export const TEST_ENV = {
  postgresAdminUrl: 'TEST_POSTGRES_ADMIN_URL',
  temporalAddress: 'TEST_TEMPORAL_ADDRESS',
  timeSkippingAddress: 'TEST_TIME_SKIPPING_ADDRESS',
} as const;

export const TEMPLATE_DATABASES = { migrated: 'template_migrated', seeded: 'template_seeded' } as const;

export function testEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value) throw new Error(`${TEST_ENV[name]} is not set: run the tests through jest (global-setup starts the servers)`);
  return value;
}
