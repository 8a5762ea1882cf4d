import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
} from '@aws-sdk/client-ecr';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { RunTaskCommand } from '@aws-sdk/client-ecs';
import { SEED } from '../../../../sandbox/sim/seed.js';
import { useSeededSim } from '../../../support/sim-fixtures.js';
import { waitForTaskStopped } from '../../../support/sim-clients.js';
import { registerRevision } from '../../../support/seeded-service.js';

/** The sandbox's ECR registry, Secrets Manager DescribeSecret, SSM GetParameters and denied calls, on the wire. */

const REPOSITORY = 'startupwebapp-backend';
const ctx = useSeededSim('each');
const config = () => ({
  endpoint: ctx.sim.url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
});

it('ECR: the seeded repository holds the releases by tag and digest; a missing tag or repository is an error', async () => {
  const ecr = new ECRClient(config());
  try {
    const found = await ecr.send(
      new DescribeImagesCommand({ repositoryName: REPOSITORY, imageIds: [{ imageTag: '4f2c9e1' }] }),
    );
    const digest = found.imageDetails![0]!.imageDigest!;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(found.imageDetails![0]!.imagePushedAt).toBeInstanceOf(Date);
    const byDigest = await ecr.send(
      new DescribeImagesCommand({ repositoryName: REPOSITORY, imageIds: [{ imageDigest: digest }] }),
    );
    expect(byDigest.imageDetails![0]!.imageTags).toEqual(['4f2c9e1']);
    expect(ctx.sim.ecr.tags(REPOSITORY)).toEqual(['seed', '4f2c9e1', 'c81d2e7', '9b7d3a0', '0c4e7d2']);

    await expect(
      ecr.send(new DescribeImagesCommand({ repositoryName: REPOSITORY, imageIds: [{ imageTag: 'nope' }] })),
    ).rejects.toMatchObject({ name: 'ImageNotFoundException', message: expect.stringContaining("imageTag:'nope'") });
    await expect(
      ecr.send(new DescribeImagesCommand({ repositoryName: 'other', imageIds: [{ imageTag: 'x' }] })),
    ).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
    const batch = await ecr.send(
      new BatchGetImageCommand({ repositoryName: REPOSITORY, imageIds: [{ imageTag: 'seed' }, { imageTag: 'nope' }] }),
    );
    expect(batch.images).toHaveLength(1);
    expect(batch.failures).toEqual([
      { imageId: { imageTag: 'nope' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
    ]);
  } finally {
    ecr.destroy();
  }
});

it('ECR: one registry answers DescribeRepositories and DescribeImages alike, from the seed to a deleted repository', async () => {
  const ecr = new ECRClient(config());
  try {
    const seeded = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [REPOSITORY] }));
    expect(seeded.repositories).toEqual([
      expect.objectContaining({
        repositoryName: REPOSITORY,
        repositoryUri: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${REPOSITORY}`,
        repositoryArn: `arn:aws:ecr:us-east-1:123456789012:repository/${REPOSITORY}`,
        imageTagMutability: 'MUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        createdAt: expect.any(Date),
      }),
    ]);

    // A push to a new repository creates it; the owner's settings change it without losing its images.
    ctx.sim.ecr.push('123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-worker:1a2b3c4');
    ctx.sim.account.putRepository('startupwebapp-worker', { imageTagMutability: 'IMMUTABLE' });
    const listed = await ecr.send(new DescribeRepositoriesCommand({}));
    expect(listed.repositories!.map((r) => [r.repositoryName, r.imageTagMutability])).toEqual([
      [REPOSITORY, 'MUTABLE'],
      ['startupwebapp-worker', 'IMMUTABLE'],
    ]);
    const worker = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'startupwebapp-worker', imageIds: [{ imageTag: '1a2b3c4' }] }),
    );
    expect(worker.imageDetails![0]!.imageTags).toEqual(['1a2b3c4']);

    ctx.sim.account.deleteRepository(REPOSITORY);
    const gone = {
      name: 'RepositoryNotFoundException',
      message: `The repository with name '${REPOSITORY}' does not exist in the registry with id '123456789012'`,
    };
    await expect(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [REPOSITORY] }))).rejects.toMatchObject(
      gone,
    );
    await expect(
      ecr.send(new DescribeImagesCommand({ repositoryName: REPOSITORY, imageIds: [{ imageTag: 'seed' }] })),
    ).rejects.toMatchObject(gone);
    expect(ctx.sim.ecr.tags(REPOSITORY)).toEqual([]);
  } finally {
    ecr.destroy();
  }
});

it('a task whose ECR image is absent fails to start with CannotPullContainerError; a pushed one starts', async () => {
  const missing = `${SEED.repository}:0000000`;
  const family = SEED.migrationFamily;
  const run = async () => {
    const out = await ctx.ecs.send(
      new RunTaskCommand({
        cluster: SEED.cluster,
        taskDefinition: family,
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: SEED.subnets } },
        overrides: { containerOverrides: [{ name: 'migration', command: ['true'] }] },
      }),
    );
    return out.tasks![0]!.taskArn!;
  };
  // An override cannot change the image: a revision with it is registered.
  await registerRevision(ctx.ecs, family, { image: missing });
  const failed = await waitForTaskStopped(ctx.ecs, SEED.cluster, await run());
  expect(failed.stopCode).toBe('TaskFailedToStart');
  expect(failed.stoppedReason).toMatch(/^CannotPullContainerError: .*startupwebapp-backend:0000000: not found/);

  ctx.sim.ecr.push(missing);
  const pushed = await waitForTaskStopped(ctx.ecs, SEED.cluster, await run());
  expect(pushed.stopCode).not.toBe('TaskFailedToStart');
});

it('Secrets Manager DescribeSecret and SSM GetParameters find by name or ARN, and serve no value', async () => {
  const secrets = new SecretsManagerClient(config());
  const ssm = new SSMClient(config());
  try {
    const parameterArn = 'arn:aws:ssm:us-east-1:123456789012:parameter/startupwebapp/superuser-email';
    ctx.sim.putParameter(parameterArn, 'admin@sandbox.invalid');
    const byArn = await secrets.send(new DescribeSecretCommand({ SecretId: SEED.databaseSecretArn }));
    expect(byArn).toMatchObject({ ARN: SEED.databaseSecretArn, Name: 'rds/startupwebapp/multi-tenant/master' });
    const byName = await secrets.send(new DescribeSecretCommand({ SecretId: 'rds/startupwebapp/multi-tenant/master' }));
    expect(byName.ARN).toBe(SEED.databaseSecretArn);
    await expect(secrets.send(new DescribeSecretCommand({ SecretId: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });

    const params = await ssm.send(
      new GetParametersCommand({ Names: [parameterArn, '/startupwebapp/nope'], WithDecryption: false }),
    );
    expect(params.Parameters!.map((p) => p.Name)).toEqual(['/startupwebapp/superuser-email']);
    expect(params.InvalidParameters).toEqual(['/startupwebapp/nope']);
    const answers = JSON.stringify([byArn, byName, params]);
    for (const value of ctx.sim.secretValues()) expect(answers).not.toContain(value);
  } finally {
    secrets.destroy();
    ssm.destroy();
  }
});

it('a denied action answers AccessDeniedException in IAM words; others are still allowed', async () => {
  ctx.sim.access.deny('logs:DescribeLogGroups');
  await expect(ctx.logs.send(new DescribeLogGroupsCommand({}))).rejects.toMatchObject({
    name: 'AccessDeniedException',
    message: expect.stringContaining('is not authorized to perform: logs:DescribeLogGroups'),
  });
  const ecr = new ECRClient(config());
  try {
    await expect(
      ecr.send(new DescribeImagesCommand({ repositoryName: REPOSITORY, imageIds: [{ imageTag: 'seed' }] })),
    ).resolves.toBeDefined();
  } finally {
    ecr.destroy();
  }
  ctx.sim.access.allowAll();
  await expect(ctx.logs.send(new DescribeLogGroupsCommand({}))).resolves.toBeDefined();
});
