import { privateEcrImage } from '../../../../lib/ecr/image-refs.js';
import { secretRef } from '../../../../lib/secrets/secret-refs.js';
import { planChecks } from '../../../../lib/verify/verify-plan.js';
import { permissionFor, type CheckResult } from '../../../../lib/verify/verify-run.js';
import { verificationText } from '../../../../lib/verify/verify-text.js';
import type { TaskDefinitionJson } from '../../../../lib/ecs/task-definitions.js';

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-backend';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds/master-AbCdEf';

describe('privateEcrImage', () => {
  it.each([
    [
      `${REPO}:4f2c9e1`,
      { repository: 'startupwebapp-backend', tag: '4f2c9e1', registryId: '123456789012', region: 'us-east-1' },
    ],
    [`${REPO}`, { tag: 'latest' }],
    [`${REPO}@sha256:${'a'.repeat(64)}`, { digest: `sha256:${'a'.repeat(64)}` }],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/api:v1', { repository: 'team/api', region: 'eu-west-1' }],
  ])('%s', (image, parts) => {
    expect(privateEcrImage(image)).toMatchObject(parts);
  });
  it.each(['public.ecr.aws/docker/library/python:3.12', 'nginx:1.27', 'ghcr.io/org/app:1', 'app:v2'])(
    '%s is not a private ECR image',
    (image) => expect(privateEcrImage(image)).toBeUndefined(),
  );
  it('names the repository ARN a policy grants on', () => {
    expect(privateEcrImage(`${REPO}:x`)!.repositoryArn).toBe(
      'arn:aws:ecr:us-east-1:123456789012:repository/startupwebapp-backend',
    );
  });
});

describe('secretRef', () => {
  it('Secrets Manager: the secret without its JSON key, version stage and id', () => {
    expect(secretRef(`${SECRET}:password::`, 'us-east-1')).toEqual({
      store: 'secretsmanager',
      region: 'us-east-1',
      secretId: SECRET,
      resourceArn: SECRET,
    });
    expect(secretRef('arn:aws:secretsmanager:eu-west-1:123456789012:secret:partial', 'us-east-1')).toMatchObject({
      region: 'eu-west-1',
      resourceArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:partial-??????',
    });
  });
  it('SSM: an ARN in its region, a bare name in the task region', () => {
    expect(secretRef('arn:aws:ssm:eu-west-1:123456789012:parameter/a/b', 'us-east-1')).toMatchObject({
      store: 'ssm',
      region: 'eu-west-1',
    });
    expect(secretRef('/startupwebapp/email', 'us-east-1')).toEqual({
      store: 'ssm',
      region: 'us-east-1',
      parameter: '/startupwebapp/email',
    });
  });
});

const definition: TaskDefinitionJson = {
  family: 'web',
  containerDefinitions: [
    {
      name: 'web',
      image: `${REPO}:4f2c9e1`,
      secrets: [
        { name: 'DATABASE_PASSWORD', valueFrom: `${SECRET}:password::` },
        { name: 'DATABASE_USER', valueFrom: `${SECRET}:username::` },
        { name: 'EMAIL', valueFrom: '/startupwebapp/email' },
      ],
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1' },
      },
    },
    {
      name: 'migrate',
      image: `${REPO}:4f2c9e1`,
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/new', 'awslogs-create-group': 'true' },
      },
    },
    {
      name: 'log_router',
      image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
      logConfiguration: { logDriver: 'awsfirelens' },
    },
  ],
};

describe('planChecks', () => {
  const plan = planChecks(definition, 'us-east-1');

  it('checks each image, secret and log group once, naming every container and variable that uses it', () => {
    expect(plan.checks.map((c) => [c.kind, c.containers])).toEqual([
      ['image', ['web', 'migrate']],
      ['secret', ['web']],
      ['secret', ['web']],
      ['log-group', ['web']],
    ]);
    expect(plan.checks[1]).toMatchObject({ names: ['DATABASE_PASSWORD', 'DATABASE_USER'] });
  });

  it('says what it does not check, and why', () => {
    expect(plan.notChecked).toEqual([
      { container: 'migrate', what: 'log group /ecs/new', why: 'awslogs-create-group creates it' },
      {
        container: 'log_router',
        what: 'image public.ecr.aws/aws-observability/aws-for-fluent-bit:stable',
        why: 'not in a private ECR registry',
      },
      { container: 'log_router', what: 'logs (awsfirelens)', why: 'not the awslogs driver' },
    ]);
  });

  it('words results: a missing one is a problem, a denied one a warning naming the permission and resource', () => {
    const [image, secret, parameter, group] = plan.checks as [never, never, never, never];
    const results: CheckResult[] = [
      { check: image, outcome: 'missing', what: 'image', newestTags: ['seed', 'abc'] },
      { check: secret, outcome: 'denied', ...permissionFor(secret) },
      { check: parameter, outcome: 'found' },
      { check: group, outcome: 'unknown', error: 'ThrottlingException: Rate exceeded' },
    ];
    const text = verificationText({ results, notChecked: [] });
    expect(text.problems).toEqual([
      'image startupwebapp-backend:4f2c9e1 (containers web, migrate): tag 4f2c9e1 is not in ECR repository startupwebapp-backend (registry 123456789012, us-east-1); newest tags: seed, abc',
    ]);
    expect(text.warnings).toEqual([
      `Could not check secret DATABASE_PASSWORD, DATABASE_USER (container web): the role may not call secretsmanager:DescribeSecret. Add secretsmanager:DescribeSecret on ${SECRET} to its policy to have it checked before each change`,
      'Could not check log group /ecs/web (container web): ThrottlingException: Rate exceeded',
    ]);
    expect(text.found).toEqual(['secret EMAIL (container web): exists']);
  });
});
