import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { deployRevision, useSeededSim, waitForRolloutCompleted } from '../../../support/sim-fixtures.js';
import { CLUSTER, SERVICE, describeService, serviceRevisionWithImage } from '../../../support/sim-clients.js';
import { waitFor } from '../../../support/wait-for.js';

describe('a rolling deployment through the real ECS client', () => {
  const ctx = useSeededSim('all');

  it("seeds a steady service with 2 healthy tasks, answering on the target group's health-check path", async () => {
    const service = await describeService(ctx.ecs);
    expect(service.runningCount).toBe(2);
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0].rolloutState).toBe('COMPLETED');
    expect(service.events![0].message).toBe(`(service ${SERVICE}) has reached a steady state.`);
    const response = await fetch(ctx.sim.albUrl(CLUSTER, SERVICE));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      path: '/order/products',
      served_by: expect.stringMatching(/^10\.0\.\d+\.\d+$/),
    });
  });

  it('completes a new revision, never dropping below 100 % healthy nor above 200 % of tasks', async () => {
    const { arn, update } = await deployRevision(ctx, serviceRevisionWithImage('app:v2'));
    const primary = update.service!.deployments![0];
    expect(primary.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(primary.status).toBe('PRIMARY');
    expect(primary.rolloutState).toBe('IN_PROGRESS');
    expect(primary.rolloutStateReason).toBe(`ECS deployment ${primary.id} in progress.`);
    expect(update.service!.deployments![1].status).toBe('ACTIVE');

    const samples: Array<{ running: number; total: number }> = [];
    const done = await waitForRolloutCompleted(ctx.ecs, ({ deployments }) =>
      samples.push({
        running: deployments!.reduce((n, d) => n + d.runningCount!, 0),
        total: deployments!.reduce((n, d) => n + d.runningCount! + d.pendingCount!, 0),
      }),
    );
    expect(done.deployments![0].id).toBe(primary.id);
    expect(done.deployments![0].rolloutStateReason).toBe(`ECS deployment ${primary.id} completed.`);
    expect(done.taskDefinition).toBe(arn);
    expect(Math.min(...samples.map((s) => s.running))).toBeGreaterThanOrEqual(2);
    expect(Math.max(...samples.map((s) => s.total))).toBeLessThanOrEqual(4);
    // The sequence ECS itself writes for a 100/200 rollout behind an ALB, oldest first.
    const since = update.service!.deployments![0].createdAt!.getTime();
    const rollout = done
      .events!.filter((e) => e.createdAt!.getTime() >= since)
      .sort((x, y) => x.createdAt!.getTime() - y.createdAt!.getTime())
      .map((e) => e.message!.replace(/\(task [0-9a-f]{32}\)/g, '(task ID)'));
    const targetGroup = done.loadBalancers![0].targetGroupArn;
    const old = update.service!.deployments![1].id;
    expect(rollout).toEqual([
      `(service ${SERVICE}) has started 2 tasks: (task ID) (task ID).`,
      `(service ${SERVICE}) registered 2 targets in (target-group ${targetGroup})`,
      `(service ${SERVICE}) has stopped 2 running tasks: (task ID) (task ID).`,
      `(service ${SERVICE}) deregistered 2 targets in (target-group ${targetGroup})`,
      `(service ${SERVICE}, taskSet ${old}) has begun draining connections on 2 tasks.`,
      `(service ${SERVICE}) (deployment ${primary.id}) deployment completed.`,
      `(service ${SERVICE}) has reached a steady state.`,
    ]);
    expect(new Set(done.events!.map((e) => e.createdAt!.getTime())).size).toBe(done.events!.length);
    const completedAt = ctx.sim.timeline.find(
      (e) => e.kind === 'deployment' && e.subject === primary.id && e.value === 'COMPLETED',
    );
    expect(completedAt).toBeDefined();
  });

  it('with minimumHealthyPercent 50 and maximumPercent 100 replaces one task at a time', async () => {
    await deployRevision(ctx, serviceRevisionWithImage('app:v3'), { minimumHealthyPercent: 50, maximumPercent: 100 });
    const samples: number[] = [];
    await waitForRolloutCompleted(ctx.ecs, ({ deployments }) =>
      samples.push(deployments!.reduce((n, d) => n + d.runningCount! + d.pendingCount!, 0)),
    );
    expect(Math.max(...samples)).toBeLessThanOrEqual(2);
  });

  it('answers 503 from the load balancer itself once no target is in service', async () => {
    await ctx.ecs.send(new UpdateServiceCommand({ cluster: CLUSTER, service: SERVICE, desiredCount: 0 }));
    const status = await waitFor(async () => {
      const response = await fetch(ctx.sim.albUrl(CLUSTER, SERVICE));
      return response.status === 503 ? await response.json() : undefined;
    });
    expect(status).toEqual({ message: 'Service Temporarily Unavailable' });
  });
});
