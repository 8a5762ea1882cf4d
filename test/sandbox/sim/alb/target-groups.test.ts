import { DescribeTasksCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyTargetGroupAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { deployRevision, useSeededSim, waitForRolloutCompleted } from '../../../support/sim-fixtures.js';
import { CLUSTER, SERVICE, describeService, serviceRevisionWithImage } from '../../../support/sim-clients.js';
import { waitFor } from '../../../support/wait-for.js';

/** The ELB v2 stand-in through the real SDK client (Query protocol, XML answers), as the seeded account has it. */

describe('target groups (ELB v2 over the Query protocol)', () => {
  const ctx = useSeededSim('each');
  const groupArn = async () => (await describeService(ctx.ecs)).loadBalancers![0]!.targetGroupArn!;
  const health = async (arn: string) =>
    (await ctx.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))).TargetHealthDescriptions!;
  /** Simulated seconds between two real timeline instants (timeScale 0.005). */
  const simSeconds = (from: number, to: number) => (to - from) / 1000 / 0.005;

  it("seeds startupwebapp-tg as today's account has it, the service's load balancer pointing at it", async () => {
    const arn = await groupArn();
    expect(arn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/startupwebapp-tg\/[0-9a-f]{16}$/,
    );
    const byName = await ctx.elb.send(new DescribeTargetGroupsCommand({ Names: ['startupwebapp-tg'] }));
    expect(byName.TargetGroups).toEqual([
      expect.objectContaining({
        TargetGroupArn: arn,
        TargetGroupName: 'startupwebapp-tg',
        Protocol: 'HTTP',
        Port: 8000,
        TargetType: 'ip',
        HealthCheckEnabled: true,
        HealthCheckProtocol: 'HTTP',
        HealthCheckPath: '/order/products',
        HealthCheckIntervalSeconds: 30,
        HealthCheckTimeoutSeconds: 5,
        HealthyThresholdCount: 2,
        UnhealthyThresholdCount: 3,
        Matcher: { HttpCode: '200' },
      }),
    ]);
    const attributes = await ctx.elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
    expect(attributes.Attributes).toContainEqual({ Key: 'deregistration_delay.timeout_seconds', Value: '300' });
    expect((await describeService(ctx.ecs)).healthCheckGracePeriodSeconds).toBe(120);
  });

  it("registers each running task's address, healthy after the group's checks", async () => {
    const arn = await groupArn();
    const listed = await ctx.ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE }));
    const tasks = (await ctx.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: listed.taskArns }))).tasks!;
    const ips = tasks.map((t) => t.attachments![0]!.details!.find((d) => d.name === 'privateIPv4Address')!.value);
    const targets = await health(arn);
    expect(targets.map((t) => t.Target!.Id).sort()).toEqual([...ips].sort());
    expect(targets.every((t) => t.Target!.Port === 8000 && t.TargetHealth!.State === 'healthy')).toBe(true);
  });

  it('answers ELB errors as ELB does', async () => {
    const missing = ctx.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: `${await groupArn()}0` }));
    await expect(missing).rejects.toMatchObject({
      name: 'TargetGroupNotFoundException',
      message: 'One or more target groups not found',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(ctx.elb.send(new DescribeTargetGroupsCommand({ Names: ['nope-tg'] }))).rejects.toMatchObject({
      name: 'TargetGroupNotFoundException',
    });
  });

  it('rolls out: new targets initial then healthy, old ones draining for the delay before ECS stops their tasks', async () => {
    const arn = await groupArn();
    const before = new Set((await health(arn)).map((t) => t.Target!.Id));
    const { deploymentId } = await deployRevision(ctx, serviceRevisionWithImage('app:v2'));
    const initial = await waitFor(async () => {
      const fresh = (await health(arn)).filter((t) => !before.has(t.Target!.Id));
      return fresh.length === 2 ? fresh : undefined;
    });
    expect(initial.map((t) => t.TargetHealth!.State)).toEqual(['initial', 'initial']);
    const draining = await waitFor(async () => {
      const old = (await health(arn)).filter((t) => before.has(t.Target!.Id));
      return old.length > 0 && old.every((t) => t.TargetHealth!.State === 'draining') ? old : undefined;
    });
    expect(draining[0]!.TargetHealth).toEqual({
      State: 'draining',
      Reason: 'Target.DeregistrationInProgress',
      Description: 'Target deregistration is in progress',
    });
    // While the old targets drain, ECS keeps their tasks DEACTIVATING and the rollout IN_PROGRESS.
    const old = await ctx.ecs.send(
      new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus: 'STOPPED' }),
    );
    const oldTasks = (await ctx.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: old.taskArns }))).tasks!;
    expect(oldTasks.map((t) => t.lastStatus)).toEqual(['DEACTIVATING', 'DEACTIVATING']);

    await waitForRolloutCompleted(ctx.ecs);
    const timeline = ctx.sim.timeline.filter((e) => e.kind === 'target');
    // minimumHealthyPercent 100: an old target starts draining only once as many new ones are healthy (the two new
    // ones may turn healthy a step apart on a loaded machine, and ECS may then drain one old target between them).
    let newHealthy = 0;
    let oldDraining = 0;
    for (const event of timeline) {
      if (event.value === 'healthy' && event.detail === deploymentId) newHealthy++;
      if (event.value === 'draining') expect(++oldDraining).toBeLessThanOrEqual(newHealthy);
    }
    expect([newHealthy, oldDraining]).toEqual([2, 2]);
    const drainAt = Math.min(...timeline.filter((e) => e.value === 'draining').map((e) => e.at));
    const goneAt = Math.max(...timeline.filter((e) => e.value === 'removed').map((e) => e.at));
    const completedAt = ctx.sim.timeline.find(
      (e) => e.kind === 'deployment' && e.subject === deploymentId && e.value === 'COMPLETED',
    )!.at;
    expect(simSeconds(drainAt, goneAt)).toBeGreaterThanOrEqual(299);
    expect(completedAt).toBeGreaterThanOrEqual(goneAt);
    expect((await health(arn)).map((t) => t.TargetHealth!.State)).toEqual(['healthy', 'healthy']);
  });

  it('follows a changed deregistration delay', async () => {
    const arn = await groupArn();
    await ctx.elb.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: arn,
        Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '20' }],
      }),
    );
    const { deploymentId } = await deployRevision(ctx, serviceRevisionWithImage('app:v3'));
    await waitForRolloutCompleted(ctx.ecs);
    const timeline = ctx.sim.timeline.filter((e) => e.kind === 'target');
    const drainAt = Math.min(...timeline.filter((e) => e.value === 'draining').map((e) => e.at));
    const goneAt = Math.max(...timeline.filter((e) => e.value === 'removed').map((e) => e.at));
    expect(simSeconds(drainAt, goneAt)).toBeGreaterThanOrEqual(19);
    expect(simSeconds(drainAt, goneAt)).toBeLessThan(100);
    expect(deploymentId).toBeDefined();
  });

  it('calls an image answering 500 unhealthy, and ECS stops its tasks only after the grace period', async () => {
    ctx.sim.images.define('app:broken', { health: 'unhealthy' });
    const arn = await groupArn();
    await deployRevision(ctx, serviceRevisionWithImage('app:broken'));
    const unhealthy = await waitFor(async () => (await health(arn)).find((t) => t.TargetHealth!.State === 'unhealthy'));
    expect(unhealthy.TargetHealth).toEqual({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed with these codes: [500]',
    });
    const stopped = await waitFor(async () => {
      const list = await ctx.ecs.send(
        new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE, desiredStatus: 'STOPPED' }),
      );
      if (!list.taskArns?.length) return undefined;
      const described = await ctx.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: list.taskArns }));
      return described.tasks!.find((t) => t.stoppedReason?.startsWith('Task failed ELB health checks'));
    });
    expect(stopped.stoppedReason).toBe(`Task failed ELB health checks in (target-group ${arn})`);
    const ranFor = (stopped.stoppingAt!.getTime() - stopped.startedAt!.getTime()) / 1000 / 0.005;
    expect(ranFor).toBeGreaterThanOrEqual(119);
  });

  it("answers on the target group's path through the ALB listener, and nothing on /health", async () => {
    const url = ctx.sim.albUrl(CLUSTER, SERVICE);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/order\/products$/);
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url.replace('/order/products', '/health'))).status).toBe(404);
  });

  it('records its requests as elasticloadbalancing calls and survives injected throttling', async () => {
    const arn = await groupArn();
    const elb = new ElasticLoadBalancingV2Client({
      endpoint: ctx.sim.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 10,
    });
    ctx.sim.faults.set({ throttleRate: 0.3, operations: ['DescribeTargetHealth'], seed: 7 });
    for (let i = 0; i < 5; i++) await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
    elb.destroy();
    const calls = ctx.sim.calls('DescribeTargetHealth');
    expect(calls.every((c) => c.service === 'elasticloadbalancing')).toBe(true);
    expect(calls.some((c) => c.errorCode === 'Throttling')).toBe(true);
    expect(calls.filter((c) => c.status === 200)).toHaveLength(5);
  });
});
