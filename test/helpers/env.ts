/** Environment variables through which global-setup hands the servers to the test files. */
export const TEST_ENV = {
  postgresAdminUrl: 'TEST_POSTGRES_ADMIN_URL',
  temporalAddress: 'TEST_TEMPORAL_ADDRESS',
  timeSkippingAddress: 'TEST_TIME_SKIPPING_ADDRESS',
  /** Where every test database's broken chains are listed (global-teardown reports them all). */
  brokenChainsFile: 'TEST_BROKEN_CHAINS_FILE',
} as const;

/**
 * The date the tests evaluate eligibility on. The seeded histories are written for it (assessments up to
 * 2025, a qualification deadline in December 2026), so results do not change as the calendar moves on.
 */
export const TEST_TODAY = '2026-11-27';

export const TEMPLATE_DATABASES = { migrated: 'template_migrated', seeded: 'template_seeded' } as const;

export function testEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value) throw new Error(`${TEST_ENV[name]} is not set: run the tests through jest (global-setup starts the servers)`);
  return value;
}
