import { classifyRequest } from '../../sandbox/s3/operations.js';
import {
  allowedActions,
  comparePolicy,
  iamActionsOf,
  readPolicy,
  S3_OPERATION_ACTIONS,
  type PolicyDocument,
} from '../support/iam-actions.js';

describe('iamActionsOf: S3 operations as IAM authorises them', () => {
  test.each([
    ['ListObjectsV2', ['s3:ListBucket']],
    ['HeadBucket', ['s3:ListBucket']],
    ['GetObject', ['s3:GetObject']],
    ['HeadObject', ['s3:GetObject']],
    ['PutObject', ['s3:PutObject']],
    ['CreateMultipartUpload', ['s3:PutObject']],
    ['UploadPart', ['s3:PutObject']],
    ['CompleteMultipartUpload', ['s3:PutObject']],
    ['AbortMultipartUpload', ['s3:AbortMultipartUpload']],
    ['CopyObject', ['s3:GetObject', 's3:PutObject']],
    ['DeleteObjects', ['s3:DeleteObject']],
    ['DeleteObject', ['s3:DeleteObject']],
  ])('s3:%s needs %p', (operation, actions) => {
    expect(iamActionsOf(`s3:${operation}`)).toEqual(actions);
  });

  test('every operation name the S3 sandbox gives a request the SDK sends has a mapping', () => {
    const requests: Array<[string, string, Record<string, string>?]> = [
      ['GET', '/b?list-type=2&prefix=x'],
      ['GET', '/b'],
      ['HEAD', '/b'],
      ['PUT', '/b'],
      ['DELETE', '/b'],
      ['POST', '/b?delete'],
      ['GET', '/'],
      ['GET', '/b/k'],
      ['HEAD', '/b/k'],
      ['PUT', '/b/k'],
      ['PUT', '/b/k', { 'x-amz-copy-source': 'b/k' }],
      ['POST', '/b/k?uploads'],
      ['PUT', '/b/k?partNumber=1&uploadId=u'],
      ['POST', '/b/k?uploadId=u'],
      ['DELETE', '/b/k?uploadId=u'],
      ['DELETE', '/b/k'],
    ];
    const names = requests.map(([method, url, headers]) => classifyRequest(method, url, headers).operation);
    expect(names.filter((name) => !S3_OPERATION_ACTIONS[name])).toEqual([]);
    for (const name of names) expect(iamActionsOf(`s3:${name}`).length).toBeGreaterThan(0);
  });

  test('an S3 operation without a mapping throws instead of passing unjudged', () => {
    expect(() => iamActionsOf('s3:PATCH object')).toThrow(/No IAM action is known for the S3 operation 'PATCH object'/);
    expect(() => iamActionsOf('sqs:SendMessage')).toThrow(/No IAM mapping/);
  });
});

describe('iamActionsOf: ECS, Logs and CloudFront map one to one, plus what their input implies', () => {
  test('plain operations keep their name', () => {
    expect(iamActionsOf('ecs:DescribeServices', { cluster: 'c', services: ['s'] })).toEqual(['ecs:DescribeServices']);
    expect(iamActionsOf('logs:GetLogEvents')).toEqual(['logs:GetLogEvents']);
    expect(iamActionsOf('cloudfront:CreateInvalidation')).toEqual(['cloudfront:CreateInvalidation']);
  });

  test('RegisterTaskDefinition with roles needs iam:PassRole, with tags ecs:TagResource', () => {
    expect(iamActionsOf('ecs:RegisterTaskDefinition', { family: 'f' })).toEqual(['ecs:RegisterTaskDefinition']);
    expect(
      iamActionsOf('ecs:RegisterTaskDefinition', {
        family: 'f',
        executionRoleArn: 'arn:aws:iam::1:role/x',
        tags: [{ key: 'a', value: 'b' }],
      }),
    ).toEqual(['ecs:RegisterTaskDefinition', 'iam:PassRole', 'ecs:TagResource']);
    expect(iamActionsOf('ecs:RegisterTaskDefinition', { family: 'f', tags: [] })).toEqual([
      'ecs:RegisterTaskDefinition',
    ]);
  });

  test('RunTask needs iam:PassRole for overridden roles or the roles of its task definition', () => {
    expect(iamActionsOf('ecs:RunTask', { taskDefinition: 'td:1' })).toEqual(['ecs:RunTask']);
    expect(iamActionsOf('ecs:RunTask', { taskDefinition: 'td:1', overrides: { taskRoleArn: 'r' } })).toEqual([
      'ecs:RunTask',
      'iam:PassRole',
    ]);
    const withRoles = { taskDefinitionHasRoles: (td: string) => td === 'td:2' };
    expect(iamActionsOf('ecs:RunTask', { taskDefinition: 'td:1' }, withRoles)).toEqual(['ecs:RunTask']);
    expect(iamActionsOf('ecs:RunTask', { taskDefinition: 'td:2', tags: [{ key: 'k' }] }, withRoles)).toEqual([
      'ecs:RunTask',
      'iam:PassRole',
      'ecs:TagResource',
    ]);
  });
});

describe('comparePolicy', () => {
  const policy: PolicyDocument = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Resource: 'arn' },
      { Effect: 'Allow', Action: ['ecs:DeleteService', 'iam:PassRole'], Resource: 'arn' },
      { Effect: 'Deny', Action: 'ecs:ListTasks', Resource: '*' },
    ],
  };

  test('a matching policy has nothing missing, unused or stale', () => {
    const coverage = comparePolicy(
      allowedActions(policy),
      ['ecs:DescribeServices', 'ecs:UpdateService', 'ecs:DeleteService', 'ecs:DescribeServices'],
      { 'iam:PassRole': 'not recorded by the sandbox' },
    );
    expect(coverage).toEqual({ missing: [], unused: [], staleAllowances: [] });
  });

  test('a bad policy fails both ways: a called action it lacks, a granted one nothing called', () => {
    const coverage = comparePolicy(
      allowedActions(policy),
      ['ecs:DescribeServices', 'ecs:UpdateService', 'ecs:ListTasks'],
      {
        'iam:PassRole': 'not recorded by the sandbox',
      },
    );
    expect(coverage.missing).toEqual(['ecs:ListTasks']);
    expect(coverage.unused).toEqual(['ecs:DeleteService']);
  });

  test('an allow-list entry that is called after all, or not granted, is stale', () => {
    const coverage = comparePolicy(['ecs:DescribeServices', 'iam:PassRole'], ['ecs:DescribeServices', 'iam:PassRole'], {
      'iam:PassRole': 'not recorded',
      'ecr:GetAuthorizationToken': 'not used',
    });
    expect(coverage.staleAllowances).toEqual(['ecr:GetAuthorizationToken', 'iam:PassRole']);
    expect(coverage.unused).toEqual([]);
  });

  test('the committed policies parse into their allowed actions', () => {
    expect(allowedActions(readPolicy('rollback.json'))).toContain('ecs:StopServiceDeployment');
    expect(allowedActions(readPolicy('deploy-frontend.json'))).toContain('s3:ListBucket');
  });
});
