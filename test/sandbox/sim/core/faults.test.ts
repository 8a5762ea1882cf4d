import {
  DescribeServicesCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  ListTaskDefinitionsCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { useSeededSim } from '../../../support/sim-fixtures.js';
import { CLUSTER, SERVICE } from '../../../support/sim-clients.js';

describe('fault injection', () => {
  const ctx = useSeededSim('all');
  afterEach(() => ctx.sim.faults.clear());

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

  it('answers HTTP 500 with an HTML page, which the SDK cannot read as JSON', async () => {
    ctx.sim.faults.set({ htmlErrorRate: 1, operations: ['ListServiceDeployments'] });
    const error = await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: SERVICE })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'SyntaxError', $metadata: { httpStatusCode: 500 } });
    expect(ctx.sim.calls('ListServiceDeployments').at(-1)).toMatchObject({ status: 500, errorCode: 'HtmlErrorPage' });
  });

  it('an unapplied UpdateService answers with the service as it is and changes nothing', async () => {
    const describe = async () =>
      (await ctx.ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0]!;
    const before = await describe();
    ctx.sim.faults.set({ unappliedRate: 1, operations: ['UpdateService'] });
    const out = await ctx.ecs.send(
      new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, forceNewDeployment: true, desiredCount: 5 }),
    );
    expect(out.service!.deployments!.map((d) => d.id)).toEqual(before.deployments!.map((d) => d.id));
    expect(ctx.sim.calls('UpdateService').at(-1)).toMatchObject({ status: 200, errorCode: 'Unapplied' });
    ctx.sim.faults.clear();
    const after = await describe();
    expect(after.desiredCount).toBe(before.desiredCount);
    expect(after.deployments!.map((d) => d.id)).toEqual(before.deployments!.map((d) => d.id));
  });
});
