const { projects } = require('./jest.config');

const { transform, modulePathIgnorePatterns } = projects[0];

/**
 * `npm run test:cluster`: the production topology (the full Temporal server on PostgreSQL with mTLS), kept out
 * of `npm test` because its first run builds the server from the Go module proxy (~4 minutes on 2 cores).
 */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'cluster',
  testEnvironment: 'node',
  testTimeout: 10 * 60_000,
  transform,
  modulePathIgnorePatterns,
  testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
  globalSetup: '<rootDir>/test/cluster/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
};
