import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT as ROOT } from '../../sandbox/run-bundle.js';
import { errorLines } from '../support/workflow-step.js';
import {
  all,
  byPath,
  deployingJobProblems,
  expressionsInRunScripts,
  jobsWithoutTimeout,
  orderViolations,
  permissionProblems,
  persistedCheckouts,
  reusable,
  runStep,
  stepScript,
  unpinnedUses,
  untrustedInRunScripts,
  workflows,
  type Step,
  type Workflow,
} from '../support/workflow-files.js';

/** Rules every workflow and example keeps (pins, no expressions in scripts, timeouts, permissions, the suite checkout, the job context's suite commit, no /health), and the checkers that enforce them. */

describe('the checkers themselves', () => {
  const bad = parse(`
on: push
permissions: write-all
jobs:
  a:
    runs-on: ubuntu-latest
    permissions: { contents: write, id-token: write }
    steps:
      - uses: actions/checkout@v5
      - run: echo "\${{ github.event.pull_request.title }}" "\${{ inputs.db }}" "\${{ steps.x.outputs.y }}"
  b:
    needs: a
    runs-on: ubuntu-latest
    environment: production
    concurrency: deploy
    steps:
      - uses: aws-actions/configure-aws-credentials@a03048d87541d1d9fcf2ecf528a4a65ba9bd7838
`) as Workflow;

  test('unpinnedUses flags tags, short SHAs and SHAs without a version comment, not local actions', () => {
    const text = [
      '      - uses: actions/checkout@v5',
      '      - uses: actions/checkout@08c6903 # v5.0.0',
      '      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8',
      '      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0',
      '        uses: ./.deploy-suite/actions/rollback',
      '    uses: owner/repo/.github/workflows/x.yml@main',
    ].join('\n');
    expect(unpinnedUses(text)).toEqual([
      'actions/checkout@v5',
      'actions/checkout@08c6903',
      'actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8',
      'owner/repo/.github/workflows/x.yml@main',
    ]);
  });

  test('expressionsInRunScripts and untrustedInRunScripts find expressions inside run scripts', () => {
    expect(expressionsInRunScripts(bad)).toHaveLength(3);
    expect(untrustedInRunScripts(bad)).toEqual(['a: ${{ github.event.pull_request.title }}', 'a: ${{ inputs.db }}']);
  });

  test('jobsWithoutTimeout names runner jobs lacking timeout-minutes', () => {
    expect(jobsWithoutTimeout(bad)).toEqual(['a', 'b']);
  });

  test('permissionProblems flags write-all, write scopes, id-token without AWS and AWS without id-token', () => {
    expect(permissionProblems(bad)).toEqual([
      'top-level permissions: write-all',
      'a: contents: write',
      'a: id-token: write without AWS',
      'b: uses AWS without its own id-token: write',
    ]);
  });

  test('persistedCheckouts flags a checkout keeping its credentials', () => {
    expect(persistedCheckouts(bad)).toEqual(['a']);
  });

  test('orderViolations and deployingJobProblems', () => {
    expect(orderViolations(bad, ['a', 'b'])).toEqual([]);
    expect(orderViolations(bad, ['b', 'a'])).toEqual(['a does not wait for b']);
    expect(deployingJobProblems(bad.jobs.b)).toEqual([
      'environment with name and url',
      'concurrency with cancel-in-progress: false',
    ]);
  });
});

// ---- every workflow and example ----

describe.each(all.map((f) => [f.path, f] as const))('%s', (_path, file) => {
  test('pins every third-party action and reusable workflow by commit SHA with its version', () => {
    expect(unpinnedUses(file.text)).toEqual([]);
  });

  test('writes no ${{ }} expression inside a run script', () => {
    expect(untrustedInRunScripts(file.doc)).toEqual([]);
    expect(expressionsInRunScripts(file.doc)).toEqual([]);
  });

  test('puts a timeout on every job', () => {
    expect(jobsWithoutTimeout(file.doc)).toEqual([]);
  });

  test('keeps permissions minimal', () => {
    expect(permissionProblems(file.doc)).toEqual([]);
  });

  test('checks out without persisting credentials', () => {
    expect(persistedCheckouts(file.doc)).toEqual([]);
  });
});

describe('the suite checkout', () => {
  const jobsCheckingOut = reusable.flatMap((file) =>
    Object.entries(file.doc.jobs)
      .filter(([, job]) => (job.steps ?? []).some((s) => s.with?.path === '.deploy-suite'))
      .map(([id, job]) => [`${file.path} ${id}`, job] as const),
  );

  test.each(jobsCheckingOut)(
    '%s stops with one line saying the suite must be public or readable with suite-read-token',
    (_name, job) => {
      const steps = job.steps ?? [];
      const checkout = steps.find((s) => s.with?.path === '.deploy-suite') as Step & { 'continue-on-error'?: boolean };
      expect(checkout.id).toBe('suite-checkout');
      expect(checkout['continue-on-error']).toBe(true);
      expect(checkout.with?.token).toBe('${{ secrets.suite-read-token || github.token }}');
      const stop = steps[steps.indexOf(checkout) + 1] as Step & { if?: string };
      expect(stop.if).toBe("steps.suite-checkout.outcome == 'failure'");
      const result = runStep(stop, { SUITE: 'o/suite@' + 'a'.repeat(40) });
      expect([result.status, errorLines(result.stdout)]).toEqual([
        1,
        [
          `::error title=Deploy suite not readable::Could not check out o/suite@${'a'.repeat(40)}: make that repository public, or pass a token that can read it as secret 'suite-read-token' (docs/workflows.md)`,
        ],
      ]);
    },
  );
});

describe('no /health is assumed', () => {
  const NOTE = 'docs/workflows.md';
  const files = [
    ...all.map((f) => f.path),
    ...readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' }).map((name) => join('docs', name)),
    ...readdirSync(join(ROOT, 'sandbox/pipeline')).map((name) => join('sandbox/pipeline', name)),
    '.github/scripts/dispatch-frontend-deploy.sh',
    '.github/scripts/check-frontend-credentials.sh',
  ].filter((path) => /\.(ya?ml|md|json|ts|sh)$/.test(path));

  test('no workflow, example, doc (but the note on switching) or sandbox pipeline file names /health', () => {
    const naming = files.filter((path) => path !== NOTE && readFileSync(join(ROOT, path), 'utf8').includes('/health'));
    expect(naming).toEqual([]);
    expect(files.length).toBeGreaterThan(20);
  });

  test('the docs say how to switch once the application has a /health endpoint', () => {
    const note = readFileSync(join(ROOT, NOTE), 'utf8');
    expect(note).toMatch(/^#+ Switching to a \/health endpoint$/m);
  });
});

test('every workflow file is covered by these tests', () => {
  expect(workflows.map((f) => relative('.github/workflows', f.path)).sort()).toEqual([
    'admin-command.yml', // test/unit/admin-command-workflow.test.ts
    'check-setup.yml', // test/unit/check-setup-workflow.test.ts
    'ci.yml',
    'deploy-backend.yml',
    'deploy-frontend.yml',
    'migrate.yml',
    'rollback.yml',
  ]);
});

describe('the suite commit', () => {
  test.each(reusable.map((f) => [f.path] as const))(
    '%s takes the suite commit from the job context only, and fails closed without it',
    (path) => {
      const step = stepScript(path, Object.keys(byPath(path).doc.jobs)[0], (s) => s.id === 'suite');
      const sha = 'b'.repeat(40);
      expect(Object.keys(step.env ?? {}).sort()).toEqual(['JOB_WORKFLOW_REPOSITORY', 'JOB_WORKFLOW_SHA']);
      const fromJob = runStep(step, { JOB_WORKFLOW_REPOSITORY: 'o/suite', JOB_WORKFLOW_SHA: sha });
      expect(fromJob.outputs).toEqual({ repository: 'o/suite', sha });
      // A caller's suite-repository/suite-sha are not inputs any more, and nothing else is taken instead.
      const inputs = (byPath(path).doc.on.workflow_call as { inputs: Record<string, unknown> }).inputs;
      expect(Object.keys(inputs).filter((name) => name.startsWith('suite-'))).toEqual([]);
      for (const missing of [
        { JOB_WORKFLOW_REPOSITORY: '', JOB_WORKFLOW_SHA: sha } as Record<string, string>,
        { JOB_WORKFLOW_REPOSITORY: 'o/suite', JOB_WORKFLOW_SHA: '' },
        { JOB_WORKFLOW_REPOSITORY: 'o/suite', JOB_WORKFLOW_SHA: 'v1', SUITE_SHA: sha, SUITE_REPOSITORY: 'o/x' },
      ]) {
        const result = runStep(step, missing);
        expect([result.status, result.outputs, errorLines(result.stdout)]).toEqual([
          1,
          {},
          [expect.stringContaining('::error title=Suite commit unknown::')],
        ]);
      }
    },
  );
});
