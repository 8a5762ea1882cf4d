import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT as ROOT } from '../../sandbox/run-bundle.js';
import { waitFor } from '../support/wait-for.js';
import { errorLines, runScript, type StepResult } from '../support/workflow-step.js';
import { ACTIONS } from '../../scripts/actions.mjs';

/** Structure of the reusable workflows, the CI workflow and the caller examples, read as YAML. */

const TENANTS = ['startupwebapp_prod', 'healthtech_experiment', 'fintech_experiment'];

type Json = Record<string, unknown>;
interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on'?: string;
  uses?: string;
  needs?: string | string[];
  if?: string;
  'timeout-minutes'?: number;
  permissions?: Record<string, string> | string;
  environment?: string | { name?: string; url?: string };
  concurrency?: string | { group?: string; 'cancel-in-progress'?: boolean };
  strategy?: { 'fail-fast'?: boolean; matrix?: Json };
  steps?: Step[];
  with?: Record<string, unknown>;
}
interface Workflow {
  name?: string;
  'run-name'?: string;
  on: Json;
  permissions?: Record<string, string> | string;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, Job>;
}
interface File {
  path: string;
  text: string;
  doc: Workflow;
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name))
    .sort();
}

function load(path: string): File {
  const text = readFileSync(join(ROOT, path), 'utf8');
  return { path, text, doc: parse(text) as Workflow };
}

const workflows = filesUnder('.github/workflows').map(load);
const examples = filesUnder('examples').map(load);
const all = [...workflows, ...examples];
const byPath = (path: string): File => {
  const file = all.find((f) => f.path === path);
  if (!file) throw new Error(`missing ${path}`);
  return file;
};
const reusable = workflows.filter((f) => 'workflow_call' in (f.doc.on ?? {}));

// ---- checkers: pure functions over a parsed or raw workflow, each returning the problems found ----

/** Every `uses:` that is not local must be pinned to a 40-hex commit with its version in a comment. */
export function unpinnedUses(text: string): string[] {
  const problems: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
    if (!match) continue;
    const [, target, rest] = match;
    if (target.startsWith('./') || target.startsWith('docker://')) continue;
    const pinned = /@[0-9a-f]{40}$/.test(target);
    const versioned = /^\s+#\s*v\d+(\.\d+)*/.test(rest);
    if (!pinned || !versioned) problems.push(target);
  }
  return problems;
}

/** Every `${{ }}` expression written inside a `run:` script (all of them are forbidden; values go through env:). */
export function expressionsInRunScripts(doc: Workflow): string[] {
  const found: string[] = [];
  for (const [jobId, job] of Object.entries(doc.jobs ?? {})) {
    for (const step of job.steps ?? []) {
      for (const expression of step.run?.match(/\$\{\{[^}]*\}\}/g) ?? []) found.push(`${jobId}: ${expression}`);
    }
  }
  return found;
}

/** The untrusted subset the issue names: github.event.* and inputs.* inside run scripts. */
export function untrustedInRunScripts(doc: Workflow): string[] {
  return expressionsInRunScripts(doc).filter((e) => /\$\{\{\s*[^}]*\b(github\.event\.|inputs\.)/.test(e));
}

/** Jobs running on a runner without a timeout (a job calling a reusable workflow cannot carry one). */
export function jobsWithoutTimeout(doc: Workflow): string[] {
  return Object.entries(doc.jobs ?? {})
    .filter(([, job]) => !job.uses && typeof job['timeout-minutes'] !== 'number')
    .map(([id]) => id);
}

const usesAws = (job: Job) =>
  (job.steps ?? []).some((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'));

/** Top level read-only or empty; write scopes only id-token, only where AWS is used (or a reusable workflow is called). */
export function permissionProblems(doc: Workflow): string[] {
  const problems: string[] = [];
  const top = doc.permissions;
  if (top === undefined) problems.push('no top-level permissions');
  else if (typeof top === 'string') problems.push(`top-level permissions: ${top}`);
  else {
    for (const [scope, level] of Object.entries(top)) {
      if (level !== 'read' && level !== 'none') problems.push(`top-level ${scope}: ${level}`);
    }
  }
  for (const [id, job] of Object.entries(doc.jobs ?? {})) {
    const perms = job.permissions;
    if (typeof perms === 'string') {
      problems.push(`${id}: permissions ${perms}`);
      continue;
    }
    for (const [scope, level] of Object.entries(perms ?? {})) {
      if (level !== 'write') continue;
      if (scope !== 'id-token') problems.push(`${id}: ${scope}: write`);
      else if (!usesAws(job) && !job.uses) problems.push(`${id}: id-token: write without AWS`);
    }
    if (usesAws(job) && (typeof perms !== 'object' || perms['id-token'] !== 'write')) {
      problems.push(`${id}: uses AWS without its own id-token: write`);
    }
  }
  return problems;
}

/** Checkouts that would leave the token in .git/config (nothing here pushes). */
export function persistedCheckouts(doc: Workflow): string[] {
  const found: string[] = [];
  for (const [id, job] of Object.entries(doc.jobs ?? {})) {
    for (const step of job.steps ?? []) {
      if (step.uses?.startsWith('actions/checkout@') && step.with?.['persist-credentials'] !== false) found.push(id);
    }
  }
  return found;
}

const needsOf = (job: Job | undefined): string[] =>
  job?.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];

/** All jobs a job waits for, directly or not. */
export function ancestors(doc: Workflow, jobId: string): Set<string> {
  const seen = new Set<string>();
  const visit = (id: string) => {
    for (const parent of needsOf(doc.jobs[id])) {
      if (!seen.has(parent)) {
        seen.add(parent);
        visit(parent);
      }
    }
  };
  visit(jobId);
  return seen;
}

/** Pairs of the chain [a, b, c] where b does not (transitively) wait for a. */
export function orderViolations(doc: Workflow, chain: string[]): string[] {
  const problems: string[] = [];
  for (let i = 1; i < chain.length; i++) {
    if (!doc.jobs[chain[i]]) problems.push(`no job ${chain[i]}`);
    else if (!ancestors(doc, chain[i]).has(chain[i - 1]))
      problems.push(`${chain[i]} does not wait for ${chain[i - 1]}`);
  }
  return problems;
}

/** A deploying job needs an environment with a URL and a concurrency group that never cancels a running deploy. */
export function deployingJobProblems(job: Job): string[] {
  const problems: string[] = [];
  const env = job.environment;
  if (typeof env !== 'object' || !env.name || !env.url) problems.push('environment with name and url');
  const c = job.concurrency;
  if (typeof c !== 'object' || !c.group || c['cancel-in-progress'] !== false) {
    problems.push('concurrency with cancel-in-progress: false');
  }
  return problems;
}

// ---- the checkers catch what they are meant to catch ----

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

describe('the reusable workflows', () => {
  test.each(reusable.map((f) => [f.path, f] as const))(
    '%s uses the actions only from the suite checkout resolved by its first job',
    (_path, file) => {
      const localUses = Object.values(file.doc.jobs).flatMap((job) =>
        (job.steps ?? []).filter((s) => s.uses?.startsWith('./')).map((s) => s.uses as string),
      );
      expect(localUses.length).toBeGreaterThan(0);
      for (const uses of localUses) expect(uses).toMatch(/^\.\/\.deploy-suite\/actions\/[a-z-]+$/);
      for (const job of Object.values(file.doc.jobs)) {
        const suiteCheckout = (job.steps ?? []).find((s) => s.with?.path === '.deploy-suite');
        if (!(job.steps ?? []).some((s) => s.uses?.startsWith('./'))) continue;
        expect(String(suiteCheckout?.with?.ref)).toMatch(/outputs\.suite-sha/);
        expect(String(suiteCheckout?.with?.repository)).toMatch(/outputs\.suite-repository/);
      }
      expect(file.text).toContain('fromJSON(toJSON(job)).workflow_sha');
    },
  );

  test('backend deploy runs build, migrate, deploy, frontend, verify in that order', () => {
    const { doc } = byPath('.github/workflows/deploy-backend.yml');
    expect(orderViolations(doc, ['plan', 'build', 'migrate', 'deploy', 'frontend', 'verify'])).toEqual([]);
  });

  test('backend deploy migrates one job per tenant, never fail-fast, with the default startupwebapp_prod', () => {
    const { doc } = byPath('.github/workflows/deploy-backend.yml');
    const inputs = (doc.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs;
    expect(JSON.parse(String(inputs.databases.default))).toEqual(['startupwebapp_prod']);
    expect(String(doc.jobs.migrate.strategy?.matrix?.database)).toContain('needs.plan.outputs.databases');
    expect(doc.jobs.migrate.steps?.find((s) => s.uses?.endsWith('/run-migration'))?.with?.environment).toBe(
      'DATABASE_NAME=${{ matrix.database }}',
    );
    // The service is touched only when every migration succeeded, or when migrations were skipped on purpose.
    expect(doc.jobs.deploy.if).toBe(
      "${{ !cancelled() && needs.build.result == 'success' && (needs.migrate.result == 'success' || (inputs.skip-migrations && needs.migrate.result == 'skipped')) }}",
    );
    expect(doc.jobs.migrate.if).toBe('${{ !inputs.skip-migrations }}');
  });

  test.each([
    ['.github/workflows/deploy-backend.yml', 'migrate'],
    ['.github/workflows/migrate.yml', 'migrate'],
  ])('%s: a failed tenant never cancels the other migrations half-way (fail-fast: false)', (path, job) => {
    expect(byPath(path).doc.jobs[job].strategy?.['fail-fast']).toBe(false);
  });

  test.each(reusable.map((f) => [f.path, f] as const))(
    '%s passes no deadline between jobs: each job has its own timeout-minutes, each action its own timeout',
    (_path, file) => {
      for (const [id, job] of Object.entries(file.doc.jobs)) {
        expect([id, typeof job['timeout-minutes']]).toEqual([id, 'number']);
        for (const step of job.steps ?? []) {
          // A step's limit never comes from another job's outputs or clock.
          expect([id, step.name, (step as { 'timeout-minutes'?: unknown })['timeout-minutes']]).toEqual([
            id,
            step.name,
            undefined,
          ]);
          const timeout = step.with?.['timeout-minutes'];
          if (timeout !== undefined) expect(String(timeout)).toMatch(/^\$\{\{ inputs\.[\w-]*timeout-minutes \}\}$/);
        }
      }
      expect(file.text).not.toMatch(/deadline|DEADLINE|Time budget|BUDGET_MINUTES/);
    },
  );

  test('every action step of the backend pipeline gets its own bound from an input, not a job output', () => {
    const { doc } = byPath('.github/workflows/deploy-backend.yml');
    const timeoutOf = (job: string, action: string) =>
      doc.jobs[job].steps?.find((s) => s.uses?.endsWith(`/${action}`))?.with?.['timeout-minutes'];
    expect(timeoutOf('migrate', 'run-migration')).toBe('${{ inputs.migration-timeout-minutes }}');
    expect(timeoutOf('deploy', 'deploy-service')).toBe('${{ inputs.deploy-timeout-minutes }}');
    const dispatch = doc.jobs.frontend.steps?.find((s) => s.id === 'dispatch');
    expect(dispatch?.env?.WAIT_MINUTES).toBe('${{ inputs.frontend-timeout-minutes }}');
    // Each job's own bound leaves room for its action's largest allowed timeout (40, 30 and 20 minutes).
    expect(doc.jobs.migrate['timeout-minutes']).toBeGreaterThan(40);
    expect(doc.jobs.deploy['timeout-minutes']).toBeGreaterThan(30);
    expect(doc.jobs.frontend['timeout-minutes']).toBeGreaterThan(20);
  });

  test('backend deploy checks the health URL the caller names, by default /order/products', () => {
    const { doc } = byPath('.github/workflows/deploy-backend.yml');
    const inputs = (doc.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs;
    expect(inputs['health-check-url'].default).toBe('https://startupwebapp-api.mosaicmeshai.com/order/products');
    expect(String(inputs['smoke-urls'].default)).toContain(
      'https://startupwebapp-api.mosaicmeshai.com/order/products 200',
    );
    const deploy = doc.jobs.deploy.steps?.find((s) => s.uses?.endsWith('/deploy-service'));
    expect(deploy?.with?.['health-check-url']).toBe('${{ inputs.health-check-url }}');
    const verify = doc.jobs.verify.steps?.[0];
    expect(verify?.env?.HEALTH_CHECK_URL).toBe('${{ inputs.health-check-url }}');
    expect(verify?.env?.SMOKE_URLS).toBe('${{ inputs.smoke-urls }}');
    const rollback = byPath('.github/workflows/rollback.yml').doc;
    const rollbackInputs = (rollback.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs;
    expect(rollbackInputs['health-check-url'].default).toBe(inputs['health-check-url'].default);
  });

  test.each([
    ['.github/workflows/deploy-backend.yml', ['migrate', 'deploy']],
    ['.github/workflows/migrate.yml', ['migrate']],
    ['.github/workflows/rollback.yml', ['rollback']],
    ['.github/workflows/deploy-frontend.yml', ['deploy']],
  ])('%s: deploying jobs have an environment and a non-cancelling concurrency group', (path, jobs) => {
    const { doc } = byPath(path);
    for (const id of jobs) expect([id, deployingJobProblems(doc.jobs[id])]).toEqual([id, []]);
  });

  test('the backend deploy and the rollback share one job-level concurrency group for the service', () => {
    const group = (path: string, job: string) => (byPath(path).doc.jobs[job].concurrency as { group: string }).group;
    expect(group('.github/workflows/deploy-backend.yml', 'deploy')).toBe(
      group('.github/workflows/rollback.yml', 'rollback'),
    );
    expect(group('.github/workflows/deploy-backend.yml', 'migrate')).toBe(
      group('.github/workflows/migrate.yml', 'migrate'),
    );
  });

  test('the frontend deploy makes three attempts, each after the previous one failed', () => {
    const steps = byPath('.github/workflows/deploy-frontend.yml').doc.jobs.deploy.steps ?? [];
    const attempts = steps.filter((s) => s.uses === './.deploy-suite/actions/deploy-frontend') as Array<
      Step & { if?: string; 'continue-on-error'?: boolean }
    >;
    expect(attempts.map((s) => s.id)).toEqual(['attempt1', 'attempt2', 'attempt3']);
    expect(attempts.map((s) => s['continue-on-error'] ?? false)).toEqual([true, true, false]);
    expect(attempts.map((s) => s.if)).toEqual([
      undefined,
      "steps.attempt1.outcome == 'failure'",
      "steps.attempt2.outcome == 'failure'",
    ]);
    // The three `with` blocks are written out in full (anchors fail actionlint); they must not drift apart.
    expect(attempts[0].with).toBeDefined();
    expect(attempts[1].with).toEqual(attempts[0].with);
    expect(attempts[2].with).toEqual(attempts[0].with);
  });
});

describe('ci.yml', () => {
  const { doc } = byPath('.github/workflows/ci.yml');
  const runs = (job: string) => (doc.jobs[job].steps ?? []).map((s) => s.run ?? '').join('\n');

  test('installs with npm ci (the lockfile is complete) and tests, then checks the committed bundles', () => {
    expect(runs('test')).toMatch(/npm ci[\s\S]*npm test/);
    expect(runs('dist')).toMatch(/npm run build/);
    expect(runs('dist')).toMatch(/git diff --exit-code -- dist\//);
  });

  test('runs every action as a real action against the sandbox', () => {
    const uses = (doc.jobs.actions.steps ?? []).map((s) => s.uses).filter((u) => u?.startsWith('./'));
    expect([...uses].sort()).toEqual(ACTIONS.map((a) => `./actions/${a}`));
    expect(runs('actions')).toContain('npm run sandbox -- --serve');
    expect(runs('actions')).toContain('.sandbox/env');
  });
});

describe('the caller examples', () => {
  const dispatchInputs = (path: string) =>
    (byPath(path).doc.on.workflow_dispatch as { inputs: Record<string, Json> }).inputs;

  test('backend deploy runs on push to master except docs-only changes, with its tests first', () => {
    const { doc } = byPath('examples/backend/deploy-production.yml');
    expect(doc.on.push).toEqual({ branches: ['master'], 'paths-ignore': ['docs/**', '**/*.md', 'LICENSE'] });
    expect(doc.jobs.test.uses).toBe('./.github/workflows/tests.yml');
    expect(needsOf(doc.jobs.deploy)).toEqual(['test']);
    expect(doc.jobs.deploy.uses).toMatch(/\/\.github\/workflows\/deploy-backend\.yml@[0-9a-f]{40}$/);
  });

  test('backend deploy by hand can skip the tests, the migrations and the frontend, each shown in the summary', () => {
    const inputs = dispatchInputs('examples/backend/deploy-production.yml');
    for (const name of ['skip-tests', 'skip-migrations', 'skip-frontend']) {
      expect([name, inputs[name]]).toEqual([name, expect.objectContaining({ type: 'boolean', default: false })]);
    }
    const { doc } = byPath('examples/backend/deploy-production.yml');
    expect(doc.jobs.test.if).toBe('${{ !inputs.skip-tests }}');
    expect(doc.jobs.deploy.if).toContain("inputs.skip-tests && needs.test.result == 'skipped'");
    expect(doc.jobs.deploy.with).toMatchObject({
      'skip-migrations': '${{ inputs.skip-migrations == true }}',
      'skip-frontend': '${{ inputs.skip-frontend == true }}',
    });
    const record = doc.jobs.choices.steps?.[0] as Step;
    const run = (skip: Record<string, string>) =>
      runStep(record, {
        EVENT: 'workflow_dispatch',
        SKIP_TESTS: 'false',
        SKIP_MIGRATIONS: 'false',
        SKIP_FRONTEND: 'false',
        ...skip,
      });
    const summary = run({ SKIP_MIGRATIONS: 'true' }).summary;
    expect(summary).toContain('| Tests | run |');
    expect(summary).toContain('| Migrations | **skipped** |');
    expect(summary).toContain('| Frontend | run |');
    expect(run({ SKIP_TESTS: 'true', SKIP_FRONTEND: 'true' }).summary).toMatch(
      /\| Tests \| \*\*skipped\*\* \|[\s\S]*\| Frontend \| \*\*skipped\*\* \|/,
    );
  });

  test('deploys, rollbacks and migrations have workflow-level groups that cannot cancel each other', () => {
    const group = (path: string) => byPath(path).doc.concurrency;
    const groups = [
      'examples/backend/deploy-production.yml',
      'examples/backend/rollback-production.yml',
      'examples/backend/run-migrations.yml',
    ].map(group);
    for (const g of groups) expect(g?.['cancel-in-progress']).toBe(false);
    expect(new Set(groups.map((g) => g?.group)).size).toBe(3);
    // The reusable workflows set no workflow-level group of their own (it would join the callers' runs).
    for (const file of reusable) expect([file.path, file.doc.concurrency]).toEqual([file.path, undefined]);
  });

  test('migrations by hand offer the three tenants or all, an image tag and skip-tests defaulting to no', () => {
    const inputs = dispatchInputs('examples/backend/run-migrations.yml');
    expect(inputs.database).toMatchObject({ type: 'choice', options: [...TENANTS, 'all'], default: TENANTS[0] });
    expect(inputs['image-tag']).toMatchObject({ type: 'string', default: '' });
    expect(inputs['skip-tests']).toMatchObject({ type: 'boolean', default: false });
    const { doc } = byPath('examples/backend/run-migrations.yml');
    expect(doc.jobs.test.if).toContain('!inputs.skip-tests');
    expect(needsOf(doc.jobs.migrate)).toEqual(['test']);
  });

  test('rollback by hand: to is revisions back (default 1), a typed confirmation, dry-run and an optional frontend ref', () => {
    const inputs = dispatchInputs('examples/backend/rollback-production.yml');
    expect(inputs.to).toMatchObject({ type: 'string', default: '1' });
    expect(inputs.confirm).toMatchObject({ type: 'string', default: '' });
    expect(inputs['dry-run']).toMatchObject({ type: 'boolean', default: false });
    expect(inputs['frontend-ref']).toMatchObject({ type: 'string', default: '' });
    const { doc } = byPath('examples/backend/rollback-production.yml');
    expect(needsOf(doc.jobs.rollback)).toEqual(['confirm']);
    expect(doc.jobs.rollback.with?.to).toBe('${{ needs.confirm.outputs.to }}');
  });

  test('rollback by hand: refuses without ROLLBACK typed, turns revisions back into -N, warns that migrations stay', () => {
    const step = stepScript('examples/backend/rollback-production.yml', 'confirm', (s) => s.id === 'confirm');
    const run = (env: Record<string, string>) =>
      runStep(step, { TO: '1', CONFIRM: '', DRY_RUN: 'false', GITHUB_ACTOR: 'octo', ...env });

    const refused = run({ CONFIRM: 'rollback' });
    expect(refused.status).toBe(1);
    expect(errorLines(refused.stdout)).toEqual([
      "::error title=Not confirmed::Input 'confirm' must be ROLLBACK to roll production back (a dry run needs none), got 'rollback'",
    ]);
    expect(refused.outputs).toEqual({});

    const confirmed = run({ CONFIRM: 'ROLLBACK', TO: '2' });
    expect(confirmed.status).toBe(0);
    expect(confirmed.outputs).toEqual({ to: '-2' });
    expect(confirmed.summary).toContain('## Rollback of production\n');
    expect(confirmed.summary).toContain('**Database migrations are not rolled back.**');

    const dryRun = run({ DRY_RUN: 'true' });
    expect(dryRun.status).toBe(0);
    expect(dryRun.outputs).toEqual({ to: '-1' });
    expect(dryRun.summary).toContain('## Rollback of production (dry run)');
    for (const exact of ['startupwebapp-service-task:42', 'previous']) {
      expect(run({ CONFIRM: 'ROLLBACK', TO: exact }).outputs).toEqual({ to: exact });
    }
  });

  test('frontend deploys on repository_dispatch deploy-production and by hand, with the correlation id in its run-name', () => {
    const { doc } = byPath('examples/frontend/deploy-production.yml');
    expect(doc.on.repository_dispatch).toEqual({ types: ['deploy-production'] });
    expect(dispatchInputs('examples/frontend/deploy-production.yml').ref).toMatchObject({ type: 'string' });
    expect(doc['run-name']).toContain('github.event.client_payload.correlation_id');
    expect(doc.jobs.deploy.with?.['correlation-id']).toBe('${{ github.event.client_payload.correlation_id }}');
  });

  test('the backend dispatches the event type and workflow file the frontend example answers to', () => {
    const backend = byPath('.github/workflows/deploy-backend.yml');
    const inputs = (backend.doc.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs;
    expect(`examples/frontend/${String(inputs['frontend-workflow'].default)}`).toBe(
      'examples/frontend/deploy-production.yml',
    );
    expect(readFileSync(join(ROOT, '.github/scripts/dispatch-frontend-deploy.sh'), 'utf8')).toContain(
      'event_type: "deploy-production"',
    );
  });

  test('examples hold no long-lived AWS keys', () => {
    for (const file of examples) expect(file.text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
  });
});

// ---- the validation scripts, run the way the runner runs them ----

function stepScript(path: string, job: string, find: (s: Step) => boolean): Step {
  const step = byPath(path).doc.jobs[job].steps?.find(find);
  if (!step?.run) throw new Error(`no such step in ${path} ${job}`);
  return step;
}

function runStep(step: Step, env: Record<string, string>, pathPrefix?: string): StepResult {
  const dir = mkdtempSync(join(tmpdir(), 'wf-step-'));
  const script = join(dir, 'step.sh');
  writeFileSync(script, step.run as string);
  return runScript(script, env, pathPrefix);
}

describe('input validation scripts', () => {
  const backendInputs = stepScript('.github/workflows/deploy-backend.yml', 'plan', (s) => s.id === 'inputs');
  const goodBackend = {
    DATABASES: '["startupwebapp_prod"]',
    ECR_REPOSITORY: 'startupwebapp-backend',
    ON_FAILURE: 'rollback',
    WAIT_UNTIL: 'serving',
    HEALTH_CHECK_URL: 'https://api.example.com/order/products',
    FRONTEND_REPOSITORY: 'bartgottschalk/startup_web_app_client_side',
    FRONTEND_WORKFLOW: 'deploy-production.yml',
    FRONTEND_REF: 'master',
    FRONTEND_APP_CLIENT_ID: 'Iv23liAbCdEf123456',
    SMOKE_URLS: 'https://api.example.com/order/products 200\nhttps://www.example.com/ 200\n',
    MIGRATION_TIMEOUT_MINUTES: '20',
    DEPLOY_TIMEOUT_MINUTES: '15',
    FRONTEND_TIMEOUT_MINUTES: '8',
    SKIP_MIGRATIONS: 'false',
    SKIP_FRONTEND: 'false',
  };

  test('backend: databases as JSON, list or all become the migration matrix; no deadline is handed on', () => {
    const one = runStep(backendInputs, goodBackend);
    expect(one.outputs).toEqual({
      databases: '["startupwebapp_prod"]',
      'frontend-owner': 'bartgottschalk',
      'frontend-name': 'startup_web_app_client_side',
    });
    expect(
      runStep(backendInputs, { ...goodBackend, DATABASES: 'fintech_experiment, startupwebapp_prod' }).outputs,
    ).toMatchObject({ databases: '["fintech_experiment","startupwebapp_prod"]' });
    const allOf = runStep(backendInputs, { ...goodBackend, DATABASES: 'all' });
    expect(JSON.parse(allOf.outputs.databases)).toEqual(TENANTS);
  });

  test('backend: the plan says in the summary what the run migrates and deploys, and what it skips', () => {
    expect(runStep(backendInputs, goodBackend).summary).toContain('| **Migrations** | ["startupwebapp_prod"] |');
    const skipping = runStep(backendInputs, { ...goodBackend, SKIP_MIGRATIONS: 'true', SKIP_FRONTEND: 'true' });
    expect(skipping.summary).toContain('| **Migrations** | skipped (skip-migrations) |');
    expect(skipping.summary).toContain('| **Frontend** | skipped (skip-frontend) |');
  });

  test.each([
    ['DATABASES', 'startupwebapp_prod; touch /tmp/pwned', 'databases'],
    ['DATABASES', '["startupwebapp_prod", 3]', 'databases'],
    ['DATABASES', '["other_db"]', 'databases'],
    ['FRONTEND_REF', 'master$(id)', 'frontend-ref'],
    ['FRONTEND_REF', '../../etc', 'frontend-ref'],
    ['ON_FAILURE', 'ignore', 'on-failure'],
    ['SMOKE_URLS', 'https://x.example 200 extra', 'smoke-urls'],
    ['HEALTH_CHECK_URL', 'file:///etc/passwd', 'health-check-url'],
    ['FRONTEND_APP_CLIENT_ID', 'Iv23 $(id)', 'frontend-app-client-id'],
    ['MIGRATION_TIMEOUT_MINUTES', '41', 'migration-timeout-minutes'],
    ['DEPLOY_TIMEOUT_MINUTES', '0', 'deploy-timeout-minutes'],
    ['FRONTEND_TIMEOUT_MINUTES', '2.5', 'frontend-timeout-minutes'],
  ])('backend: %s=%j is refused with one line naming the input', (name, value, input) => {
    const result = runStep(backendInputs, { ...goodBackend, [name]: value });
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toHaveLength(1);
    expect(errorLines(result.stdout)[0]).toContain(`Input '${input}'`);
    expect(result.outputs.databases).toBeUndefined();
  });

  test('migrations: the database must be a tenant or all; a bad image tag is refused', () => {
    const step = stepScript('.github/workflows/migrate.yml', 'plan', (s) => s.id === 'inputs');
    const good = {
      DATABASES: 'all',
      IMAGE_TAG: '',
      ECR_REPOSITORY: 'startupwebapp-backend',
      BUILD_ROLE: 'arn',
      TIMEOUT_MINUTES: '20',
    };
    expect(JSON.parse(runStep(step, good).outputs.databases)).toEqual(TENANTS);
    const evil = runStep(step, { ...good, DATABASES: 'healthtech_experiment`reboot`' });
    expect([evil.status, errorLines(evil.stdout)[0]]).toEqual([1, expect.stringContaining("Input 'database'")]);
    const tag = runStep(step, { ...good, IMAGE_TAG: 'v1;rm' });
    expect([tag.status, errorLines(tag.stdout)[0]]).toEqual([1, expect.stringContaining("Input 'image-tag'")]);
    const noRole = runStep(step, { ...good, BUILD_ROLE: '' });
    expect(errorLines(noRole.stdout)[0]).toContain("Input 'aws-build-role-arn'");
    const long = runStep(step, { ...good, TIMEOUT_MINUTES: '90' });
    expect(errorLines(long.stdout)).toEqual([expect.stringContaining("Input 'timeout-minutes'")]);
  });

  test('rollback: to and frontend-ref are checked', () => {
    const step = stepScript('.github/workflows/rollback.yml', 'plan', (s) => s.name === 'Validate inputs');
    const good = {
      TO: 'previous',
      FRONTEND_REF: '',
      FRONTEND_REPOSITORY: 'o/r',
      FRONTEND_WORKFLOW: 'deploy-production.yml',
      FRONTEND_APP_CLIENT_ID: '',
      TIMEOUT_MINUTES: '15',
      FRONTEND_TIMEOUT_MINUTES: '8',
      WAIT_UNTIL: 'completed',
    };
    for (const to of [
      'previous',
      '-1',
      '-12',
      '42',
      'startupwebapp-service-task:42',
      'arn:aws:ecs:us-east-1:853463362083:task-definition/startupwebapp-service-task:7',
    ]) {
      expect([to, runStep(step, { ...good, TO: to }).status]).toEqual([to, 0]);
    }
    for (const to of ['previous && curl evil', '-0', '-1000', '--1']) {
      const bad = runStep(step, { ...good, TO: to });
      expect([to, bad.status, errorLines(bad.stdout)[0]]).toEqual([to, 1, expect.stringContaining("Input 'to'")]);
    }
    const ref = runStep(step, { ...good, FRONTEND_REF: 'main;id' });
    expect(errorLines(ref.stdout)[0]).toContain("Input 'frontend-ref'");
    expect(runStep(step, good).outputs).toEqual({ 'frontend-owner': 'o', 'frontend-name': 'r' });
    const wait = runStep(step, { ...good, FRONTEND_TIMEOUT_MINUTES: '60' });
    expect(errorLines(wait.stdout)).toEqual([expect.stringContaining("Input 'frontend-timeout-minutes'")]);
    const until = runStep(step, { ...good, WAIT_UNTIL: 'stable' });
    expect(errorLines(until.stdout)).toEqual([
      expect.stringContaining("Input 'wait-until' must be completed or serving"),
    ]);
  });

  test('frontend: the dispatched ref and correlation id are checked before checkout', () => {
    const step = stepScript('.github/workflows/deploy-frontend.yml', 'checks', (s) => s.id === 'inputs');
    expect(runStep(step, { REF: 'master', CORRELATION_ID: 'backend-1-1' }).outputs.ref).toBe('master');
    expect(runStep(step, { REF: '', CORRELATION_ID: '' }).outputs.ref).toBe('c'.repeat(40));
    expect(runStep(step, { REF: 'a'.repeat(40), CORRELATION_ID: '' }).outputs.ref).toBe('a'.repeat(40));
    for (const ref of ['$(touch x)', '-rf', 'feature/../../x', 'x.lock', 'a b']) {
      const result = runStep(step, { REF: ref, CORRELATION_ID: '' });
      expect([ref, result.status, errorLines(result.stdout)[0]]).toEqual([
        ref,
        1,
        expect.stringContaining("Input 'ref'"),
      ]);
    }
    const id = runStep(step, { REF: 'master', CORRELATION_ID: 'x"; rm -rf /' });
    expect(errorLines(id.stdout)[0]).toContain("Input 'correlation-id'");
  });

  test('suite resolution prefers the job context and refuses anything but a commit SHA', () => {
    const step = stepScript('.github/workflows/deploy-backend.yml', 'plan', (s) => s.id === 'suite');
    const sha = 'b'.repeat(40);
    const fromJob = runStep(step, {
      JOB_WORKFLOW_REPOSITORY: 'o/suite',
      JOB_WORKFLOW_SHA: sha,
      SUITE_REPOSITORY: '',
      SUITE_SHA: '',
    });
    expect(fromJob.outputs).toEqual({ repository: 'o/suite', sha });
    const fallback = runStep(step, {
      JOB_WORKFLOW_REPOSITORY: '',
      JOB_WORKFLOW_SHA: '',
      SUITE_REPOSITORY: 'o/x',
      SUITE_SHA: sha,
    });
    expect(fallback.outputs).toEqual({ repository: 'o/x', sha });
    const tag = runStep(step, {
      JOB_WORKFLOW_REPOSITORY: 'o/x',
      JOB_WORKFLOW_SHA: '',
      SUITE_REPOSITORY: '',
      SUITE_SHA: 'v1',
    });
    expect([tag.status, errorLines(tag.stdout)[0]]).toEqual([1, expect.stringContaining("Input 'suite-sha'")]);
  });
});

describe('dispatching the frontend deploy and waiting for it (gh replaced by a fake)', () => {
  const script = join(ROOT, '.github/scripts/dispatch-frontend-deploy.sh');

  interface Fake {
    /** The runs the list call returns ([id, display_title]). */
    runs?: Array<[number, string]>;
    /** The status of run 7 on each poll, the last one repeated: 'in_progress' or a conclusion. */
    polls?: string[];
    /** HTTP status the matching call fails with (gh prints `gh: <message> (HTTP <status>)` and exits 1). */
    failDispatch?: number;
    failList?: number;
    failRun?: number;
    /** The first N status polls fail without an HTTP status (a network error). */
    failFirstPolls?: number;
    failCancel?: number;
  }

  /** A `gh` that answers the dispatch, the run list, run 7 and its cancel as told, logging each call. */
  function fakeGh(fake: Fake): { dir: string; log: string; payload: string; calls: () => string[] } {
    const dir = mkdtempSync(join(tmpdir(), 'fake-gh-'));
    const log = join(dir, 'calls.log');
    const count = join(dir, 'polls');
    const runs = JSON.stringify({
      workflow_runs: (fake.runs ?? []).map(([id, title]) => ({
        id,
        display_title: title,
        html_url: `https://github.com/f/r/actions/runs/${id}`,
      })),
    });
    const polls = fake.polls ?? ['success'];
    const answer = polls
      .map((p, n) => {
        const json =
          p === 'in_progress'
            ? '{"status":"in_progress","conclusion":null}'
            : `{"status":"completed","conclusion":"${p}"}`;
        return n === polls.length - 1 ? `echo '${json}'` : `(( n == ${n + 1} )) && { echo '${json}'; exit 0; }`;
      })
      .join('; ');
    const refuse = (status: number | undefined) => (status ? `echo 'gh: Refused (HTTP ${status})' >&2; exit 1;` : '');
    writeFileSync(
      join(dir, 'gh'),
      [
        '#!/usr/bin/env bash',
        `echo "$*" >> ${JSON.stringify(log)}`,
        'case "$*" in',
        `  *dispatches*) cat > ${JSON.stringify(join(dir, 'payload.json'))}; ${refuse(fake.failDispatch)} ;;`,
        `  *workflows/deploy-production.yml/runs*) ${refuse(fake.failList)} echo '${runs}' ;;`,
        `  *actions/runs/7/cancel*) ${refuse(fake.failCancel)} echo '{}' ;;`,
        `  *actions/runs/7*) ${refuse(fake.failRun)} echo x >> ${JSON.stringify(count)}; n=$(wc -l < ${JSON.stringify(count)});` +
          ` if (( n <= ${fake.failFirstPolls ?? 0} )); then echo 'error connecting to api.github.com' >&2; exit 1; fi; ${answer} ;;`,
        '  *) echo "unexpected call" >&2; exit 1 ;;',
        'esac',
      ].join('\n'),
    );
    chmodSync(join(dir, 'gh'), 0o755);
    const calls = () => readFileSync(log, 'utf8').trim().split('\n');
    return { dir, log, payload: join(dir, 'payload.json'), calls };
  }

  const env = {
    GH_TOKEN: 'token',
    FRONTEND_REPOSITORY: 'f/r',
    FRONTEND_WORKFLOW: 'deploy-production.yml',
    FRONTEND_REF: 'master',
    BACKEND_SHA: 'd'.repeat(40),
    RUN_URL: 'https://github.com/b/r/actions/runs/99',
    CORRELATION_ID: 'backend-99-1',
    WAIT_MINUTES: '1',
    POLL_SECONDS: '0',
  };
  const ours: Array<[number, string]> = [
    [1, 'other'],
    [7, 'Deploy production backend-99-1'],
  ];

  test("sends the payload (with the commit today's frontend reads), finds the run and succeeds when it succeeded", () => {
    const gh = fakeGh({ runs: ours, polls: ['in_progress', 'success'] });
    const result = runScript(script, env, gh.dir);
    expect([result.status, errorLines(result.stdout)]).toEqual([0, []]);
    expect(result.outputs['run-url']).toBe('https://github.com/f/r/actions/runs/7');
    expect(JSON.parse(readFileSync(gh.payload, 'utf8'))).toEqual({
      event_type: 'deploy-production',
      client_payload: {
        ref: 'master',
        // what today's client workflow reads (client_payload.commit: the backend commit)
        commit: env.BACKEND_SHA,
        backend_sha: env.BACKEND_SHA,
        run_url: env.RUN_URL,
        correlation_id: 'backend-99-1',
      },
    });
    expect(result.summary).toContain('Frontend deploy at master: success');
  });

  test('matches the correlation id exactly, never a longer id that contains it', () => {
    const gh = fakeGh({
      runs: [
        [5, 'Deploy production backend-99-10'],
        [6, 'Deploy production xbackend-99-1'],
        [8, 'Deploy production backend-99-1-2'],
        [7, 'Deploy production backend-99-1'],
      ],
    });
    const result = runScript(script, env, gh.dir);
    expect(result.status).toBe(0);
    expect(result.outputs['run-url']).toBe('https://github.com/f/r/actions/runs/7');
    expect(gh.calls().filter((c) => /actions\/runs\/\d/.test(c))).toEqual(['api repos/f/r/actions/runs/7']);
  });

  test('fails, naming the run, when the frontend run failed', () => {
    const gh = fakeGh({ runs: ours, polls: ['failure'] });
    const result = runScript(script, env, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      "::error title=Frontend deploy failed::The frontend run ended with 'failure': https://github.com/f/r/actions/runs/7",
    ]);
    expect(result.summary).toContain('Frontend deploy at master: Frontend deploy failed');
  });

  test('polls again when a status poll fails without an HTTP refusal (network, rate limit)', () => {
    const gh = fakeGh({ runs: ours, failFirstPolls: 2 });
    const result = runScript(script, env, gh.dir);
    expect([result.status, errorLines(result.stdout)]).toEqual([0, []]);
    expect(gh.calls().filter((c) => c === 'api repos/f/r/actions/runs/7')).toHaveLength(3);
  });

  test.each([
    [403, 'the token lacks Actions: read on f/r (HTTP 403)'],
    [401, 'the token was refused (HTTP 401): it is invalid or expired'],
    [404, 'f/r or its deploy-production.yml is not visible to the token (HTTP 404): it needs Actions: read on f/r'],
  ])(
    'a %i on the run list fails at once, naming the missing permission and that the deploy may still run',
    (status, says) => {
      const gh = fakeGh({ runs: ours, failList: status });
      const result = runScript(script, { ...env, WAIT_MINUTES: '8' }, gh.dir);
      expect(result.status).toBe(1);
      const errors = errorLines(result.stdout);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('::error title=Frontend run not readable::Dispatched, but cannot look for the run: ');
      expect(errors[0]).toContain(says);
      expect(errors[0]).toContain('may still start a frontend deploy of master');
      expect(gh.calls().filter((c) => c.includes('/runs'))).toHaveLength(1);
    },
  );

  test('a 403 on the run status poll fails at once instead of waiting out the timeout', () => {
    const gh = fakeGh({ runs: ours, failRun: 403 });
    const result = runScript(script, { ...env, WAIT_MINUTES: '8' }, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      '::error title=Frontend run not readable::Cannot read https://github.com/f/r/actions/runs/7: the token lacks Actions: read on f/r (HTTP 403); it may still deploy master',
    ]);
  });

  test('a refused dispatch names Contents: write and looks for no run', () => {
    const gh = fakeGh({ runs: ours, failDispatch: 403 });
    const result = runScript(script, env, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      '::error title=Frontend dispatch refused::Could not dispatch deploy-production: the token lacks Contents: write on f/r (HTTP 403)',
    ]);
    expect(gh.calls()).toHaveLength(1);
  });

  test('on giving up, cancels the dispatched run and says so', () => {
    const gh = fakeGh({ runs: ours, polls: ['in_progress'] });
    const result = runScript(script, { ...env, WAIT_MINUTES: '0' }, gh.dir);
    expect(result.status).toBe(1);
    expect(gh.calls()).toContain('api --method POST repos/f/r/actions/runs/7/cancel');
    expect(errorLines(result.stdout)).toEqual([
      '::error title=Frontend deploy timed out::https://github.com/f/r/actions/runs/7 did not finish within 0 minutes and was cancelled; files it already published stay, so re-run it or redeploy the frontend',
    ]);
    expect(result.summary).toContain('was cancelled');
  });

  test('on giving up without the right to cancel, says plainly that the run may still deploy', () => {
    const gh = fakeGh({ runs: ours, polls: ['in_progress'], failCancel: 403 });
    const result = runScript(script, { ...env, WAIT_MINUTES: '0' }, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      '::error title=Frontend deploy timed out::https://github.com/f/r/actions/runs/7 did not finish within 0 minutes and could not be cancelled (the token lacks Actions: write on f/r (HTTP 403)): it may still deploy master',
    ]);
    expect(result.summary).toContain('it may still deploy master');
  });

  test('when the job is cancelled while waiting, cancels the frontend run too, says so and leaves no sleep behind', async () => {
    const gh = fakeGh({ runs: ours, polls: ['in_progress'] });
    // A sleep that says when it starts, so the cancel comes while the script waits between polls.
    const slept = join(gh.dir, 'slept');
    writeFileSync(
      join(gh.dir, 'sleep'),
      `#!/usr/bin/env bash\necho "$*" >> ${JSON.stringify(slept)}\nexec /bin/sleep "$@"\n`,
    );
    chmodSync(join(gh.dir, 'sleep'), 0o755);
    const dir = mkdtempSync(join(tmpdir(), 'wf-cancel-'));
    for (const f of ['output', 'summary']) writeFileSync(join(dir, f), '');
    const child = spawn('bash', ['--noprofile', '--norc', script], {
      env: {
        PATH: `${gh.dir}:${process.env.PATH}`,
        GITHUB_OUTPUT: join(dir, 'output'),
        GITHUB_STEP_SUMMARY: join(dir, 'summary'),
        ...env,
        WAIT_MINUTES: '8',
        POLL_SECONDS: '600',
      },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Wait until the script polled the run and sleeps before the next poll, then cancel the job as the runner does.
    await waitFor(() => (existsSync(slept) ? true : undefined));
    expect(gh.calls()).toContain('api repos/f/r/actions/runs/7');
    child.kill('SIGTERM');
    // 'close' waits for every holder of the step's output: a sleep left running would hold it for 600 s.
    expect(await exited).toBe(1);
    expect(gh.calls()).toContain('api --method POST repos/f/r/actions/runs/7/cancel');
    expect(errorLines(stdout)).toEqual([
      '::error title=Frontend wait cancelled::The job was cancelled, and so was https://github.com/f/r/actions/runs/7',
    ]);
    expect(readFileSync(join(dir, 'summary'), 'utf8')).toContain('and so was https://github.com/f/r/actions/runs/7');
  });

  test('says when no run appeared, and that the dispatched event may still start one', () => {
    const gh = fakeGh({ runs: [[3, 'a run of somebody else backend-99-1x']] });
    const result = runScript(script, { ...env, WAIT_MINUTES: '0' }, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      "::error title=Frontend deploy not found::No deploy-production.yml run with 'backend-99-1' in its name appeared within 0 minutes; the dispatched deploy-production event may still start a frontend deploy of master: check f/r's Actions",
    ]);
    expect(gh.calls().some((c) => c.includes('cancel'))).toBe(false);
  });

  test.each([
    ['.github/workflows/deploy-backend.yml', ' (or set skip-frontend: true)'],
    ['.github/workflows/rollback.yml', ' (or leave frontend-ref empty)'],
  ])('%s checks the credentials, mints a scoped App token, then runs it from the suite checkout', (path, hint) => {
    const job = byPath(path).doc.jobs.frontend;
    const steps = job.steps ?? [];
    const checkout = steps.find((s) => s.with?.path === '.deploy-suite');
    expect(String(checkout?.with?.ref)).toContain('needs.plan.outputs.suite-sha');
    const credentials = steps.find((s) => s.run?.includes('check-frontend-credentials.sh'));
    expect(credentials?.run).toBe('bash .deploy-suite/.github/scripts/check-frontend-credentials.sh');
    expect(credentials?.env).toEqual({
      APP_CLIENT_ID: '${{ inputs.frontend-app-client-id }}',
      HAS_APP_KEY: "${{ secrets.frontend-app-private-key != '' }}",
      HAS_TOKEN: "${{ secrets.frontend-dispatch-token != '' }}",
      HINT: hint,
    });
    const token = steps.find((s) => s.uses?.startsWith('actions/create-github-app-token@')) as Step & { if?: string };
    expect(token.id).toBe('token');
    expect(token.if).toBe("inputs.frontend-app-client-id != ''");
    // Scoped to the frontend repository, with only the permissions the dispatch, the wait and the cancel need.
    expect(token.with).toEqual({
      'client-id': '${{ inputs.frontend-app-client-id }}',
      'private-key': '${{ secrets.frontend-app-private-key }}',
      owner: '${{ needs.plan.outputs.frontend-owner }}',
      repositories: '${{ needs.plan.outputs.frontend-name }}',
      'permission-contents': 'write',
      'permission-actions': 'write',
    });
    const dispatch = steps.find((s) => s.run?.includes('dispatch-frontend-deploy.sh'));
    expect(dispatch?.run).toBe('bash .deploy-suite/.github/scripts/dispatch-frontend-deploy.sh');
    expect(dispatch?.env?.GH_TOKEN).toBe('${{ steps.token.outputs.token || secrets.frontend-dispatch-token }}');
    expect(Object.keys(dispatch?.env ?? {}).sort()).toEqual(Object.keys(env).sort());
    const order = [checkout, credentials, token, dispatch].map((step) => steps.indexOf(step as Step));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(job.permissions).toEqual({ contents: 'read' });
  });
});

describe('checking the frontend credentials before the token step', () => {
  const script = join(ROOT, '.github/scripts/check-frontend-credentials.sh');
  const run = (vars: Record<string, string>) =>
    runScript(script, { APP_CLIENT_ID: '', HAS_APP_KEY: 'false', HAS_TOKEN: 'false', HINT: ' (or x)', ...vars });

  test('an App client id with its key, or the fallback token, passes', () => {
    expect(run({ APP_CLIENT_ID: 'Iv23abc', HAS_APP_KEY: 'true' }).status).toBe(0);
    const fallback = run({ HAS_TOKEN: 'true' });
    expect([fallback.status, fallback.stdout]).toEqual([
      0,
      expect.stringContaining("secret 'frontend-dispatch-token'"),
    ]);
  });

  test('an App client id without its key, or nothing at all, stops with one line naming what is missing', () => {
    const noKey = run({ APP_CLIENT_ID: 'Iv23abc', HAS_TOKEN: 'true' });
    expect([noKey.status, errorLines(noKey.stdout)]).toEqual([
      1,
      ["::error title=Missing secret::Secret 'frontend-app-private-key' is needed with input 'frontend-app-client-id'"],
    ]);
    const nothing = run({});
    expect([nothing.status, errorLines(nothing.stdout)]).toEqual([
      1,
      [
        "::error title=Missing credentials::The frontend dispatch needs input 'frontend-app-client-id' with secret 'frontend-app-private-key', or secret 'frontend-dispatch-token' (or x)",
      ],
    ]);
  });
});

describe('the frontend deploys only commits of its production branch', () => {
  const step = stepScript('.github/workflows/deploy-frontend.yml', 'checks', (s) =>
    (s.name ?? '').startsWith('Check that the production branch contains'),
  );
  const git = (cwd: string, ...args: string[]) => {
    const result = spawnSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@x',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@x',
      },
    });
    if (result.status !== 0) throw new Error(result.stderr);
    return result.stdout.trim();
  };

  /** A clone as actions/checkout leaves it with fetch-depth 0: master, an old master commit and a feature commit. */
  function clone(): { dir: string; old: string; head: string; feature: string } {
    const origin = mkdtempSync(join(tmpdir(), 'origin-'));
    git(origin, 'init', '-q', '-b', 'master');
    git(origin, 'commit', '-q', '--allow-empty', '-m', 'one');
    const old = git(origin, 'rev-parse', 'HEAD');
    git(origin, 'commit', '-q', '--allow-empty', '-m', 'two');
    const head = git(origin, 'rev-parse', 'HEAD');
    git(origin, 'checkout', '-q', '-b', 'feature');
    git(origin, 'commit', '-q', '--allow-empty', '-m', 'unmerged');
    const feature = git(origin, 'rev-parse', 'HEAD');
    const dir = join(mkdtempSync(join(tmpdir(), 'site-')), 'site');
    git(tmpdir(), 'clone', '-q', origin, dir);
    return { dir, old, head, feature };
  }

  const inClone = (dir: string, vars: Record<string, string>) => {
    const file = join(mkdtempSync(join(tmpdir(), 'wf-step-')), 'step.sh');
    writeFileSync(file, `cd ${JSON.stringify(dir)}\n${step.run as string}`);
    return runScript(file, vars);
  };

  test('the step runs in the checkout, after the commit is recorded, with the whole history fetched', () => {
    const steps = byPath('.github/workflows/deploy-frontend.yml').doc.jobs.checks.steps ?? [];
    const checkout = steps.find((s) => s.with?.path === 'site');
    expect(checkout?.with?.['fetch-depth']).toBe(0);
    expect((step as { 'working-directory'?: string })['working-directory']).toBe('site');
    expect(steps.indexOf(step)).toBe(steps.findIndex((s) => s.id === 'sha') + 1);
  });

  test('the tip of master and a past commit of master (a rollback redeploy) pass', () => {
    const repo = clone();
    for (const sha of [repo.head, repo.old]) {
      const result = inClone(repo.dir, { BRANCH: 'master', REF: sha, SHA: sha });
      expect([result.status, errorLines(result.stdout)]).toEqual([0, []]);
    }
  });

  test('a commit master does not contain is refused with one line naming the ref', () => {
    const repo = clone();
    const result = inClone(repo.dir, { BRANCH: 'master', REF: 'feature', SHA: repo.feature });
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      `::error title=Not on master::Ref 'feature' is commit ${repo.feature}, which master does not contain: only commits of master are deployed (merge it first; a rollback names a past commit of master)`,
    ]);
  });

  test('a production branch that does not exist, or is not a branch name, is refused naming the input', () => {
    const repo = clone();
    const missing = inClone(repo.dir, { BRANCH: 'main', REF: 'master', SHA: repo.head });
    expect(errorLines(missing.stdout)).toEqual([
      "::error title=Invalid input::Input 'production-branch' names no branch of this repository: 'main'",
    ]);
    const bad = inClone(repo.dir, { BRANCH: 'x;id', REF: 'master', SHA: repo.head });
    expect(errorLines(bad.stdout)[0]).toContain("Input 'production-branch' must be a branch name");
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

describe('the tests example', () => {
  const { doc, text } = byPath('examples/backend/tests.yml');
  const steps = doc.jobs.test.steps ?? [];
  const runs = steps.map((s) => s.run ?? '').join('\n');

  test('runs Flake8, the unit tests and the functional tests from StartupWebApp/ against PostgreSQL', () => {
    expect((doc as unknown as { defaults: Json }).defaults).toEqual({
      run: { shell: 'bash', 'working-directory': 'StartupWebApp' },
    });
    expect(steps.some((s) => s.uses?.startsWith('actions/setup-python@'))).toBe(true);
    expect(runs).toMatch(/python -m flake8 user order clientevent StartupWebApp/);
    expect(runs).toContain('python manage.py test order.tests user.tests clientevent.tests StartupWebApp.tests');
    expect(runs).toContain('python manage.py test functional_tests');
    const job = doc.jobs.test as Job & { services: Record<string, { image: string; env: Record<string, string> }> };
    expect(job.services.postgres.image).toMatch(/^postgres:16/);
    expect((job as unknown as { env: Record<string, string> }).env).toMatchObject({
      DATABASE_USER: job.services.postgres.env.POSTGRES_USER,
      DATABASE_NAME: job.services.postgres.env.POSTGRES_DB,
    });
    expect(text).not.toContain('manage.py test --parallel');
  });

  test('writes a settings_secret.py that is valid Python and reads the database from the environment', () => {
    const write = steps.find((s) => s.run?.includes('settings_secret.py')) as Step;
    const dir = mkdtempSync(join(tmpdir(), 'settings-'));
    const settings = join(dir, 'StartupWebApp', 'settings_secret.py');
    spawnSync('mkdir', ['-p', join(dir, 'StartupWebApp')]);
    const file = join(dir, 'step.sh');
    writeFileSync(file, `cd ${JSON.stringify(dir)}\n${write.run as string}`);
    expect(runScript(file, {}).status).toBe(0);
    const check = spawnSync(
      'python3',
      [
        '-c',
        'import runpy, sys; s = runpy.run_path(sys.argv[1]); print(s["DATABASES"]["default"]["USER"], s["ALLOWED_HOSTS"][2], len(s["SECRET_KEY"]) > 0)',
        settings,
      ],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          DATABASE_NAME: 'n',
          DATABASE_USER: 'postgres',
          DATABASE_PASSWORD: 'p',
          DATABASE_HOST: 'h',
          DATABASE_PORT: '5432',
        },
      },
    );
    expect([check.status, check.stdout.trim(), check.stderr]).toEqual([0, 'postgres testserver True', '']);
  });
});

test('every workflow file is covered by these tests', () => {
  expect(workflows.map((f) => relative('.github/workflows', f.path)).sort()).toEqual([
    'admin-command.yml', // test/unit/admin-command-workflow.test.ts
    'ci.yml',
    'deploy-backend.yml',
    'deploy-frontend.yml',
    'migrate.yml',
    'rollback.yml',
  ]);
});
