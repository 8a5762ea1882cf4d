// Three projects: pure/unit logic, the sandbox's own fidelity tests, and end-to-end runs of the bundles.
// Tests mirror the sources: test/sandbox/ mirrors sandbox/; of it, the pipeline player's tests are pure unit tests.
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
};
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: tsJest,
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

export default {
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.cjs'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/sandbox/pipeline/**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'sandbox',
      testMatch: ['<rootDir>/test/sandbox/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/sandbox/pipeline/'],
      setupFilesAfterEnv: ['<rootDir>/test/support/sandbox-test-timeout.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/e2e-test-timeout.ts'],
    },
  ],
};
