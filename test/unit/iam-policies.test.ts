import { readdirSync } from 'node:fs';
import {
  allowedActions,
  asList as list,
  IAM_DIR as IAM,
  readPolicy as read,
  readRoles,
  roleAllowedActions,
  roleWorkActions,
  SETUP_CHECK_POLICY,
  type PolicyDocument,
} from '../support/iam-actions.js';

/**
 * Static checks of docs/iam: each policy parses, grants only its service prefixes, no wildcards where scoping is
 * possible; one role per workflow, each trusted by its workflow only and allowed only the changes its workflow makes.
 */

/** Actions AWS authorises only on `*` (no resource-level permissions); everything else must name its resources. */
const RESOURCE_STAR_ONLY = new Set([
  'ecs:DescribeTaskDefinition',
  'ecs:RegisterTaskDefinition',
  'ecs:ListTaskDefinitions',
  'ecs:ListTasks',
  'ecr:GetAuthorizationToken',
  // ELB's Describe* calls have no resource-level permissions.
  'elasticloadbalancing:DescribeTargetGroups',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetHealth',
]);

/** Problems with a permission policy: wildcard actions, unexpected services, `*` resources where scoping is possible. */
export function policyProblems(policy: PolicyDocument, prefixes: string[]): string[] {
  const problems: string[] = [];
  if (policy.Version !== '2012-10-17') problems.push('Version must be 2012-10-17');
  for (const statement of policy.Statement) {
    const name = statement.Sid ?? '(no Sid)';
    if (statement.Effect !== 'Allow') problems.push(`${name}: only Allow statements are expected`);
    for (const action of list(statement.Action)) {
      if (action.includes('*')) problems.push(`${name}: wildcard action ${action}`);
      if (!prefixes.includes(action.split(':')[0])) problems.push(`${name}: unexpected service in ${action}`);
    }
    const resources = list(statement.Resource);
    if (resources.length === 0) problems.push(`${name}: no Resource`);
    if (resources.includes('*')) {
      for (const action of list(statement.Action)) {
        if (!RESOURCE_STAR_ONLY.has(action)) problems.push(`${name}: ${action} on * although it can be scoped`);
      }
    }
  }
  return problems;
}

/** Every permission policy file: the per-action policies and their narrower variants, with the services each may use. */
const PERMISSION_POLICIES: Record<string, string[]> = {
  'run-migration': ['ecs', 'iam', 'logs', 'ecr', 'secretsmanager'],
  'run-migration-admin': ['ecs', 'iam', 'logs', 'ecr', 'secretsmanager'],
  'deploy-service': ['ecs', 'iam', 'logs', 'elasticloadbalancing', 'ecr', 'secretsmanager'],
  rollback: ['ecs', 'logs', 'elasticloadbalancing', 'ecr', 'secretsmanager'],
  'rollback-preview': ['ecs', 'logs', 'ecr', 'secretsmanager'],
  'deploy-frontend': ['s3', 'cloudfront'],
  'build-image': ['ecr'],
  'check-setup': ['ecs', 'logs', 'elasticloadbalancing', 'ecr', 'secretsmanager', 's3', 'cloudfront', 'iam'],
};

describe('the checker', () => {
  test('policyProblems flags wildcards, foreign services, unscoped resources and Deny', () => {
    const bad: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'A', Effect: 'Allow', Action: ['ecs:*', 's3:PutObject'], Resource: 'arn:aws:ecs:::x' },
        { Sid: 'B', Effect: 'Allow', Action: ['ecs:UpdateService', 'ecs:DescribeTaskDefinition'], Resource: '*' },
        { Sid: 'C', Effect: 'Deny', Action: 'ecs:StopTask', Resource: 'arn' },
        { Sid: 'D', Effect: 'Allow', Action: 'ecs:StopTask' },
      ],
    };
    expect(policyProblems(bad, ['ecs'])).toEqual([
      'A: wildcard action ecs:*',
      'A: unexpected service in s3:PutObject',
      'B: ecs:UpdateService on * although it can be scoped',
      'C: only Allow statements are expected',
      'D: no Resource',
    ]);
  });

  test('allowedActions lists each allowed action once, sorted', () => {
    expect(
      allowedActions({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['ecs:RunTask', 'ecs:DescribeTasks'], Resource: 'a' },
          { Effect: 'Allow', Action: 'ecs:RunTask', Resource: 'b' },
          { Effect: 'Deny', Action: 'ecs:StopTask', Resource: 'c' },
        ],
      }),
    ).toEqual(['ecs:DescribeTasks', 'ecs:RunTask']);
  });
});

describe.each(Object.entries(PERMISSION_POLICIES))('docs/iam/%s.json', (name, prefixes) => {
  const policy = read(`${name}.json`);

  test('parses and grants only scoped, named actions of its services', () => {
    expect(policyProblems(policy, prefixes)).toEqual([]);
    expect(allowedActions(policy).length).toBeGreaterThan(0);
  });

  test('names resources in the StartupWebApp account and region only', () => {
    for (const resource of policy.Statement.flatMap((s) => list(s.Resource))) {
      if (resource === '*') continue;
      expect(resource).toMatch(
        /^arn:aws:((ecs|logs|ecr|secretsmanager):us-east-1:853463362083:|iam::853463362083:|cloudfront::853463362083:|s3:::startupwebapp-frontend-production(\/|$))/,
      );
    }
  });

  test('passes roles only to ECS tasks and tags only on creation', () => {
    for (const statement of policy.Statement) {
      if (list(statement.Action).includes('iam:PassRole')) {
        expect(statement.Condition?.StringEquals?.['iam:PassedToService']).toBe('ecs-tasks.amazonaws.com');
      }
      if (list(statement.Action).includes('ecs:TagResource')) {
        expect(statement.Condition?.StringEquals?.['ecs:CreateAction']).toBeDefined();
      }
    }
  });
});

const ROLES = readRoles();
const ECS = 'arn:aws:ecs:us-east-1:853463362083';

/** The contract of TEAM.md / docs/iam/README.md: one role per workflow, its input and variable, its policies. */
test('one role per workflow, each with the input and variable the workflows and examples use', () => {
  expect(
    Object.entries(ROLES).map(([name, role]) => [name, role.input, role.variable, role.trust, role.policies]),
  ).toEqual([
    [
      'startupwebapp-github-build',
      'aws-build-role-arn',
      'AWS_BUILD_ROLE_ARN',
      'trust-build.json',
      ['build-image.json', 'check-setup.json'],
    ],
    [
      'startupwebapp-github-migrate',
      'aws-migrate-role-arn',
      'AWS_MIGRATE_ROLE_ARN',
      'trust-migrate.json',
      ['run-migration.json', 'check-setup.json'],
    ],
    [
      'startupwebapp-github-deploy',
      'aws-deploy-role-arn',
      'AWS_DEPLOY_ROLE_ARN',
      'trust-deploy.json',
      ['deploy-service.json', 'check-setup.json'],
    ],
    [
      'startupwebapp-github-admin',
      'aws-admin-role-arn',
      'AWS_ADMIN_ROLE_ARN',
      'trust-admin.json',
      ['run-migration-admin.json', 'check-setup.json'],
    ],
    [
      'startupwebapp-github-rollback',
      'aws-rollback-role-arn',
      'AWS_ROLLBACK_ROLE_ARN',
      'trust-rollback.json',
      ['rollback.json', 'check-setup.json'],
    ],
    [
      'startupwebapp-github-rollback-preview',
      'aws-rollback-preview-role-arn',
      'AWS_ROLLBACK_PREVIEW_ROLE_ARN',
      'trust-rollback-preview.json',
      ['rollback-preview.json', 'check-setup.json'],
    ],
    [
      'startupwebapp-github-frontend',
      'aws-role-arn',
      'AWS_FRONTEND_ROLE_ARN',
      'trust-frontend.json',
      ['deploy-frontend.json', 'check-setup.json'],
    ],
  ]);
});

/** Which roles may make the calls that change something: each change belongs to exactly the workflows that make it. */
test.each([
  ['ecs:UpdateService', ['startupwebapp-github-deploy', 'startupwebapp-github-rollback']],
  // deploy-service's `on-failure: rollback` on a blue/green, linear or canary service; the rollback action.
  ['ecs:StopServiceDeployment', ['startupwebapp-github-deploy', 'startupwebapp-github-rollback']],
  [
    'ecs:RegisterTaskDefinition',
    ['startupwebapp-github-migrate', 'startupwebapp-github-deploy', 'startupwebapp-github-admin'],
  ],
  ['iam:PassRole', ['startupwebapp-github-migrate', 'startupwebapp-github-deploy', 'startupwebapp-github-admin']],
  ['ecs:RunTask', ['startupwebapp-github-migrate', 'startupwebapp-github-admin']],
  ['ecs:StopTask', ['startupwebapp-github-migrate', 'startupwebapp-github-admin']],
  ['ecr:PutImage', ['startupwebapp-github-build']],
  ['s3:PutObject', ['startupwebapp-github-frontend']],
  ['cloudfront:CreateInvalidation', ['startupwebapp-github-frontend']],
])('only the roles that need it are allowed %s', (action, roles) => {
  const allowedTo = Object.entries(ROLES)
    .filter(([, role]) => roleAllowedActions(role).includes(action))
    .map(([name]) => name);
  expect(allowedTo).toEqual(roles);
});

/**
 * The service deployment and revision calls need two resources each in the Service Authorization Reference (ECS,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html): the
 * service (`service*`) and the deployment or revision (`service-deployment*`, `service-revision*`). A policy that names
 * only one of them is denied on AWS, although the sandbox, which judges actions only, would let it pass.
 */
const SERVICE = `${ECS}:service/startupwebapp-cluster/startupwebapp-service`;
const TWO_RESOURCES: Record<string, string[]> = {
  'ecs:ListServiceDeployments': [SERVICE],
  'ecs:DescribeServiceDeployments': [
    SERVICE,
    `${ECS}:service-deployment/startupwebapp-cluster/startupwebapp-service/*`,
  ],
  'ecs:StopServiceDeployment': [SERVICE, `${ECS}:service-deployment/startupwebapp-cluster/startupwebapp-service/*`],
  'ecs:DescribeServiceRevisions': [SERVICE, `${ECS}:service-revision/startupwebapp-cluster/startupwebapp-service/*`],
};

test.each(Object.keys(PERMISSION_POLICIES))(
  '%s.json allows the service deployment calls on exactly the resources AWS checks, of the one service',
  (name) => {
    const statements = read(`${name}.json`).Statement;
    for (const [action, resources] of Object.entries(TWO_RESOURCES)) {
      const granted = statements.filter((s) => list(s.Action).includes(action)).flatMap((s) => list(s.Resource));
      if (granted.length === 0) continue;
      expect([action, [...new Set(granted)].sort()]).toEqual([action, [...resources].sort()]);
    }
  },
);

test('the deploy role may stop only the deployments of its own service, as the rollback role', () => {
  const stops = (file: string) =>
    read(file)
      .Statement.filter((s) => list(s.Action).includes('ecs:StopServiceDeployment'))
      .map((s) => ({ resources: list(s.Resource), condition: s.Condition }));
  expect(stops('deploy-service.json')).toEqual([
    { resources: TWO_RESOURCES['ecs:StopServiceDeployment'], condition: undefined },
  ]);
  expect(stops('deploy-service.json')).toEqual(stops('rollback.json'));
});

test('registering a task definition comes with iam:PassRole for the task roles, and only there', () => {
  for (const [name, role] of Object.entries(ROLES)) {
    const actions = roleAllowedActions(role);
    expect([name, actions.includes('iam:PassRole')]).toEqual([name, actions.includes('ecs:RegisterTaskDefinition')]);
  }
});

test('the rollback preview role only reads: a subset of the rollback role, no call that changes anything', () => {
  const preview = roleWorkActions(ROLES['startupwebapp-github-rollback-preview']!);
  expect(roleWorkActions(ROLES['startupwebapp-github-rollback']!)).toEqual(expect.arrayContaining(preview));
  const changing = preview.filter((action) => !/^(ecs|ecr|logs|secretsmanager):(Describe|List)/.test(action));
  expect(changing).toEqual([]);
});

test('every role attaches the setup check policy, which only reads', () => {
  expect(Object.entries(ROLES).filter(([, role]) => !role.policies.includes(SETUP_CHECK_POLICY))).toEqual([]);
  const changing = allowedActions(read(SETUP_CHECK_POLICY)).filter(
    (action) => !/^[a-z0-9]+:(Describe|List|Get|SimulatePrincipalPolicy$)/.test(action),
  );
  expect(changing).toEqual([]);
});

test.each([
  ['run-migration.json', 'startupwebapp-migration-task'],
  ['run-migration-admin.json', 'startupwebapp-admin-task'],
])('%s runs and tags only the %s family, in the cluster only', (file, family) => {
  const statements = read(file).Statement;
  const run = statements.find((s) => list(s.Action).includes('ecs:RunTask'));
  expect(run?.Resource).toBe(`${ECS}:task-definition/${family}:*`);
  expect(run?.Condition?.ArnEquals?.['ecs:cluster']).toBe(`${ECS}:cluster/startupwebapp-cluster`);
  const tag = statements.find((s) => list(s.Action).includes('ecs:TagResource'));
  expect(tag?.Resource).toEqual([`${ECS}:task-definition/${family}:*`, `${ECS}:task/startupwebapp-cluster/*`]);
});

test("CloudFront calls are scoped to StartupWebApp's distribution only", () => {
  const statements = read('deploy-frontend.json').Statement.filter((s) =>
    list(s.Action).some((a) => a.startsWith('cloudfront:')),
  );
  expect(statements.flatMap((s) => list(s.Action)).sort()).toEqual([
    'cloudfront:CreateInvalidation',
    'cloudfront:GetInvalidation',
  ]);
  expect(statements.flatMap((s) => list(s.Resource))).toEqual([
    'arn:aws:cloudfront::853463362083:distribution/E2IQ9KG6S4Y7R3',
  ]);
});

const SUITE_WORKFLOWS = 'bartgottschalk/startupwebapp-deploy-actions/.github/workflows';
const PINNED = '0'.repeat(40); // the examples' placeholder for the suite's release commit
const SERVER = 'bartgottschalk/startup_web_app_server_side';
const CLIENT = 'bartgottschalk/startup_web_app_client_side';

describe.each([
  [
    'startupwebapp-github-build',
    SERVER,
    'ref:refs/heads/master',
    ['deploy-backend.yml', 'migrate.yml', 'check-setup.yml'],
  ],
  [
    'startupwebapp-github-migrate',
    SERVER,
    'environment:production',
    ['deploy-backend.yml', 'migrate.yml', 'check-setup.yml'],
  ],
  ['startupwebapp-github-deploy', SERVER, 'environment:production', ['deploy-backend.yml', 'check-setup.yml']],
  ['startupwebapp-github-admin', SERVER, 'environment:production', ['admin-command.yml', 'check-setup.yml']],
  ['startupwebapp-github-rollback', SERVER, 'environment:production', ['rollback.yml', 'check-setup.yml']],
  // A dry run changes nothing: it runs without the production environment (no reviewer), from master only.
  // Each role also trusts the setup check (check-setup.yml), in the context its own workflow runs in.
  ['startupwebapp-github-rollback-preview', SERVER, 'ref:refs/heads/master', ['rollback.yml', 'check-setup.yml']],
  ['startupwebapp-github-frontend', CLIENT, 'environment:production', ['deploy-frontend.yml', 'check-setup.yml']],
])('the trust policy of %s', (role, repository, context, workflows) => {
  const policy = read(ROLES[role]!.trust);

  test("trusts GitHub OIDC only for the suite's reusable workflows at the pinned commit, in one repository and context", () => {
    expect(ROLES[role]!.repository).toBe(repository);
    expect(policy.Statement).toHaveLength(1);
    const [statement] = policy.Statement;
    expect(statement.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(statement.Principal?.Federated).toBe(
      'arn:aws:iam::853463362083:oidc-provider/token.actions.githubusercontent.com',
    );
    // The customised subject (repo, context, job_workflow_ref) of docs/workflows.md: another workflow of the same
    // repository (a schedule, an issue_comment) or of the same environment never matches.
    const subjects = workflows.map(
      (workflow) => `repo:${repository}:${context}:job_workflow_ref:${SUITE_WORKFLOWS}/${workflow}@${PINNED}`,
    );
    expect(statement.Condition?.StringEquals).toEqual({
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': subjects.length === 1 ? subjects[0] : subjects,
    });
    expect(JSON.stringify(statement.Condition)).not.toMatch(/\*/);
  });
});

test('docs/iam holds exactly the policies the roles attach and trust, and each permission policy is attached', () => {
  const attached = Object.values(ROLES).flatMap((role) => role.policies);
  expect([...new Set(attached)].sort()).toEqual(
    Object.keys(PERMISSION_POLICIES)
      .map((n) => `${n}.json`)
      .sort(),
  );
  expect(
    readdirSync(IAM)
      .filter((f) => f.endsWith('.json'))
      .sort(),
  ).toEqual([...new Set(attached), ...Object.values(ROLES).map((role) => role.trust), 'roles.json'].sort());
});
