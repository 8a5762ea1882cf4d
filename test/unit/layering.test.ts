import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';

const FIXTURE = join(REPO_ROOT, 'test/fixtures/layering');
const RULES = [
  'no-circular',
  'no-action-imports-another-action',
  'no-lib-imports-actions',
  'runner-imports-no-domain',
  'only-runner-imports-actions-toolkit',
  'aws-calls-only-in-api-modules',
];

/** The layering check `npm run lint` runs, on a tree that breaks every rule once. */
async function cruiseFixture(): Promise<{ code: number; output: string }> {
  const args = [
    join(REPO_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
    'actions',
    'lib',
    '--config',
    join(REPO_ROOT, '.dependency-cruiser.cjs'),
    '--output-type',
    'err',
  ];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: FIXTURE });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout };
  }
}

it('fails on each deliberate layering violation, naming the rule and the file', async () => {
  const { code, output } = await cruiseFixture();
  expect(code).not.toBe(0);
  for (const rule of RULES) expect(output).toContain(`error ${rule}:`);
  expect(output).toMatch(/runner-imports-no-domain: lib\/runner\/log\.ts → lib\/ecs\/cluster\.ts/);
  expect(output).toMatch(/aws-calls-only-in-api-modules: lib\/ecs\/cluster\.ts → .*@aws-sdk\/client-ecs/);
  expect(output).toMatch(/no-action-imports-another-action: actions\/first\/main\.ts → actions\/second\/main\.ts/);
}, 120_000);
