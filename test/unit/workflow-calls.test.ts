import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';
import { mistypedInputs, parseWithCalls } from '../support/workflow-calls.js';

/** actionlint does not check a reusable-workflow call's inputs and secrets: GitHub's own parser does, and these tests. */

const yamlUnder = (dir: string) =>
  readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name))
    .sort();
const files = [...yamlUnder('.github/workflows'), ...yamlUnder('examples')];

test.each(files)('%s parses with no error, and every call matches the workflow it calls', async (path) => {
  const { errors, template } = await parseWithCalls(path);
  expect(errors).toEqual([]);
  expect(mistypedInputs(template)).toEqual([]);
});

test('every example that calls a suite workflow is checked against it (the calls are really resolved)', async () => {
  const called = await Promise.all(
    yamlUnder('examples').map(async (path) => {
      const { template } = await parseWithCalls(path);
      return template.jobs.filter((job) => job.type === 'reusableWorkflowJob' && (job.jobs ?? []).length > 0).length;
    }),
  );
  // deploy (tests + deploy-backend), rollback, admin command, migrations (tests + migrate), frontend
  expect(called.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(7);
});

test('a deliberately wrong call fails: an unknown input, a missing required one, mistyped ones, an unknown secret', async () => {
  const { errors, template } = await parseWithCalls('test/fixtures/workflows/wrong-call.yml');
  // The parser prefixes each message with the file and the position of the offending key.
  expect(errors.map((error) => error.replace(/^\S+ \(Line: \d+, Col: \d+\): /, '')).sort()).toEqual(
    [
      'Input aws-migrate-role-arn is required, but not provided while calling.',
      'Invalid input, frontend-reff is not defined in the referenced workflow.',
      'Invalid secret, frontend-app-key is not defined in the referenced workflow.',
    ].sort(),
  );
  expect(mistypedInputs(template)).toEqual([
    'deploy: skip-frontend (boolean) got string',
    'deploy: deploy-timeout-minutes (number) got string',
  ]);
});
