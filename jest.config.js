/* global process */
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
const modulePathIgnorePatterns = ['<rootDir>/.data', '<rootDir>/.tools'];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120_000,
  projects: [
    {
      // Pure domain logic: no servers.
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      modulePathIgnorePatterns,
      testMatch: ['<rootDir>/test/domain/**/*.test.ts'],
    },
    {
      // Everything that touches Temporal or PostgreSQL: one dev server, one time-skipping server and one
      // PostgreSQL for the whole run, started by global-setup.
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      modulePathIgnorePatterns,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // test/cluster runs the full Temporal server: npm run test:cluster (jest.cluster.config.js). The tracing test
      // needs a Jaeger binary (JAEGER_PATH; building one from its module takes ~8 minutes on 2 cores):
      // npm run test:tracing.
      testPathIgnorePatterns: [
        '<rootDir>/test/domain/',
        '<rootDir>/test/cluster/',
        ...(process.env.TEST_TRACING ? [] : ['<rootDir>/test/tracing.test.ts']),
      ],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  ],
};
