// Three projects: pure/unit logic, the sandbox's own fidelity tests, and end-to-end runs of the bundles.
// Tests mirror the sources: test/sandbox/ mirrors sandbox/; of it, the pipeline player's tests are pure unit tests.
// TypeScript to ESM one file at a time with SWC (tsconfig has isolatedModules, so nothing needs the whole program; the
// typecheck is `npm run typecheck`). On a fresh CI machine Jest's transform cache is cold, and SWC does that work in
// a fraction of ts-jest's time.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const swc = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript' },
        target: 'es2023',
        keepClassNames: true,
        experimental: { keepImportAttributes: true },
      },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    },
  ],
};
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: swc,
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

// Tests that start processes (bash for the workflows' step scripts, dependency-cruiser for the layering rules) run in
// a project of their own, so the unit project stays pure and fast (under 30 s).
const SPAWNING = [
  '<rootDir>/test/unit/layering.test.ts',
  '<rootDir>/test/unit/{admin-command-workflow,check-setup-workflow,frontend-workflow}.test.ts',
  '<rootDir>/test/unit/workflow-{dispatch-frontend,examples,inputs,production-branch,rules,scripts}.test.ts',
];
const SPAWNING_PATHS = [
  '<rootDir>/test/unit/layering\\.test\\.ts$',
  '<rootDir>/test/unit/(admin-command-workflow|check-setup-workflow|frontend-workflow)\\.test\\.ts$',
  '<rootDir>/test/unit/workflow-(dispatch-frontend|examples|inputs|production-branch|rules|scripts)\\.test\\.ts$',
];

// The end-to-end tests start the committed bundles about 300 times. Node's compile cache (V8's code cache on disk, keyed
// by each file's content and Node's version) lets those runs share one compilation of each chunk: the same bytes run
// the same way, with about a tenth less CPU per run. sandbox/run-bundle.ts passes it on; Node 24 honours it.
process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'deploy-actions-test-compile-cache');

export default {
  // Jest's default on a 2-core machine is one worker, so test files ran one after another while the cores idled: the
  // tests mostly wait (on simulated time, on the bundles they start). Four files at a time keep both cores busy.
  maxWorkers: 4,
  // The unit project's safety net (Jest applies only the global testTimeout; the other projects set theirs in setup
  // files). Tests wait on conditions; this only stops one that hangs, so it is sized for a busy 2-core machine.
  testTimeout: 30_000,
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.cjs'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/sandbox/pipeline/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...SPAWNING_PATHS],
    },
    {
      ...shared,
      displayName: 'tooling',
      testMatch: SPAWNING,
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
