import {
  databaseName,
  migrationSummary,
  taskConsoleUrl,
  type MigrationReport,
} from '../../../actions/run-migration/summary.js';

const report: MigrationReport = {
  cluster: 'startupwebapp-cluster',
  container: 'migration',
  database: 'healthtech_experiment',
  taskDefinition: 'startupwebapp-migration-task:8',
  registeredFrom: 'startupwebapp-migration-task:7',
  image: 'repo/app:abc',
  command: 'python manage.py migrate --noinput',
  taskId: 'abc',
  taskUrl: 'https://console/abc',
  exitCode: 0,
  durationSeconds: 42.5,
  logUrl: 'https://console/logs',
  details: [],
  notes: [],
  lastLines: ['Applying shop.0002... OK'],
};

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
