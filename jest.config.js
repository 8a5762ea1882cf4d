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
  // The unit project's safety net (Jest applies only the global testTimeout; the other projects set theirs in setup
  // files). Tests wait on conditions; this only stops one that hangs, so it is sized for a busy 2-core machine.
  testTimeout: 30_000,
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
