import { Inputs } from '../../../lib/runner/inputs.js';
import { readMigrationInputs } from '../../../actions/run-migration/inputs.js';

const read = (values: Record<string, string>) => readMigrationInputs(new Inputs((name) => values[name] ?? ''));
const SECRET = 'arn:aws:secretsmanager:us-east-1:853463362083:secret:rds/startupwebapp/multi-tenant/master-AbCdEf';
const minimal = { cluster: 'startupwebapp-cluster', 'task-definition': 'startupwebapp-migration-task' };

describe('readMigrationInputs', () => {
  it('reads secret references and the family to register them in', () => {
    const inputs = read({
      ...minimal,
      secrets: `DJANGO_SUPERUSER_PASSWORD=${SECRET}:superuser_password::`,
      family: 'startupwebapp-admin-task',
    });
    expect(inputs.secrets).toEqual([
      { name: 'DJANGO_SUPERUSER_PASSWORD', valueFrom: `${SECRET}:superuser_password::` },
    ]);
    expect(inputs.family).toBe('startupwebapp-admin-task');
  });

  it('applies the documented defaults', () => {
    expect(read(minimal)).toEqual({
      cluster: 'startupwebapp-cluster',
      taskDefinition: 'startupwebapp-migration-task',
      launch: { subnets: [], securityGroups: [] },
      command: ['python', 'manage.py', 'migrate', '--noinput'],
      environment: [],
      secrets: [],
      timeoutSeconds: 1200,
      pollSeconds: 5,
      stopOnTimeout: true,
      stopOnCancel: true,
      streamLogs: true,
      verify: true,
      reportLastLines: true,
      plan: 'off',
      destructive: 'fail',
      planDatabases: [],
    });
  });

  it('reads every explicit input', () => {
    const inputs = read({
      ...minimal,
      service: 'startupwebapp-service',
      subnets: 'subnet-0a1, subnet-0a2\nsubnet-0a3',
      'security-groups': 'sg-01',
      'assign-public-ip': 'enabled',
      'launch-type': 'fargate',
      'platform-version': '1.4.0',
      image: 'repo/app:abc123',
      container: 'migration',
      command: '["python", "manage.py", "migrate", "shop"]',
      environment: 'DATABASE_NAME=healthtech_experiment',
      'timeout-minutes': '0.5',
      'poll-interval-seconds': '0.05',
      'stop-on-timeout': 'false',
      'stop-on-cancel': 'false',
      'stream-logs': 'false',
      'report-last-lines': 'false',
    });
    expect(inputs).toEqual({
      cluster: 'startupwebapp-cluster',
      taskDefinition: 'startupwebapp-migration-task',
      service: 'startupwebapp-service',
      launch: {
        subnets: ['subnet-0a1', 'subnet-0a2', 'subnet-0a3'],
        securityGroups: ['sg-01'],
        assignPublicIp: 'ENABLED',
        launchType: 'FARGATE',
        platformVersion: '1.4.0',
      },
      image: 'repo/app:abc123',
      container: 'migration',
      command: ['python', 'manage.py', 'migrate', 'shop'],
      environment: [{ name: 'DATABASE_NAME', value: 'healthtech_experiment' }],
      secrets: [],
      timeoutSeconds: 30,
      pollSeconds: 0.05,
      stopOnTimeout: false,
      stopOnCancel: false,
      streamLogs: false,
      verify: true,
      reportLastLines: false,
      plan: 'off',
      destructive: 'fail',
      planDatabases: [],
    });
  });

  it.each([
    [{ cluster: '' }, "Input 'cluster' is required and was not given"],
    [{ 'task-definition': '' }, "Input 'task-definition' is required when no 'service' is given to take it from"],
    [
      { 'task-definition': 'a:b:c' },
      "Input 'task-definition' must be a task definition family, family:revision or ARN, got 'a:b:c'",
    ],
    [{ 'task-definition': 'web:0' }, /^Input 'task-definition' must be/],
    [{ 'task-definition': 'a b' }, /got 'a b'/],
    [{ subnets: 'subnet-1, vpc-2' }, "Input 'subnets' must list IDs like 'subnet-0abc123', got 'vpc-2'"],
    [{ 'security-groups': 'default' }, "Input 'security-groups' must list IDs like 'sg-0abc123', got 'default'"],
    [{ 'assign-public-ip': 'yes' }, "Input 'assign-public-ip' must be one of ENABLED, DISABLED, got 'yes'"],
    [
      { 'launch-type': 'LAMBDA' },
      "Input 'launch-type' must be one of FARGATE, EC2, EXTERNAL, MANAGED_INSTANCES, got 'LAMBDA'",
    ],
    [{ 'platform-version': 'newest' }, "Input 'platform-version' must be LATEST or a version like 1.4.0, got 'newest'"],
    [{ image: 'repo/app: tag' }, "Input 'image' must be an image reference without spaces, got 'repo/app: tag'"],
    [
      { environment: 'no equals sign' },
      "Input 'environment' line 1 must be KEY=VALUE with KEY a valid variable name: it has no '=' (the line is not shown, as it may hold a value)",
    ],
    [{ command: '{"a": 1}' }, "Input 'command' must be a command line or a JSON array of strings, got a JSON object"],
    [{ 'timeout-minutes': '361' }, "Input 'timeout-minutes' must be a number between 0.01 and 360, got '361'"],
    [{ 'poll-interval-seconds': '0' }, "Input 'poll-interval-seconds' must be a number between 0.01 and 300, got '0'"],
    [{ 'stop-on-cancel': 'maybe' }, "Input 'stop-on-cancel' must be 'true' or 'false', got 'maybe'"],
    [
      { secrets: 'PASSWORD=hunter2' },
      /^Input 'secrets' line 1 \(PASSWORD\) must be a Secrets Manager or SSM parameter ARN/,
    ],
    [
      { environment: 'A=1', secrets: `A=${SECRET}` },
      "Input 'secrets' sets A, which input 'environment' sets too: give it one way only",
    ],
    [
      { family: 'admin', image: '' },
      "Input 'family' applies to a revision this action registers: give 'image' or 'secrets' too",
    ],
    [{ family: 'admin:2', image: 'a:1' }, /^Input 'family' must be a task definition family name/],
  ])('refuses %j with one line naming the input', (bad, message) => {
    expect(() => read({ ...minimal, ...bad })).toThrow(message);
  });
});

describe('the plan inputs', () => {
  it('reads plan, destructive and the databases to plan', () => {
    const inputs = read({
      ...minimal,
      plan: 'only',
      destructive: 'warn',
      'plan-databases': 'startupwebapp_prod\nhealthtech_experiment\nfintech_experiment',
    });
    expect(inputs).toMatchObject({
      plan: 'only',
      destructive: 'warn',
      planDatabases: ['startupwebapp_prod', 'healthtech_experiment', 'fintech_experiment'],
    });
    expect(read({ ...minimal, plan: 'true' })).toMatchObject({ plan: 'on', destructive: 'fail' });
  });
  it.each([
    [{ plan: 'maybe' }, "Input 'plan' must be one of true, false, only, got 'maybe'"],
    [{ plan: 'true', destructive: 'yes' }, "Input 'destructive' must be one of fail, warn, allow, got 'yes'"],
    [
      { plan: 'true', command: 'python manage.py createsuperuser --noinput' },
      "Input 'plan' applies to Django's migrate command, not to 'python manage.py createsuperuser --noinput'",
    ],
    [{ 'plan-databases': 'startupwebapp_prod' }, "Input 'plan-databases' applies with 'plan: true' or 'plan: only'"],
    [
      { plan: 'only', 'plan-databases': 'prod; drop' },
      "Input 'plan-databases' must list database names, got 'prod; drop'",
    ],
    [
      { plan: 'true', 'plan-databases': 'a\nb' },
      "Input 'plan-databases' lists several databases: use 'plan: only' (this run migrates one database)",
    ],
  ])('refuses %j with one line naming the input', (values, message) => {
    expect(() => read({ ...minimal, ...values })).toThrow(message);
  });
});
