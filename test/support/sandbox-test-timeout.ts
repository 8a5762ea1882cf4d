import { jest } from '@jest/globals';

// Jest takes testTimeout from the global config only (a project's own is ignored), so the sandbox project sets its
// safety net here: tests wait on conditions, and this only stops one that hangs on a busy machine.
jest.setTimeout(60_000);
