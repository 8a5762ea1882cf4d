import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';

// Each rule of .dependency-cruiser.cjs is proved on the real tree: violations are planted in actions/ and lib/ under
// a unique name, and the layering check `npm run lint` runs is run on them from the repository root, so npm packages
// resolve to node_modules/ exactly as the real sources' imports do (a rule that never sees a package cannot fire).
const TAG = `zz-planted-${process.pid}-${randomBytes(3).toString('hex')}`;
const FIRST = `actions/${TAG}-first`;
const SECOND = `actions/${TAG}-second`;

const PLANTED: Record<string, string> = {
  // no-action-imports-another-action
  [`${FIRST}/main.ts`]: `import { second } from '../${TAG}-second/main.js';\nexport const first = second + 1;\n`,
  // no-circular, with its other half
  [`${SECOND}/main.ts`]: `import { half } from './other.js';\nexport const second = half;\n`,
  [`${SECOND}/other.ts`]: `import { second } from './main.js';\nexport const half = 1;\nexport const again = () => second;\n`,
  // no-lib-imports-actions
  [`lib/logs/${TAG}.ts`]: `import { first } from '../../actions/${TAG}-first/main.js';\nexport const tail = first;\n`,
  // runner-imports-no-domain, both halves: a domain module and an AWS package
  [`lib/runner/${TAG}.ts`]:
    `import { clusterName } from '../ecs/${TAG}.js';\nimport type { ECSClient } from '@aws-sdk/client-ecs';\n` +
    `export const logged = (c: ECSClient) => \`\${clusterName} \${String(c)}\`;\n`,
  // aws-calls-only-in-api-modules and only-runner-imports-actions-toolkit
  [`lib/ecs/${TAG}.ts`]:
    `import { ECSClient } from '@aws-sdk/client-ecs';\nimport { info } from '@actions/core';\n` +
    `export const clusterName = 'c';\nexport const client = () => new ECSClient({});\nexport const say = info;\n`,
  // github-calls-only-in-api-modules
  [`lib/logs/${TAG}-github.ts`]: `import { getOctokit } from '@actions/github';\nexport const o = getOctokit;\n`,
  // actions-print-through-their-log (and its allowed twin: the action's log.ts)
  [`${FIRST}/step.ts`]: `import { info } from '../../lib/runner/log.js';\nexport const say = info;\n`,
  [`${FIRST}/log.ts`]: `import { info } from '../../lib/runner/log.js';\nexport const say = info;\n`,
  // Allowed, so never reported: a value import of the SDK in an *-api.ts module, a type-only one elsewhere, and
  // @actions/core in lib/runner.
  [`lib/ecs/${TAG}-api.ts`]: `import { ECSClient } from '@aws-sdk/client-ecs';\nexport const c = new ECSClient({});\n`,
  [`lib/ecs/${TAG}-types.ts`]: `import type { Task } from '@aws-sdk/client-ecs';\nexport const t = (task: Task) => task;\n`,
  [`lib/runner/${TAG}-ok.ts`]: `import { info } from '@actions/core';\nexport const say = info;\n`,
  [`lib/logs/${TAG}-github-api.ts`]: `import { getOctokit } from '@actions/github';\nexport const o = getOctokit;\n`,
};

beforeAll(() => {
  for (const [path, text] of Object.entries(PLANTED)) {
    mkdirSync(dirname(join(REPO_ROOT, path)), { recursive: true });
    writeFileSync(join(REPO_ROOT, path), text);
  }
});

afterAll(() => {
  for (const path of Object.keys(PLANTED)) rmSync(join(REPO_ROOT, path), { force: true });
  for (const dir of [FIRST, SECOND]) rmSync(join(REPO_ROOT, dir), { recursive: true, force: true });
});

/** The layering check of `npm run lint:layers`, run from the repository root on the planted files. */
async function cruisePlanted(): Promise<{ code: number; output: string }> {
  const args = [
    'node_modules/dependency-cruiser/bin/dependency-cruise.mjs',
    ...Object.keys(PLANTED),
    '--config',
    '.dependency-cruiser.cjs',
    '--output-type',
    'err',
  ];
  try {
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: REPO_ROOT });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout };
  }
}

it('fails on each planted layering violation, naming the rule and the file, and on nothing allowed', async () => {
  const { code, output } = await cruisePlanted();
  expect(code).not.toBe(0);
  const errors = output.split('\n').filter((line) => line.trim().startsWith('error '));
  const pattern = (rule: string, from: string, to: string) =>
    new RegExp(`^\\s*error ${rule}: ${escape(from)} →\\s*${to}`, 'm');
  expect(output).toMatch(pattern('no-action-imports-another-action', `${FIRST}/main.ts`, escape(`${SECOND}/main.ts`)));
  expect(output).toMatch(pattern('no-circular', `${SECOND}/main.ts`, escape(`${SECOND}/other.ts`)));
  expect(output).toMatch(pattern('no-lib-imports-actions', `lib/logs/${TAG}.ts`, escape(`${FIRST}/main.ts`)));
  expect(output).toMatch(pattern('runner-imports-no-domain', `lib/runner/${TAG}.ts`, escape(`lib/ecs/${TAG}.ts`)));
  expect(output).toMatch(pattern('runner-imports-no-domain', `lib/runner/${TAG}.ts`, 'node_modules/@aws-sdk/'));
  expect(output).toMatch(pattern('aws-calls-only-in-api-modules', `lib/ecs/${TAG}.ts`, 'node_modules/@aws-sdk/'));
  expect(output).toMatch(pattern('only-runner-imports-actions-toolkit', `lib/ecs/${TAG}.ts`, 'node_modules/@actions/'));
  expect(output).toMatch(
    pattern('github-calls-only-in-api-modules', `lib/logs/${TAG}-github.ts`, 'node_modules/@actions/github'),
  );
  expect(output).toMatch(pattern('actions-print-through-their-log', `${FIRST}/step.ts`, escape('lib/runner/log.ts')));
  const allowedFiles = [
    `${FIRST}/log.ts`,
    `lib/ecs/${TAG}-api.ts`,
    `lib/ecs/${TAG}-types.ts`,
    `lib/runner/${TAG}-ok.ts`,
  ];
  for (const allowed of [...allowedFiles, `lib/logs/${TAG}-github-api.ts`]) {
    expect(errors.filter((line) => line.includes(`: ${allowed} →`))).toEqual([]);
  }
  expect(errors).toHaveLength(9); // one per planted violation
}, 120_000);

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
