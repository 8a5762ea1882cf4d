import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { useSeededSim } from '../../../support/sim-fixtures.js';
import { CLUSTER, SERVICE } from '../../../support/sim-clients.js';

describe('unknown clusters, services, task definitions and tasks', () => {
  const ctx = useSeededSim('all');
  afterEach(() => ctx.sim.faults.clear());

  it('answers unknown clusters, services, task definitions and tasks as ECS does', async () => {
    await expect(
      ctx.ecs.send(new DescribeServicesCommand({ cluster: 'nope', services: [SERVICE] })),
    ).rejects.toMatchObject({
      name: 'ClusterNotFoundException',
      message: 'Cluster not found.',
    });
    await expect(
      ctx.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: 'nope', desiredCount: 1 })),
    ).rejects.toMatchObject({
      name: 'ServiceNotFoundException',
      message: 'Service not found.',
    });
    await expect(ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'nope:3' }))).rejects.toMatchObject({
      name: 'ClientException',
      message: 'Unable to describe task definition.',
    });
    await expect(
      ctx.ecs.send(
        new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'startupwebapp-migration-task', launchType: 'FARGATE' }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    });
    const missing = await ctx.ecs.send(
      new DescribeTasksCommand({ cluster: CLUSTER, tasks: ['0123456789abcdef0123456789abcdef'] }),
    );
    expect(missing.failures![0].reason).toBe('MISSING');
    await expect(
      ctx.logs.send(new GetLogEventsCommand({ logGroupName: '/ecs/nope', logStreamName: 'x' })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
  });

  it('answers service deployments and revisions by ARN: unknown ones MISSING, an empty list refused', async () => {
    const deployment = 'arn:aws:ecs:us-east-1:123456789012:service-deployment/startupwebapp-cluster/svc/nope';
    const revision = 'arn:aws:ecs:us-east-1:123456789012:service-revision/startupwebapp-cluster/svc/nope';
    const deployments = await ctx.ecs.send(
      new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [deployment] }),
    );
    expect(deployments.serviceDeployments).toEqual([]);
    expect(deployments.failures).toEqual([{ arn: deployment, reason: 'MISSING' }]);
    const revisions = await ctx.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revision] }));
    expect(revisions.serviceRevisions).toEqual([]);
    expect(revisions.failures).toEqual([{ arn: revision, reason: 'MISSING' }]);
    await expect(
      ctx.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [] })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'serviceDeploymentArns can not be empty.' });
    await expect(ctx.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [] }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'serviceRevisionArns can not be empty.',
    });
  });
});
