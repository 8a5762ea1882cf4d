// Three projects: pure/unit logic, the sandbox's own fidelity tests, and end-to-end runs of the bundles.
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
  // A safety net, not an expectation: Jest reads testTimeout only from the top-level config (a value set per project is
  // ignored), so it is set here for every project; test files that need more set it themselves.
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.cjs'],
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...shared, displayName: 'sandbox', testMatch: ['<rootDir>/test/sandbox/**/*.test.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
  ],
};
