/* global process */
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
const modulePathIgnorePatterns = ['<rootDir>/.data', '<rootDir>/.tools'];

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 120_000,
  // Two test files at a time (npm test: --maxWorkers=2), one per core: they share one Temporal dev server and one
  // PostgreSQL, but each file has its own database and task queue, and only test/workflow-clocks.test.ts uses the
  // time-skipping server. Most files wait on real notice periods, browsers and retries rather than compute, so two
  // halve the run. A worker process is replaced once it holds more than this after a file: one process kept for
  // every file grew past V8's 4 GB heap limit, and its garbage collection slowed every file.
  workerIdleMemoryLimit: '1536MB',
  // The longest files first, so that both workers end together (a clean clone has no cached durations).
  testSequencer: '<rootDir>/test/sequencer.js',
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
