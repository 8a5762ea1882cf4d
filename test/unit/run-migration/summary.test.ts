import {
  databaseName,
  migrationSummary,
  runLabel,
  taskConsoleUrl,
  type MigrationReport,
} from '../../../actions/run-migration/summary.js';

const report: MigrationReport = {
  label: 'Migration',
  cluster: 'startupwebapp-cluster',
  container: 'migration',
  database: 'healthtech_experiment',
  taskDefinition: 'startupwebapp-migration-task:8',
  registeredFrom: 'startupwebapp-migration-task:7',
  image: 'repo/app:abc',
  imageChanged: true,
  command: 'python manage.py migrate --noinput',
  secrets: [],
  taskId: 'abc',
  taskUrl: 'https://console/abc',
  exitCode: 0,
  durationSeconds: 42.5,
  logUrl: 'https://console/logs',
  details: [],
  notes: [],
  lastLines: ['Applying shop.0002... OK'],
};

describe('runLabel', () => {
  it('calls migrate a migration, and names any other management command', () => {
    expect(runLabel(['python', 'manage.py', 'migrate', '--noinput'])).toBe('Migration');
    expect(runLabel(['python', 'StartupWebApp/manage.py', 'migrate', 'order'])).toBe('Migration');
    expect(runLabel(['./migrate.sh'])).toBe('Command');
    expect(runLabel(['bin/run', 'migrate'])).toBe('Migration');
    expect(runLabel(['python', 'manage.py', 'createsuperuser', '--noinput'])).toBe('Command createsuperuser');
    expect(runLabel(['python', 'manage.py'])).toBe('Command');
  });
});

describe('migrationSummary', () => {
  it('states success with the database, task, revision, image, exit code, duration and a link to the logs', () => {
    const text = migrationSummary(report).render();
    expect(text).toContain('## Migration on healthtech_experiment succeeded');
    expect(text).toContain('| **Task** | [abc](https://console/abc) |');
    expect(text).toContain(
      'startupwebapp-migration-task:8 (registered from startupwebapp-migration-task:7 with the new image)',
    );
    expect(text).toContain('| **Image** | repo/app:abc |');
    expect(text).toContain('| **Exit code** | 0 |');
    expect(text).toContain('| **Duration** | 42.5s |');
    expect(text).toContain('[CloudWatch Logs](https://console/logs)');
    expect(text).not.toContain('Applying shop'); // log lines only on failure
    expect(text).not.toContain('Secrets');
  });

  it('names the secret references a derived revision carries, never a value', () => {
    const admin = { ...report, secrets: ['DJANGO_SUPERUSER_EMAIL', 'DJANGO_SUPERUSER_PASSWORD'] };
    const text = migrationSummary({ ...admin, label: 'Command createsuperuser' }).render();
    expect(text).toContain('## Command createsuperuser on healthtech_experiment succeeded');
    expect(text).toContain('| **Secrets** | DJANGO_SUPERUSER_EMAIL, DJANGO_SUPERUSER_PASSWORD (references) |');
    expect(text).toContain(
      '(registered from startupwebapp-migration-task:7 with the new image and 2 secret references)',
    );
    const secretsOnly = migrationSummary({ ...admin, imageChanged: false, secrets: ['A'] }).render();
    expect(secretsOnly).toContain('(registered from startupwebapp-migration-task:7 with 1 secret reference)');
  });

  it('states the failure reason, the stop details and the last log lines on failure', () => {
    const text = migrationSummary({
      ...report,
      exitCode: 1,
      failure: 'Container migration exited with code 1',
      details: ['Task abc stopped (EssentialContainerExited): Essential container in task exited'],
    }).render();
    expect(text).toContain('## Migration on healthtech_experiment failed');
    expect(text).toContain('**Container migration exited with code 1**');
    expect(text).toContain('- Task abc stopped (EssentialContainerExited)');
    expect(text).toContain('<summary>Last 1 log lines</summary>');
    expect(text).toContain('Applying shop.0002... OK');
  });
});

it('links to the task in the ECS console by cluster name, even given a cluster ARN', () => {
  expect(taskConsoleUrl('us-east-1', 'arn:aws:ecs:us-east-1:1:cluster/startupwebapp-cluster', 'abc')).toBe(
    'https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/startupwebapp-cluster/tasks/abc/configuration?region=us-east-1',
  );
});

it('takes the database from the DATABASE_NAME override, else from the container environment', () => {
  const container = [{ name: 'DATABASE_NAME', value: 'startupwebapp_prod' }];
  expect(databaseName([{ name: 'DATABASE_NAME', value: 'healthtech_experiment' }], container)).toBe(
    'healthtech_experiment',
  );
  expect(databaseName([], container)).toBe('startupwebapp_prod');
  expect(databaseName([], [])).toBeUndefined();
});
