import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT as ROOT } from '../../sandbox/run-bundle.js';
import { errorLines, runScript } from '../support/workflow-step.js';
import {
  TENANTS,
  byPath,
  examples,
  needsOf,
  reusable,
  runStep,
  stepScript,
  type Job,
  type Json,
  type Step,
} from '../support/workflow-files.js';

/** The caller examples the two StartupWebApp repositories adopt. */

describe('the caller examples', () => {
  const dispatchInputs = (path: string) =>
    (byPath(path).doc.on.workflow_dispatch as { inputs: Record<string, Json> }).inputs;

  test("backend deploy runs on push to master with today's paths filter, with its tests first", () => {
    const { doc } = byPath('examples/backend/deploy-production.yml');
    // Today's server workflow: infra scripts, buildspecs and docs deploy nothing.
    expect(doc.on.push).toEqual({
      branches: ['master'],
      paths: ['StartupWebApp/**', 'Dockerfile', 'requirements.txt', '.github/workflows/deploy-production.yml'],
    });
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

  test('rollback by hand: to is revisions back (default 1), a typed confirmation, dry-run and the frontend (default matching)', () => {
    const inputs = dispatchInputs('examples/backend/rollback-production.yml');
    expect(inputs.to).toMatchObject({ type: 'string', default: '1' });
    expect(inputs.confirm).toMatchObject({ type: 'string', default: '' });
    expect(inputs['dry-run']).toMatchObject({ type: 'boolean', default: false });
    expect(inputs.frontend).toMatchObject({ type: 'string', default: 'matching' });
    const { doc } = byPath('examples/backend/rollback-production.yml');
    expect(doc.jobs.rollback.with?.frontend).toBe('${{ inputs.frontend }}');
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
    expect(doc.jobs.deploy.with?.['correlation-id']).toBe(
      '${{ github.event.client_payload.correlation_id || inputs.correlation-id }}',
    );
    expect(doc['run-name']).toContain('inputs.correlation-id');
  });

  test('the backend starts by workflow_dispatch the workflow file the frontend example is, with the inputs it declares', () => {
    const backend = byPath('.github/workflows/deploy-backend.yml');
    const inputs = (backend.doc.on.workflow_call as { inputs: Record<string, { default?: unknown }> }).inputs;
    expect(`examples/frontend/${String(inputs['frontend-workflow'].default)}`).toBe(
      'examples/frontend/deploy-production.yml',
    );
    const script = readFileSync(join(ROOT, '.github/scripts/dispatch-frontend-deploy.sh'), 'utf8');
    expect(script).toContain('repos/$repo/actions/workflows/$FRONTEND_WORKFLOW/dispatches');
    const sent = /inputs: \{([^}]*)\}/.exec(script)?.[1] ?? '';
    const names = [...sent.matchAll(/"?([a-z-]+)"?: \$/g)].map((m) => m[1]).sort();
    expect(names).toEqual(['backend-run-url', 'backend-sha', 'correlation-id', 'ref']);
    const declared = Object.keys(dispatchInputs('examples/frontend/deploy-production.yml'));
    for (const name of names) expect(declared).toContain(name);
    // ... and today's repository_dispatch deploy-production stays accepted (today's server workflow sends it).
    expect(byPath('examples/frontend/deploy-production.yml').doc.on.repository_dispatch).toEqual({
      types: ['deploy-production'],
    });
  });

  test('examples hold no long-lived AWS keys', () => {
    for (const file of examples) expect(file.text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/);
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
