import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT as ROOT } from '../../sandbox/run-bundle.js';

/** Structure of the reusable workflows, the CI workflow and the caller examples, read as YAML. */

const TENANTS = ['startupwebapp_prod', 'healthtech_experiment', 'fintech_experiment'];
const ACTIONS = ['run-migration', 'deploy-service', 'deploy-frontend', 'rollback'];

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

  test('backend deploy migrates one job per tenant, fail-fast, with the default startupwebapp_prod', () => {
    const { doc } = byPath('.github/workflows/deploy-backend.yml');
    const inputs = (doc.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs;
    expect(JSON.parse(String(inputs.databases.default))).toEqual(['startupwebapp_prod']);
    expect(doc.jobs.migrate.strategy?.['fail-fast']).toBe(true);
    expect(String(doc.jobs.migrate.strategy?.matrix?.database)).toContain('needs.plan.outputs.databases');
    expect(doc.jobs.migrate.steps?.find((s) => s.uses?.endsWith('/run-migration'))?.with?.environment).toBe(
      'DATABASE_NAME=${{ matrix.database }}',
    );
    // The service is only touched when every migration succeeded: deploy has no condition that would override that.
    expect(doc.jobs.deploy.if).toBeUndefined();
  });

  test('backend deploy is bounded to 20 minutes overall and deploys with a /health check', () => {
    const { doc } = byPath('.github/workflows/deploy-backend.yml');
    const inputs = (doc.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs;
    expect(inputs['pipeline-timeout-minutes'].default).toBe(20);
    expect(String(inputs['health-check-url'].default)).toMatch(/\/health$/);
    for (const id of ['build', 'migrate', 'deploy', 'frontend']) {
      expect(doc.jobs[id].steps?.[0]?.env?.DEADLINE).toBe('${{ needs.plan.outputs.deadline }}');
    }
    const deploy = doc.jobs.deploy.steps?.find((s) => s.uses?.endsWith('/deploy-service'));
    expect(deploy?.with?.['health-check-url']).toBe('${{ inputs.health-check-url }}');
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

  test('the backend deploy and the rollback share one concurrency group for the service', () => {
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

  test('runs the four actions as real actions against the sandbox', () => {
    const uses = (doc.jobs.actions.steps ?? []).map((s) => s.uses).filter((u) => u?.startsWith('./'));
    expect(uses).toEqual(ACTIONS.map((a) => `./actions/${a}`));
    expect(runs('actions')).toContain('npm run sandbox -- --serve');
    expect(runs('actions')).toContain('.sandbox/env');
  });
});

describe('the caller examples', () => {
  const dispatchInputs = (path: string) =>
    (byPath(path).doc.on.workflow_dispatch as { inputs: Record<string, Json> }).inputs;

  test('backend deploy runs on push to master with its tests first', () => {
    const { doc } = byPath('examples/backend/deploy-production.yml');
    expect(doc.on.push).toEqual({ branches: ['master'] });
    expect(doc.jobs.test.uses).toBe('./.github/workflows/tests.yml');
    expect(needsOf(doc.jobs.deploy)).toEqual(['test']);
    expect(doc.jobs.deploy.uses).toMatch(/\/\.github\/workflows\/deploy-backend\.yml@[0-9a-f]{40}$/);
    expect(doc.concurrency).toEqual({ group: 'deploy-production', 'cancel-in-progress': false });
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

  test('rollback by hand: to defaults to previous, dry-run and an optional frontend ref', () => {
    const inputs = dispatchInputs('examples/backend/rollback-production.yml');
    expect(inputs.to).toMatchObject({ type: 'string', default: 'previous' });
    expect(inputs['dry-run']).toMatchObject({ type: 'boolean', default: false });
    expect(inputs['frontend-ref']).toMatchObject({ type: 'string', default: '' });
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

interface ScriptResult {
  status: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

function stepScript(path: string, job: string, find: (s: Step) => boolean): Step {
  const step = byPath(path).doc.jobs[job].steps?.find(find);
  if (!step?.run) throw new Error(`no such step in ${path} ${job}`);
  return step;
}

function runStep(step: Step, env: Record<string, string>, pathPrefix?: string): ScriptResult {
  const dir = mkdtempSync(join(tmpdir(), 'wf-step-'));
  const script = join(dir, 'step.sh');
  writeFileSync(script, step.run as string);
  return runScript(script, env, pathPrefix);
}

function runScript(script: string, env: Record<string, string>, pathPrefix?: string): ScriptResult {
  const dir = mkdtempSync(join(tmpdir(), 'wf-script-'));
  for (const f of ['output', 'summary']) writeFileSync(join(dir, f), '');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
    encoding: 'utf8',
    timeout: 10_000,
    env: {
      PATH: pathPrefix ? `${pathPrefix}:${process.env.PATH}` : process.env.PATH,
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_SHA: 'c'.repeat(40),
      GITHUB_JOB: 'test',
      ...env,
    },
  });
  const outputs = Object.fromEntries(
    readFileSync(join(dir, 'output'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { status: result.status, stdout: result.stdout, outputs, summary: readFileSync(join(dir, 'summary'), 'utf8') };
}

const errorLines = (stdout: string) => stdout.split('\n').filter((l) => l.startsWith('::error'));

describe('input validation scripts', () => {
  const backendInputs = stepScript('.github/workflows/deploy-backend.yml', 'plan', (s) => s.id === 'inputs');
  const goodBackend = {
    DATABASES: '["startupwebapp_prod"]',
    ECR_REPOSITORY: 'startupwebapp-backend',
    ON_FAILURE: 'rollback',
    HEALTH_CHECK_URL: 'https://api.example.com/health',
    FRONTEND_REPOSITORY: 'bartgottschalk/startup_web_app_client_side',
    FRONTEND_WORKFLOW: 'deploy-production.yml',
    FRONTEND_REF: 'master',
    SMOKE_URLS: 'https://api.example.com/health 200\nhttps://www.example.com/ 200\n',
    PIPELINE_TIMEOUT_MINUTES: '20',
  };

  test('backend: databases as JSON, list or all become the migration matrix, and a deadline is set', () => {
    expect(runStep(backendInputs, goodBackend).outputs.databases).toBe('["startupwebapp_prod"]');
    expect(
      runStep(backendInputs, { ...goodBackend, DATABASES: 'fintech_experiment, startupwebapp_prod' }).outputs,
    ).toMatchObject({ databases: '["fintech_experiment","startupwebapp_prod"]' });
    const allOf = runStep(backendInputs, { ...goodBackend, DATABASES: 'all' });
    expect(JSON.parse(allOf.outputs.databases)).toEqual(TENANTS);
    const deadline = Number(allOf.outputs.deadline);
    expect(deadline - Date.now() / 1000).toBeGreaterThan(19 * 60);
    expect(deadline - Date.now() / 1000).toBeLessThanOrEqual(20 * 60);
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
    ['PIPELINE_TIMEOUT_MINUTES', '600', 'pipeline-timeout-minutes'],
  ])('backend: %s=%j is refused with one line naming the input', (name, value, input) => {
    const result = runStep(backendInputs, { ...goodBackend, [name]: value });
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toHaveLength(1);
    expect(errorLines(result.stdout)[0]).toContain(`Input '${input}'`);
    expect(result.outputs.databases).toBeUndefined();
  });

  test('migrations: the database must be a tenant or all; a bad image tag is refused', () => {
    const step = stepScript('.github/workflows/migrate.yml', 'plan', (s) => s.id === 'inputs');
    const good = { DATABASES: 'all', IMAGE_TAG: '', ECR_REPOSITORY: 'startupwebapp-backend', BUILD_ROLE: 'arn' };
    expect(JSON.parse(runStep(step, good).outputs.databases)).toEqual(TENANTS);
    const evil = runStep(step, { ...good, DATABASES: 'healthtech_experiment`reboot`' });
    expect([evil.status, errorLines(evil.stdout)[0]]).toEqual([1, expect.stringContaining("Input 'database'")]);
    const tag = runStep(step, { ...good, IMAGE_TAG: 'v1;rm' });
    expect([tag.status, errorLines(tag.stdout)[0]]).toEqual([1, expect.stringContaining("Input 'image-tag'")]);
    const noRole = runStep(step, { ...good, BUILD_ROLE: '' });
    expect(errorLines(noRole.stdout)[0]).toContain("Input 'aws-build-role-arn'");
  });

  test('rollback: to and frontend-ref are checked', () => {
    const step = stepScript('.github/workflows/rollback.yml', 'plan', (s) => s.name === 'Validate inputs');
    const good = {
      TO: 'previous',
      FRONTEND_REF: '',
      FRONTEND_REPOSITORY: 'o/r',
      FRONTEND_WORKFLOW: 'deploy-production.yml',
    };
    for (const to of [
      'previous',
      '42',
      'startupwebapp-service-task:42',
      'arn:aws:ecs:us-east-1:853463362083:task-definition/startupwebapp-service-task:7',
    ]) {
      expect([to, runStep(step, { ...good, TO: to }).status]).toEqual([to, 0]);
    }
    const bad = runStep(step, { ...good, TO: 'previous && curl evil' });
    expect([bad.status, errorLines(bad.stdout)[0]]).toEqual([1, expect.stringContaining("Input 'to'")]);
    const ref = runStep(step, { ...good, FRONTEND_REF: 'main;id' });
    expect(errorLines(ref.stdout)[0]).toContain("Input 'frontend-ref'");
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

  /** A `gh` that answers the dispatch, the run list and the run; `failFirstPolls` run polls fail first. */
  function fakeGh(
    conclusion: string,
    title: string,
    failFirstPolls = 0,
  ): { dir: string; log: string; payload: string } {
    const dir = mkdtempSync(join(tmpdir(), 'fake-gh-'));
    const log = join(dir, 'calls.log');
    const polls = join(dir, 'polls');
    const gh = join(dir, 'gh');
    writeFileSync(
      gh,
      [
        '#!/usr/bin/env bash',
        `echo "$*" >> ${JSON.stringify(log)}`,
        'case "$*" in',
        `  *dispatches*) cat > ${JSON.stringify(join(dir, 'payload.json'))} ;;`,
        `  *workflows/deploy-production.yml/runs*) echo '{"workflow_runs":[{"id":1,"display_title":"other","html_url":"u1"},{"id":7,"display_title":"${title}","html_url":"https://github.com/f/r/actions/runs/7"}]}' ;;`,
        `  *actions/runs/7*) echo x >> ${JSON.stringify(polls)}; if (( $(wc -l < ${JSON.stringify(polls)}) <= ${failFirstPolls} )); then echo 'HTTP 502' >&2; exit 1; fi; echo '{"status":"completed","conclusion":"${conclusion}"}' ;;`,
        '  *) exit 1 ;;',
        'esac',
      ].join('\n'),
    );
    chmodSync(gh, 0o755);
    return { dir, log, payload: join(dir, 'payload.json') };
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
    BUDGET_MINUTES: '5',
    POLL_SECONDS: '0',
  };

  test('sends the payload, finds the run by its correlation id and succeeds when it succeeded', () => {
    const gh = fakeGh('success', 'Deploy production backend-99-1');
    const result = runScript(script, env, gh.dir);
    expect(result.status).toBe(0);
    expect(result.outputs['run-url']).toBe('https://github.com/f/r/actions/runs/7');
    const payload = JSON.parse(readFileSync(gh.payload, 'utf8'));
    expect(payload).toEqual({
      event_type: 'deploy-production',
      client_payload: {
        ref: 'master',
        backend_sha: env.BACKEND_SHA,
        // what today's client workflow reads (client_payload.commit: the backend commit)
        commit: env.BACKEND_SHA,
        run_url: env.RUN_URL,
        correlation_id: 'backend-99-1',
      },
    });
    expect(result.summary).toContain('Frontend deploy at master: success');
  });

  test('fails, naming the run, when the frontend run failed', () => {
    const gh = fakeGh('failure', 'Deploy production backend-99-1');
    const result = runScript(script, env, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      "::error title=Frontend deploy failed::The frontend run ended with 'failure': https://github.com/f/r/actions/runs/7",
    ]);
  });

  test('polls again when a status poll fails (network, rate limit) instead of ending the step', () => {
    const gh = fakeGh('success', 'Deploy production backend-99-1', 2);
    const result = runScript(script, env, gh.dir);
    expect([result.status, errorLines(result.stdout)]).toEqual([0, []]);
    expect(readFileSync(gh.log, 'utf8').match(/actions\/runs\/7/g)).toHaveLength(3);
  });

  test('fails without a token before dispatching anything, with the hint its workflow gives', () => {
    const gh = fakeGh('success', 'x');
    const result = runScript(script, { ...env, GH_TOKEN: '', TOKEN_HINT: ' (or set skip-frontend: true)' }, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      "::error title=Missing secret::Secret 'frontend-dispatch-token' is needed to trigger the frontend deploy (or set skip-frontend: true)",
    ]);
    expect(() => readFileSync(gh.log, 'utf8')).toThrow();
  });

  test('waits no longer than the time budget left, and says when no run appeared', () => {
    const gh = fakeGh('success', 'a run of somebody else');
    const result = runScript(script, { ...env, WAIT_MINUTES: '8', BUDGET_MINUTES: '0' }, gh.dir);
    expect(result.status).toBe(1);
    expect(errorLines(result.stdout)).toEqual([
      "::error title=Frontend deploy not found::No deploy-production.yml run with 'backend-99-1' in its name started within 0 minutes",
    ]);
  });

  test.each([
    ['.github/workflows/deploy-backend.yml', ['BUDGET_MINUTES', 'TOKEN_HINT']],
    ['.github/workflows/rollback.yml', ['TOKEN_HINT']],
  ])('%s runs it from the suite checkout at the pinned commit, passing every variable it reads', (path, optional) => {
    const job = byPath(path).doc.jobs.frontend;
    const steps = job.steps ?? [];
    const checkout = steps.find((s) => s.with?.path === '.deploy-suite');
    expect(String(checkout?.with?.ref)).toContain('needs.plan.outputs.suite-sha');
    const dispatch = steps.find((s) => s.run?.includes('dispatch-frontend-deploy.sh'));
    expect(dispatch?.run).toBe('bash .deploy-suite/.github/scripts/dispatch-frontend-deploy.sh');
    expect(steps.indexOf(checkout!)).toBeLessThan(steps.indexOf(dispatch!));
    const required = Object.keys(env).filter((name) => name !== 'BUDGET_MINUTES');
    expect(Object.keys(dispatch?.env ?? {}).sort()).toEqual([...required, ...optional].sort());
    expect(job.permissions).toEqual({ contents: 'read' });
  });
});

test('every workflow file is covered by these tests', () => {
  expect(workflows.map((f) => relative('.github/workflows', f.path)).sort()).toEqual([
    'ci.yml',
    'deploy-backend.yml',
    'deploy-frontend.yml',
    'migrate.yml',
    'rollback.yml',
  ]);
});
