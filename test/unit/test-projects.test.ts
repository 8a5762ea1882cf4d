import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';

/**
 * The unit project stays pure and fast (under 30 s on the 2-core machine): a test file that starts processes (bash for a
 * workflow's step script, a bundle, dependency-cruiser) belongs to the tooling project, where Jest's timing for it is
 * judged apart. A file moved or added without updating jest.config.js fails here.
 */
const STARTS_PROCESSES =
  /from 'node:child_process'|\b(runStep|runStepScript|runScript|startStep|runBundle|startBundle)\(/;

interface Project {
  displayName: string;
  testMatch: string[];
  testPathIgnorePatterns?: string[];
}

function testFilesUnder(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)));
}

const config = (await import(pathToFileURL(join(REPO_ROOT, 'jest.config.js')).href)) as {
  default: { projects: Project[] };
};
const unit = config.default.projects.find((p) => p.displayName === 'unit')!;
const ignored = (unit.testPathIgnorePatterns ?? []).map((p) => new RegExp(p.replace('<rootDir>', REPO_ROOT)));
const unitFiles = [...testFilesUnder('test/unit'), ...testFilesUnder('test/sandbox/pipeline')].filter(
  (file) => !ignored.some((pattern) => pattern.test(join(REPO_ROOT, file))),
);

test('the unit project has test files (the ignore patterns did not swallow it)', () => {
  expect(unitFiles.length).toBeGreaterThan(50);
});

test('no test file of the unit project starts a process', () => {
  const others = unitFiles.filter((file) => file !== 'test/unit/test-projects.test.ts'); // its pattern names them
  const spawning = others.filter((file) => STARTS_PROCESSES.test(readFileSync(join(REPO_ROOT, file), 'utf8')));
  expect(spawning).toEqual([]);
});
