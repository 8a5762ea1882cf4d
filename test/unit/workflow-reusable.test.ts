import { SMOKE_PATHS } from '../../sandbox/pipeline/images.js';
import { byPath, deployingJobProblems, orderViolations, reusable, type Step } from '../support/workflow-files.js';

/** The reusable workflows' structure: the backend pipeline's order and bounds, shared concurrency groups, the health and smoke checks, the frontend's attempts. */

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

  test('backend deploy plans the migrations of every tenant it migrates before the first is migrated (issue 26)', () => {
    const { doc } = byPath('.github/workflows/deploy-backend.yml');
    const inputs = (doc.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs;
    expect(inputs.destructive?.default).toBe('fail');
    const planJob = doc.jobs['migration-plan']!;
    const step = planJob.steps?.find((s) => s.uses?.endsWith('/run-migration'));
    expect(step?.with).toMatchObject({
      plan: 'only',
      destructive: '${{ inputs.destructive }}',
      image: '${{ needs.build.outputs.image }}',
    });
    expect(String(step?.with?.['plan-databases'])).toContain('needs.plan.outputs.databases');
    expect(planJob.if).toBe(doc.jobs.migrate.if);
    // A refused plan fails its job, so no tenant is migrated and nothing is deployed.
    expect(doc.jobs.migrate.needs).toContain('migration-plan');
    expect(orderViolations(doc, ['build', 'migration-plan', 'migrate', 'deploy'])).toEqual([]);
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

  test('backend deploy and rollback check the health URL the caller names, by default /order/products, then the smoke routes the sandbox demonstrates', () => {
    const { doc } = byPath('.github/workflows/deploy-backend.yml');
    const inputs = (doc.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs;
    expect(inputs['health-check-url'].default).toBe('https://startupwebapp-api.mosaicmeshai.com/order/products');
    expect(String(inputs['smoke-urls'].default)).toContain(
      'https://startupwebapp-api.mosaicmeshai.com/order/products 200',
    );
    const deploy = doc.jobs.deploy.steps?.find((s) => s.uses?.endsWith('/deploy-service'));
    expect(deploy?.with?.['health-check-url']).toBe('${{ inputs.health-check-url }}');
    // The sandbox's verify (sandbox/pipeline/images.ts SMOKE_PATHS) finds /user/logged-in answering 500 on a release
    // every task of which is healthy: the real defaults check the same routes, then the site root.
    const api = 'https://startupwebapp-api.mosaicmeshai.com';
    expect(String(inputs['smoke-urls'].default).trim().split('\n')).toEqual([
      ...['/order/products', ...SMOKE_PATHS.filter((path) => path !== '/order/products')].map(
        (path) => `${api}${path} 200`,
      ),
      'https://startupwebapp.mosaicmeshai.com/ 200',
    ]);
    const rollback = byPath('.github/workflows/rollback.yml').doc;
    const rollbackInputs = (rollback.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs;
    expect(rollbackInputs['health-check-url'].default).toBe(inputs['health-check-url'].default);
    expect(rollbackInputs['smoke-urls'].default).toBe(inputs['smoke-urls'].default);
    for (const [workflow, after] of [
      [doc, 'The deploy'],
      [rollback, 'The rollback'],
    ] as const) {
      const verify = workflow.jobs.verify.steps?.find((s) => s.run?.includes('verify-urls.sh'));
      expect(verify?.run).toBe('bash .deploy-suite/.github/scripts/verify-urls.sh');
      expect(verify?.env).toMatchObject({
        HEALTH_CHECK_URL: '${{ inputs.health-check-url }}',
        SMOKE_URLS: '${{ inputs.smoke-urls }}',
        AFTER: after,
      });
    }
    expect(orderViolations(rollback, ['plan', 'rollback', 'frontend', 'verify'])).toEqual([]);
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
