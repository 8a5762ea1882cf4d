import { adminRun, ADMIN_COMMAND, SUPERUSER_CREATED, superuserSecrets } from '../../../sandbox/pipeline/admin-run.js';
import { pipelineImages } from '../../../sandbox/pipeline/images.js';
import type { Observed, ScenarioContext } from '../../../sandbox/pipeline/scenario.js';

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds/startupwebapp/multi-tenant/master-AbCdEf';
const context = {
  cluster: 'c',
  service: 's',
  migrationFamily: 'startupwebapp-migration-task',
  images: pipelineImages(),
  done: new Map(),
} as unknown as ScenarioContext;
const admin = { image: 'repo/app:4f2c9e1', secretArn: SECRET, secretValues: ['pw-in-the-vault'] };
const spec = adminRun(context, admin, { 'poll-interval-seconds': '0.25' });
const adminArn = `arn:aws:ecs:us-east-1:1:task-definition/${ADMIN_COMMAND.family}:3`;
const observed = (partial: Partial<Observed>): Observed => ({
  exitCode: 0,
  outputs: { 'exit-code': '0', 'task-definition-arn': adminArn },
  errors: [],
  lines: [SUPERUSER_CREATED],
  ...partial,
});

describe('the admin run', () => {
  it('runs createsuperuser through run-migration on the service image, in its own family, with references', () => {
    expect(spec.action).toBe('run-migration');
    expect(spec.inputs).toMatchObject({
      'task-definition': 'startupwebapp-migration-task',
      family: 'startupwebapp-admin-task',
      image: 'repo/app:4f2c9e1',
      command: 'python manage.py createsuperuser --noinput',
      environment: 'DATABASE_NAME=healthtech_experiment',
      'poll-interval-seconds': '0.25',
    });
    expect(superuserSecrets(SECRET).split('\n')).toEqual([
      `DJANGO_SUPERUSER_USERNAME=${SECRET}:superuser_username::`,
      `DJANGO_SUPERUSER_EMAIL=${SECRET}:superuser_email::`,
      `DJANGO_SUPERUSER_PASSWORD=${SECRET}:superuser_password::`,
    ]);
    expect(spec.inputs.secrets).toBe(superuserSecrets(SECRET));
  });

  it('did what it should only with exit 0, the superuser created, the admin family and no value shown', () => {
    expect(spec.judge(observed({}), context)).toEqual({
      ok: true,
      result: 'exit 0 · startupwebapp-admin-task:3 · 3 secret references, no value shown',
    });
    expect(spec.judge(observed({ lines: ['x'] }), context).ok).toBe(false);
    expect(spec.judge(observed({ exitCode: 1 }), context).ok).toBe(false);
    const inMigrationFamily = observed({
      outputs: {
        'exit-code': '0',
        'task-definition-arn': adminArn.replace(ADMIN_COMMAND.family, 'startupwebapp-migration-task'),
      },
    });
    expect(spec.judge(inMigrationFamily, context)).toMatchObject({
      ok: false,
      result: /^registered in startupwebapp-migration-task/,
    });
    expect(spec.judge(observed({ lines: [SUPERUSER_CREATED, 'password pw-in-the-vault'] }), context)).toEqual({
      ok: false,
      result: 'a secret value was shown',
    });
  });
});
