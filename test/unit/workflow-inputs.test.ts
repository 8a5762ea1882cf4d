import { errorLines } from '../support/workflow-step.js';
import { TENANTS, runStep, stepScript } from '../support/workflow-files.js';

/** The reusable workflows' input checks (.github/scripts/check-*-inputs.sh), run as their steps run them. */

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
    FRONTEND_BRANCH: 'master',
    FRONTEND_REF: 'master',
    FRONTEND_APP_CLIENT_ID: 'Iv23liAbCdEf123456',
    SMOKE_URLS: 'https://api.example.com/order/products 200\nhttps://www.example.com/ 200\n',
    MIGRATION_TIMEOUT_MINUTES: '20',
    DEPLOY_TIMEOUT_MINUTES: '15',
    FRONTEND_TIMEOUT_MINUTES: '25',
    FRONTEND_APPROVAL_TIMEOUT_MINUTES: '120',
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
    ['FRONTEND_BRANCH', 'master..x', 'frontend-branch'],
    ['ON_FAILURE', 'ignore', 'on-failure'],
    ['SMOKE_URLS', 'https://x.example 200 extra', 'smoke-urls'],
    ['HEALTH_CHECK_URL', 'file:///etc/passwd', 'health-check-url'],
    ['FRONTEND_APP_CLIENT_ID', 'Iv23 $(id)', 'frontend-app-client-id'],
    ['MIGRATION_TIMEOUT_MINUTES', '41', 'migration-timeout-minutes'],
    ['DEPLOY_TIMEOUT_MINUTES', '0', 'deploy-timeout-minutes'],
    ['FRONTEND_TIMEOUT_MINUTES', '2.5', 'frontend-timeout-minutes'],
    ['FRONTEND_TIMEOUT_MINUTES', '61', 'frontend-timeout-minutes'],
    ['FRONTEND_APPROVAL_TIMEOUT_MINUTES', '241', 'frontend-approval-timeout-minutes'],
    ['FRONTEND_APPROVAL_TIMEOUT_MINUTES', '', 'frontend-approval-timeout-minutes'],
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

  test("rollback: to, frontend and the dry run's role are checked", () => {
    const step = stepScript('.github/workflows/rollback.yml', 'plan', (s) => s.name === 'Validate inputs');
    const good = {
      TO: 'previous',
      FRONTEND: 'matching',
      DRY_RUN: 'false',
      PREVIEW_ROLE: '',
      FRONTEND_REPOSITORY: 'o/r',
      FRONTEND_WORKFLOW: 'deploy-production.yml',
      FRONTEND_BRANCH: 'master',
      FRONTEND_APP_CLIENT_ID: '',
      TIMEOUT_MINUTES: '15',
      FRONTEND_TIMEOUT_MINUTES: '25',
      FRONTEND_APPROVAL_TIMEOUT_MINUTES: '120',
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
    for (const frontend of ['none', 'master', 'a'.repeat(40)]) {
      expect([frontend, runStep(step, { ...good, FRONTEND: frontend }).status]).toEqual([frontend, 0]);
    }
    const ref = runStep(step, { ...good, FRONTEND: 'main;id' });
    expect(errorLines(ref.stdout)[0]).toContain("Input 'frontend' must be matching, none,");
    const dry = runStep(step, { ...good, DRY_RUN: 'true' });
    expect(errorLines(dry.stdout)).toEqual([
      expect.stringContaining("Input 'aws-rollback-preview-role-arn' is needed"),
    ]);
    expect(runStep(step, { ...good, DRY_RUN: 'true', PREVIEW_ROLE: 'arn:aws:iam::1:role/p' }).status).toBe(0);
    expect(runStep(step, good).outputs).toEqual({ 'frontend-owner': 'o', 'frontend-name': 'r' });
    const wait = runStep(step, { ...good, FRONTEND_TIMEOUT_MINUTES: '61' });
    expect(errorLines(wait.stdout)).toEqual([expect.stringContaining("Input 'frontend-timeout-minutes'")]);
    const approval = runStep(step, { ...good, FRONTEND_APPROVAL_TIMEOUT_MINUTES: '0' });
    expect(errorLines(approval.stdout)).toEqual([expect.stringContaining("Input 'frontend-approval-timeout-minutes'")]);
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

  test("frontend: backend-run-url is accepted only as a run on this GitHub server's host", () => {
    const step = stepScript('.github/workflows/deploy-frontend.yml', 'checks', (s) => s.id === 'inputs');
    const run = (url: string) =>
      runStep(step, { REF: 'master', CORRELATION_ID: '', BACKEND_RUN_URL: url, SERVER_URL: 'https://github.com' });
    for (const url of [
      '',
      'https://github.com/o/r/actions/runs/5',
      'https://github.com/o/r/actions/runs/5/attempts/2',
    ]) {
      expect([url, run(url).status]).toEqual([url, 0]);
    }
    for (const url of [
      'https://evil.example/o/r/actions/runs/5',
      'https://github.com.evil.example/o/r/actions/runs/5',
      'https://githubxcom/o/r/actions/runs/5',
      'http://github.com/o/r/actions/runs/5',
      'https://github.com/o/r/actions/runs/5?x=1',
    ]) {
      const result = run(url);
      expect([url, result.status, errorLines(result.stdout)]).toEqual([
        url,
        1,
        [
          "::error title=Invalid input::Input 'backend-run-url' must be a run on https://github.com (owner/repo/actions/runs/N)",
        ],
      ]);
    }
  });
});
