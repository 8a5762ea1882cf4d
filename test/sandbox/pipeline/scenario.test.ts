import { BROKEN_BOOT_ERROR, pipelineImages, SUPERUSER_CREATED } from '../../../sandbox/pipeline/images.js';
import {
  ADMIN_COMMAND,
  adminRun,
  deployRun,
  frontendRun,
  pacing,
  PLAIN_VALUES_REPLACED,
  rollbackRun,
  STEPS,
  superuserSecrets,
  verifyRun,
  type Observed,
  type ScenarioContext,
} from '../../../sandbox/pipeline/scenario.js';

/** What each run of the pipeline should do, judged from what it reported. */

const images = pipelineImages();
const arn = (revision: number) => `arn:aws:ecs:us-east-1:1:task-definition/web:${revision}`;
const observed = (partial: Partial<Observed>): Observed => ({
  exitCode: 0,
  outputs: {},
  errors: [],
  lines: [],
  ...partial,
});
const context = (done: Array<[string, Observed[]]> = []): ScenarioContext => ({
  cluster: 'c',
  service: 's',
  migrationFamily: 'm',
  bucket: 'b',
  distributionId: 'E1',
  site: 'site',
  editedSite: '/tmp/site-edited',
  healthCheckUrl: 'http://127.0.0.1:2/order/products',
  apiUrl: 'http://127.0.0.1:2',
  images,
  timeScale: 0.05,
  done: new Map(done),
});

describe('the sequence', () => {
  it('plays Scenario C: a broken deploy, a release the smoke check fails, the rollback and a new check, then an admin command', () => {
    expect(STEPS.map((step) => step.id)).toEqual([
      'migrate',
      'deploy',
      'frontend',
      'broken',
      'release',
      'rollback',
      'admin',
      'destructive',
    ]);
    expect(STEPS.find((step) => step.id === 'admin')?.before).toBe('service-image');
    expect(STEPS.find((step) => step.id === 'release')?.before).toBe('service-steady');
    const labels = STEPS.flatMap((step) => step.runs(context()).map((run) => `${run.action}: ${run.label}`));
    expect(labels.slice(-7)).toEqual([
      'deploy-service: deploy c81d2e7',
      'verify: verify c81d2e7',
      'rollback: rollback to: -1',
      'verify: verify after the rollback',
      'run-migration: createsuperuser on healthtech_experiment',
      'run-migration: then migrate healthtech_experiment',
      'run-migration: plan d3e4f5a (RemoveField)',
    ]);
  });
});

describe('deploys', () => {
  const crash = {
    level: 'error' as const,
    title: 'Deployment ROLLED_BACK',
    message: `circuit breaker\n${BROKEN_BOOT_ERROR}: x`,
  };

  it('the broken deploy did what it should only when it failed, rolled back and showed the traceback', () => {
    const spec = deployRun('broken', context());
    expect(
      spec.judge(observed({ exitCode: 1, outputs: { status: 'ROLLED_BACK' }, errors: [crash] }), context()).ok,
    ).toBe(true);
    expect(spec.judge(observed({ exitCode: 0, outputs: { status: 'COMPLETED' } }), context())).toEqual({
      ok: false,
      result: 'reported success (status COMPLETED)',
    });
    const noTraceback = spec.judge(
      observed({ exitCode: 1, outputs: { status: 'ROLLED_BACK' }, errors: [] }),
      context(),
    );
    expect(noTraceback).toEqual({ ok: false, result: 'status ROLLED_BACK, no traceback in the error (exit 1)' });
  });

  it('the good deploy and the regressed release each need COMPLETED and a passed health check', () => {
    for (const image of ['good', 'regressed'] as const) {
      const spec = deployRun(image, context());
      expect(spec.inputs.image).toBe(images[image]);
      const completed = { exitCode: 0, outputs: { status: 'COMPLETED', 'task-definition-arn': arn(2) } };
      expect(spec.judge(observed({ ...completed, lines: ['[t] http://h/health answered 200 {}'] }), context()).ok).toBe(
        true,
      );
      expect(spec.judge(observed(completed), context()).ok).toBe(false);
    }
  });
});

describe('the frontend', () => {
  it('the in-place edit of a versioned script must deploy it, revalidated, with its path invalidated', () => {
    const spec = frontendRun('edit', context());
    expect(spec.inputs).toMatchObject({ source: '/tmp/site-edited', 'changed-immutable': 'fail' });
    const line =
      '+ js/index-0.0.3.js (content changed; 1.0 KiB, public, max-age=0, must-revalidate, text/javascript; charset=utf-8)';
    const deployed = observed({ outputs: { uploaded: '1', 'invalidation-id': 'I1' }, lines: [line] });
    expect(spec.judge(deployed, context())).toEqual({
      ok: true,
      result: 'js/index-0.0.3.js uploaded, max-age=0, must-revalidate, invalidation I1',
    });
    const refused = observed({
      exitCode: 1,
      errors: [{ level: 'error', title: 'Changed under a long-lived name', message: 'x' }],
    });
    expect(spec.judge(refused, context()).ok).toBe(false);
    const year = line.replace('public, max-age=0, must-revalidate', 'public, max-age=31536000, immutable');
    expect(spec.judge(observed({ ...deployed, lines: [year] }), context()).ok).toBe(false);
  });

  it('the redeploy of the same site must upload nothing and invalidate nothing', () => {
    const spec = frontendRun('again', context());
    expect(
      spec.judge(observed({ outputs: { uploaded: '0', unchanged: '9', 'invalidation-id': '' } }), context()).ok,
    ).toBe(true);
    expect(spec.judge(observed({ outputs: { uploaded: '9', 'invalidation-id': 'I1' } }), context()).ok).toBe(false);
  });
});

describe('the verify job', () => {
  const smokeFailed = (url: string, got: number) => ({
    level: 'error' as const,
    title: 'Smoke check failed',
    message: `${url} answered ${got}, expected 200`,
  });

  it('checks /order/products as the health-check URL, and the smoke routes, through the API URL', () => {
    const spec = verifyRun('release', context());
    expect(spec.entry).toBe('sandbox/pipeline/verify-job.ts');
    expect(spec.inputs['health-check-url']).toBe('http://127.0.0.1:2/order/products');
    expect(spec.inputs['smoke-urls']).toBe(
      'http://127.0.0.1:2/user/logged-in 200\nhttp://127.0.0.1:2/order/products 200',
    );
  });

  it('after the release, did what it should only when the health path passed and the login-status route failed with 500', () => {
    const spec = verifyRun('release', context());
    const health = ['http://127.0.0.1:2/order/products -> 200'];
    const caught = observed({
      exitCode: 1,
      lines: health,
      errors: [smokeFailed('http://127.0.0.1:2/user/logged-in', 500)],
    });
    expect(spec.judge(caught, context())).toEqual({
      ok: true,
      result: 'failed as it should: /user/logged-in 500, /order/products 200',
    });
    expect(spec.judge(observed({ lines: health }), context())).toEqual({
      ok: false,
      result: 'passed a release whose /user/logged-in answers 500',
    });
    const otherRoute = observed({
      exitCode: 1,
      lines: health,
      errors: [smokeFailed('http://127.0.0.1:2/order/products', 500)],
    });
    expect(spec.judge(otherRoute, context()).ok).toBe(false);
    const noHealth = observed({ exitCode: 1, errors: [smokeFailed('http://127.0.0.1:2/user/logged-in', 500)] });
    expect(spec.judge(noHealth, context()).ok).toBe(false);
  });

  it('after the rollback, must pass', () => {
    const spec = verifyRun('rollback', context());
    expect(spec.judge(observed({}), context()).ok).toBe(true);
    expect(spec.judge(observed({ exitCode: 1, errors: [smokeFailed('u', 500)] }), context()).ok).toBe(false);
  });
});

describe('the rollback', () => {
  const done = context([
    ['deploy', [observed({ outputs: { 'task-definition-arn': arn(2) } })]],
    ['broken', [observed({ exitCode: 1, outputs: { 'task-definition-arn': arn(3) } })]],
  ]);
  const why =
    'Why: to: -1 — the last successful deployment before web:4 is d2 of web:2; skipped web:3 (ROLLBACK_SUCCESSFUL).';
  const rollback = (status: string, to: string, lines = [why]) =>
    observed({ outputs: { status, 'to-task-definition-arn': to }, lines });

  it("must land on step 2's revision with COMPLETED and say it skipped step 4's", () => {
    const spec = rollbackRun(done);
    expect(spec.judge(rollback('COMPLETED', arn(2)), done)).toEqual({
      ok: true,
      result: 'COMPLETED · web:2 · skipped :3 (ROLLBACK_SUCCESSFUL)',
    });
  });

  it('fails the naive next-older target, a NOOP, and a rollback that does not say what it skipped', () => {
    const spec = rollbackRun(done);
    expect(spec.judge(rollback('COMPLETED', arn(3), ['Why: to: -1 — web:3']), done)).toEqual({
      ok: false,
      result: 'COMPLETED, target web:3 instead of web:2, without saying it skipped web:3 (exit 0)',
    });
    expect(spec.judge(rollback('NOOP', arn(2)), done).ok).toBe(false);
    expect(spec.judge(rollback('COMPLETED', arn(2), ['Why: to: -1 — web:2']), done).ok).toBe(false);
  });
});

describe('pacing', () => {
  it('scales poll intervals and timeouts with the time scale, within the inputs bounds', () => {
    expect(pacing(0.05)).toEqual({ 'poll-interval-seconds': '0.25', 'timeout-minutes': '1.5' });
    expect(pacing(0.001)).toEqual({ 'poll-interval-seconds': '0.05', 'timeout-minutes': '1' });
    expect(pacing(1)).toEqual({ 'poll-interval-seconds': '5', 'timeout-minutes': '30' });
  });
});

describe('the admin command', () => {
  const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds/startupwebapp/multi-tenant/master-AbCdEf';
  const admin = { image: 'repo/app:4f2c9e1', secretArn: SECRET, secretValues: ['pw-in-the-vault'] };
  const withAdmin = (): ScenarioContext => ({ ...context(), migrationFamily: 'startupwebapp-migration-task', admin });
  const adminArn = `arn:aws:ecs:us-east-1:1:task-definition/${ADMIN_COMMAND.family}:3`;
  const ran = (partial: Partial<Observed>): Observed =>
    observed({
      outputs: { 'exit-code': '0', 'task-definition-arn': adminArn },
      lines: [SUPERUSER_CREATED],
      ...partial,
    });

  it('runs createsuperuser through run-migration on the service image, in its own family, with references', () => {
    const spec = adminRun(withAdmin());
    expect(spec.action).toBe('run-migration');
    expect(spec.inputs).toMatchObject({
      'task-definition': 'startupwebapp-migration-task',
      family: 'startupwebapp-admin-task',
      image: 'repo/app:4f2c9e1',
      command: 'python manage.py createsuperuser --noinput',
      environment: 'DATABASE_NAME=healthtech_experiment',
    });
    expect(spec.inputs.secrets!.split('\n')).toEqual([
      `DJANGO_SUPERUSER_USERNAME=${SECRET}:superuser_username::`,
      `DJANGO_SUPERUSER_EMAIL=${SECRET}:superuser_email::`,
      `DJANGO_SUPERUSER_PASSWORD=${SECRET}:superuser_password::`,
    ]);
    expect(spec.inputs.secrets).toBe(superuserSecrets(SECRET));
  });

  it('did what it should only with exit 0, the superuser created, the admin family and no value shown', () => {
    const spec = adminRun(withAdmin());
    expect(spec.judge(ran({}), withAdmin())).toEqual({
      ok: true,
      result: 'exit 0 · startupwebapp-admin-task:3 · 3 secret references, no value shown',
    });
    const polluted = ran({
      warnings: [{ level: 'warning', title: PLAIN_VALUES_REPLACED, message: 'DJANGO_SUPERUSER_PASSWORD' }],
    });
    expect(spec.judge(polluted, withAdmin()).result).toBe(
      'exit 0 · startupwebapp-admin-task:3 · 3 secret references (plain values replaced), no value shown',
    );
    expect(spec.judge(ran({ exitCode: 1 }), withAdmin()).ok).toBe(false);
    const inMigrationFamily = ran({
      outputs: { 'task-definition-arn': adminArn.replace(ADMIN_COMMAND.family, 'startupwebapp-migration-task') },
    });
    expect(spec.judge(inMigrationFamily, withAdmin()).ok).toBe(false);
    expect(spec.judge(ran({ lines: ['x'] }), withAdmin())).toMatchObject({
      ok: false,
      result: 'ran in startupwebapp-admin-task:3, no superuser created (exit 0)',
    });
    expect(spec.judge(ran({ lines: [SUPERUSER_CREATED, 'password pw-in-the-vault'] }), withAdmin())).toEqual({
      ok: false,
      result: 'a secret value was shown',
    });
  });
});
