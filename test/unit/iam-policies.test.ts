import { readdirSync } from 'node:fs';
import {
  allowedActions,
  asList as list,
  IAM_DIR as IAM,
  readPolicy as read,
  type PolicyDocument,
} from '../support/iam-actions.js';

/** Static checks of docs/iam: each policy parses, grants only its service prefixes, no wildcards where scoping is possible. */

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

const ACTION_POLICIES: Record<string, string[]> = {
  'run-migration': ['ecs', 'iam', 'logs', 'ecr', 'secretsmanager'],
  'deploy-service': ['ecs', 'iam', 'logs', 'elasticloadbalancing', 'ecr', 'secretsmanager'],
  rollback: ['ecs', 'logs', 'elasticloadbalancing', 'ecr', 'secretsmanager'],
  'deploy-frontend': ['s3', 'cloudfront'],
  'build-image': ['ecr'],
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

describe.each(Object.entries(ACTION_POLICIES))('docs/iam/%s.json', (name, prefixes) => {
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

test('registering or running task definitions comes with iam:PassRole for the task roles', () => {
  for (const name of ['run-migration', 'deploy-service']) {
    const actions = allowedActions(read(`${name}.json`));
    expect([name, actions]).toEqual([name, expect.arrayContaining(['ecs:RegisterTaskDefinition', 'iam:PassRole'])]);
  }
  expect(allowedActions(read('rollback.json'))).not.toContain('iam:PassRole');
  expect(allowedActions(read('rollback.json'))).not.toContain('ecs:RegisterTaskDefinition');
});

test('run-migration runs only the migration and admin task definitions, in the cluster only', () => {
  const run = read('run-migration.json').Statement.find((s) => list(s.Action).includes('ecs:RunTask'));
  expect(run?.Resource).toEqual([
    'arn:aws:ecs:us-east-1:853463362083:task-definition/startupwebapp-migration-task:*',
    'arn:aws:ecs:us-east-1:853463362083:task-definition/startupwebapp-admin-task:*',
  ]);
  expect(run?.Condition?.ArnEquals?.['ecs:cluster']).toBe(
    'arn:aws:ecs:us-east-1:853463362083:cluster/startupwebapp-cluster',
  );
});

const SUITE_WORKFLOWS = 'bartgottschalk/startupwebapp-deploy-actions/.github/workflows';
const PINNED = '0'.repeat(40); // the examples' placeholder for the suite's release commit

describe.each([
  [
    'trust-backend-build.json',
    'bartgottschalk/startup_web_app_server_side',
    'ref:refs/heads/master',
    ['deploy-backend.yml', 'migrate.yml'],
  ],
  [
    'trust-backend-deploy.json',
    'bartgottschalk/startup_web_app_server_side',
    'environment:production',
    ['deploy-backend.yml', 'migrate.yml', 'admin-command.yml', 'rollback.yml'],
  ],
  [
    'trust-frontend-deploy.json',
    'bartgottschalk/startup_web_app_client_side',
    'environment:production',
    ['deploy-frontend.yml'],
  ],
])('docs/iam/%s', (file, repository, context, workflows) => {
  const policy = read(file);

  test("trusts GitHub OIDC only for the suite's reusable workflows at the pinned commit, in one repository and context", () => {
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

test('docs/iam holds exactly the documented policies', () => {
  expect(
    readdirSync(IAM)
      .filter((f) => f.endsWith('.json'))
      .sort(),
  ).toEqual(
    [
      ...Object.keys(ACTION_POLICIES).map((n) => `${n}.json`),
      'trust-backend-build.json',
      'trust-backend-deploy.json',
      'trust-frontend-deploy.json',
    ].sort(),
  );
});
