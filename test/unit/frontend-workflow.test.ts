import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';
import { EXTENSIONLESS_PAGES, SITE_FILES, TODAYS_INCLUDE, TOOLING_FILES } from '../support/startupwebapp-site.js';
import { globToRegExp } from '../../actions/deploy-frontend/glob.js';
import { withSuiteAt, type WorkflowStep as Step } from '../support/workflow-step.js';

/**
 * The frontend's reusable workflow and its caller example, against the StartupWebApp client repository as it is today
 * (issue 12, point 6): its bucket, its checks, its allow-list, delete, the distribution from a repository variable,
 * and every deploy-frontend input a caller may need passed through.
 */

interface Workflow {
  on: { workflow_call?: { inputs: Record<string, { type: string; default?: unknown }> } } & Record<string, unknown>;
  jobs: Record<string, { steps?: Step[]; with?: Record<string, unknown>; uses?: string }>;
}

const load = (path: string) => parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Workflow;
const reusable = load('.github/workflows/deploy-frontend.yml');
const example = load('examples/frontend/deploy-production.yml');
const action = parse(readFileSync(join(REPO_ROOT, 'actions/deploy-frontend/action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};
const callInputs = reusable.on.workflow_call!.inputs;
const attempts = (reusable.jobs.deploy!.steps ?? []).filter(
  (s) => s.uses === './.deploy-suite/actions/deploy-frontend',
);
const exampleWith = example.jobs.deploy!.with ?? {};

describe('the reusable frontend workflow', () => {
  it('defaults to the bucket that exists today', () => {
    expect(callInputs.bucket?.default).toBe('startupwebapp-frontend-production');
    expect(readFileSync(join(REPO_ROOT, '.github/workflows/deploy-frontend.yml'), 'utf8')).not.toMatch(
      /frontend-prod\b(?!uction)/,
    );
  });

  it('runs the repository’s own checks by default: npm ci && npm run lint', () => {
    expect(callInputs['checks-command']?.default).toBe('npm ci && npm run lint');
    expect(callInputs['node-version']?.default).toBe('package.json');
  });

  it.each([
    'include',
    'exclude',
    'content-type',
    'cache-control',
    'delete',
    'changed-immutable',
    'cloudfront-distribution-id',
    'wait-for-invalidation',
    'invalidation-timeout-minutes',
    'direct-put',
    'force-path-style',
  ])('passes %s through to every attempt, under the same name', (name) => {
    expect(callInputs[name]).toBeDefined();
    expect(action.inputs[name]).toBeDefined();
    for (const step of attempts) expect([step.id, step.with?.[name]]).toEqual([step.id, `\${{ inputs.${name} }}`]);
  });

  it('has the action’s defaults where it passes an input through (no silent change of behaviour)', () => {
    for (const name of ['changed-immutable', 'invalidation-timeout-minutes', 'direct-put', 'force-path-style']) {
      expect([name, String(callInputs[name]?.default)]).toEqual([name, action.inputs[name]?.default]);
    }
  });
});

describe('choosing the Node.js version for the checks', () => {
  const step = (reusable.jobs.checks!.steps ?? []).find((s) => s.id === 'node')!;

  function choose(nodeVersion: string, files: Record<string, string>): { status: number | null; version?: string } {
    const dir = mkdtempSync(join(tmpdir(), 'node-version-'));
    try {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      const output = join(dir, 'github-output');
      writeFileSync(output, '');
      const result = spawnSync('bash', ['-euo', 'pipefail', '-c', withSuiteAt(step.run!)], {
        cwd: dir,
        env: { PATH: process.env.PATH, NODE_VERSION: nodeVersion, GITHUB_OUTPUT: output },
        encoding: 'utf8',
      });
      const version = /^version=(.*)$/m.exec(readFileSync(output, 'utf8'))?.[1];
      return { status: result.status, version };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it.each([
    ['package.json', { 'package.json': '{"engines": {"node": ">=22"}}' }, '>=22'],
    ['package.json', { 'package.json': '{"devDependencies": {"eslint": "^9"}}' }, '20'],
    ['package.json', { 'package.json': '{}', '.nvmrc': '18.20.0\n' }, '18.20.0'],
    ['package.json', {}, '20'],
    ['24', { 'package.json': '{"engines": {"node": ">=22"}}' }, '24'],
  ])('node-version %s with %j -> %s', (input, files, expected) => {
    expect(choose(input, files)).toEqual({ status: 0, version: expected });
  });

  it('is skipped (and so is setup-node) when node-version or the checks are empty', () => {
    expect(step.if).toBe("inputs.node-version != '' && inputs.checks-command != ''");
    const setup = (reusable.jobs.checks!.steps ?? []).find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setup?.if).toBe("steps.node.outputs.version != ''");
    expect(setup?.with?.['node-version']).toBe('${{ steps.node.outputs.version }}');
  });
});

describe('the frontend example, for the client repository as it is today', () => {
  it('publishes to startupwebapp-frontend-production with the distribution id from a repository variable', () => {
    expect(exampleWith.bucket).toBe('startupwebapp-frontend-production');
    expect(exampleWith['cloudfront-distribution-id']).toBe('${{ vars.CLOUDFRONT_DISTRIBUTION_ID }}');
  });

  it('runs npm ci && npm run lint unless skipped by hand', () => {
    expect(exampleWith['checks-command']).toBe("${{ !inputs.skip-checks && 'npm ci && npm run lint' || '' }}");
  });

  it('publishes today’s allow-list with delete, and waits for the invalidation as today (5 minutes)', () => {
    expect(String(exampleWith.include).trim().split('\n').sort()).toEqual([...TODAYS_INCLUDE].sort());
    expect(exampleWith).toMatchObject({
      delete: true,
      'wait-for-invalidation': true,
      'invalidation-timeout-minutes': 5,
    });
  });

  it('whose include list covers every file of the site and none of the repository’s tooling', () => {
    const globs = TODAYS_INCLUDE.map((pattern) => globToRegExp(pattern));
    const included = (path: string) => globs.some((glob) => glob.test(path));
    expect(SITE_FILES.filter((path) => !included(path))).toEqual([]);
    expect(TOOLING_FILES.filter(included)).toEqual([]);
    expect(EXTENSIONLESS_PAGES.every(included)).toBe(true);
  });

  it('takes the backend commit from today’s payload (`commit`), the older suite payload (`backend_sha`) and the workflow_dispatch input', () => {
    expect(exampleWith['backend-sha']).toBe(
      '${{ github.event.client_payload.backend_sha || github.event.client_payload.commit || inputs.backend-sha }}',
    );
    expect(exampleWith['backend-run-url']).toBe('${{ github.event.client_payload.run_url || inputs.backend-run-url }}');
  });

  it('passes only inputs the reusable workflow has', () => {
    expect(Object.keys(exampleWith).filter((name) => !(name in callInputs))).toEqual([]);
  });
});
