import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { useSeededSim } from '../../../support/sim-fixtures.js';
import { CLUSTER } from '../../../support/sim-clients.js';

interface KeptDescription {
  taskDefinition: { futureTaskKey: unknown; containerDefinitions: Array<{ futureContainerKey: unknown }> };
  tags: unknown;
}

describe('task definition registrations', () => {
  const ctx = useSeededSim('all');
  afterEach(() => ctx.sim.faults.clear());

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
});
