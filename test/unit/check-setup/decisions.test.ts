import {
  callersOf,
  checkDispatch,
  checkPin,
  listensFor,
  namesRead,
} from '../../../actions/check-setup/github-checks.js';
import { simulationRequests, checkPermissions } from '../../../actions/check-setup/permission-checks.js';
import { POLICIES } from '../../../actions/check-setup/policies.js';
import { plainSecretNames, secretIdOf } from '../../../actions/check-setup/task-family-checks.js';

describe('task families', () => {
  const family = (environment: Array<{ name: string; value: string }>) => ({
    label: 'startupwebapp-migration-task:9',
    containers: [{ name: 'migration', environment }],
  });

  test("today's polluted migration family: the superuser password is found by name, a secret's name is not", () => {
    const found = plainSecretNames(
      family([
        { name: 'DB_SECRET_NAME', value: 'rds/startupwebapp/multi-tenant/master' },
        { name: 'DJANGO_SUPERUSER_USERNAME', value: 'admin' },
        { name: 'DJANGO_SUPERUSER_PASSWORD', value: 'hunter2' },
      ]),
    );
    expect(found).toEqual([{ container: 'migration', name: 'DJANGO_SUPERUSER_PASSWORD' }]);
  });

  test('a Secrets Manager reference names its secret without the JSON key; SSM is told apart', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds/x-AbCdEf';
    expect(secretIdOf(`${arn}:password::`)).toEqual({ kind: 'secretsmanager', id: arn });
    expect(secretIdOf('arn:aws:ssm:us-east-1:123456789012:parameter/db/host').kind).toBe('ssm');
  });
});

describe('permissions', () => {
  test("run-migration's RunTask is simulated in the cluster its condition names, in the role's account", () => {
    const requests = simulationRequests(
      POLICIES['run-migration'].Statement,
      {},
      { account: '111122223333', region: 'eu-west-1' },
    );
    const runTask = requests.find((r) => r.actions.includes('ecs:RunTask'))!;
    expect(runTask.resources[0]).toBe(
      'arn:aws:ecs:eu-west-1:111122223333:task-definition/startupwebapp-migration-task:*',
    );
    expect(runTask.context).toEqual([
      { key: 'ecs:cluster', values: ['arn:aws:ecs:eu-west-1:111122223333:cluster/startupwebapp-cluster'] },
    ]);
  });

  test('rollback-preview asks for the read-only calls only', () => {
    const actions = simulationRequests(
      POLICIES.rollback.Statement,
      { readOnly: true },
      { account: '1', region: 'us-east-1' },
    ).flatMap((r) => r.actions);
    expect(actions).toContain('ecs:DescribeServices');
    expect(actions).not.toContain('ecs:UpdateService');
    expect(actions).not.toContain('ecs:StopServiceDeployment');
  });

  test('one denied action fails the line and names it', () => {
    const item = checkPermissions(
      'arn:aws:iam::1:role/startupwebapp-github-migrate',
      { policy: 'run-migration', roleName: 'startupwebapp-github-migrate' },
      [
        { action: 'ecs:RunTask', resource: 'r', decision: 'allowed' },
        { action: 'ecs:StopTask', resource: 't', decision: 'implicitDeny' },
      ],
    );
    expect(item.status).toBe('fail');
    expect(item.detail).toBe('denied: ecs:StopTask on t (implicitDeny)');
  });
});

describe('GitHub callers', () => {
  const caller = {
    path: '.github/workflows/deploy-production.yml',
    text: [
      'jobs:',
      '  deploy:',
      '    uses: owner/suite/.github/workflows/deploy-backend.yml@0123456789abcdef0123456789abcdef01234567 # v1',
      '    with:',
      '      role: ${{ vars.AWS_DEPLOY_ROLE_ARN }}',
      '    secrets:',
      '      key: ${{ secrets.FRONTEND_APP_PRIVATE_KEY }}',
      '      token: ${{ secrets.GITHUB_TOKEN }}',
    ].join('\n'),
  };

  test('pins, variables and secrets of the workflows that call the suite; GITHUB_TOKEN is not asked for', () => {
    const callers = callersOf([caller, { path: '.github/workflows/tests.yml', text: 'run: echo ${{ vars.OTHER }}' }]);
    expect(callers).toEqual([
      {
        path: caller.path,
        pins: [
          {
            repository: 'owner/suite',
            workflow: '.github/workflows/deploy-backend.yml',
            ref: '0123456789abcdef0123456789abcdef01234567',
          },
        ],
        variables: ['AWS_DEPLOY_ROLE_ARN'],
        secrets: ['FRONTEND_APP_PRIVATE_KEY'],
      },
    ]);
    expect([...namesRead(callers, 'variables').keys()]).toEqual(['AWS_DEPLOY_ROLE_ARN']);
  });

  test("the examples' placeholder pin is a ✗; a tag is a warning", () => {
    expect(checkPin({ repository: 'o/s', ref: '0'.repeat(40) }, undefined).status).toBe('fail');
    expect(checkPin({ repository: 'o/s', ref: 'v1' }, undefined).status).toBe('warn');
  });

  test.each([
    ['on:\n  repository_dispatch:\n    types: [deploy-production]\n', true],
    ['on:\n  repository_dispatch:\n', true],
    ['on: [push, repository_dispatch]\n', true],
    ['on:\n  repository_dispatch:\n    types: [other]\n', false],
    ['on:\n  workflow_dispatch:\n', false],
  ])('listens for deploy-production: %j → %s', (text, expected) => {
    expect(listensFor(text, 'deploy-production')).toBe(expected);
  });

  test('a backend that starts the client workflow directly needs workflow_dispatch, whatever the dispatch types', () => {
    expect(listensFor('on:\n  workflow_dispatch:\n    inputs: {}\n', 'workflow_dispatch')).toBe(true);
    expect(listensFor('on:\n  repository_dispatch:\n    types: [deploy-production]\n', 'workflow_dispatch')).toBe(
      false,
    );
  });

  test('workflow_dispatch needs an Actions: write token, not Contents: write; repository_dispatch needs Contents: write', () => {
    const target = 'o/client';
    const workflow = 'on:\n  workflow_dispatch:\n  repository_dispatch:\n    types: [deploy-production]\n';
    const readOnlyContents = { token: true, reach: { found: true, push: false }, workflow };
    const statuses = (eventType: string) =>
      checkDispatch(
        target,
        { eventType, workflow: 'deploy-production.yml', repository: 'o/server' },
        readOnlyContents,
      ).map((item) => [item.status, item.fix?.split(' (')[0]]);
    expect(statuses('workflow_dispatch')).toEqual([
      ['ok', undefined],
      ['ok', undefined],
    ]);
    expect(statuses('deploy-production')).toEqual([
      ['fail', 'Install the dispatch GitHub App on o/client with Contents: write and Actions: write'],
    ]);
  });
});
