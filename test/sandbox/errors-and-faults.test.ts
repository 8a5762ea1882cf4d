import { CreateInvalidationCommand, GetInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { useSeededSim } from './fixtures.js';
import { CLUSTER, SERVICE } from './sim-clients.js';

interface KeptDescription {
  taskDefinition: { futureTaskKey: unknown; containerDefinitions: Array<{ futureContainerKey: unknown }> };
  tags: unknown;
}

describe('AWS error codes, kept fields, fault injection and CloudFront', () => {
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

  it('keeps every field of a registration, even ones it does not interpret, and deregisters to INACTIVE', async () => {
    const registration = {
      family: 'kept',
      containerDefinitions: [
        {
          name: 'app',
          image: 'app:1',
          memory: 256,
          restartPolicy: { enabled: true, restartAttemptPeriod: 60 },
          futureContainerKey: { a: 1 },
        },
      ],
      futureTaskKey: ['x'],
      tags: [{ key: 'team', value: 'web' }],
    };
    const raw = await fetch(ctx.sim.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.RegisterTaskDefinition',
      },
      body: JSON.stringify(registration),
    });
    expect(raw.status).toBe(200);
    const described = await fetch(ctx.sim.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonEC2ContainerServiceV20141113.DescribeTaskDefinition',
      },
      body: JSON.stringify({ taskDefinition: 'kept', include: ['TAGS'] }),
    }).then((r) => r.json() as Promise<KeptDescription>);
    expect(described.taskDefinition.futureTaskKey).toEqual(['x']);
    expect(described.taskDefinition.containerDefinitions[0].futureContainerKey).toEqual({ a: 1 });
    expect(described.tags).toEqual([{ key: 'team', value: 'web' }]);

    const viaSdk = await ctx.ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: 'kept:1', include: ['TAGS'] }),
    );
    expect(viaSdk.taskDefinition!.containerDefinitions![0].restartPolicy).toEqual({
      enabled: true,
      restartAttemptPeriod: 60,
    });
    expect(viaSdk.taskDefinition!.status).toBe('ACTIVE');
    expect(viaSdk.taskDefinition!.registeredAt).toBeInstanceOf(Date);
    await ctx.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'kept',
        containerDefinitions: [{ name: 'app', image: 'app:2', memory: 256 }],
      }),
    );
    const desc = await ctx.ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'kept', sort: 'DESC' }));
    expect(desc.taskDefinitionArns!.map((a) => a.split(':').pop())).toEqual(['2', '1']);
    await ctx.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'kept:2' }));
    const latest = await ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'kept' }));
    expect(latest.taskDefinition!.revision).toBe(1);
    const inactive = await ctx.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'kept:2' }));
    expect(inactive.taskDefinition!.status).toBe('INACTIVE');
    await expect(
      ctx.ecs.send(new RunTaskCommand({ cluster: CLUSTER, taskDefinition: 'kept:2' })),
    ).rejects.toMatchObject({
      name: 'ClientException',
    });
  });

  it('injects throttling that the SDK retries through, and records every attempt', async () => {
    // The SDK backs off ~0.5 s and more after a throttle: a few calls keep this test short.
    ctx.sim.faults.set({ throttleRate: 0.4, seed: 3, operations: ['DescribeServices'] });
    const client = new ECSClient({
      endpoint: ctx.sim.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 10,
    });
    const before = ctx.sim.calls('DescribeServices').length;
    for (let i = 0; i < 3; i++) {
      const out = await client.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }));
      expect(out.services![0].serviceName).toBe(SERVICE);
    }
    const calls = ctx.sim.calls('DescribeServices').slice(before);
    expect(calls.filter((c) => c.errorCode === 'ThrottlingException').length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.status === 200)).toHaveLength(3);
    client.destroy();
  }, 20000);

  it('fails every attempt with 500s at rate 1, and drops connections', async () => {
    ctx.sim.faults.set({ serverErrorRate: 1, operations: ['ListTaskDefinitions'] });
    await expect(ctx.ecs.send(new ListTaskDefinitionsCommand({}))).rejects.toMatchObject({ name: 'ServerException' });
    ctx.sim.faults.set({ dropRate: 1, operations: ['ListTaskDefinitions'] });
    await expect(ctx.ecs.send(new ListTaskDefinitionsCommand({}))).rejects.toThrow();
    expect(ctx.sim.calls('ListTaskDefinitions').at(-1)).toMatchObject({ status: 0, errorCode: 'ConnectionDropped' });
  });

  it('creates a CloudFront invalidation that completes', async () => {
    const created = await ctx.cloudfront.send(
      new CreateInvalidationCommand({
        DistributionId: 'E2EXAMPLE',
        InvalidationBatch: { CallerReference: 'run-4242', Paths: { Quantity: 2, Items: ['/index.html', '/js/*'] } },
      }),
    );
    expect(created.Location).toContain(`/invalidation/${created.Invalidation!.Id}`);
    expect(created.Invalidation!.Status).toBe('InProgress');
    expect(created.Invalidation!.InvalidationBatch!.Paths!.Items).toEqual(['/index.html', '/js/*']);
    await new Promise((resolve) => setTimeout(resolve, 100)); // 10 simulated seconds at this time scale
    const got = await ctx.cloudfront.send(
      new GetInvalidationCommand({ DistributionId: 'E2EXAMPLE', Id: created.Invalidation!.Id }),
    );
    expect(got.Invalidation!.Status).toBe('Completed');
    expect(got.Invalidation!.CreateTime).toBeInstanceOf(Date);
    expect(ctx.sim.calls('CreateInvalidation')[0].input).toMatchObject({
      InvalidationBatch: { CallerReference: 'run-4242' },
    });
  });
});
