import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { deployRevision, useSeededSim } from '../../../support/sim-fixtures.js';
import { CLUSTER, SERVICE, describeService, serviceRevisionWithImage } from '../../../support/sim-clients.js';
import { waitFor } from '../../../support/wait-for.js';
import type { SeededSim } from '../../../support/sim-fixtures.js';

/** ECS's own blue/green, linear and canary deployments, on the wire as the SDK sees them. */

async function newest(ctx: SeededSim): Promise<ServiceDeployment> {
  const list = await ctx.ecs.send(new ListServiceDeploymentsCommand({ cluster: CLUSTER, service: SERVICE }));
  const arn = list.serviceDeployments![0].serviceDeploymentArn!;
  const out = await ctx.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  return out.serviceDeployments![0];
}

/** Polls our service deployment until `done`, returning every answer seen. */
async function follow(ctx: SeededSim, done: (d: ServiceDeployment) => boolean): Promise<ServiceDeployment[]> {
  const seen: ServiceDeployment[] = [];
  await waitFor(async () => {
    const d = await newest(ctx);
    seen.push(d);
    return done(d) ? d : undefined;
  });
  return seen;
}

/** ECS's lifecycle stages of a blue/green deployment, in order. */
const STAGE_ORDER = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
];
const stages = (seen: ServiceDeployment[]) => [...new Set(seen.map((d) => d.lifecycleStage))];
const weights = (seen: ServiceDeployment[]) => [
  ...new Set(seen.map((d) => d.targetServiceRevision?.requestedProductionTrafficWeight)),
];

async function runningImages(ctx: SeededSim): Promise<string[]> {
  const arns = (await ctx.ecs.send(new ListTasksCommand({ cluster: CLUSTER, serviceName: SERVICE }))).taskArns!;
  const tasks = (await ctx.ecs.send(new DescribeTasksCommand({ cluster: CLUSTER, tasks: arns }))).tasks!;
  return tasks.filter((t) => t.lastStatus === 'RUNNING').map((t) => t.containers![0].image!);
}

describe('a BLUE_GREEN service', () => {
  const ctx = useSeededSim('each', { deployment: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 2 } });

  it('goes through the lifecycle stages, shifts all production traffic at once, bakes, then cleans up', async () => {
    await deployRevision(ctx, serviceRevisionWithImage('app:green'));
    const seen = await follow(ctx, (d) => d.status === 'SUCCESSFUL');
    // A stage with no work of its own can pass between two looks on a loaded machine: what is seen comes in ECS's
    // order, and the stages that wait on something (healthy green tasks, the bake, the drain) are always seen.
    const order = stages(seen).filter((stage) => stage !== undefined);
    expect(order.every((stage) => STAGE_ORDER.includes(stage))).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => STAGE_ORDER.indexOf(a) - STAGE_ORDER.indexOf(b)));
    expect(order).toEqual(expect.arrayContaining(['SCALE_UP', 'BAKE_TIME', 'CLEAN_UP']));
    expect(weights(seen).filter((w) => w! > 0 && w! < 100)).toEqual([]);
    const baking = seen.find((d) => d.lifecycleStage === 'BAKE_TIME')!;
    expect(baking.targetServiceRevision).toMatchObject({ requestedProductionTrafficWeight: 100, runningTaskCount: 2 });
    expect(baking.sourceServiceRevisions![0]).toMatchObject({
      requestedProductionTrafficWeight: 0,
      runningTaskCount: 2,
    });
    const service = await describeService(ctx.ecs);
    expect(service.deployments).toHaveLength(1);
    expect(service.deployments![0].rolloutState).toBe('COMPLETED');
    expect(await runningImages(ctx)).toEqual(['app:green', 'app:green']);
  });

  it('StopServiceDeployment ROLLBACK during the bake puts production traffic back on blue at once', async () => {
    await ctx.ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: SERVICE,
        deploymentConfiguration: { bakeTimeInMinutes: 600 },
      }),
    );
    await follow(ctx, (d) => d.status === 'SUCCESSFUL');
    const { arn } = await deployRevision(ctx, serviceRevisionWithImage('app:green'));
    const baking = (await follow(ctx, (d) => d.lifecycleStage === 'BAKE_TIME')).at(-1)!;
    await ctx.ecs.send(
      new StopServiceDeploymentCommand({ serviceDeploymentArn: baking.serviceDeploymentArn!, stopType: 'ROLLBACK' }),
    );
    const back = (await follow(ctx, (d) => d.status !== 'IN_PROGRESS' && d.status !== 'ROLLBACK_REQUESTED')).at(-1)!;
    expect(back.status).toBe('ROLLBACK_IN_PROGRESS');
    expect(back.targetServiceRevision?.requestedProductionTrafficWeight).toBe(0);
    expect(back.rollback).toMatchObject({ serviceRevisionArn: baking.sourceServiceRevisions![0].arn });
    await follow(ctx, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
    const service = await describeService(ctx.ecs);
    expect(service.taskDefinition).toBe(ctx.stableArn);
    expect(service.taskDefinition).not.toBe(arn);
    expect(service.deployments!.map((d) => d.rolloutState)).toEqual(['COMPLETED']);
    expect(await runningImages(ctx)).not.toContain('app:green');
  });

  it('rolls back on its own when the green tasks fail their health checks, before any production traffic', async () => {
    ctx.sim.images.define('app:unhealthy', { health: 'unhealthy' });
    await deployRevision(ctx, serviceRevisionWithImage('app:unhealthy'));
    const seen = await follow(ctx, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
    expect(seen.some((d) => d.status === 'ROLLBACK_IN_PROGRESS')).toBe(true);
    // never any production traffic on green (the weight is not set on the first look, before the first stage)
    expect(weights(seen).filter((weight) => weight !== undefined)).toEqual([0]);
    expect(seen.at(-1)!.deploymentCircuitBreaker).toMatchObject({ status: 'TRIGGERED' });
    expect(seen.at(-1)!.rollback?.reason).toMatch(/Circuit Breaker/);
  });
});

describe('what ECS requires and when it reconciles', () => {
  const ctx = useSeededSim('each');

  it('refuses the BLUE_GREEN strategy without bakeTimeInMinutes, which the API requires for it', async () => {
    await expect(
      ctx.ecs.send(
        new UpdateServiceCommand({
          cluster: CLUSTER,
          service: SERVICE,
          deploymentConfiguration: { strategy: 'BLUE_GREEN' },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringMatching(/bakeTimeInMinutes/) });
    expect((await describeService(ctx.ecs)).deploymentConfiguration?.strategy).not.toBe('BLUE_GREEN');
  });

  it('enters RECONCILE_SERVICE only when a deployment starts with two revisions active (blue and a superseded green)', async () => {
    await ctx.ecs.send(
      new UpdateServiceCommand({
        cluster: CLUSTER,
        service: SERVICE,
        deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 60 },
      }),
    );
    await follow(ctx, (d) => d.status === 'SUCCESSFUL');
    const first = await deployRevision(ctx, serviceRevisionWithImage('app:green'));
    await follow(ctx, (d) => (d.targetServiceRevision?.runningTaskCount ?? 0) > 0);
    const second = await deployRevision(ctx, serviceRevisionWithImage('app:greener'));
    const stagesOf = (id: string) =>
      ctx.sim.timeline.filter((e) => e.kind === 'deployment' && e.subject === id).map((e) => e.value);
    await waitFor(() => stagesOf(second.deploymentId).includes('SCALE_UP') || undefined);
    expect(stagesOf(first.deploymentId)).not.toContain('RECONCILE_SERVICE');
    expect(
      stagesOf(second.deploymentId)
        .filter((v) => STAGE_ORDER.includes(v))
        .slice(0, 2),
    ).toEqual(['RECONCILE_SERVICE', 'PRE_SCALE_UP']);
  });
});

describe('a PAUSE lifecycle hook', () => {
  const ctx = useSeededSim('each', {
    deployment: {
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 1,
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['POST_SCALE_UP'] }],
    },
  });

  it('holds the deployment at its stage until ContinueServiceDeployment, which rejects an unknown hook', async () => {
    await deployRevision(ctx, serviceRevisionWithImage('app:green'));
    const paused = (await follow(ctx, (d) => d.lifecycleHookDetails?.[0]?.status === 'AWAITING_ACTION')).at(-1)!;
    expect(paused.lifecycleStage).toBe('POST_SCALE_UP');
    const hook = paused.lifecycleHookDetails![0];
    expect(hook).toMatchObject({ targetType: 'PAUSE', timeoutAction: 'ROLLBACK' });
    expect(hook.expiresAt).toBeInstanceOf(Date);
    for (let i = 0; i < 10; i++) expect((await newest(ctx)).lifecycleStage).toBe('POST_SCALE_UP');
    await expect(
      ctx.ecs.send(
        new ContinueServiceDeploymentCommand({ serviceDeploymentArn: paused.serviceDeploymentArn!, hookId: 'nope' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await ctx.ecs.send(
      new ContinueServiceDeploymentCommand({
        serviceDeploymentArn: paused.serviceDeploymentArn!,
        hookId: hook.hookId!,
        action: 'CONTINUE',
      }),
    );
    const seen = await follow(ctx, (d) => d.status === 'SUCCESSFUL');
    expect(stages(seen)).toEqual(expect.arrayContaining(['TEST_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP']));
  });
});

describe('LINEAR and CANARY services', () => {
  describe('LINEAR', () => {
    const ctx = useSeededSim('each', {
      deployment: {
        strategy: 'LINEAR',
        bakeTimeInMinutes: 1,
        linearConfiguration: { stepPercent: 40, stepBakeTimeInMinutes: 1 },
      },
    });
    it('shifts production traffic in equal steps', async () => {
      await deployRevision(ctx, serviceRevisionWithImage('app:green'));
      const seen = await follow(ctx, (d) => d.status === 'SUCCESSFUL');
      expect(weights(seen)).toEqual(expect.arrayContaining([0, 40, 80, 100]));
      expect(stages(seen)).toContain('PRE_PRODUCTION_TRAFFIC_SHIFT');
    });
  });

  describe('CANARY', () => {
    const ctx = useSeededSim('each', {
      deployment: {
        strategy: 'CANARY',
        bakeTimeInMinutes: 1,
        canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 1 },
      },
    });
    it('shifts a canary share first, then the rest', async () => {
      await deployRevision(ctx, serviceRevisionWithImage('app:green'));
      const seen = await follow(ctx, (d) => d.status === 'SUCCESSFUL');
      expect(weights(seen).filter((w) => w !== undefined)).toEqual([0, 10, 100]);
    });
  });
});

describe('a Lambda lifecycle hook at PRODUCTION_TRAFFIC_SHIFT (LINEAR, 40% steps)', () => {
  const HOOK = 'arn:aws:lambda:us-east-1:123456789012:function:check-error-rate';
  const ctx = useSeededSim('each', {
    deployment: {
      strategy: 'LINEAR',
      bakeTimeInMinutes: 1,
      linearConfiguration: { stepPercent: 40, stepBakeTimeInMinutes: 1 },
      lifecycleHooks: [
        {
          hookTargetArn: HOOK,
          lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'],
          // first step: "not sure yet", then fine; second step: "not sure yet" for a minute and a half (so that a look
          // on a loaded machine sees the step), then failed
          hookDetails: { answers: ['IN_PROGRESS', 'SUCCEEDED', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'FAILED'] },
        },
      ],
    },
  });

  it('holds each step IN_PROGRESS until the function answers; FAILED rolls back during the shift', async () => {
    await deployRevision(ctx, serviceRevisionWithImage('app:green'));
    const seen = await follow(ctx, (d) => d.status === 'ROLLBACK_SUCCESSFUL');
    const shifting = seen.filter((d) => d.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT' && d.status === 'IN_PROGRESS');
    expect(shifting.some((d) => d.lifecycleHookDetails?.[0]?.status === 'IN_PROGRESS')).toBe(true);
    expect(weights(shifting)).toEqual([40, 80]);
    const failed = seen.find((d) => d.status === 'ROLLBACK_IN_PROGRESS')!;
    expect(failed.lifecycleStage).toBe('PRODUCTION_TRAFFIC_SHIFT');
    expect(failed.lifecycleHookDetails).toEqual([
      expect.objectContaining({ targetType: 'AWS_LAMBDA', targetArn: HOOK, status: 'FAILED' }),
    ]);
    expect(failed.rollback?.reason).toMatch(/lifecycle hook returned FAILED/);
    expect(failed.targetServiceRevision?.requestedProductionTrafficWeight).toBe(0);
    expect(stages(seen)).not.toContain('BAKE_TIME');
  });
});
